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
  /** The size caption under the column ("128 · ReLU", or "4096" where columns are close), and its baseline. */
  caption: string;
  captionY: number;
  /** "+N more" (or "+N", "+4k" where columns are close) and its baseline; null when every neuron is drawn. */
  moreLabel: { text: string; y: number } | null;
}

export interface DiagramLayout {
  image: { x: number; y: number; side: number };
  columns: Column[];
  /** Baseline of the captions under the columns. */
  captionY: number;
  /** Room to the right of the output column for class names and probabilities. */
  labelWidth: number;
}

/** Width of a label in the diagram's 11 px font, estimated (the painter passes the canvas's measureText). */
export const estimateTextWidth = (text: string): number => text.length * 6.4;

export interface LabelOptions {
  /** The hidden layers' activation as shown ("ReLU"); captions read "128 · ReLU" when there is room. */
  activationLabel?: string;
  measure?: (text: string) => number;
}

/** The first candidate that fits `room`, or null. */
function firstFitting(candidates: string[], room: number, measure: (t: string) => number): string | null {
  return candidates.find((t) => measure(t) <= room) ?? null;
}

/** "+4080 more", "+4080", "+4k": the shorter forms for crowded columns. */
function moreCandidates(more: number): string[] {
  const k = more >= 1000 ? [`+${Math.round(more / 1000)}k`] : [];
  return [`+${more} more`, `+${more}`, ...k];
}

/**
 * Labels that never overlap: each column's caption and "+N more" take the longest form that fits between
 * its neighbours; when even the shortest does not (eight wide layers on a phone), every other column's
 * label moves to a second row (captions) or above the column ("+N more"), doubling the room.
 */
function placeLabels(
  columns: Column[],
  sizes: readonly number[],
  gap: number,
  captionY: number,
  top: number,
  opts: LabelOptions,
): void {
  const measure = opts.measure ?? estimateTextWidth;
  const act = opts.activationLabel;
  const last = sizes.length - 1;
  const captionsFor = (c: Column) => {
    const kind = c.layer === last ? 'softmax' : act;
    return kind ? [`${c.size} · ${kind}`, `${c.size}`] : [`${c.size}`];
  };
  // Captions: one row if every column finds a fitting form, else two alternating rows.
  const oneRow = columns.map((c) => firstFitting(captionsFor(c), gap - 6, measure));
  const stagger = oneRow.some((t) => t === null);
  columns.forEach((c, i) => {
    const cands = captionsFor(c);
    c.caption = stagger
      ? (firstFitting(cands, 2 * gap - 6, measure) ?? cands[cands.length - 1]!)
      : oneRow[i]!;
    c.captionY = captionY + (stagger && i % 2 === 1 ? 13 : 0);
  });
  // "+N more": under the column, or above it for every other column when the short forms do not fit.
  const moreOne = columns.map((c) =>
    c.more > 0 ? firstFitting(moreCandidates(c.more), gap - 4, measure) : '',
  );
  const moreStagger = moreOne.some((t) => t === null);
  columns.forEach((c, i) => {
    if (c.more <= 0) {
      c.moreLabel = null;
      return;
    }
    const cands = moreCandidates(c.more);
    const text = moreStagger
      ? (firstFitting(cands, 2 * gap - 4, measure) ?? cands[cands.length - 1]!)
      : moreOne[i]!;
    const lastNode = c.nodes[c.nodes.length - 1]!;
    const below = lastNode.y + Math.max(16, c.r * 2 + 6);
    const above = Math.max(top - 6, c.nodes[0]!.y - c.r - 6);
    c.moreLabel = { text, y: moreStagger && i % 2 === 1 ? above : below };
  });
}

/**
 * @param width,height CSS pixels of the canvas.
 * @param sizes [input, hidden…, output] (e.g. [784, 128, 64, 10]).
 * @param labels how captions read and are measured (node positions do not depend on them).
 */
export function layoutDiagram(
  width: number,
  height: number,
  sizes: readonly number[],
  labels: LabelOptions = {},
): DiagramLayout {
  const pad = 12;
  const captionH = 36;
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
    columns.push({ layer: l, x, size, nodes, r, more, caption: '', captionY: 0, moreLabel: null });
  }
  const captionY = top + avail + 16;
  // Room between neighbouring columns; the first also has the image's caption to its left.
  const gap = n > 1 ? (outX - firstX) / (n - 1) : Infinity;
  placeLabels(columns, sizes, gap, captionY, top, labels);
  return { image, columns, captionY, labelWidth };
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
