/**
 * The "Inside" screen: the views that show why the network learns or fails. Mounted only while open —
 * closed, they cost nothing (no painting, and the worker computes their statistics only while open).
 */
import { ActivationHealth } from './panels/ActivationHealth/ActivationHealth';
import { ConfusionMatrix } from './panels/Confusion/ConfusionMatrix';
import { GradientFlow } from './panels/GradientFlow/GradientFlow';
import { InitLab } from './panels/InitLab/InitLab';
import { UnitView } from './panels/UnitView/UnitView';

export function InsideScreen() {
  return (
    <div className="inside" data-testid="inside-screen">
      <GradientFlow />
      <ActivationHealth />
      <InitLab />
      <ConfusionMatrix />
      <UnitView />
    </div>
  );
}
