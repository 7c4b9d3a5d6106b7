/**
 * The loss landscape as a background job (backgroundWork.ts): on request it copies the current weights and
 * takes the run's kept moments (timeline.ts), finds the plane — the path's two main directions (PCA through
 * the moments' Gram matrix, engine/landscape.ts) once there are ≥ 3 moments, else two filter-normalised
 * random directions — places the path on it, and computes the grid's losses on LANDSCAPE_IMAGES fixed
 * training images, all in pieces between training slices, so training and predictions go on. The grid's
 * extent covers the path with a margin (random directions: ±1 in filter-normalised units).
 */
import type { Split } from '../data/dataset';
import { toFloatPixels } from '../engine/evaluate';
import {
  LandscapeGrid,
  dotParams,
  filterNormalisedDirection,
  gramPlane,
  linspace,
  projectOnPlane,
} from '../engine/landscape';
import type { NetworkParams } from '../engine/network';
import { Rng } from '../engine/rng';
import type { Activation } from '../engine/types';
import type { LandscapePlan, LandscapePlaneChoice, LossLandscape, WorkerEvent } from '../protocol/messages';
import type { BackgroundJob } from './backgroundWork';
import type { Clock } from './clock';
import { mapIndices } from './hiddenMap';
import type { TrainingSession } from './session';
import type { Moment } from './timeline';

/** The training images the landscape's loss is measured on (fixed, seeded: the same for every landscape). */
export const LANDSCAPE_IMAGES = 1000;
export const LANDSCAPE_SEED = 20180;
/** The random plane's directions are drawn from this seed: the same network gives the same picture. */
export const RANDOM_PLANE_SEED = 2018;
/** Grid sizes a request may ask for. */
export const LANDSCAPE_GRID_MIN = 5;
export const LANDSCAPE_GRID_MAX = 61;
export const LANDSCAPE_GRID_DEFAULT = 31;
/** The path's extent is widened by this share of its range on each side. */
const PATH_MARGIN = 0.25;
/** Progress events at most this often (ms). */
const PROGRESS_MS = 200;

export interface LandscapeSpec {
  id: number;
  grid: number;
  plane: LandscapePlaneChoice;
  /** Stop before the grid and answer with the plan (landscape-plan): the page computes the grid itself. */
  planOnly?: boolean;
}

type Phase = 'gram' | 'directions' | 'project' | 'grid';

/** The arrays of a NetworkParams in one list (weights, then biases). */
const arraysOf = (p: NetworkParams): Float32Array[] => [...p.weights, ...p.biases];

export class LandscapeJob implements BackgroundJob {
  private readonly started: number;
  private readonly center: NetworkParams;
  /** The kept moments, then the current weights (the path's last point). */
  private readonly moments: NetworkParams[];
  private readonly steps: number[];
  private readonly step: number;
  private readonly x: Float32Array;
  private readonly labels: Uint8Array;
  private phase: Phase;
  private kind: 'path' | 'random';
  private readonly activation: Activation;
  private gram: Float64Array | null = null;
  private pair = 0;
  private coef: [Float64Array, Float64Array] | null = null;
  private explained: [number, number] | null = null;
  private acc: [Float64Array[], Float64Array[]] | null = null;
  private cursor = 0;
  private d: [NetworkParams, NetworkParams] | null = null;
  private readonly path: Float32Array;
  private grid: LandscapeGrid | null = null;
  private planeGram: { g11: number; g12: number; g22: number } | null = null;
  private workMs = 0;
  private lastProgress = -Infinity;

  constructor(
    private readonly spec: LandscapeSpec,
    session: TrainingSession,
    kept: readonly Moment[],
    train: Split,
    private readonly clock: Clock,
    private readonly generation: number,
    private readonly stillValid: () => boolean,
    private readonly post: (event: WorkerEvent, transfer?: ArrayBuffer[]) => void,
  ) {
    if (!Number.isInteger(spec.grid) || spec.grid < LANDSCAPE_GRID_MIN || spec.grid > LANDSCAPE_GRID_MAX) {
      throw new RangeError(
        `A landscape grid is ${LANDSCAPE_GRID_MIN} to ${LANDSCAPE_GRID_MAX} points a side, not ${spec.grid}.`,
      );
    }
    this.started = clock.now();
    this.center = session.network.getParams();
    this.step = session.step;
    const past = kept.filter((m) => m.step < session.step);
    this.moments = [...past.map((m) => m.params), this.center];
    this.steps = [...past.map((m) => m.step), session.step];
    this.path = new Float32Array(2 * this.moments.length);
    this.kind = spec.plane === 'auto' && this.moments.length >= 3 ? 'path' : 'random';
    this.phase = this.kind === 'path' ? 'gram' : 'project';
    if (this.kind === 'random') {
      const rng = new Rng(RANDOM_PLANE_SEED);
      this.d = [filterNormalisedDirection(this.center, rng), filterNormalisedDirection(this.center, rng)];
    } else {
      const k = this.moments.length;
      this.gram = new Float64Array(k * k);
    }
    const indices = mapIndices(train.count, LANDSCAPE_IMAGES, LANDSCAPE_SEED);
    const px = train.rows * train.cols;
    this.x = new Float32Array(indices.length * px);
    indices.forEach((idx, r) => toFloatPixels(train.images, idx * px, px, this.x, r * px));
    this.labels = Uint8Array.from(indices, (i) => train.labels[i]!);
    this.activation = session.network.config.activation;
  }

  work(deadline: number): boolean {
    if (!this.stillValid()) throw new Error('The network changed while its landscape was computed.');
    const t0 = this.clock.now();
    do {
      if (this.piece()) {
        this.workMs += this.clock.now() - t0;
        this.finish();
        return true;
      }
    } while (this.clock.now() < deadline);
    this.workMs += this.clock.now() - t0;
    this.progress();
    return false;
  }

  /** One small unit of work; true when the grid is complete. */
  private piece(): boolean {
    const k = this.moments.length;
    switch (this.phase) {
      case 'gram': {
        // Pairs (i ≤ j) in order, one dot product each.
        let i = 0;
        let rest = this.pair;
        while (rest >= k - i) rest -= k - i++;
        const j = i + rest;
        const g = dotParams(this.moments[i]!, this.moments[j]!);
        this.gram![i * k + j] = g;
        this.gram![j * k + i] = g;
        if (++this.pair === (k * (k + 1)) / 2) {
          const plane = gramPlane(this.gram!, k);
          if (!plane) {
            // The path does not move in two directions: a random plane, as before there was a path.
            const rng = new Rng(RANDOM_PLANE_SEED);
            this.d = [
              filterNormalisedDirection(this.center, rng),
              filterNormalisedDirection(this.center, rng),
            ];
            this.kind = 'random';
            this.phase = 'project';
            return false;
          }
          this.coef = plane.coef;
          this.explained = plane.explained;
          // The current weights (the last moment) are the grid's origin.
          for (let m = 0; m < k; m++) {
            this.path[2 * m] = plane.coords[2 * m]! - plane.coords[2 * (k - 1)]!;
            this.path[2 * m + 1] = plane.coords[2 * m + 1]! - plane.coords[2 * (k - 1) + 1]!;
          }
          const zeros = () => arraysOf(this.center).map((a) => new Float64Array(a.length));
          this.acc = [zeros(), zeros()];
          this.phase = 'directions';
        }
        return false;
      }
      case 'directions': {
        // dᶜ = Σ coefᶜ[m]·θₘ, one moment per piece, in float64.
        const src = arraysOf(this.moments[this.cursor]!);
        for (let c = 0; c < 2; c++) {
          const w = this.coef![c]![this.cursor]!;
          src.forEach((arr, a) => {
            const acc = this.acc![c]![a]!;
            for (let t = 0; t < arr.length; t++) acc[t]! += w * arr[t]!;
          });
        }
        if (++this.cursor === k) {
          const layers = this.center.weights.length;
          const toParams = (acc: Float64Array[]): NetworkParams => ({
            weights: acc.slice(0, layers).map((a) => Float32Array.from(a)),
            biases: acc.slice(layers).map((a) => Float32Array.from(a)),
          });
          this.d = [toParams(this.acc![0]), toParams(this.acc![1])];
          this.acc = null;
          this.startGrid();
        }
        return false;
      }
      case 'project': {
        // Random directions: each moment's least-squares place on the plane.
        if (this.cursor === 0) this.planeGram = gramOfDirections(this.d!);
        const [a, b] = projectOnPlane(
          this.center,
          this.d![0],
          this.d![1],
          this.moments[this.cursor]!,
          this.planeGram!,
        );
        this.path[2 * this.cursor] = a;
        this.path[2 * this.cursor + 1] = b;
        if (++this.cursor === k) this.startGrid();
        return false;
      }
      case 'grid':
        return this.spec.planOnly === true || this.grid!.step();
    }
  }

  private startGrid(): void {
    const n = this.spec.grid;
    let alphas: Float64Array;
    let betas: Float64Array;
    if (this.kind === 'random') {
      alphas = linspace(-1, 1, n);
      betas = linspace(-1, 1, n);
    } else {
      const range = (c: 0 | 1): Float64Array => {
        let lo = 0;
        let hi = 0;
        for (let m = 0; m < this.moments.length; m++) {
          lo = Math.min(lo, this.path[2 * m + c]!);
          hi = Math.max(hi, this.path[2 * m + c]!);
        }
        const margin = PATH_MARGIN * Math.max(hi - lo, 1e-3);
        return linspace(lo - margin, hi + margin, n);
      };
      alphas = range(0);
      betas = range(1);
    }
    // The values the answer carries (float32), so a grid computed from the answer's plan elsewhere (the
    // page's threads) evaluates exactly the same points.
    alphas = Float64Array.from(Float32Array.from(alphas));
    betas = Float64Array.from(Float32Array.from(betas));
    this.grid = new LandscapeGrid(
      this.center,
      this.d![0],
      this.d![1],
      this.activation,
      this.x,
      this.labels,
      this.labels.length,
      { alphas, betas },
    );
    this.phase = 'grid';
  }

  private progress(): void {
    const now = this.clock.now();
    if (now - this.lastProgress < PROGRESS_MS) return;
    this.lastProgress = now;
    const total = this.spec.grid * this.spec.grid;
    this.post({
      type: 'loss-landscape-progress',
      request: this.spec.id,
      generation: this.generation,
      done: this.grid?.done ?? 0,
      total,
    });
  }

  private finish(): void {
    const grid = this.grid!;
    if (this.spec.planOnly) {
      const plan: LandscapePlan = {
        ...this.summary(grid),
        center: this.center,
        d1: this.d![0],
        d2: this.d![1],
        activation: this.activation,
        x: this.x,
        labels: this.labels,
      };
      const transfer = [plan.alphas, plan.betas, plan.path, plan.pathSteps, plan.x, plan.labels].map(
        (a) => a.buffer as ArrayBuffer,
      );
      this.post(
        { type: 'landscape-plan-result', id: this.spec.id, generation: this.generation, ...plan },
        transfer,
      );
      return;
    }
    const answer: LossLandscape = { ...this.summary(grid), losses: grid.losses };
    const transfer = [answer.alphas, answer.betas, answer.losses, answer.path, answer.pathSteps].map(
      (a) => a.buffer as ArrayBuffer,
    );
    this.post(
      { type: 'loss-landscape-result', id: this.spec.id, generation: this.generation, ...answer },
      transfer,
    );
  }

  /** What the answer says besides the losses. */
  private summary(grid: LandscapeGrid): Omit<LossLandscape, 'losses'> {
    return {
      plane: this.kind,
      explained: this.explained,
      alphas: Float32Array.from(grid.grid.alphas),
      betas: Float32Array.from(grid.grid.betas),
      path: this.path,
      pathSteps: Uint32Array.from(this.steps),
      step: this.step,
      images: this.labels.length,
      elapsedMs: this.clock.now() - this.started,
      workMs: this.workMs,
    };
  }

  fail(error: unknown): void {
    const message =
      error === undefined
        ? 'The landscape was cancelled.'
        : error instanceof Error
          ? error.message
          : String(error);
    this.post({ type: 'error', id: this.spec.id, error: { kind: 'landscape-cancelled', message } });
  }
}

function gramOfDirections([d1, d2]: [NetworkParams, NetworkParams]) {
  return { g11: dotParams(d1, d1), g12: dotParams(d1, d2), g22: dotParams(d2, d2) };
}
