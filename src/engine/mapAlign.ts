/**
 * Keeps consecutive representation maps in register. PCA's directions are defined up to sign (and, when two
 * variances are close, up to a rotation), so a live map would flip from one update to the next. Orthogonal
 * Procrustes: the rotation or reflection R (2×2) that brings the new coordinates P closest to the previous
 * ones Q over the same points, min ‖P·R − Q‖², i.e. max trace(Rᵀ·PᵀQ). No scaling: the map keeps its units.
 */

/** Row-major [r00, r01, r10, r11]: a point (x, y) goes to (x·r00 + y·r10, x·r01 + y·r11). */
export type Mat2 = [number, number, number, number];

export const IDENTITY: Mat2 = [1, 0, 0, 1];

/**
 * The orthogonal R minimising ‖P·R − Q‖ for two maps of the same n points ([n · 2] each). Rotations
 * R = [[c, −s], [s, c]] give trace(RᵀM) = c(M₀₀ + M₁₁) + s(M₁₀ − M₀₁), reflections R = [[c, s], [s, −c]]
 * give c(M₀₀ − M₁₁) + s(M₁₀ + M₀₁), with M = PᵀQ; each is largest at its own angle — take the better.
 */
export function procrustes2(p: Float32Array, q: Float32Array, n: number): Mat2 {
  let m00 = 0;
  let m01 = 0;
  let m10 = 0;
  let m11 = 0;
  for (let i = 0; i < n; i++) {
    const px = p[2 * i]!;
    const py = p[2 * i + 1]!;
    const qx = q[2 * i]!;
    const qy = q[2 * i + 1]!;
    m00 += px * qx;
    m01 += px * qy;
    m10 += py * qx;
    m11 += py * qy;
  }
  const rot = Math.hypot(m00 + m11, m10 - m01);
  const ref = Math.hypot(m00 - m11, m10 + m01);
  if (rot === 0 && ref === 0) return [...IDENTITY];
  if (rot >= ref) {
    const phi = Math.atan2(m10 - m01, m00 + m11);
    const c = Math.cos(phi);
    const s = Math.sin(phi);
    return [c, -s, s, c];
  }
  const phi = Math.atan2(m10 + m01, m00 - m11);
  const c = Math.cos(phi);
  const s = Math.sin(phi);
  return [c, s, s, -c];
}

/** Applies R to every point of `coords` [n · 2], in place. */
export function applyToPoints(coords: Float32Array, r: Mat2): void {
  for (let i = 0; i + 1 < coords.length; i += 2) {
    const x = coords[i]!;
    const y = coords[i + 1]!;
    coords[i] = x * r[0] + y * r[2];
    coords[i + 1] = x * r[1] + y * r[3];
  }
}

/**
 * The map's two directions after R (the columns of [axis0 axis1]·R), so that projecting a new point with
 * them gives the aligned coordinates.
 */
export function applyToAxes(axes: [Float32Array, Float32Array], r: Mat2): [Float32Array, Float32Array] {
  const [a, b] = axes;
  const out0 = new Float32Array(a.length);
  const out1 = new Float32Array(a.length);
  for (let j = 0; j < a.length; j++) {
    out0[j] = a[j]! * r[0] + b[j]! * r[2];
    out1[j] = a[j]! * r[1] + b[j]! * r[3];
  }
  return [out0, out1];
}
