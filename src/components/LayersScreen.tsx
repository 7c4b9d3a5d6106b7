/**
 * The "Layers" screen: what each layer makes of the test images (the representation map). Mounted only
 * while open: closed, it paints nothing and asks the worker nothing.
 */
import { HiddenMap } from './panels/HiddenMap/HiddenMap';
import { ErrorBoundary } from './ui/ErrorBoundary';

export function LayersScreen() {
  return (
    <div className="layers-screen" data-testid="layers-screen">
      <ErrorBoundary name="What the layers represent" frameClassName="">
        <HiddenMap />
      </ErrorBoundary>
    </div>
  );
}
