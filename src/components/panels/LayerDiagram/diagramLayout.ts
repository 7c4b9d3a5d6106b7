/**
 * Geometry of the layer diagram, as pure functions (no canvas) so the layout is unit-tested.
 *
 * Left to right like the data flows: the 28×28 input image, one column per hidden layer, the output layer
 * with its class labels. Big layers stay legible: at most MAX_SHOWN neurons per column (the first ones,
 * so a neuron keeps its place while training) and a "+N more" for the rest.
 */

export const MAX_SHOWN = 16;

export interface NodePos {
  x: number;
  y: number;
}

export interface Column {
  /** Layer index in `sizes` (1 = first hidden layer). */
  layer: number;
  x: number;
  /** Neuron count of the layer. */
  size: number;
  /** Positions of the shown neurons 0 … nodes.length − 1. */
  nodes: NodePos[];
  r: number;
  /** Neurons not drawn. */
  more: number;
}

export interface DiagramLayout {
  image: { x: number; y: number; side: number };
  columns: Column[];
  /** Baseline of the captions under the columns. */
  captionY: number;
  /** Room to the right of the output column for class names and probabilities. */
  labelWidth: number;
}

/**
 * @param width,height CSS pixels of the canvas.
 * @param sizes [input, hidden…, output] (e.g. [784, 128, 64, 10]).
 */
export function layoutDiagram(width: number, height: number, sizes: readonly number[]): DiagramLayout {
  const pad = 12;
  const captionH = 30;
  const top = 22;
  const labelWidth = Math.min(118, Math.max(70, width * 0.16));
  const avail = Math.max(40, height - top - captionH);
  const side = Math.max(28, Math.min(avail * 0.62, width * 0.2, 168));
  const image = { x: pad, y: top + (avail - side) / 2, side };

  const outX = width - pad - labelWidth;
  const firstX = image.x + side + Math.max(40, (outX - image.x - side) / (sizes.length - 1) / 1.4);
  const columns: Column[] = [];
  const n = sizes.length - 1; // columns after the input
  for (let l = 1; l < sizes.length; l++) {
    const x = n === 1 ? outX : firstX + ((outX - firstX) * (l - 1)) / (n - 1);
    const size = sizes[l];
    const shown = Math.min(size, MAX_SHOWN);
    const more = size - shown;
    // Leave a row for "+N more" under a truncated column.
    const rows = shown + (more > 0 ? 1 : 0);
    const spacing = Math.min(avail / Math.max(rows, 1), 30);
    const r = Math.max(2.5, Math.min(spacing * 0.36, 10));
    const y0 = top + (avail - spacing * rows) / 2 + spacing / 2;
    const nodes: NodePos[] = [];
    for (let i = 0; i < shown; i++) nodes.push({ x, y: y0 + i * spacing });
    columns.push({ layer: l, x, size, nodes, r, more });
  }
  return { image, columns, captionY: top + avail + 18, labelWidth };
}

/** The node under (px, py), if any: a neuron, or a pixel of the input image. */
export type Hit =
  | { kind: 'neuron'; layer: number; index: number; x: number; y: number }
  | { kind: 'pixel'; index: number; col: number; row: number; x: number; y: number };

/**
 * @param slack how far outside a circle still counts as on it (CSS px): small for hover, larger for a
 *   click, so a neuron is picked by a click on or near it.
 */
export function hitTest(
  layout: DiagramLayout,
  px: number,
  py: number,
  inputSide = 28,
  slack = 4,
): Hit | null {
  const { image } = layout;
  if (px >= image.x && px < image.x + image.side && py >= image.y && py < image.y + image.side) {
    const col = Math.min(inputSide - 1, Math.floor(((px - image.x) / image.side) * inputSide));
    const row = Math.min(inputSide - 1, Math.floor(((py - image.y) / image.side) * inputSide));
    return { kind: 'pixel', index: row * inputSide + col, col, row, x: px, y: py };
  }
  for (const c of layout.columns) {
    if (Math.abs(px - c.x) > c.r + slack) continue;
    // The nearest node within reach (with a large slack two neighbours can both be in reach).
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < c.nodes.length; i++) {
      const n = c.nodes[i];
      const d = Math.hypot(px - n.x, py - n.y);
      if (d <= c.r + slack && d < bestD) {
        best = i;
        bestD = d;
      }
    }
    if (best >= 0) return { kind: 'neuron', layer: c.layer, index: best, ...c.nodes[best] };
  }
  return null;
}

/**
 * Indices of the k largest |values[i]| (i < n), strongest first. O(n·k) with a tiny sorted buffer: cheaper
 * than sorting 784 entries per neuron per frame.
 */
export function topKByMagnitude(values: ArrayLike<number>, k: number, n = values.length): number[] {
  const idx: number[] = [];
  const mag: number[] = [];
  let len = 0;
  if (k <= 0) return idx;
  for (let i = 0; i < n; i++) {
    const m = Math.abs(values[i]);
    if (!(m > 0)) continue;
    if (len === k && m <= mag[len - 1]) continue;
    // Insertion into a sorted buffer; when full, the weakest entry (slot k − 1) is dropped.
    let p = len < k ? len : k - 1;
    while (p > 0 && mag[p - 1] < m) {
      idx[p] = idx[p - 1];
      mag[p] = mag[p - 1];
      p--;
    }
    idx[p] = i;
    mag[p] = m;
    if (len < k) len++;
  }
  idx.length = len;
  return idx;
}
