/**
 * A 28×28 image (bytes 0..255, as the dataset stores them) drawn at native resolution and scaled by CSS
 * with crisp pixels; follows the theme like the "network sees" preview.
 */
import { useEffect, useRef } from 'react';
import { paintPixels } from '../canvas/pixelImage';
import { useThemeColors } from '../canvas/theme';

export function DigitThumb({ pixels, label }: { pixels: Uint8Array | Float32Array; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const theme = useThemeColors();
  useEffect(() => {
    if (!ref.current) return;
    const floats = pixels instanceof Float32Array ? pixels : Float32Array.from(pixels, (v) => v / 255);
    paintPixels(ref.current, floats, theme);
  }, [pixels, theme]);
  return <canvas ref={ref} className="digit-thumb" role="img" aria-label={label} />;
}
