/**
 * The one screen, read left to right like the data flows: controls │ the network (diagram, curves, first-layer
 * weights) │ the user's own digit and what the network reads in it. The top bar holds the main buttons and
 * the run's status. Fits 1280×720 without scrolling; narrower screens stack the columns (src/styles/app.css).
 */
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Controls } from './components/panels/Controls/Controls';
import { DataStatus } from './components/panels/TopBar/DataStatus';
import { DrawCanvas } from './components/panels/Draw/DrawCanvas';
import { LayerDiagram } from './components/panels/LayerDiagram/LayerDiagram';
import { LossChart } from './components/panels/LossChart/LossChart';
import { ErrorBoundary } from './components/ui/ErrorBoundary';
import { Notices } from './components/ui/Notices';
import { PredictionBars } from './components/panels/Draw/PredictionBars';
import { DATASET_LABELS, TopBar } from './components/panels/TopBar/TopBar';
import { WeightImages } from './components/panels/WeightImages/WeightImages';
import { InsideScreen } from './components/InsideScreen';
import { StepExplained } from './components/panels/StepExplained/StepExplained';
import { Saliency } from './components/panels/Saliency/Saliency';
import { useConfigStore } from './store/config';
import { useInsideStore } from './store/inside';
import { useRunStore } from './store/run';
import { actions } from './app/client';

/** True when Space belongs to the focused element (typing, choosing, pressing a button). */
export function spaceBelongsTo(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT' || tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A')
    return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return type !== 'range' && type !== 'checkbox' && type !== 'radio';
  }
  return false;
}

/** Space toggles training, except where Space already means something (text fields, buttons, selects). */
function useSpaceToggle() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.code !== 'Space' && e.key !== ' ') return;
      if (e.repeat || e.ctrlKey || e.metaKey || e.altKey || spaceBelongsTo(e.target)) return;
      const { data } = useRunStore.getState();
      if (!data.counts || data.error) return;
      e.preventDefault();
      actions.toggleTraining();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** While the data loads, or when it failed, a card over the network column says so (no layout shift). */
function DataOverlay() {
  const data = useRunStore(
    useShallow((s) => ({ progress: s.data.progress, counts: s.data.counts, error: s.data.error })),
  );
  const dataset = useConfigStore((s) => s.dataset);
  if (data.counts && !data.error) return null;
  return (
    <div className="overlay">
      <div className="overlay-card" data-testid="data-overlay">
        <h2 className="overlay-title">
          {data.error
            ? `${DATASET_LABELS[dataset]} could not be loaded`
            : `Loading ${DATASET_LABELS[dataset]}…`}
        </h2>
        <DataStatus
          progress={data.progress}
          counts={null}
          error={data.error}
          onRetry={() => actions.retryData()}
        />
      </div>
    </div>
  );
}

/**
 * The first screen's left and middle columns: the controls and the network. Each panel also guards its
 * own body (Panel); these boundaries catch a panel's own code failing.
 */
function WatchColumns() {
  return (
    <>
      <ErrorBoundary name="Network" frameClassName="controls-panel">
        <Controls />
      </ErrorBoundary>
      <div className="center" style={{ position: 'relative' }}>
        <ErrorBoundary name="Layer diagram" frameClassName="">
          <LayerDiagram />
        </ErrorBoundary>
        <div className="center-bottom">
          <ErrorBoundary name="Loss & accuracy" frameClassName="">
            <LossChart />
          </ErrorBoundary>
          <ErrorBoundary name="First-layer weights" frameClassName="">
            <WeightImages />
          </ErrorBoundary>
        </div>
        <DataOverlay />
      </div>
    </>
  );
}

/** The one-step screen: the layer diagram (to pick a neuron) beside the step's numbers. */
function StepColumns() {
  return (
    <div className="step-screen">
      <ErrorBoundary name="Layer diagram" frameClassName="">
        <LayerDiagram />
      </ErrorBoundary>
      <ErrorBoundary name="One step" frameClassName="">
        <StepExplained />
      </ErrorBoundary>
    </div>
  );
}

export function App() {
  useSpaceToggle();
  const screen = useInsideStore((s) => s.screen);
  // The drawing column keeps its place (second child) on both screens, so the drawing survives a switch.
  return (
    <div className="app">
      <ErrorBoundary name="The top bar" frameClassName="topbar-error">
        <TopBar />
      </ErrorBoundary>
      <main className="main" data-screen={screen}>
        {screen === 'watch' ? <WatchColumns /> : screen === 'inside' ? <InsideScreen /> : <StepColumns />}
        <div className="right">
          <ErrorBoundary name="Draw" frameClassName="">
            <DrawCanvas />
          </ErrorBoundary>
          {screen === 'watch' ? (
            <ErrorBoundary name="Prediction" frameClassName="">
              <PredictionBars />
            </ErrorBoundary>
          ) : (
            <ErrorBoundary name="Why did it say that?" frameClassName="">
              <Saliency />
            </ErrorBoundary>
          )}
        </div>
      </main>
      <Notices />
    </div>
  );
}
