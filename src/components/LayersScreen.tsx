/**
 * The "Layers" screen: what each layer makes of the test images (the representation map) and, when opened,
 * where the run is on the loss surface (the loss landscape, beside the map). Mounted only while open:
 * closed, it paints nothing and asks the worker nothing; the landscape is computed only on request.
 */
import { useState } from 'react';
import { HiddenMap } from './panels/HiddenMap/HiddenMap';
import { LossLandscape } from './panels/LossLandscape/LossLandscape';
import { ErrorBoundary } from './ui/ErrorBoundary';

export function LayersScreen() {
  const [landscape, setLandscape] = useState(false);
  return (
    <div className="layers-screen" data-testid="layers-screen" data-landscape={landscape ? 'open' : 'closed'}>
      <ErrorBoundary name="What the layers represent" frameClassName="">
        <HiddenMap
          actions={
            <button
              type="button"
              className="btn small"
              data-testid="open-loss-landscape"
              aria-pressed={landscape}
              onClick={() => setLandscape((v) => !v)}
            >
              {landscape ? 'Hide the loss landscape' : 'Loss landscape'}
            </button>
          }
        />
      </ErrorBoundary>
      {landscape ? (
        <ErrorBoundary name="The loss landscape" frameClassName="">
          <LossLandscape onClose={() => setLandscape(false)} />
        </ErrorBoundary>
      ) : null}
    </div>
  );
}
