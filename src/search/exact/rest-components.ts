import type { Problem } from '../../plan/problem.js';

/**
 * The number of components of the unassigned nodes (label −1) when they can hold exactly `owed`
 * footprints between them, −1 when they cannot: a component of population p holds between
 * ⌈p / max⌉ and ⌊p / min⌋ footprints. Components are visited from the first free node in `order`.
 */
export function restComponents(problem: Problem, order: number[], label: Int32Array, owed: number): number {
  const { n, min, max } = problem;
  const pop = problem.population;
  const seen = new Uint8Array(n);
  let lo = 0;
  let hi = 0;
  let components = 0;
  for (const s of order) {
    if (label[s] >= 0 || seen[s]) continue;
    let p = 0;
    const stack = [s];
    seen[s] = 1;
    while (stack.length > 0) {
      const v = stack.pop()!;
      p += pop[v];
      for (let j = problem.adjStart[v]; j < problem.adjStart[v + 1]; j++) {
        const w = problem.adjList[j];
        if (label[w] < 0 && !seen[w]) {
          seen[w] = 1;
          stack.push(w);
        }
      }
    }
    const jLo = Math.ceil(p / max - 1e-9);
    const jHi = Math.floor(p / min + 1e-9);
    if (jLo > jHi || jHi === 0) return -1;
    components++;
    lo += jLo;
    hi += jHi;
  }
  return owed >= lo && owed <= hi ? components : -1;
}
