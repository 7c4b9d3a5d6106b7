/**
 * Are the test stroke set's digits digits? Rasterises each drawing of test/e2e/digitStrokes.ts in Node the
 * way the page does (DrawCanvas's rasterise: src/draw/strokes.ts plans the off-screen raster, the strokes are
 * drawn as quadratic curves through the midpoints with round caps, then src/draw/mnistPreprocess.ts
 * prepares the 28×28), stores it as uint8 (as "my digits" keeps it) and reads it with a network trained on
 * MNIST by the engine (TrainingSession, the default settings, a few epochs), as the test half of my digits.
 * Prints the accuracy per digit for the clean templates and for the seeded variations.
 *
 *   npx tsx bench/myDigitsStrokes.ts [--epochs 2] [--per-class 20] [--seed 1] [--hidden 256-128]
 *
 * The trained weights are cached in the system's temp folder (per settings), so tuning the shapes is quick;
 * --fresh trains again.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BRUSH } from '../src/components/panels/Draw/DrawCanvas.tsx';
import type { Split } from '../src/data/dataset.ts';
import { preprocessMnist } from '../src/draw/mnistPreprocess.ts';
import { planRaster, strokeBounds, type Pt } from '../src/draw/strokes.ts';
import { DEFAULT_CONFIG, type TrainConfig } from '../src/engine/types.ts';
import { TrainingSession } from '../src/training/session.ts';
import { CLEAN, digitSet, digitStrokes, type Polyline } from '../test/e2e/digitStrokes.ts';
import { loadMnistNode } from './mnistNode.ts';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '2' },
    'per-class': { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    hidden: { type: 'string', default: DEFAULT_CONFIG.hidden.join('-') },
    fresh: { type: 'boolean', default: false },
    dump: { type: 'boolean', default: false },
  },
});

/** The page's brush: a quadratic curve from mid(k−2, k−1) to mid(k−1, k) with control k−1, then the tail. */
function centreline(pts: readonly Pt[]): Pt[] {
  const mid = (a: Pt, b: Pt): Pt => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
  if (pts.length < 2) return [...pts];
  const out: Pt[] = [pts[0]!, mid(pts[0]!, pts[1]!)];
  for (let k = 2; k < pts.length; k++) {
    const s = mid(pts[k - 2]!, pts[k - 1]!);
    const c = pts[k - 1]!;
    const e = mid(pts[k - 1]!, pts[k]!);
    for (let i = 1; i <= 8; i++) {
      const t = i / 8;
      const u = 1 - t;
      out.push({
        x: u * u * s.x + 2 * u * t * c.x + t * t * e.x,
        y: u * u * s.y + 2 * u * t * c.y + t * t * e.y,
      });
    }
  }
  out.push(pts[pts.length - 1]!);
  return out;
}

/**
 * Rasterises strokes like DrawCanvas's off-screen canvas: a round pen of plan.lineWidth along each
 * centreline, anti-aliased by coverage ≈ clamp(r + ½ − distance, 0, 1) (what a canvas's 1-pixel
 * anti-aliasing gives for a wide line), as alpha in an RGBA buffer.
 */
function rasterise(
  strokes: readonly (readonly Pt[])[],
): { data: Uint8ClampedArray; width: number; height: number } | null {
  const bounds = strokeBounds(strokes);
  if (!bounds) return null;
  const plan = planRaster(bounds, BRUSH);
  const n = plan.size;
  const cover = new Float32Array(n * n);
  const r = plan.lineWidth / 2;
  for (const s of strokes) {
    const line = centreline(s).map((p) => ({ x: p.x * plan.scale + plan.dx, y: p.y * plan.scale + plan.dy }));
    const segs = line.length === 1 ? [[line[0]!, line[0]!]] : line.slice(1).map((b, i) => [line[i]!, b]);
    for (const [a, b] of segs as [Pt, Pt][]) {
      const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - r - 1));
      const x1 = Math.min(n - 1, Math.ceil(Math.max(a.x, b.x) + r + 1));
      const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - r - 1));
      const y1 = Math.min(n - 1, Math.ceil(Math.max(a.y, b.y) + r + 1));
      const vx = b.x - a.x;
      const vy = b.y - a.y;
      const len2 = vx * vx + vy * vy;
      for (let y = y0; y <= y1; y++)
        for (let x = x0; x <= x1; x++) {
          const px = x + 0.5 - a.x;
          const py = y + 0.5 - a.y;
          const t = len2 > 0 ? Math.min(1, Math.max(0, (px * vx + py * vy) / len2)) : 0;
          const d = Math.hypot(px - t * vx, py - t * vy);
          const c = Math.min(1, Math.max(0, r + 0.5 - d));
          if (c > cover[y * n + x]!) cover[y * n + x] = c;
        }
    }
  }
  const data = new Uint8ClampedArray(n * n * 4);
  for (let i = 0; i < n * n; i++) data[4 * i + 3] = Math.round(cover[i]! * 255);
  return { data, width: n, height: n };
}

/** What "network sees" shows for a drawing, as uint8 (what my digits keeps). */
export function networkSees(lines: readonly Polyline[]): Uint8Array | null {
  const img = rasterise(lines.map((l) => l.map(([x, y]) => ({ x, y }))));
  const px = img && preprocessMnist({ ...img, channels: 4 });
  return px && Uint8Array.from(px, (v) => Math.round(v * 255));
}

function asSplit(drawings: { digit: number; strokes: Polyline[] }[]): Split {
  const images = new Uint8Array(drawings.length * 784);
  const labels = new Uint8Array(drawings.length);
  drawings.forEach((d, i) => {
    const px = networkSees(d.strokes);
    if (!px) throw new Error(`digit ${d.digit} (#${i}) has no ink`);
    images.set(px, i * 784);
    labels[i] = d.digit;
  });
  return { images, labels, count: drawings.length, rows: 28, cols: 28 };
}

function trained(config: TrainConfig, data: { train: Split; test: Split }, test: Split): TrainingSession {
  const session = new TrainingSession(config, data, { myDigits: { teach: { ...test, count: 0 }, test } });
  const file = join(
    tmpdir(),
    `backprop-lab-strokes-${config.hidden.join('-')}-e${config.epochs}-s${config.seed}.f32`,
  );
  const sizes = session.network.getParams();
  if (!args.fresh && existsSync(file)) {
    const all = new Float32Array(readFileSync(file).buffer.slice(0));
    let at = 0;
    const take = (a: Float32Array) => {
      const out = all.slice(at, at + a.length);
      at += a.length;
      return out;
    };
    session.network.setParams({ weights: sizes.weights.map(take), biases: sizes.biases.map(take) });
    console.log(`weights from ${file}`);
    return session;
  }
  const t0 = performance.now();
  while (session.epoch < config.epochs) session.trainBatch();
  console.log(`trained ${config.epochs} epochs in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const p = session.network.getParams();
  const parts = [...p.weights, ...p.biases];
  const all = new Float32Array(parts.reduce((s, a) => s + a.length, 0));
  let at = 0;
  for (const a of parts) {
    all.set(a, at);
    at += a.length;
  }
  writeFileSync(file, all);
  return session;
}

function report(name: string, session: TrainingSession, split: Split): void {
  const mine = new TrainingSession(
    session.config,
    { train: split, test: split },
    {
      myDigits: { teach: { ...split, count: 0 }, test: split },
    },
  );
  mine.network.setParams(session.network.getParams());
  const r = mine.evaluate('mine');
  const per = Array.from({ length: 10 }, (_, d) => {
    const row = r.confusion.subarray(d * 10, d * 10 + 10);
    const n = row.reduce((a, b) => a + b, 0);
    const read = [...row].map((c, k) => [c, k] as const).sort((a, b) => b[0] - a[0]);
    const wrong = read.filter(([c, k]) => k !== d && c > 0).map(([c, k]) => `${k}×${c}`);
    return { d, right: row[d]!, n, wrong };
  });
  console.log(`${name}: ${(100 * r.accuracy).toFixed(1)} % of ${r.count}`);
  for (const p of per)
    console.log(`  ${p.d}: ${p.right}/${p.n}${p.wrong.length ? `   read as ${p.wrong.join(' ')}` : ''}`);
}

function dump(split: Split, count: number): void {
  const shades = ' .:-=+*#%@';
  for (let i = 0; i < count; i++) {
    const rows: string[] = [];
    for (let y = 0; y < 28; y++) {
      let s = '';
      for (let x = 0; x < 28; x++) s += shades[Math.floor((split.images[i * 784 + y * 28 + x]! / 256) * 10)];
      rows.push(s);
    }
    console.log(`--- ${split.labels[i]}\n${rows.join('\n')}`);
  }
}

const config: TrainConfig = {
  ...DEFAULT_CONFIG,
  hidden: args.hidden === 'none' ? [] : args.hidden.split('-').map(Number),
  epochs: Number(args.epochs),
};
const data = loadMnistNode();
const clean = asSplit(Array.from({ length: 10 }, (_, d) => ({ digit: d, strokes: digitStrokes(d, CLEAN) })));
const varied = asSplit(digitSet(Number(args['per-class']), Number(args.seed)));
if (args.dump) dump(clean, 10);
const session = trained(config, data, clean);
console.log(`MNIST test accuracy: ${(100 * session.evaluate('test').accuracy).toFixed(2)} %`);
report('clean templates', session, clean);
report(`varied (${args['per-class']} per digit, seed ${args.seed})`, session, varied);
