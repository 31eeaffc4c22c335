import { largestArea, largestPiece } from '../align/largest.js';
import type { Crosswalk } from '../align/types.js';
import { csrFromMaps } from '../geometry/csr.js';
import type { Adjacency } from '../geometry/types.js';

/**
 * A plan problem as numbers only: what the search and the constraint checks work on. Units that a
 * keep-whole layer binds together are contracted into one node, so no move can ever split them.
 */
export interface LayerTerm {
  name: string;
  weight: number;
  areaIds: string[];
  /** CSR over nodes: pieces of node v are start[v] .. start[v+1]-1. */
  start: Int32Array;
  area: Int32Array;
  /** p(v, a) = Σ_{u in v} pop(u) · w(u, a). */
  pop: Float64Array;
  /** N: the layer's total population through the units. */
  total: number;
}

export interface Problem {
  unitIds: string[];
  unitPopulation: Float64Array;
  /** Node (contracted group) of each unit. */
  nodeOfUnit: Int32Array;
  /** Units of each node, ascending. */
  nodeUnits: number[][];
  /** Number of nodes. */
  n: number;
  population: Float64Array;
  /** Node adjacency (CSR), with the number of unit-level edges between the two nodes. */
  adjStart: Int32Array;
  adjList: Int32Array;
  adjEdges: Int32Array;
  /** Unit-level rook edges in all (the compactness denominator). */
  unitEdges: number;
  k: number;
  min: number;
  max: number;
  layers: LayerTerm[];
  compactnessWeight: number;
  /** Footprint index each node is locked to, or −1. */
  locked: Int32Array;
  /** Keep-whole groups that are not connected in the unit graph (their units, as ids). */
  disconnectedGroups: string[][];
  /** Keep-whole groups holding units locked to different footprints. */
  lockConflicts: Array<{ units: string[]; footprints: number[] }>;
  /** Locked unit ids that are not units of the problem. */
  unknownLocks: string[];
  /**
   * How messages name each unit ("Oldham 024A (E01005320)") and each node (a unit, or for a
   * kept-whole group the area holding it: "wards Coldhurst (E05014650)"); null: by id.
   */
  unitLabels: string[] | null;
  nodeLabels: string[] | null;
}

export interface BuildProblemInput {
  unitIds: string[];
  population: ArrayLike<number>;
  adjacency: Adjacency;
  layers: Array<{ crosswalk: Crosswalk; weight: number }>;
  k: number;
  min: number;
  max: number;
  compactnessWeight?: number;
  /** Crosswalks of keep-whole layers: units sharing a largest area move together. */
  keepWhole?: Crosswalk[];
  /** Unit id → footprint index (0-based). */
  locked?: Record<string, number>;
  /** Readable unit names for messages, aligned with unitIds. */
  unitLabels?: string[];
  /** Per keep-whole crosswalk (same order), its layer name and a readable label per area id. */
  keepWholeLabels?: Array<{ layer: string; areaLabels: Map<string, string> }>;
}

/** Root of i in a union–find forest, halving the path on the way. */
export function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

// The largest-piece rule lives with the crosswalk (align/largest.ts); re-exported for the plan's users.
export { largestArea, largestPiece };

export function buildProblem(input: BuildProblemInput): Problem {
  const nUnits = input.unitIds.length;
  const parent = Int32Array.from({ length: nUnits }, (_, i) => i);
  for (const cw of input.keepWhole ?? []) {
    const firstUnitOfArea = new Map<number, number>();
    for (let u = 0; u < nUnits; u++) {
      const a = largestArea(cw, u);
      if (a < 0) continue;
      const first = firstUnitOfArea.get(a);
      if (first === undefined) firstUnitOfArea.set(a, u);
      else {
        const ra = find(parent, first);
        const rb = find(parent, u);
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
  }
  // Nodes numbered by their lowest unit, so node order follows unit order.
  const nodeOfUnit = new Int32Array(nUnits);
  const rootNode = new Map<number, number>();
  const nodeUnits: number[][] = [];
  for (let u = 0; u < nUnits; u++) {
    const r = find(parent, u);
    let v = rootNode.get(r);
    if (v === undefined) {
      v = nodeUnits.length;
      rootNode.set(r, v);
      nodeUnits.push([]);
    }
    nodeOfUnit[u] = v;
    nodeUnits[v].push(u);
  }
  const n = nodeUnits.length;
  const unitPopulation = Float64Array.from(input.population);
  const population = new Float64Array(n);
  for (let u = 0; u < nUnits; u++) population[nodeOfUnit[u]] += unitPopulation[u];

  const adj = input.adjacency;
  const edgeMaps: Array<Map<number, number>> = Array.from({ length: n }, () => new Map());
  let unitEdges = 0;
  const inGroupEdges: Array<Array<[number, number]>> = Array.from({ length: n }, () => []);
  for (let u = 0; u < nUnits; u++) {
    for (let i = adj.start[u]; i < adj.start[u + 1]; i++) {
      const w = adj.neighbour[i];
      if (w <= u) continue;
      unitEdges++;
      const a = nodeOfUnit[u];
      const b = nodeOfUnit[w];
      if (a === b) inGroupEdges[a].push([u, w]);
      else {
        edgeMaps[a].set(b, (edgeMaps[a].get(b) ?? 0) + 1);
        edgeMaps[b].set(a, (edgeMaps[b].get(a) ?? 0) + 1);
      }
    }
  }
  const nodeGraph = csrFromMaps(edgeMaps);

  const disconnectedGroups: string[][] = [];
  nodeUnits.forEach((units, v) => {
    if (units.length < 2) return;
    const index = new Map(units.map((u, i) => [u, i]));
    const parentLocal = Int32Array.from(units, (_, i) => i);
    for (const [a, b] of inGroupEdges[v]) {
      const ra = find(parentLocal, index.get(a)!);
      const rb = find(parentLocal, index.get(b)!);
      if (ra !== rb) parentLocal[rb] = ra;
    }
    const roots = new Set(units.map((_, i) => find(parentLocal, i)));
    if (roots.size > 1) disconnectedGroups.push(units.map((u) => input.unitIds[u]));
  });

  const layers = layerTerms(input, n, nodeOfUnit, unitPopulation);
  const { locked, lockConflicts, unknownLocks } = nodeLocks(input, n, nodeOfUnit);

  return {
    unitIds: input.unitIds,
    unitPopulation,
    nodeOfUnit,
    nodeUnits,
    n,
    population,
    adjStart: nodeGraph.start,
    adjList: nodeGraph.column,
    adjEdges: Int32Array.from(nodeGraph.value),
    unitEdges,
    k: input.k,
    min: input.min,
    max: input.max,
    layers,
    compactnessWeight: input.compactnessWeight ?? 0,
    locked,
    disconnectedGroups,
    lockConflicts,
    unknownLocks,
    unitLabels: input.unitLabels ?? null,
    nodeLabels: nodeLabelsOf(input, nodeUnits),
  };
}

/** Each layer's residents per node and area (the units' pieces summed over the node's units). */
function layerTerms(input: BuildProblemInput, n: number, nodeOfUnit: Int32Array, unitPopulation: Float64Array): LayerTerm[] {
  const nUnits = input.unitIds.length;
  return input.layers.map(({ crosswalk: cw, weight }) => {
    const perNode: Array<Map<number, number>> = Array.from({ length: n }, () => new Map());
    let total = 0;
    for (let u = 0; u < nUnits; u++) {
      const v = nodeOfUnit[u];
      for (let p = cw.start[u]; p < cw.start[u + 1]; p++) {
        const value = unitPopulation[u] * cw.weight[p];
        if (value <= 0) continue;
        perNode[v].set(cw.area[p], (perNode[v].get(cw.area[p]) ?? 0) + value);
        total += value;
      }
    }
    const pieces = csrFromMaps(perNode);
    return { name: cw.layer, weight, areaIds: cw.areaIds, start: pieces.start, area: pieces.column, pop: pieces.value, total };
  });
}

/** Locks by node (a node takes the lock of its units), with the units given twice and the ids not found. */
function nodeLocks(input: BuildProblemInput, n: number, nodeOfUnit: Int32Array): Pick<Problem, 'locked' | 'lockConflicts' | 'unknownLocks'> {
  const locked = new Int32Array(n).fill(-1);
  const index = new Map(input.unitIds.map((id, u) => [id, u]));
  const locksOfNode = new Map<number, Array<[string, number]>>();
  const unknownLocks: string[] = [];
  for (const [id, f] of Object.entries(input.locked ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const u = index.get(id);
    if (u === undefined) {
      unknownLocks.push(id);
      continue;
    }
    const v = nodeOfUnit[u];
    const list = locksOfNode.get(v) ?? [];
    list.push([id, f]);
    locksOfNode.set(v, list);
    if (locked[v] < 0) locked[v] = f;
  }
  const lockConflicts = [...locksOfNode.values()]
    .filter((list) => new Set(list.map(([, f]) => f)).size > 1)
    .map((list) => ({ units: list.map(([id]) => id), footprints: [...new Set(list.map(([, f]) => f))] }));

  return { locked, lockConflicts, unknownLocks };
}

/** A unit-level assignment from a node-level one. */
export function unitAssignment(problem: Problem, nodeAssignment: ArrayLike<number>): Int32Array {
  return Int32Array.from(problem.nodeOfUnit, (v) => nodeAssignment[v]);
}

/** A kept-whole group is named after its area in the first kept-whole layer; a lone unit after itself. */
function nodeLabelsOf(input: BuildProblemInput, nodeUnits: number[][]): string[] | null {
  if (!input.unitLabels && !input.keepWholeLabels) return null;
  const unitLabel = (u: number) => input.unitLabels?.[u] ?? input.unitIds[u];
  const first = input.keepWhole?.[0];
  const names = input.keepWholeLabels?.[0];
  return nodeUnits.map((units) => {
    if (units.length === 1 || !first || !names) return units.length === 1 ? unitLabel(units[0]) : `a kept-whole group of ${units.length} units`;
    const a = largestArea(first, units[0]);
    const id = a >= 0 ? first.areaIds[a] : null;
    return id === null ? `a kept-whole group of ${units.length} units` : `${names.layer} ${names.areaLabels.get(id) ?? id}`;
  });
}
