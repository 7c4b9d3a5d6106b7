/**
 * A small legend for a colour scale: a gradient ramp between two end labels (e.g. "−  0  +" for weights).
 */
import { lutGradient, type Lut } from '../canvas/colors';

export interface ColorLegendProps {
  lut: Lut;
  low: string;
  high: string;
  mid?: string;
  label?: string;
}

export function ColorLegend({ lut, low, high, mid, label }: ColorLegendProps) {
  return (
    <span className="legend" aria-label={`${label ?? 'colour scale'}: ${low} to ${high}`}>
      {label ? <span>{label}</span> : null}
      <span>{low}</span>
      <span className="ramp" style={{ background: lutGradient(lut) }}>
        {mid ? <span className="visually-hidden">{mid}</span> : null}
      </span>
      <span>{high}</span>
    </span>
  );
}
