import type { Problem } from './problem.js';
import { formatInteger, formatNumber } from '../format.js';
import { connectedComponents } from '../geometry/components.js';

export interface Evaluation {
  /** S(L|F) per layer, in problem.layers order. */
  splits: number[];
  /** Cut edges / all edges of the unit graph. */
  compactness: number;
  /** Σ weight_L · S(L|F) + compactnessWeight · compactness. */
  objective: number;
  populations: number[];
}

/**
 * The objective from scratch, straight from its definition (architecture.md): the reference the
 * incremental state is tested against, and what reports print. Nodes assigned −1 (a plan read
 * from a file that leaves units out) are left out of every term.
 */
export function evaluatePlan(problem: Problem, nodeAssignment: ArrayLike<number>): Evaluation {
  const k = problem.k;
  const splits = problem.layers.map((layer) => {
    const table = new Map<number, Float64Array>();
    for (let v = 0; v < problem.n; v++) {
      if (nodeAssignment[v] < 0) continue;
      for (let p = layer.start[v]; p < layer.start[v + 1]; p++) {
        let row = table.get(layer.area[p]);
        if (!row) table.set(layer.area[p], (row = new Float64Array(k)));
        row[nodeAssignment[v]] += layer.pop[p];
      }
    }
    let split = 0;
    let total = 0;
    for (const row of table.values()) {
      let sum = 0;
      let max = 0;
      for (const x of row) {
        sum += x;
        if (x > max) max = x;
      }
      split += sum - max;
      total += sum;
    }
    return total > 0 ? split / total : 0;
  });
  let cut = 0;
  for (let v = 0; v < problem.n; v++) {
    for (let i = problem.adjStart[v]; i < problem.adjStart[v + 1]; i++) {
      if (problem.adjList[i] > v && nodeAssignment[v] >= 0 && nodeAssignment[problem.adjList[i]] !== nodeAssignment[v]) cut += problem.adjEdges[i];
    }
  }
  const compactness = problem.unitEdges > 0 ? cut / problem.unitEdges : 0;
  const populations = new Array<number>(k).fill(0);
  for (let v = 0; v < problem.n; v++) if (nodeAssignment[v] >= 0) populations[nodeAssignment[v]] += problem.population[v];
  const objective = splits.reduce((s, x, l) => s + problem.layers[l].weight * x, 0) + problem.compactnessWeight * compactness;
  return { splits, compactness, objective, populations };
}

/** Connected pieces of the nodes of footprint f, largest first. */
export function footprintComponents(problem: Problem, nodeAssignment: ArrayLike<number>, f: number): number[][] {
  const pieces = connectedComponents(problem.n, (v, visit) => forEachNodeNeighbour(problem, v, visit), (v) => nodeAssignment[v] === f);
  return pieces.sort((a, b) => b.length - a.length || a[0] - b[0]);
}

/** Calls `visit` with each neighbour of node v in the plan's node graph. */
export function forEachNodeNeighbour(problem: Problem, v: number, visit: (w: number) => void): void {
  for (let j = problem.adjStart[v]; j < problem.adjStart[v + 1]; j++) visit(problem.adjList[j]);
}

export interface PlanFinding {
  constraint: 'footprint-count' | 'contiguity' | 'population-bounds' | 'locked';
  footprint?: number;
  units?: string[];
  message: string;
}

/**
 * Constraint findings of a complete node-level plan: footprint count, contiguity, population
 * bounds and locks. Keep-whole groups cannot split at node level; unit-level checks (a unit
 * assigned twice, a keep-whole area split) belong to whoever reads a unit-level plan.
 */
export function checkPlan(problem: Problem, nodeAssignment: ArrayLike<number>, footprintIds?: string[]): PlanFinding[] {
  const name = (f: number) => footprintIds?.[f] ?? `F${f + 1}`;
  const unitsOf = (nodes: number[]) => nodes.flatMap((v) => problem.nodeUnits[v].map((u) => problem.unitIds[u]));
  const findings: PlanFinding[] = [];
  const used = new Set<number>();
  for (let v = 0; v < problem.n; v++) if (nodeAssignment[v] >= 0) used.add(nodeAssignment[v]);
  if (used.size !== problem.k) findings.push({ constraint: 'footprint-count', message: `the plan has ${used.size} footprints; ${problem.k} are required` });
  const { populations } = evaluatePlan(problem, nodeAssignment);
  for (const f of [...used].sort((a, b) => a - b)) {
    const pieces = footprintComponents(problem, nodeAssignment, f);
    if (pieces.length > 1) {
      const detached = pieces.slice(1);
      findings.push({
        constraint: 'contiguity',
        footprint: f,
        units: unitsOf(detached.flat()),
        message: `${name(f)} is in ${pieces.length} pieces: the main one has ${unitsOf(pieces[0]).length} units, ${detached.map((p) => unitsOf(p).length).join(' and ')} unit(s) are cut off`,
      });
    }
    const p = populations[f] ?? 0;
    if (p < problem.min || p > problem.max) {
      findings.push({
        constraint: 'population-bounds',
        footprint: f,
        message: `${name(f)} has ${formatInteger(p)} residents, ${p < problem.min ? `${formatInteger(problem.min - p)} below the minimum` : `${formatInteger(p - problem.max)} above the maximum`} (${formatNumber(problem.min)}–${formatNumber(problem.max)})`,
      });
    }
  }
  for (let v = 0; v < problem.n; v++) {
    if (problem.locked[v] >= 0 && nodeAssignment[v] >= 0 && nodeAssignment[v] !== problem.locked[v]) {
      findings.push({ constraint: 'locked', footprint: nodeAssignment[v], units: unitsOf([v]), message: `locked to ${name(problem.locked[v])} but in ${name(nodeAssignment[v])}` });
    }
  }
  return findings;
}
