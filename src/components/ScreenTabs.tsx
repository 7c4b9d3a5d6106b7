/**
 * The screens: "Watch" (the first screen: controls, the network, the curves), "Inside" (why the
 * network learns or fails) and "One step" (backprop for one neuron, every number). Each tab says which views it shows in `data-opens`, so a test — or a lesson —
 * knows what to open. The drawing column stays on both, so a digit drawn on one is explained on the other.
 */
import { useInsideStore } from '../store/inside';
import { actions } from '../app/client';
import { useViewStore } from '../store/view';

export const SCREENS = [
  {
    id: 'watch',
    label: 'Watch',
    title: 'The network training: controls, layer diagram, loss curve, first-layer weights (W)',
    key: 'W',
    opens: 'layer-diagram loss-chart weight-images draw-canvas prediction',
  },
  {
    id: 'inside',
    label: 'Inside',
    title:
      'Why it learns or fails: gradient flow, activation health, init lab, confusion, units, saliency (I)',
    key: 'I',
    opens:
      'gradient-flow activation-health init-lab confusion-matrix mistakes unit-view saliency draw-canvas',
  },
  {
    id: 'step',
    label: 'One step',
    title: 'One step of backprop for one neuron, with every number (O)',
    key: 'O',
    opens: 'step-explained layer-diagram draw-canvas',
  },
  {
    id: 'layers',
    label: 'Layers',
    title: 'What each layer represents: the test images mapped by its activations (L)',
    key: 'L',
    opens: 'hidden-map draw-canvas',
    // The contract names the map's opener; this tab is it.
    testid: 'open-hidden-map',
  },
  {
    id: 'mine',
    label: 'My digits',
    title: 'Your own digits: keep them, test the network on them, teach it with them (M)',
    key: 'M',
    opens: 'my-digits saliency draw-canvas',
  },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];

/**
 * Screens presenter mode leaves out (fewer controls on a projector; its top bar and shortcut bar have no room
 * to spare at 1024 px): My digits is for a learner at their own machine.
 */
export const NOT_IN_PRESENTER: readonly ScreenId[] = ['mine'];

export function ScreenTabs() {
  const screen = useInsideStore((s) => s.screen);
  const present = useViewStore((s) => s.present);
  const shown = present ? SCREENS.filter((s) => !NOT_IN_PRESENTER.includes(s.id)) : SCREENS;
  const on = present && NOT_IN_PRESENTER.includes(screen) ? 'watch' : screen;
  return (
    <div className="screen-tabs" role="tablist" aria-label="Screens">
      {shown.map((s) => (
        <button
          key={s.id}
          type="button"
          role="tab"
          className="screen-tab"
          aria-selected={on === s.id}
          data-testid={'testid' in s ? s.testid : `open-${s.id}`}
          data-opens={s.opens}
          title={s.title}
          aria-keyshortcuts={s.key}
          onClick={() => actions.setScreen(s.id)}
        >
          {s.label}
        </button>
      ))}
    </div>
  );
}
