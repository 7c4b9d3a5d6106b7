/**
 * The one screen, read left to right like the data flows: controls │ the network (diagram, curves, first-layer
 * weights) │ the user's own digit and what the network reads in it. The top bar holds the main buttons and
 * the run's status, and the lessons menu; an open lesson's card sits under it. Keyboard shortcuts:
 * components/shortcuts.ts. Presenter mode (?present=1): larger type, no settings column, the shortcuts shown.
 * Fits 1280×720 without scrolling; narrower screens stack the columns (src/styles/app.css).
 */
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
import { LayersScreen } from './components/LayersScreen';
import { StepExplained } from './components/panels/StepExplained/StepExplained';
import { Saliency } from './components/panels/Saliency/Saliency';
import { MyDigits } from './components/panels/MyDigits/MyDigits';
import { useConfigStore } from './store/config';
import { useInsideStore } from './store/inside';
import { useRunStore } from './store/run';
import { actions } from './app/client';
import { useViewStore } from './store/view';
import { LessonCard } from './components/lessons/LessonCard';
import { ShortcutBar } from './components/ShortcutBar';
import { useShortcuts } from './components/useShortcuts';
import { NOT_IN_PRESENTER } from './components/ScreenTabs';

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
 * The first screen's left and middle columns: the controls (not in presenter mode) and the network. Each
 * panel also guards its own body (Panel); these boundaries catch a panel's own code failing.
 */
function WatchColumns({ present }: { present: boolean }) {
  return (
    <>
      {present ? null : (
        <ErrorBoundary name="Network" frameClassName="controls-panel">
          <Controls />
        </ErrorBoundary>
      )}
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
  useShortcuts();
  const present = useViewStore((s) => s.present);
  // Presenter mode has no My digits screen (NOT_IN_PRESENTER): it shows Watch instead.
  const chosen = useInsideStore((s) => s.screen);
  const screen = present && NOT_IN_PRESENTER.includes(chosen) ? 'watch' : chosen;
  // The drawing column keeps its place (second child) on both screens, so the drawing survives a switch.
  // The lesson card, the message line and the shortcut bar take grid rows of their own: they never cover a view.
  return (
    <div className="app" data-present={present ? 'true' : undefined}>
      <ErrorBoundary name="The top bar" frameClassName="topbar-error">
        <TopBar />
      </ErrorBoundary>
      <LessonCard />
      <Notices />
      <main className="main" data-screen={screen}>
        {screen === 'watch' ? (
          <WatchColumns present={present} />
        ) : screen === 'inside' ? (
          <InsideScreen />
        ) : screen === 'layers' ? (
          <LayersScreen />
        ) : screen === 'mine' ? (
          <ErrorBoundary name="My digits" frameClassName="">
            <MyDigits />
          </ErrorBoundary>
        ) : (
          <StepColumns />
        )}
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
      {present ? <ShortcutBar /> : null}
    </div>
  );
}
