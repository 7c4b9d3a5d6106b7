/**
 * Principal component analysis to two dimensions, for the representation map: n points of d values each
 * (one layer's activations for the map's test images) → the two directions along which they spread most,
 * and each point's coordinates along them.
 *
 * Subspace iteration on the centred data X̄ (never the d×d covariance — d is 784 for pixels): V ← X̄ᵀ(X̄V),
 * then Gram–Schmidt, until the two directions stop moving. Each pass costs 4·n·d multiply-adds; a live map
 * starts from the previous map's directions, so it converges in a few passes. Sums in float64.
 */

/** What pca2 returns: x ↦ ((x − mean)·axis0, (x − mean)·axis1) places any new point on the same map. */
export interface Pca2 {
  /** [d] the mean of the points. */
  mean: Float32Array;
  /** Two unit directions [d] each, orthogonal, the first spreading the points most. */
  axes: [Float32Array, Float32Array];
  /** [n · 2] each point's (x, y) on the map. */
  coords: Float32Array;
  /** The variance along each axis, and the total variance (the share of the picture the map keeps). */
  variance: [number, number];
  totalVariance: number;
  /** Passes of the iteration it took. */
  iterations: number;
}

export interface Pca2Options {
  /** Directions to start from (the previous map's), else a fixed start. */
  start?: readonly [Float32Array, Float32Array];
  /** Stop when 1 − |cos| between consecutive directions is below this (default 1e-7). */
  tolerance?: number;
  /** At most this many passes (default 300). */
  maxIterations?: number;
}

/** Normalises v in place; returns its norm before (0: left as is). */
function normalise(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const norm = Math.sqrt(s);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return norm;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * A fixed start that no data is orthogonal to by accident: the first basis vector plus a deterministic
 * spread over every coordinate (a plain e₁ would miss data whose first feature is constant, e.g. a corner pixel).
 */
function fixedStart(d: number, which: number): Float64Array {
  const v = new Float64Array(d);
  for (let i = 0; i < d; i++) v[i] = Math.sin(12.9898 * (i + 1) + 78.233 * (which + 1));
  return v;
}

/**
 * The first two principal components of `data`.
 * @param data [n, d] row-major
 */
export function pca2(data: Float32Array, n: number, d: number, opts: Pca2Options = {}): Pca2 {
  if (!(n >= 1 && d >= 1) || data.length < n * d) {
    throw new RangeError(`pca2: need ${n}×${d} values, got ${data.length}`);
  }
  const tolerance = opts.tolerance ?? 1e-7;
  const maxIterations = opts.maxIterations ?? 300;
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++) mean[j]! += data[o + j]!;
  }
  for (let j = 0; j < d; j++) mean[j]! /= n;
  // Centred copy in float32 (n·d values, the size of the data): every pass reads it twice.
  const xc = new Float32Array(n * d);
  let totalVariance = 0;
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++) {
      const v = data[o + j]! - mean[j]!;
      xc[o + j] = v;
      totalVariance += v * v;
    }
  }
  totalVariance /= n;

  const v0 = opts.start?.[0]?.length === d ? Float64Array.from(opts.start[0]) : fixedStart(d, 0);
  const v1 = opts.start?.[1]?.length === d ? Float64Array.from(opts.start[1]) : fixedStart(d, 1);
  orthonormalise(v0, v1, d);
  const p0 = new Float64Array(n);
  const p1 = new Float64Array(n);
  const w0 = new Float64Array(d);
  const w1 = new Float64Array(d);
  let iterations = 0;
  const project = () => {
    for (let r = 0; r < n; r++) {
      const o = r * d;
      let a = 0;
      let b = 0;
      for (let j = 0; j < d; j++) {
        const x = xc[o + j]!;
        a += x * v0[j]!;
        b += x * v1[j]!;
      }
      p0[r] = a;
      p1[r] = b;
    }
  };
  while (iterations < maxIterations) {
    iterations++;
    project();
    // w = X̄ᵀ p: the covariance (times n) applied to each direction.
    w0.fill(0);
    w1.fill(0);
    for (let r = 0; r < n; r++) {
      const o = r * d;
      const a = p0[r]!;
      const b = p1[r]!;
      for (let j = 0; j < d; j++) {
        const x = xc[o + j]!;
        w0[j]! += x * a;
        w1[j]! += x * b;
      }
    }
    orthonormalise(w0, w1, d);
    const moved = Math.max(1 - Math.abs(dot(w0, v0)), 1 - Math.abs(dot(w1, v1)));
    v0.set(w0);
    v1.set(w1);
    if (moved < tolerance) break;
  }
  // Rayleigh–Ritz on the 2-D subspace: the converged pair can still be mixed when the two variances are
  // close; rotate it to the eigenvectors of the 2×2 covariance so axis 0 spreads most.
  project();
  let s00 = 0;
  let s01 = 0;
  let s11 = 0;
  for (let r = 0; r < n; r++) {
    s00 += p0[r]! * p0[r]!;
    s01 += p0[r]! * p1[r]!;
    s11 += p1[r]! * p1[r]!;
  }
  const theta = 0.5 * Math.atan2(2 * s01, s00 - s11);
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const axis0 = new Float32Array(d);
  const axis1 = new Float32Array(d);
  for (let j = 0; j < d; j++) {
    axis0[j] = c * v0[j]! + s * v1[j]!;
    axis1[j] = -s * v0[j]! + c * v1[j]!;
  }
  const coords = new Float32Array(n * 2);
  let var0 = 0;
  let var1 = 0;
  for (let r = 0; r < n; r++) {
    const x = c * p0[r]! + s * p1[r]!;
    const y = -s * p0[r]! + c * p1[r]!;
    coords[2 * r] = x;
    coords[2 * r + 1] = y;
    var0 += x * x;
    var1 += y * y;
  }
  return {
    mean: Float32Array.from(mean),
    axes: [axis0, axis1],
    coords,
    variance: [var0 / n, var1 / n],
    totalVariance,
    iterations,
  };
}

/** Gram–Schmidt on the pair; a direction that vanished (data of rank < 2) is replaced by a fixed one. */
function orthonormalise(a: Float64Array, b: Float64Array, d: number): void {
  if (normalise(a) === 0) {
    a.set(fixedStart(d, 0));
    normalise(a);
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const k = dot(a, b);
    for (let i = 0; i < d; i++) b[i]! -= k * a[i]!;
    if (normalise(b) > 1e-12) return;
    b.set(fixedStart(d, 2 + attempt));
  }
}

/** Where a new point x [d] falls on the map of `pca` (x − mean)·axes — the drawn digit's dot. */
export function projectPoint(pca: Pick<Pca2, 'mean' | 'axes'>, x: Float32Array): [number, number] {
  const { mean, axes } = pca;
  let a = 0;
  let b = 0;
  for (let j = 0; j < mean.length; j++) {
    const v = x[j]! - mean[j]!;
    a += v * axes[0][j]!;
    b += v * axes[1][j]!;
  }
  return [a, b];
}
