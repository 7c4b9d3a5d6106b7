/**
 * The loss landscape against the network itself: at (0, 0) the grid's loss is the network's loss on the
 * same images; anywhere on the plane it is the loss of a network holding θ + α·d₁ + β·d₂ (the first
 * layer's shortcut changes nothing but the work); random directions are filter-normalised; the path's
 * plane spans the kept weights' main directions, and projecting a kept moment onto it finds it.
 */
import { describe, expect, it } from 'vitest';
import { toFloatPixels } from '../../src/engine/evaluate';
import {
  LandscapeGrid,
  dotParams,
  filterNormalisedDirection,
  linspace,
  pathPlane,
  projectOnPlane,
  symmetricEigen,
} from '../../src/engine/landscape';
import { Network, type NetworkParams } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import { mnistSlice, smallConfig } from '../training/harness';

const N = 200;
const data = mnistSlice(N, 10).train;
const x = new Float32Array(N * 784);
toFloatPixels(data.images, 0, N * 784, x);
const labels = data.labels.slice(0, N);
const config = smallConfig({ hidden: [24, 12] });

function lossOf(p: NetworkParams): number {
  const net = Network.create(config, N);
  net.setParams(p);
  net.forward(x, N);
  return net.dataLoss(labels);
}

const combine = (c: NetworkParams, d1: NetworkParams, d2: NetworkParams, a: number, b: number) => ({
  weights: c.weights.map((w, l) => w.map((v, i) => v + a * d1.weights[l]![i]! + b * d2.weights[l]![i]!)),
  biases: c.biases.map((w, l) => w.map((v, i) => v + a * d1.biases[l]![i]! + b * d2.biases[l]![i]!)),
});

describe('the loss landscape', () => {
  const center = Network.create(config).getParams();
  const rng = new Rng(9);
  const d1 = filterNormalisedDirection(center, rng);
  const d2 = filterNormalisedDirection(center, rng);

  it('is the network’s own loss at every grid point', () => {
    const grid = new LandscapeGrid(center, d1, d2, 'relu', x, labels, N, {
      alphas: linspace(-1, 1, 3),
      betas: linspace(-0.5, 0.5, 2),
    });
    let pieces = 0;
    while (!grid.step()) pieces++;
    expect(pieces).toBeGreaterThan(grid.points); // the first layer's products came in pieces too
    expect(grid.done).toBe(6);
    expect(grid.losses[1]).toBeCloseTo(lossOf(combine(center, d1, d2, 0, -0.5)), 4);
    for (let i = 0; i < 6; i++) {
      const a = grid.grid.alphas[i % 3]!;
      const b = grid.grid.betas[Math.floor(i / 3)]!;
      expect(grid.losses[i]).toBeCloseTo(lossOf(combine(center, d1, d2, a, b)), 4);
    }
    expect(grid.lossAt(0, 0)).toBeCloseTo(lossOf(center), 5);
  });

  it('random directions are filter-normalised: each neuron’s row has its weights’ norm, biases 0', () => {
    for (let l = 0; l < center.weights.length; l++) {
      const rows = center.biases[l]!.length;
      const cols = center.weights[l]!.length / rows;
      for (const r of [0, rows - 1]) {
        const norm = (w: Float32Array) => Math.hypot(...w.subarray(r * cols, (r + 1) * cols));
        expect(norm(d1.weights[l]!)).toBeCloseTo(norm(center.weights[l]!), 4);
      }
      expect(d1.biases[l]!.every((v) => v === 0)).toBe(true);
    }
  });

  it('the path’s plane: unit directions through the main moves, and the moments project back onto it', () => {
    // Moments on a known plane: θ_t = center + t·u + (t²/4)·v for unit u, v orthogonal.
    const u = filterNormalisedDirection(center, new Rng(1));
    const scale = (p: NetworkParams, k: number) => combine(p, p, p, k - 1, 0);
    const un = scale(u, 1 / Math.sqrt(dotParams(u, u)));
    let v = filterNormalisedDirection(center, new Rng(2));
    const k = dotParams(v, un);
    v = combine(v, un, un, -k, 0);
    const vn = scale(v, 1 / Math.sqrt(dotParams(v, v)));
    const moments = [0, 1, 2, 3, 4].map((t) => combine(center, un, vn, t, (t * t) / 4));
    const plane = pathPlane(moments)!;
    expect(Math.sqrt(dotParams(plane.d1, plane.d1))).toBeCloseTo(1, 5);
    expect(Math.abs(dotParams(plane.d1, plane.d2))).toBeLessThan(1e-5);
    expect(plane.explained[0] + plane.explained[1]).toBeCloseTo(1, 5);
    // Both directions lie in span(u, v): nothing of them is left outside.
    for (const d of [plane.d1, plane.d2]) {
      const a = dotParams(d, un);
      const b = dotParams(d, vn);
      expect(a * a + b * b).toBeCloseTo(1, 4);
    }
    const [a, b] = projectOnPlane(moments[0]!, plane.d1, plane.d2, moments[4]!);
    const dist = Math.sqrt(
      dotParams(...([subOf(moments[4]!, moments[0]!), subOf(moments[4]!, moments[0]!)] as const)),
    );
    expect(Math.hypot(a, b)).toBeCloseTo(dist, 3);
    // The coordinates the Gram gives are the projections, without a dot product with the directions.
    const c = plane.coords;
    expect(c[8]! - c[0]!).toBeCloseTo(a, 3);
    expect(c[9]! - c[1]!).toBeCloseTo(b, 3);
    expect(pathPlane(moments.slice(0, 2))).toBeNull();
  });

  it('symmetric eigenvectors, largest first', () => {
    const m = Float64Array.from([4, 1, 0, 1, 3, 0, 0, 0, 1]);
    const { values, vectors } = symmetricEigen(m, 3);
    expect(values[0]).toBeGreaterThan(values[1]!);
    for (let k = 0; k < 3; k++) {
      const v = vectors[k]!;
      for (let r = 0; r < 3; r++) {
        const mv = m[r * 3]! * v[0]! + m[r * 3 + 1]! * v[1]! + m[r * 3 + 2]! * v[2]!;
        expect(mv).toBeCloseTo(values[k]! * v[r]!, 8);
      }
    }
  });
});

function subOf(a: NetworkParams, b: NetworkParams): NetworkParams {
  return {
    weights: a.weights.map((w, l) => w.map((v, i) => v - b.weights[l]![i]!)),
    biases: a.biases.map((w, l) => w.map((v, i) => v - b.biases[l]![i]!)),
  };
}
