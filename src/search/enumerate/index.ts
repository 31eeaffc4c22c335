import type { Problem } from '../../plan/problem.js';

/**
 * Every feasible plan of a small problem, each met exactly once (docs/algorithms.md, "Trade-offs",
 * listing every plan). What explore builds proven frontiers and alternatives from, and a brute-force oracle
 * far larger than k^n labellings allow (Oldham's 20 wards, k 5; timings in docs/benchmarks.md).
 *
 * Footprints are carved one at a time, each the connected set holding the lowest node not yet
 * placed (so a partition is met once, its footprints numbered by their lowest node). The connected
 * sets holding a root are listed without repeats by the standard extension-set recursion (each
 * candidate is either taken, adding its free neighbours to the candidates, or barred for the rest of
 * that branch; Wernicke 2006, "Efficient detection of network motifs", ESU). A set is never grown
 * past the maximum (populations are ≥ 0, so no superset fits either). It is closed as a footprint
 * when it reaches the minimum and what is left can still be cut into the footprints owed: every
 * component R of the free nodes must take between ⌈pop(R)/max⌉ and ⌊pop(R)/min⌋ footprints, and
 * these ranges must admit the number owed. Locks are applied to each finished partition: parts
 * holding nodes locked to different footprints, or two parts locked to one, rule it out; otherwise
 * locked parts take their footprint and the others the lowest numbers left, in order.
 *
 * Term values are summed as footprints close: for each layer Σ_a max_f N(a,f) (the residents of
 * each area in its largest piece) with an undo stack, and the cut edges as all node-graph edges
 * less those inside footprints. S(L|F) = (N − Σ_a max_f N(a,f)) / N, as in plan/evaluate.ts.
 */
export interface EnumeratedPlans {
  n: number;
  k: number;
  /** Plans found. */
  count: number;
  /** Node-level plans, plan i at [i·n, (i+1)·n). */
  assignments: Int8Array;
  /** S(L|F) per layer (problem.layers order), per plan. */
  splits: Float64Array[];
  /** Cut edges / all unit edges, per plan. */
  compactness: Float64Array;
  /** Σ w_L S(L|F) + c · compactness, per plan. */
  objective: Float64Array;
  /** True when every plan was listed; false when the plan cap or the deadline stopped it first. */
  complete: boolean;
  /** Connected sets tried (for benchmarks). */
  steps: number;
}

export interface EnumerateOptions {
  /** Stop (complete: false) after this many plans (default 2,000,000). */
  maxPlans?: number;
  /** performance.now() time after which it stops (complete: false). */
  deadline?: number;
}

/** Above this many nodes explore does not try to enumerate (sets grow as 2^n in the worst case). */
export const ENUMERATE_NODE_LIMIT = 40;

export const DEFAULT_MAX_PLANS = 2_000_000;

/**
 * Over 120 lines on purpose: the recursion (carve, grow, restFits, close, leaf) shares its scratch arrays
 * and undo stack as closures over one frame, the hot path of a listing that visits millions of sets;
 * each step is its own named inner function, and splitting them across modules would pass that state
 * through every call.
 */
export function enumeratePlans(problem: Problem, options: EnumerateOptions = {}): EnumeratedPlans {
  const { n, k, min, max, population } = problem;
  if (k > 127) throw new RangeError('enumeratePlans: at most 127 footprints');
  const maxPlans = options.maxPlans ?? DEFAULT_MAX_PLANS;
  const out = new PlanStore(n, problem.layers.length);
  const assign = new Int8Array(n).fill(-1);
  const inSet = new Uint8Array(n);
  const barred = new Uint8Array(n);
  const members: number[] = [];
  // Per layer, per area: residents in the current footprint (scratch), and the largest piece so far.
  const scratch = problem.layers.map((l) => new Float64Array(l.areaIds.length));
  const largest = problem.layers.map((l) => new Float64Array(l.areaIds.length));
  const largestSum = new Float64Array(problem.layers.length);
  const undo: number[] = []; // triples: layer, area, previous value
  let edgesTotal = 0;
  for (let v = 0; v < n; v++) for (let i = problem.adjStart[v]; i < problem.adjStart[v + 1]; i++) if (problem.adjList[i] > v) edgesTotal += problem.adjEdges[i];
  let inside = 0;
  let steps = 0;
  let stopped = false;
  const labels = new Int8Array(n);
  const componentSeen = new Uint8Array(n);
  const queue = new Int32Array(n);

  /** Whether the free nodes outside the growing set can still be cut into `owed` footprints. */
  const restFits = (owed: number): boolean => {
    componentSeen.fill(0);
    let lo = 0;
    let hi = 0;
    for (let s = 0; s < n; s++) {
      if (assign[s] >= 0 || inSet[s] || componentSeen[s]) continue;
      let head = 0;
      let tail = 0;
      queue[tail++] = s;
      componentSeen[s] = 1;
      let pop = 0;
      while (head < tail) {
        const v = queue[head++];
        pop += population[v];
        for (let i = problem.adjStart[v]; i < problem.adjStart[v + 1]; i++) {
          const w = problem.adjList[i];
          if (assign[w] < 0 && !inSet[w] && !componentSeen[w]) {
            componentSeen[w] = 1;
            queue[tail++] = w;
          }
        }
      }
      const need = Math.ceil(pop / max - 1e-12);
      const room = min > 0 ? Math.floor(pop / min + 1e-12) : tail;
      if (need > room || need > owed) return false;
      lo += need;
      hi += Math.min(room, tail);
    }
    return lo <= owed && owed <= hi;
  };

  const close = (f: number): void => {
    // Term sums with this footprint placed.
    const mark = undo.length;
    const saved = largestSum.slice();
    problem.layers.forEach((layer, l) => {
      const acc = scratch[l];
      for (const v of members) for (let p = layer.start[v]; p < layer.start[v + 1]; p++) acc[layer.area[p]] += layer.pop[p];
      for (const v of members) {
        for (let p = layer.start[v]; p < layer.start[v + 1]; p++) {
          const a = layer.area[p];
          if (acc[a] === 0) continue;
          if (acc[a] > largest[l][a]) {
            undo.push(l, a, largest[l][a]);
            largestSum[l] += acc[a] - largest[l][a];
            largest[l][a] = acc[a];
          }
          acc[a] = 0;
        }
      }
    });
    let own = 0;
    for (const v of members) for (let i = problem.adjStart[v]; i < problem.adjStart[v + 1]; i++) if (inSet[problem.adjList[i]] && problem.adjList[i] > v) own += problem.adjEdges[i];
    inside += own;
    const placed = members.slice();
    for (const v of placed) {
      assign[v] = f;
      inSet[v] = 0;
    }
    members.length = 0;
    carve(f + 1);
    for (const v of placed) {
      assign[v] = -1;
      inSet[v] = 1;
    }
    members.push(...placed);
    inside -= own;
    while (undo.length > mark) {
      const previous = undo.pop()!;
      const a = undo.pop()!;
      const l = undo.pop()!;
      largest[l][a] = previous;
    }
    largestSum.set(saved);
  };

  const leaf = (): void => {
    if (!lockLabels(problem, assign, labels)) return;
    const splits = problem.layers.map((layer, l) => (layer.total > 0 ? Math.max(0, (layer.total - largestSum[l]) / layer.total) : 0));
    const compactness = problem.unitEdges > 0 ? (edgesTotal - inside) / problem.unitEdges : 0;
    out.push(labels, splits, compactness, splits.reduce((s, x, l) => s + problem.layers[l].weight * x, 0) + problem.compactnessWeight * compactness);
    if (out.count >= maxPlans) stopped = true;
  };

  /** Grow the set holding `members` from the candidates `ext` (free, not barred, not in the set). */
  const grow = (f: number, ext: number[], pop: number): void => {
    if (stopped) return;
    if (++steps % 4096 === 0 && options.deadline !== undefined && performance.now() > options.deadline) stopped = true;
    if (pop >= min && restFits(k - f - 1)) close(f);
    const barredHere: number[] = [];
    for (let i = ext.length - 1; i >= 0 && !stopped; i--) {
      const v = ext[i];
      if (pop + population[v] <= max) {
        inSet[v] = 1;
        members.push(v);
        const next = ext.slice(0, i);
        for (let j = problem.adjStart[v]; j < problem.adjStart[v + 1]; j++) {
          const w = problem.adjList[j];
          if (assign[w] < 0 && !inSet[w] && !barred[w] && !next.includes(w)) next.push(w);
        }
        grow(f, next, pop + population[v]);
        members.pop();
        inSet[v] = 0;
      }
      barred[v] = 1;
      barredHere.push(v);
    }
    for (const v of barredHere) barred[v] = 0;
  };

  const carve = (f: number): void => {
    let root = 0;
    while (root < n && assign[root] >= 0) root++;
    if (root === n) {
      if (f === k) leaf();
      return;
    }
    if (f === k) return;
    // Bars belong to the footprint being grown: the next one starts with none, and the bars are back after.
    const bars = barred.slice();
    barred.fill(0);
    inSet[root] = 1;
    members.push(root);
    const ext: number[] = [];
    for (let j = problem.adjStart[root]; j < problem.adjStart[root + 1]; j++) {
      const w = problem.adjList[j];
      if (assign[w] < 0 && !ext.includes(w)) ext.push(w);
    }
    grow(f, ext, population[root]);
    members.pop();
    inSet[root] = 0;
    barred.set(bars);
  };

  if (n >= k) carve(0);
  return { n, k, ...out.finish(), complete: !stopped, steps };
}

/**
 * Footprint numbers for a finished partition (parts numbered 0…k−1 by their lowest node) under the
 * problem's locks, into `labels`; false when the locks rule the partition out.
 */
function lockLabels(problem: Problem, parts: Int8Array, labels: Int8Array): boolean {
  const k = problem.k;
  const lockOfPart = new Int32Array(k).fill(-1);
  let anyLock = false;
  for (let v = 0; v < problem.n; v++) {
    const lock = problem.locked[v];
    if (lock < 0) continue;
    anyLock = true;
    const part = parts[v];
    if (lockOfPart[part] >= 0 && lockOfPart[part] !== lock) return false;
    lockOfPart[part] = lock;
  }
  if (!anyLock) {
    labels.set(parts);
    return true;
  }
  const used = new Uint8Array(k);
  for (const lock of lockOfPart) {
    if (lock < 0) continue;
    if (used[lock]) return false;
    used[lock] = 1;
  }
  let next = 0;
  for (let part = 0; part < k; part++) {
    if (lockOfPart[part] >= 0) continue;
    while (used[next]) next++;
    lockOfPart[part] = next;
    used[next] = 1;
  }
  for (let v = 0; v < problem.n; v++) labels[v] = lockOfPart[parts[v]];
  return true;
}

/** Growable columns of plans and their term values. */
class PlanStore {
  count = 0;
  private capacity = 1024;
  private assignments: Int8Array;
  private splits: Float64Array[];
  private compactness: Float64Array;
  private objective: Float64Array;

  constructor(
    private readonly n: number,
    layers: number,
  ) {
    this.assignments = new Int8Array(this.capacity * n);
    this.splits = Array.from({ length: layers }, () => new Float64Array(this.capacity));
    this.compactness = new Float64Array(this.capacity);
    this.objective = new Float64Array(this.capacity);
  }

  push(plan: Int8Array, splits: number[], compactness: number, objective: number): void {
    if (this.count === this.capacity) this.grow();
    this.assignments.set(plan, this.count * this.n);
    splits.forEach((s, l) => (this.splits[l][this.count] = s));
    this.compactness[this.count] = compactness;
    this.objective[this.count] = objective;
    this.count++;
  }

  private grow(): void {
    this.capacity *= 2;
    const widen = <T extends Int8Array | Float64Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (size: number) => T)(size);
      b.set(a);
      return b;
    };
    this.assignments = widen(this.assignments, this.capacity * this.n);
    this.splits = this.splits.map((s) => widen(s, this.capacity));
    this.compactness = widen(this.compactness, this.capacity);
    this.objective = widen(this.objective, this.capacity);
  }

  finish(): Pick<EnumeratedPlans, 'count' | 'assignments' | 'splits' | 'compactness' | 'objective'> {
    const c = this.count;
    return {
      count: c,
      assignments: this.assignments.slice(0, c * this.n),
      splits: this.splits.map((s) => s.slice(0, c)),
      compactness: this.compactness.slice(0, c),
      objective: this.objective.slice(0, c),
    };
  }
}
