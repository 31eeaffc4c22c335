/**
 * How different two plans are: the residents who change footprint when the second plan's
 * footprints are renamed to match the first's as well as possible. Footprint numbers carry no
 * meaning, so the renaming is the one that keeps the most residents in place: a maximum-weight
 * assignment on the k × k table of shared residents, solved by the Hungarian method (Kuhn 1955;
 * the O(k³) potentials form, as in Jonker and Volgenant 1987). Changed = total − kept.
 */
export interface PlanMatch {
  /** Residents in a footprint of the second plan other than the matched one of the first. */
  changed: number;
  /** Footprint of the first plan matched to each footprint of the second. */
  rename: Int32Array;
}

export function matchPlans(first: ArrayLike<number>, second: ArrayLike<number>, population: ArrayLike<number>, k: number): PlanMatch {
  const shared = new Float64Array(k * k);
  let total = 0;
  for (let v = 0; v < first.length; v++) {
    const a = first[v];
    const b = second[v];
    if (a < 0 || b < 0) continue;
    shared[b * k + a] += population[v];
    total += population[v];
  }
  const rename = maxWeightAssignment(shared, k);
  let kept = 0;
  for (let b = 0; b < k; b++) kept += shared[b * k + rename[b]];
  return { changed: Math.max(0, total - kept), rename };
}

/** The column of each row in a maximum-weight perfect assignment of a k × k table (row-major). */
export function maxWeightAssignment(weight: Float64Array, k: number): Int32Array {
  // Minimise −weight with the shortest-augmenting-path Hungarian method, 1-based with a dummy column 0.
  const u = new Float64Array(k + 1);
  const v = new Float64Array(k + 1);
  const rowOfColumn = new Int32Array(k + 1);
  const way = new Int32Array(k + 1);
  for (let i = 1; i <= k; i++) {
    rowOfColumn[0] = i;
    let j0 = 0;
    const minv = new Float64Array(k + 1).fill(Infinity);
    const used = new Uint8Array(k + 1);
    do {
      used[j0] = 1;
      const i0 = rowOfColumn[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= k; j++) {
        if (used[j]) continue;
        const cur = -weight[(i0 - 1) * k + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= k; j++) {
        if (used[j]) {
          u[rowOfColumn[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (rowOfColumn[j0] !== 0);
    do {
      const j1 = way[j0];
      rowOfColumn[j0] = rowOfColumn[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const column = new Int32Array(k);
  for (let j = 1; j <= k; j++) if (rowOfColumn[j] > 0) column[rowOfColumn[j] - 1] = j - 1;
  return column;
}
