import { graphComponents } from '../../plan/feasibility.js';
import type { Problem } from '../../plan/problem.js';
import type { Random } from '../random.js';
import { repairPopulations } from './repair.js';
import { SpanningTrees } from './tree.js';

/**
 * A feasible start by recursive bisection of random spanning trees (ReCom's seeding): a connected
 * set meant to hold r footprints is cut at the tree edge whose two sides can best hold r₁ and r − r₁
 * footprints, preferring halves, and each side is cut again until every piece holds one. Every
 * piece is contiguous by construction. Cutting halves rather than one footprint at a time matters:
 * peeling footprints off one by one lets the remainder drift to the edge of its bounds until no
 * cut fits (on a 1,700-unit city region with k = 60 that happened at r ≈ 13 in most attempts),
 * while each half keeps the mean population per footprint of its parent. Where no tree edge gives
 * both sides populations they can hold, the closest cut is taken and the population repair
 * (repair.ts) moves units along the boundaries until every footprint is within bounds.
 */
export interface Start {
  /** A plan within bounds, or null when none was reached. */
  assignment: Int32Array | null;
  /** Of the closest attempt: residents beyond the bounds in all (0 for a plan within bounds). */
  deviation: number;
  /** Of the closest attempt: footprints outside the bounds. */
  outside: number;
}

/** Spanning trees drawn per cut before settling for a cut that leaves a side outside its bounds. */
const TREES_PER_CUT = 8;
/** Seed-and-repair attempts of one restart before it gives up. */
const ATTEMPTS = 3;

export interface StartOptions {
  attempts?: number;
  /** performance.now() time after which no new attempt starts and the repair stops. */
  deadline?: number;
  /** Repair moves per attempt (default: see repair.ts). */
  repairMoves?: number;
}

/** Seed, then repair populations; a few attempts from fresh trees, stopping at the deadline. */
export function feasibleStart(problem: Problem, random: Random, options: StartOptions = {}): Start {
  const seeder = new Seeder(problem);
  let best: Start = { assignment: null, deviation: Infinity, outside: problem.k };
  const attempts = options.attempts ?? ATTEMPTS;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0 && options.deadline !== undefined && performance.now() > options.deadline) break;
    const partition = seeder.partition(random);
    if (!partition) continue;
    const repaired = repairPopulations(problem, partition, random, { deadline: options.deadline, moves: options.repairMoves, trees: seeder.trees });
    if (repaired.deviation === 0) return { assignment: repaired.assignment, deviation: 0, outside: 0 };
    if (repaired.deviation < best.deviation) best = { assignment: null, deviation: repaired.deviation, outside: repaired.outside };
  }
  return best;
}

/** A plan within bounds from a fresh start, or null (the form tests and callers without a deadline want). */
export function seedPlan(problem: Problem, random: Random, attempts = ATTEMPTS): Int32Array | null {
  return feasibleStart(problem, random, { attempts }).assignment;
}

/**
 * k contiguous pieces by recursive bisection, labelled so that locked nodes sit in their footprint;
 * populations may be outside the bounds where no tree offered a cut within them. Null only when
 * the locks could not be honoured.
 */
export function seedPartition(problem: Problem, random: Random): Int32Array | null {
  return new Seeder(problem).partition(random);
}

interface Cut {
  viol: number;
  unbalanced: number;
  spread: number;
  sub: Int32Array;
  rest: Int32Array;
  r1: number;
}

class Seeder {
  readonly trees: SpanningTrees;
  private readonly problem: Problem;
  private readonly below: Float64Array;
  private readonly count: Int32Array;
  private readonly mark: Int32Array;
  private stamp = 0;

  constructor(problem: Problem) {
    this.problem = problem;
    this.trees = new SpanningTrees(problem);
    this.below = new Float64Array(problem.n);
    this.count = new Int32Array(problem.n);
    this.mark = new Int32Array(problem.n);
  }

  partition(random: Random): Int32Array | null {
    const p = this.problem;
    const components = graphComponents(p);
    const counts = footprintsPerComponent(
      components.map((c) => c.reduce((s, v) => s + p.population[v], 0)),
      components.map((c) => c.length),
      p,
    );
    if (!counts) return null;
    const pieces: Int32Array[] = [];
    const work: Array<{ nodes: Int32Array; r: number }> = components.map((nodes, c) => ({ nodes: Int32Array.from(nodes), r: counts[c] }));
    while (work.length > 0) {
      const { nodes, r } = work.pop()!;
      if (r === 1) {
        pieces.push(nodes);
        continue;
      }
      const cut = this.bestCut(nodes, r, random);
      if (!cut) return null;
      work.push({ nodes: cut.sub, r: cut.r1 }, { nodes: cut.rest, r: r - cut.r1 });
    }
    return labelPieces(p, pieces);
  }

  /**
   * The best cut of a few random spanning trees of `nodes`, ranked by the residents the two sides
   * would be outside what r₁ and r − r₁ footprints can hold, then by balance (sides of a third to
   * two thirds keep the recursion shallow), then by how far the sides' mean footprint populations
   * stray from the middle of the bounds (the slack their own cuts will have).
   */
  private bestCut(nodes: Int32Array, r: number, random: Random): Cut | null {
    const p = this.problem;
    const { min, max } = p;
    const mid = (min + max) / 2;
    const size = nodes.length;
    let total = 0;
    for (const v of nodes) total += p.population[v];
    const mean = total / r;
    const locks = lockTotals(p, nodes);
    let best: Cut | null = null;
    for (let t = 0; t < TREES_PER_CUT && !(best && best.viol === 0); t++) {
      const trees = this.trees;
      if (!trees.draw(nodes, random)) return best;
      const { order, parent } = trees;
      for (let i = 0; i < size; i++) {
        this.below[order[i]] = p.population[order[i]];
        this.count[order[i]] = 1;
      }
      for (let i = size - 1; i > 0; i--) {
        const v = order[i];
        this.below[parent[v]] += this.below[v];
        this.count[parent[v]] += this.count[v];
      }
      const labelsBelow = locks ? lockLabelsBelow(p, order, parent, size) : null;
      let found: { v: number; r1: number; viol: number; unbalanced: number; spread: number } | null = null;
      for (let i = 1; i < size; i++) {
        const v = order[i];
        const a = this.below[v];
        const m = this.count[v];
        const b = total - a;
        let lo = Math.max(1, r - (size - m));
        let hi = Math.min(m, r - 1);
        if (locks && labelsBelow) {
          const sub = labelsBelow[i];
          const inSub = sub ? sub.size : 0;
          if (sub && [...sub].some(([label, c]) => c !== locks.get(label))) continue;
          lo = Math.max(lo, inSub);
          hi = Math.min(hi, r - (locks.size - inSub));
        }
        if (lo > hi) continue;
        const ideal = a / mean;
        for (const candidate of [Math.floor(ideal), Math.ceil(ideal)]) {
          const r1 = Math.min(hi, Math.max(lo, candidate));
          const r2 = r - r1;
          const viol = outside(a, r1, min, max) + outside(b, r2, min, max);
          const unbalanced = r >= 4 && (3 * r1 < r || 3 * r1 > 2 * r) ? 1 : 0;
          const spread = Math.max(Math.abs(a / r1 - mid), Math.abs(b / r2 - mid));
          if (!found || better(viol, unbalanced, spread, found)) found = { v, r1, viol, unbalanced, spread };
        }
      }
      if (found && (!best || better(found.viol, found.unbalanced, found.spread, best))) {
        const mark = ++this.stamp;
        this.mark[found.v] = mark;
        for (let i = 1; i < size; i++) if (this.mark[parent[order[i]]] === mark) this.mark[order[i]] = mark;
        const sub = new Int32Array(this.count[found.v]);
        const rest = new Int32Array(size - sub.length);
        let s = 0;
        let q = 0;
        // Both sides keep the parent's node order, so a side's tree root is deterministic.
        for (const v of nodes) {
          if (this.mark[v] === mark) sub[s++] = v;
          else rest[q++] = v;
        }
        best = { viol: found.viol, unbalanced: found.unbalanced, spread: found.spread, sub, rest, r1: found.r1 };
      }
    }
    return best;
  }
}

function better(viol: number, unbalanced: number, spread: number, than: { viol: number; unbalanced: number; spread: number }): boolean {
  if (viol !== than.viol) return viol < than.viol;
  if (unbalanced !== than.unbalanced) return unbalanced < than.unbalanced;
  return spread < than.spread;
}

/** Residents by which a population is outside what j footprints can hold. */
function outside(population: number, j: number, min: number, max: number): number {
  return Math.max(0, j * min - population) + Math.max(0, population - j * max);
}

/** Locked nodes per footprint label among `nodes`, or null when none is locked. */
function lockTotals(problem: Problem, nodes: Int32Array): Map<number, number> | null {
  let totals: Map<number, number> | null = null;
  for (const v of nodes) {
    const f = problem.locked[v];
    if (f < 0) continue;
    totals ??= new Map();
    totals.set(f, (totals.get(f) ?? 0) + 1);
  }
  return totals;
}

/** Per tree position: locked nodes per label in the subtree (merged small into large; locks are few). */
function lockLabelsBelow(problem: Problem, order: Int32Array, parent: Int32Array, size: number): Array<Map<number, number> | undefined> {
  const position = new Map<number, number>();
  for (let i = 0; i < size; i++) position.set(order[i], i);
  const out: Array<Map<number, number> | undefined> = new Array(size);
  for (let i = 0; i < size; i++) {
    const f = problem.locked[order[i]];
    if (f >= 0) out[i] = new Map([[f, 1]]);
  }
  for (let i = size - 1; i > 0; i--) {
    const mine = out[i];
    if (!mine) continue;
    const up = position.get(parent[order[i]])!;
    const theirs = out[up];
    if (!theirs) {
      out[up] = new Map(mine);
      continue;
    }
    const [small, large] = theirs.size < mine.size ? [theirs, new Map(mine)] : [mine, theirs];
    for (const [label, c] of small) large.set(label, (large.get(label) ?? 0) + c);
    out[up] = large;
  }
  return out;
}

/** How many footprints each component holds: j·min ≤ P ≤ j·max and j ≤ its nodes, summing to k. */
function footprintsPerComponent(populations: number[], sizes: number[], problem: Problem): number[] | null {
  const ranges = populations.map((p, c) => [Math.max(1, Math.ceil(p / problem.max)), Math.min(sizes[c], Math.floor(p / problem.min))] as const);
  const out: number[] = [];
  // Memoised on (component, footprints left): components can be many (islands), so plain backtracking could explode.
  const dead = new Set<number>();
  const search = (i: number, left: number): boolean => {
    if (i === ranges.length) return left === 0;
    if (dead.has(i * (problem.k + 1) + left)) return false;
    for (let j = ranges[i][0]; j <= Math.min(ranges[i][1], left); j++) {
      out[i] = j;
      if (search(i + 1, left - j)) return true;
    }
    dead.add(i * (problem.k + 1) + left);
    return false;
  };
  return search(0, problem.k) ? out : null;
}

/** Give locked pieces their footprint numbers and the rest the numbers left, in order. */
function labelPieces(problem: Problem, pieces: Int32Array[]): Int32Array | null {
  const label = new Array<number>(pieces.length).fill(-1);
  const taken = new Set<number>();
  for (let i = 0; i < pieces.length; i++) {
    const labels = new Set<number>();
    for (const v of pieces[i]) if (problem.locked[v] >= 0) labels.add(problem.locked[v]);
    if (labels.size > 1) return null;
    if (labels.size === 1) {
      const f = [...labels][0];
      if (taken.has(f)) return null;
      taken.add(f);
      label[i] = f;
    }
  }
  let next = 0;
  for (let i = 0; i < pieces.length; i++) {
    if (label[i] >= 0) continue;
    while (taken.has(next)) next++;
    label[i] = next;
    taken.add(next);
  }
  const assignment = new Int32Array(problem.n);
  pieces.forEach((piece, i) => piece.forEach((v) => (assignment[v] = label[i])));
  return assignment;
}
