/**
 * The loss landscape (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets"): the loss over a grid
 * of a plane through the current weights θ, L(θ + α·d₁ + β·d₂), for two directions d₁, d₂ in weight space —
 * either the first two principal directions of the run's kept weights (the plane the path mostly lies in),
 * or two random directions, filter-normalised (each neuron's incoming row of dᵢ scaled to the norm of its
 * row in θ, biases 0), so the picture does not depend on the weights' scale.
 *
 * Cheap by construction: the first layer is linear in (α, β), z₁ = xWᵀ + b + α·xD₁ᵀ + β·xD₂ᵀ, so its three
 * products are computed once and every grid point starts from their sum; only the later (narrower) layers
 * are recomputed per point. For 784-256-128-10 that is ~85 % of a naive grid's work saved.
 */
import { ACTIVATION_TABLE } from './activations.ts';
import { gemmABt } from './kernels/dense.ts';
import { crossEntropy, softmaxRows } from './loss.ts';
import type { NetworkParams } from './network.ts';
import { Rng } from './rng.ts';
import type { Activation } from './types.ts';

/** Σ over every weight and bias of a·b (float64). */
export function dotParams(a: NetworkParams, b: NetworkParams): number {
  let s = 0;
  for (const key of ['weights', 'biases'] as const) {
    a[key].forEach((arr, l) => {
      const other = b[key][l]!;
      for (let i = 0; i < arr.length; i++) s += arr[i]! * other[i]!;
    });
  }
  return s;
}

/** a − b, as new arrays. */
export function subParams(a: NetworkParams, b: NetworkParams): NetworkParams {
  const sub = (x: Float32Array[], y: Float32Array[]) => x.map((arr, l) => arr.map((v, i) => v - y[l]![i]!));
  return { weights: sub(a.weights, b.weights), biases: sub(a.biases, b.biases) };
}

/**
 * A random direction, filter-normalised (Li et al. §4): Gaussian entries, then each neuron's incoming row
 * rescaled to the norm of that neuron's row in `center`; biases 0.
 * @param center weights [out, in] per layer
 */
export function filterNormalisedDirection(center: NetworkParams, rng: Rng): NetworkParams {
  const weights = center.weights.map((w, l) => {
    const rows = center.biases[l]!.length;
    const cols = w.length / rows;
    const d = new Float32Array(w.length);
    for (let r = 0; r < rows; r++) {
      let dn = 0;
      let wn = 0;
      for (let c = 0; c < cols; c++) {
        const v = rng.normal();
        d[r * cols + c] = v;
        dn += v * v;
        wn += w[r * cols + c]! ** 2;
      }
      const k = dn > 0 ? Math.sqrt(wn / dn) : 0;
      for (let c = 0; c < cols; c++) d[r * cols + c]! *= k;
    }
    return d;
  });
  return { weights, biases: center.biases.map((b) => new Float32Array(b.length)) };
}

/**
 * Where θ falls on the plane through `center` spanned by d₁, d₂: the least-squares (α, β) with
 * θ − center ≈ α·d₁ + β·d₂ (the directions need not be orthogonal: random ones are not quite).
 */
export function projectOnPlane(
  center: NetworkParams,
  d1: NetworkParams,
  d2: NetworkParams,
  theta: NetworkParams,
  gram = { g11: dotParams(d1, d1), g12: dotParams(d1, d2), g22: dotParams(d2, d2) },
): [number, number] {
  const diff = subParams(theta, center);
  const r1 = dotParams(diff, d1);
  const r2 = dotParams(diff, d2);
  const det = gram.g11 * gram.g22 - gram.g12 * gram.g12;
  if (!(det > 0)) return [0, 0];
  return [(gram.g22 * r1 - gram.g12 * r2) / det, (gram.g11 * r2 - gram.g12 * r1) / det];
}

/** Eigenvectors of a symmetric k×k matrix (cyclic Jacobi), largest eigenvalue first. */
export function symmetricEigen(m: Float64Array, k: number): { values: number[]; vectors: Float64Array[] } {
  const a = Float64Array.from(m);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += a[p * k + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * k + q]! - a[p * k + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p]!;
          const arq = a[r * k + q]!;
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r]!;
          const aqr = a[q * k + r]!;
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p]!;
          const vrq = v[r * k + q]!;
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((i, j) => a[j * k + j]! - a[i * k + i]!);
  return {
    values: order.map((i) => a[i * k + i]!),
    vectors: order.map((i) => Float64Array.from({ length: k }, (_, r) => v[r * k + i]!)),
  };
}

/**
 * The plane of the path from the Gram matrix G (k×k, Gᵢⱼ = θᵢ·θⱼ) of the kept weights θ₁…θₖ: PCA of the
 * centred moments through their k×k Gram (a weight vector has ~10⁵ entries and k ≤ 65, so this is PCA
 * without ever forming the d×d covariance). Direction c is d_c = Σᵢ coef_c[i]·θᵢ, a unit vector (the
 * coefficients sum to 0, so the mean cancels); moment i lies at (coords[2i], coords[2i+1]) from the
 * moments' mean; `explained` is the share of the path's variance each direction holds. Null with fewer
 * than 3 moments or a path that does not move in two directions.
 */
export interface GramPlane {
  coef: [Float64Array, Float64Array];
  coords: Float64Array;
  explained: [number, number];
}

export function gramPlane(gram: Float64Array, k: number): GramPlane | null {
  if (k < 3) return null;
  const rowMean = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) rowMean[i]! += gram[i * k + j]! / k;
    total += rowMean[i]! / k;
  }
  // Centring: Gc = H·G·H (H = I − 11ᵀ/k) is the Gram of θᵢ − mean.
  const centred = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) centred[i * k + j] = gram[i * k + j]! - rowMean[i]! - rowMean[j]! + total;
  const { values, vectors } = symmetricEigen(centred, k);
  const variance = values.reduce((s, v) => s + Math.max(0, v), 0);
  if (!(values[1]! > 1e-12 * variance) || !(variance > 0)) return null;
  const coords = new Float64Array(2 * k);
  const coef = [0, 1].map((c) => {
    const v = vectors[c]!;
    // Exactly orthogonal to 1 (it is in exact arithmetic): the directions are then free of the mean.
    const mean = v.reduce((s, x) => s + x, 0) / k;
    const root = Math.sqrt(values[c]!);
    return Float64Array.from(v, (x, i) => {
      coords[2 * i + c] = (x - mean) * root;
      return (x - mean) / root;
    });
  }) as [Float64Array, Float64Array];
  return { coef, coords, explained: [values[0]! / variance, values[1]! / variance] };
}

/** Σᵢ coef[i]·θᵢ, summed in float64 (the coefficients cancel: float32 sums would lose the difference). */
export function combineMoments(moments: readonly NetworkParams[], coef: Float64Array): NetworkParams {
  const first = moments[0]!;
  const sum = (key: 'weights' | 'biases') =>
    first[key].map((arr, l) => {
      const acc = new Float64Array(arr.length);
      moments.forEach((m, i) => {
        const src = m[key][l]!;
        const w = coef[i]!;
        for (let t = 0; t < acc.length; t++) acc[t]! += w * src[t]!;
      });
      return Float32Array.from(acc);
    });
  return { weights: sum('weights'), biases: sum('biases') };
}

/** The Gram matrix of the moments (float64). */
export function gramOf(moments: readonly NetworkParams[]): Float64Array {
  const k = moments.length;
  const gram = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = i; j < k; j++) gram[i * k + j] = gram[j * k + i] = dotParams(moments[i]!, moments[j]!);
  return gram;
}

/** The plane of the path in one go (gramPlane, then the directions): for tests and the CLI. */
export function pathPlane(
  moments: readonly NetworkParams[],
): { d1: NetworkParams; d2: NetworkParams; explained: [number, number]; coords: Float64Array } | null {
  const plane = gramPlane(gramOf(moments), moments.length);
  if (!plane) return null;
  return {
    d1: combineMoments(moments, plane.coef[0]),
    d2: combineMoments(moments, plane.coef[1]),
    explained: plane.explained,
    coords: plane.coords,
  };
}

/** Work of one piece of a grid point (multiply-adds × 2): ~5 ms at 4 GFLOP/s. */
export const BLOCK_FLOPS = 20e6;

export interface GridSpec {
  /** The α and β of the grid's columns and rows. */
  alphas: Float64Array;
  betas: Float64Array;
}

/** `n` evenly spaced values from lo to hi. */
export function linspace(lo: number, hi: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) =>
    n === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * i) / (n - 1),
  );
}

/**
 * The grid's losses, computed in pieces (one grid point, or one block of rows of the first layer's
 * products, per piece) so a caller can interleave it with other work.
 */
export class LandscapeGrid {
  /** [betas.length · alphas.length], row = β, column = α; NaN where not computed yet. */
  readonly losses: Float32Array;
  private readonly sizes: number[];
  private readonly f: (a: Float32Array, len: number) => void;
  /** First layer: xWᵀ + b, xD₁ᵀ, xD₂ᵀ, each [n, h₁]. */
  private readonly base: Float32Array;
  private readonly along1: Float32Array;
  private readonly along2: Float32Array;
  private readonly bufs: Float32Array[];
  private readonly w: Float32Array[];
  private readonly b: Float32Array[];
  private readonly lse: Float64Array;
  private readonly probs: Float32Array;
  /** Rows per piece of a grid point: a fixed bound on the work (~20 MFLOP), whatever the network. */
  private readonly blockRows: number;
  private precomputedRows = 0;
  /** The grid point in progress, the row it has reached, and its loss summed so far. */
  private next = 0;
  private row = 0;
  private sum = 0;

  constructor(
    private readonly center: NetworkParams,
    private readonly d1: NetworkParams,
    private readonly d2: NetworkParams,
    activation: Activation,
    private readonly x: Float32Array,
    private readonly labels: Uint8Array,
    private readonly n: number,
    readonly grid: GridSpec,
  ) {
    this.sizes = [x.length / n, ...center.biases.map((b) => b.length)];
    this.f = ACTIVATION_TABLE[activation].apply;
    const h1 = this.sizes[1]!;
    this.base = new Float32Array(n * h1);
    this.along1 = new Float32Array(n * h1);
    this.along2 = new Float32Array(n * h1);
    let perRow = 2 * this.sizes[1]!;
    for (let l = 1; l + 1 < this.sizes.length; l++) perRow += 2 * this.sizes[l]! * this.sizes[l + 1]!;
    this.blockRows = Math.max(16, Math.min(n, Math.floor(BLOCK_FLOPS / perRow)));
    this.bufs = this.sizes.slice(1).map((s) => new Float32Array(this.blockRows * s));
    this.probs = new Float32Array(this.blockRows * this.sizes[this.sizes.length - 1]!);
    this.w = center.weights.map((w) => new Float32Array(w.length));
    this.b = center.biases.map((b) => new Float32Array(b.length));
    this.lse = new Float64Array(n);
    this.losses = new Float32Array(grid.alphas.length * grid.betas.length).fill(NaN);
  }

  get points(): number {
    return this.losses.length;
  }
  /** Grid points computed so far. */
  get done(): number {
    return this.next;
  }

  /** Rows of the first-layer products per piece. */
  static readonly PRE_ROWS = 32;

  /** One piece of work; true once every grid point is computed. */
  step(): boolean {
    if (this.precomputedRows < this.n) {
      this.precompute();
      return false;
    }
    if (this.next >= this.points) return true;
    const cols = this.grid.alphas.length;
    const alpha = this.grid.alphas[this.next % cols]!;
    const beta = this.grid.betas[Math.floor(this.next / cols)]!;
    if (this.row === 0) {
      this.setWeights(alpha, beta);
      this.sum = 0;
    }
    const rows = Math.min(this.blockRows, this.n - this.row);
    this.sum += this.blockLoss(alpha, beta, this.row, rows);
    this.row += rows;
    if (this.row >= this.n) {
      this.losses[this.next++] = this.sum / this.n;
      this.row = 0;
    }
    return this.next >= this.points;
  }

  private precompute(): void {
    const r0 = this.precomputedRows;
    const rows = Math.min(LandscapeGrid.PRE_ROWS, this.n - r0);
    const [inSize, h1] = [this.sizes[0]!, this.sizes[1]!];
    const x = this.x.subarray(r0 * inSize, (r0 + rows) * inSize);
    const at = (buf: Float32Array) => buf.subarray(r0 * h1, (r0 + rows) * h1);
    gemmABt(x, this.center.weights[0]!, at(this.base), rows, h1, inSize, this.center.biases[0]!);
    gemmABt(x, this.d1.weights[0]!, at(this.along1), rows, h1, inSize, this.d1.biases[0]!);
    gemmABt(x, this.d2.weights[0]!, at(this.along2), rows, h1, inSize, this.d2.biases[0]!);
    this.precomputedRows += rows;
  }

  /** The later layers' weights and biases at θ + α·d₁ + β·d₂. */
  private setWeights(alpha: number, beta: number): void {
    for (let l = 1; l < this.w.length; l++) {
      const w = this.w[l]!;
      const b = this.b[l]!;
      const [cw, w1, w2] = [this.center.weights[l]!, this.d1.weights[l]!, this.d2.weights[l]!];
      for (let t = 0; t < w.length; t++) w[t] = cw[t]! + alpha * w1[t]! + beta * w2[t]!;
      const [cb, b1, b2] = [this.center.biases[l]!, this.d1.biases[l]!, this.d2.biases[l]!];
      for (let t = 0; t < b.length; t++) b[t] = cb[t]! + alpha * b1[t]! + beta * b2[t]!;
    }
  }

  /** Σ of the cross-entropy over rows r0 … r0 + rows − 1 (after setWeights for this point). */
  private blockLoss(alpha: number, beta: number, r0: number, rows: number): number {
    const { sizes } = this;
    const layers = sizes.length - 1;
    const h1 = sizes[1]!;
    const z1 = this.bufs[0]!;
    for (let i = 0, o = r0 * h1; i < rows * h1; i++, o++) {
      z1[i] = this.base[o]! + alpha * this.along1[o]! + beta * this.along2[o]!;
    }
    let input = z1;
    for (let l = 1; l < layers; l++) {
      this.f(input, rows * sizes[l]!);
      const out = this.bufs[l]!;
      gemmABt(input, this.w[l]!, out, rows, sizes[l + 1]!, sizes[l]!, this.b[l]!);
      input = out;
    }
    // (A network without hidden layers: z₁ is already the logits.)
    const classes = sizes[layers]!;
    softmaxRows(input, this.probs, this.lse, rows, classes);
    return crossEntropy(input, this.lse, this.labels.subarray(r0, r0 + rows), rows, classes) * rows;
  }

  /** Mean cross-entropy at θ + α·d₁ + β·d₂ over the n images (in one go; the first layer must be done). */
  lossAt(alpha: number, beta: number): number {
    while (this.precomputedRows < this.n) this.precompute();
    this.setWeights(alpha, beta);
    let sum = 0;
    for (let r = 0; r < this.n; r += this.blockRows)
      sum += this.blockLoss(alpha, beta, r, Math.min(this.blockRows, this.n - r));
    // The next step() sets the weights of its own point again.
    this.row = 0;
    return sum / this.n;
  }
}
