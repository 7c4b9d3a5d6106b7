/**
 * Keeping maps in register (Procrustes) and scoring them (leave-one-out 5-NN) against naive references.
 */
import { describe, expect, it } from 'vitest';
import { applyToAxes, applyToPoints, procrustes2, type Mat2 } from '../../src/engine/mapAlign';
import { knnAccuracy } from '../../src/engine/mapNeighbours';
import { Rng } from '../../src/engine/rng';

function cloud(n: number, seed = 3): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: 2 * n }, (_, i) => rng.normal() * (i % 2 ? 1 : 3));
}

describe('procrustes2', () => {
  const cases: [string, Mat2][] = [
    ['a rotation by 40°', [Math.cos(0.7), -Math.sin(0.7), Math.sin(0.7), Math.cos(0.7)]],
    ['a sign flip of one axis', [1, 0, 0, -1]],
    ['both signs flipped', [-1, 0, 0, -1]],
    ['a reflection across a tilted line', [Math.cos(1.1), Math.sin(1.1), Math.sin(1.1), -Math.cos(1.1)]],
  ];
  for (const [name, r] of cases) {
    it(`undoes ${name}`, () => {
      const q = cloud(200);
      const p = q.slice();
      applyToPoints(p, r);
      const back = procrustes2(p, q, 200);
      applyToPoints(p, back);
      for (let i = 0; i < p.length; i++) expect(p[i]).toBeCloseTo(q[i]!, 4);
    });
  }

  it('turns the axes with the points, so a projected new point lands where the aligned map puts it', () => {
    const a0 = Float32Array.from([1, 0, 0]);
    const a1 = Float32Array.from([0, 1, 0]);
    const r: Mat2 = [0, 1, -1, 0];
    const [b0, b1] = applyToAxes([a0, a1], r);
    const x = [2, 5, 7];
    const pt = Float32Array.from([x[0]!, x[1]!]);
    applyToPoints(pt, r);
    const dot = (a: Float32Array) => a[0]! * x[0]! + a[1]! * x[1]! + a[2]! * x[2]!;
    expect([dot(b0), dot(b1)]).toEqual([pt[0], pt[1]]);
  });

  it('identical maps need nothing, and an empty one is left alone', () => {
    const q = cloud(50);
    const r = procrustes2(q, q, 50);
    expect(r[0]).toBeCloseTo(1, 6);
    expect(r[3]).toBeCloseTo(1, 6);
    expect(procrustes2(new Float32Array(4), new Float32Array(4), 2)).toEqual([1, 0, 0, 1]);
  });
});

/** The definition, by sorting every distance. */
function naiveKnn(coords: Float32Array, labels: number[], k: number): number {
  const n = labels.length;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const others = labels
      .map((_, j) => j)
      .filter((j) => j !== i)
      .map((j) => ({
        j,
        d: (coords[2 * j]! - coords[2 * i]!) ** 2 + (coords[2 * j + 1]! - coords[2 * i + 1]!) ** 2,
      }))
      .sort((a, b) => a.d - b.d || a.j - b.j)
      .slice(0, k);
    const votes = new Map<number, number>();
    for (const o of others) votes.set(labels[o.j]!, (votes.get(labels[o.j]!) ?? 0) + 1);
    const top = Math.max(...votes.values());
    const vote = labels[others.find((o) => votes.get(labels[o.j]!) === top)!.j];
    if (vote === labels[i]) correct++;
  }
  return correct / n;
}

describe('knnAccuracy', () => {
  it('matches the definition on overlapping clusters', () => {
    const rng = new Rng(11);
    const n = 300;
    const labels = Array.from({ length: n }, () => rng.nextInt(4));
    const coords = new Float32Array(2 * n);
    labels.forEach((c, i) => {
      coords[2 * i] = c + rng.normal() * 0.6;
      coords[2 * i + 1] = (c % 2) + rng.normal() * 0.6;
    });
    const got = knnAccuracy(coords, labels, n);
    expect(got).toBe(naiveKnn(coords, labels, 5));
    expect(got).toBeGreaterThan(0.3);
    expect(got).toBeLessThan(0.95);
  });

  it('separated clusters score 1, random labels about chance', () => {
    const rng = new Rng(5);
    const n = 400;
    const labels = Array.from({ length: n }, (_, i) => i % 10);
    const apart = new Float32Array(2 * n);
    labels.forEach((c, i) => {
      apart[2 * i] = c * 100 + rng.next();
      apart[2 * i + 1] = rng.next();
    });
    expect(knnAccuracy(apart, labels, n)).toBe(1);
    const mixed = Float32Array.from({ length: 2 * n }, () => rng.next());
    expect(knnAccuracy(mixed, labels, n)).toBeLessThan(0.2);
    expect(knnAccuracy(new Float32Array(2), [0], 1)).toBe(0);
  });
});
