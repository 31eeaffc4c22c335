import type { Problem } from '../plan/problem.js';
import { graphComponents } from '../plan/feasibility.js';
import type { Random } from './random.js';
import { randomSpanningTree, subtreeNodes, subtreePopulations } from './tree.js';

/**
 * A feasible start: split a random spanning tree into footprints one at a time, each cut leaving a
 * footprint within bounds and a remainder that can still hold the footprints left (ReCom's
 * bipartition, applied k−1 times). Pieces are contiguous by construction; locks decide labels.
 */
export function seedPlan(problem: Problem, random: Random, attempts = 200): Int32Array | null {
  const components = graphComponents(problem).map((nodes) => ({ nodes, population: nodes.reduce((s, v) => s + problem.population[v], 0) }));
  const counts = footprintsPerComponent(components.map((c) => c.population), problem);
  if (!counts) return null;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const pieces: number[][] = [];
    let failed = false;
    for (let c = 0; c < components.length && !failed; c++) {
      const split = splitComponent(problem, components[c].nodes, counts[c], random);
      if (!split) failed = true;
      else pieces.push(...split);
    }
    if (failed) continue;
    const assignment = labelPieces(problem, pieces);
    if (assignment) return assignment;
  }
  return null;
}

/** How many footprints each component holds: j·min ≤ P ≤ j·max, summing to k (first fit). */
function footprintsPerComponent(populations: number[], problem: Problem): number[] | null {
  const ranges = populations.map((p) => [Math.max(1, Math.ceil(p / problem.max)), Math.floor(p / problem.min)] as const);
  const out: number[] = [];
  const search = (i: number, left: number): boolean => {
    if (i === ranges.length) return left === 0;
    for (let j = ranges[i][0]; j <= Math.min(ranges[i][1], left); j++) {
      out[i] = j;
      if (search(i + 1, left - j)) return true;
    }
    return false;
  };
  return search(0, problem.k) ? out : null;
}

function lockLabels(problem: Problem, nodes: number[]): Set<number> {
  const labels = new Set<number>();
  for (const v of nodes) if (problem.locked[v] >= 0) labels.add(problem.locked[v]);
  return labels;
}

function splitComponent(problem: Problem, nodes: number[], count: number, random: Random): number[][] | null {
  const pieces: number[][] = [];
  let remaining = nodes;
  for (let r = count; r > 1; r--) {
    let piece: number[] | null = null;
    for (let tries = 0; tries < 20 && !piece; tries++) {
      const inSet = new Set(remaining);
      const tree = randomSpanningTree(problem, remaining, (v) => inSet.has(v), random);
      if (!tree) return null;
      const below = subtreePopulations(problem, tree);
      const total = below.get(tree.order[0])!;
      const candidates: Array<{ node: number; side: 'sub' | 'rest' }> = [];
      for (const v of tree.order.slice(1)) {
        const a = below.get(v)!;
        const b = total - a;
        if (a >= problem.min && a <= problem.max && b >= (r - 1) * problem.min && b <= (r - 1) * problem.max) candidates.push({ node: v, side: 'sub' });
        if (b >= problem.min && b <= problem.max && a >= (r - 1) * problem.min && a <= (r - 1) * problem.max) candidates.push({ node: v, side: 'rest' });
      }
      while (candidates.length > 0) {
        const i = random.int(candidates.length);
        const { node, side } = candidates[i];
        candidates.splice(i, 1);
        const sub = subtreeNodes(tree, node);
        const subSet = new Set(sub);
        const district = side === 'sub' ? sub : remaining.filter((v) => !subSet.has(v));
        if (lockLabels(problem, district).size > 1) continue;
        piece = district;
        const districtSet = new Set(district);
        remaining = remaining.filter((v) => !districtSet.has(v));
        break;
      }
    }
    if (!piece) return null;
    pieces.push(piece);
  }
  if (lockLabels(problem, remaining).size > 1) return null;
  pieces.push(remaining);
  return pieces;
}

/** Give locked pieces their footprint numbers and the rest the numbers left, in order. */
function labelPieces(problem: Problem, pieces: number[][]): Int32Array | null {
  const label = new Array<number>(pieces.length).fill(-1);
  const taken = new Set<number>();
  for (let i = 0; i < pieces.length; i++) {
    const labels = lockLabels(problem, pieces[i]);
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
