/**
 * A dense layer's two big products behind one call each, so network.ts never picks a kernel:
 *   forward      z[B, out] = x[B, in] · W[out, in]ᵀ + b
 *   weightGrad   dW[out, in] = dz[B, out]ᵀ · x[B, in]
 * Hidden layers always take the dense kernels (dense.ts). The first layer sees raw pixels, mostly exact
 * zeros on MNIST, so it chooses per batch between the dense and the sparse kernels (sparse.ts) by
 * counting the work each would do. Sizes follow dense.ts: (rows of the result, its columns, shared).
 */
import { gemmABt, gemmAtB, put } from './dense.ts';
import {
  buildColumnBlockRows,
  buildRowNonzeros,
  sparseBlocksAtB,
  sparseOuterAtB,
  sparseRowsABt,
} from './sparse.ts';

/**
 * The first layer's forward skips zero inputs when at most this fraction of them is non-zero. Measured
 * for 784→128 at batch 64 (AMD EPYC, one thread): on Fashion-MNIST pixels (50 % non-zero) sparseRowsABt
 * takes 2.85 ms against gemmABt's 3.26 ms, on MNIST's (19 %) 1.17 ms — a break-even near 0.57, so
 * Fashion-MNIST's batches (45–55 % non-zero) take the sparse kernel. (It was 0.45, from an older
 * measurement: Fashion-MNIST then ran the dense kernel in 93 % of batches.)
 */
export const SPARSE_FORWARD_MAX_DENSITY = 0.55;
/**
 * The first layer's weight gradient skips (sample, 4-pixel block) pairs that are all zero when at most
 * this fraction of pairs remains (the indexed tiles run nearly as fast as dense ones; MNIST: ~0.28).
 */
export const SPARSE_GRAD_MAX_BLOCK_FRACTION = 0.85;

/**
 * Relative cost of one multiply-add of sparseOuterAtB (a read-modify-write of memory) to one of the
 * register-tiled kernels: measured ~2.7 on 784→128 at batch 64 over MNIST pixels, with dz 35 % and 50 %
 * zeros (break-even near 45 % zeros; a trained ReLU layer here has 30–50 %). The first layer's weight
 * gradient uses the outer-product form when its work × this factor is the smallest.
 */
export const SCATTER_COST = 2.75;

/** Which first-layer kernels the last forward / backward chose (for benchmarks and tests). */
export interface FirstLayerKernels {
  forward: 'dense' | 'sparse-rows';
  weightGrad: 'dense' | 'sparse-blocks' | 'sparse-outer';
}

/** The products of one layer with weights W [outSize, inSize]; `batch` rows of input. */
export interface LayerProducts {
  /** z ← x · Wᵀ + b.  @param x [batch, inSize]  @param z [batch, outSize] (overwritten) */
  forward(x: Float32Array, w: Float32Array, b: Float32Array, z: Float32Array, batch: number): void;
  /**
   * dW ← dzᵀ · x, x being the input of this layer's last forward — or, with `add`, dW ← dW + dzᵀ · x with
   * the product rounded to float32 before it is added (dense.ts' put): the bits of a buffer of its own
   * added in afterwards.
   * @param dz [batch, outSize]  @param x [batch, inSize]  @param dW [outSize, inSize] (overwritten)
   */
  weightGrad(dz: Float32Array, x: Float32Array, dW: Float32Array, batch: number, add?: boolean): void;
}

/** The register-tiled dense kernels, for any layer. */
export class DenseProducts implements LayerProducts {
  constructor(
    readonly inSize: number,
    readonly outSize: number,
  ) {}

  forward(x: Float32Array, w: Float32Array, b: Float32Array, z: Float32Array, batch: number): void {
    gemmABt(x, w, z, batch, this.outSize, this.inSize, b);
  }

  weightGrad(dz: Float32Array, x: Float32Array, dW: Float32Array, batch: number, add = false): void {
    gemmAtB(dz, x, dW, this.outSize, this.inSize, batch, add);
  }
}

/**
 * For a layer whose input is mostly exact zeros (the first layer on pixels): per batch, the cheapest of
 * the dense and the sparse kernels, chosen by counting the work each would do. Index buffers for up to
 * `maxBatch` rows are allocated once here. The row index forward builds for x is reused by weightGrad,
 * so weightGrad must be given the same x as the last forward.
 */
export class SparseInputProducts implements LayerProducts {
  /** The kernels chosen by the last forward and weightGrad. */
  readonly choice: FirstLayerKernels = { forward: 'dense', weightGrad: 'dense' };
  /** Non-zero columns per row of the last forward's input (buildRowNonzeros). */
  private readonly rowNonzeros: Uint16Array;
  private readonly rowNonzeroCount: Int32Array;
  /** Those non-zero values, packed as rowNonzeros (what sparseRowsABt reads). */
  private readonly rowNonzeroValues: Float32Array;
  /** Rows with a non-zero per 4-column block of the input (buildColumnBlockRows), built in weightGrad. */
  private readonly blockRows: Uint16Array;
  private readonly blockRowCount: Int32Array;
  /** Non-zeros of dz per row, and scratch for the packed input values (sparseOuterAtB). */
  private readonly deltaNonzeros: Uint16Array;
  private readonly deltaNonzeroCount: Int32Array;
  private readonly packedInput: Float32Array;
  /** Scratch of sparseBlocksAtB: one block's listed input values and those rows' offsets into dz. */
  private readonly packedBlock: Float32Array;
  private readonly blockRowOffsets: Int32Array;
  /** sparseOuterAtB's product when it is to be added to dW (made the first time it is). */
  private outerSum: Float32Array | null = null;

  constructor(
    readonly inSize: number,
    readonly outSize: number,
    maxBatch: number,
  ) {
    // The sparse indices are Uint16 (half the memory of Int32): column, row and unit indices must stay
    // below 65 536, which LIMITS guarantees (maxInputSize, maxBatchSize, maxLayerSize).
    if (inSize > 65_536 || maxBatch > 65_536 || outSize > 65_536) {
      throw new Error('Network: sizes above 65 536 need wider sparse indices');
    }
    const blocks = (inSize + 3) >> 2;
    this.rowNonzeros = new Uint16Array(maxBatch * inSize);
    this.rowNonzeroCount = new Int32Array(maxBatch);
    this.rowNonzeroValues = new Float32Array(maxBatch * inSize);
    this.blockRows = new Uint16Array(blocks * maxBatch);
    this.blockRowCount = new Int32Array(blocks);
    this.deltaNonzeros = new Uint16Array(maxBatch * outSize);
    this.deltaNonzeroCount = new Int32Array(maxBatch);
    this.packedInput = new Float32Array(maxBatch * inSize);
    this.packedBlock = new Float32Array(4 * maxBatch);
    this.blockRowOffsets = new Int32Array(maxBatch);
  }

  /** Skips zero inputs when at most SPARSE_FORWARD_MAX_DENSITY of them are non-zero, else the dense kernel. */
  forward(x: Float32Array, w: Float32Array, b: Float32Array, z: Float32Array, batch: number): void {
    const k = this.inSize;
    const values = this.rowNonzeroValues;
    const nz = buildRowNonzeros(x, batch, k, this.rowNonzeros, this.rowNonzeroCount, values);
    this.choice.forward = nz <= SPARSE_FORWARD_MAX_DENSITY * batch * k ? 'sparse-rows' : 'dense';
    if (this.choice.forward === 'sparse-rows') {
      sparseRowsABt(values, this.rowNonzeros, this.rowNonzeroCount, w, z, batch, this.outSize, k, b);
    } else {
      gemmABt(x, w, z, batch, this.outSize, k, b);
    }
  }

  /**
   * The cheapest of three kernels: dense tiles (gemmAtB); tiles over the samples whose 4-pixel block is
   * non-zero (sparseBlocksAtB); or sparse outer products of each sample's non-zero dz (ReLU) and non-zero
   * pixels (sparseOuterAtB). With `add`, added to dW (see LayerProducts.weightGrad).
   */
  weightGrad(dz: Float32Array, x: Float32Array, dW: Float32Array, batch: number, add = false): void {
    const k = this.inSize;
    const m = this.outSize;
    buildRowNonzeros(dz, batch, m, this.deltaNonzeros, this.deltaNonzeroCount);
    let outerWork = 0;
    for (let b = 0; b < batch; b++) outerWork += this.deltaNonzeroCount[b]! * this.rowNonzeroCount[b]!;
    const pairs = buildColumnBlockRows(x, batch, k, this.blockRows, this.blockRowCount);
    const denseWork = batch * k * m;
    const blockWork =
      pairs <= SPARSE_GRAD_MAX_BLOCK_FRACTION * batch * ((k + 3) >> 2) ? pairs * 4 * m : Infinity;
    if (outerWork * SCATTER_COST < Math.min(denseWork, blockWork)) {
      this.choice.weightGrad = 'sparse-outer';
      // It sums in dW itself, term by term in float32: to be added, the product needs a buffer of its own.
      const out = add ? (this.outerSum ??= new Float32Array(m * k)) : dW;
      sparseOuterAtB(
        dz,
        this.deltaNonzeros,
        this.deltaNonzeroCount,
        x,
        this.rowNonzeros,
        this.rowNonzeroCount,
        this.packedInput,
        out,
        m,
        k,
        batch,
      );
      if (add) for (let i = 0; i < m * k; i++) put(dW, i, out[i]!, true);
    } else if (blockWork < denseWork) {
      this.choice.weightGrad = 'sparse-blocks';
      sparseBlocksAtB(
        dz,
        x,
        this.blockRows,
        this.blockRowCount,
        dW,
        m,
        k,
        batch,
        this.packedBlock,
        this.blockRowOffsets,
        add,
      );
    } else {
      this.choice.weightGrad = 'dense';
      gemmAtB(dz, x, dW, m, k, batch, add);
    }
  }
}
