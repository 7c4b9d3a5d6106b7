/**
 * How well a 2-D map separates the classes, as one number: the accuracy of a k-nearest-neighbour vote in the
 * map, leave one out — each point is given the majority class of its k nearest other points (Euclidean, in
 * the map's own coordinates) and counted right when that is its label. Pixels of MNIST score ~0.4 on a PCA
 * map, a trained network's last layers ~0.7: the climb from layer to layer is what a hidden layer is for.
 */

/** Neighbours that vote (the 5-NN). */
export const MAP_NEIGHBOURS = 5;

/**
 * Leave-one-out k-NN accuracy over `n` points. A tie in the vote goes to the tied class whose member is
 * nearest. Brute force, n² distances: 4 million for the map's 2,000 points, a few ms.
 * @param coords [n · 2]
 * @param labels [n] class of each point
 */
export function knnAccuracy(
  coords: Float32Array,
  labels: ArrayLike<number>,
  n: number,
  k = MAP_NEIGHBOURS,
): number {
  if (n < 2) return 0;
  const kk = Math.min(k, n - 1);
  const bestD = new Float64Array(kk);
  const bestI = new Int32Array(kk);
  const votes = new Map<number, number>();
  let correct = 0;
  for (let i = 0; i < n; i++) {
    bestD.fill(Infinity);
    bestI.fill(-1);
    const x = coords[2 * i]!;
    const y = coords[2 * i + 1]!;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = coords[2 * j]! - x;
      const dy = coords[2 * j + 1]! - y;
      const d = dx * dx + dy * dy;
      if (d >= bestD[kk - 1]!) continue;
      // Insert into the sorted list of the k nearest (ties keep the lower index first).
      let p = kk - 1;
      while (p > 0 && bestD[p - 1]! > d) {
        bestD[p] = bestD[p - 1]!;
        bestI[p] = bestI[p - 1]!;
        p--;
      }
      bestD[p] = d;
      bestI[p] = j;
    }
    votes.clear();
    let top = 0;
    for (let p = 0; p < kk; p++) {
      const c = labels[bestI[p]!]!;
      const v = (votes.get(c) ?? 0) + 1;
      votes.set(c, v);
      top = Math.max(top, v);
    }
    // The nearest neighbour whose class has the most votes decides (the list is sorted by distance).
    let vote = -1;
    for (let p = 0; p < kk && vote < 0; p++) {
      const c = labels[bestI[p]!]!;
      if (votes.get(c) === top) vote = c;
    }
    if (vote === labels[i]) correct++;
  }
  return correct / n;
}
