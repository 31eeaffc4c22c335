import { csrFromMaps } from '../geometry/csr.js';
import { find, largestPiece, type LayerTerm, type Problem } from './problem.js';

/**
 * A coarser copy of a problem for multilevel search: neighbouring nodes whose largest area is the
 * same in every objective layer (the same ward and the same MSOA, say) are merged. A good plan
 * rarely separates such nodes, because doing so can only split areas of the objective, and the
 * coarse graph has far fewer plans to search. Refinement on the fine problem then corrects the
 * few places where separating them pays.
 */
export interface Coarsening {
  coarse: Problem;
  /** Coarse node of each node of the fine problem. */
  groupOfNode: Int32Array;
}

export function coarsen(problem: Problem): Coarsening {
  const { n } = problem;
  const layers = problem.layers.filter((l) => l.weight > 0);
  const signature = (v: number): string => layers.map((l) => largestPiece(l.start, l.area, l.pop, v)).join(',');
  const signatures = Array.from({ length: n }, (_, v) => signature(v));
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  for (let v = 0; v < n; v++) {
    for (let i = problem.adjStart[v]; i < problem.adjStart[v + 1]; i++) {
      const w = problem.adjList[i];
      if (w <= v || signatures[v] !== signatures[w] || problem.locked[v] !== problem.locked[w]) continue;
      const a = find(parent, v);
      const b = find(parent, w);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  // A group too populous for any footprint would make the coarse problem infeasible: its nodes stay apart.
  const groupPopulation = new Float64Array(n);
  for (let v = 0; v < n; v++) groupPopulation[find(parent, v)] += problem.population[v];
  const root = Int32Array.from({ length: n }, (_, v) => {
    const r = find(parent, v);
    return groupPopulation[r] > problem.max ? v : r;
  });

  // Groups numbered by their lowest node, so coarse order follows fine order.
  const groupOfNode = new Int32Array(n);
  const groupOfRoot = new Map<number, number>();
  for (let v = 0; v < n; v++) {
    let g = groupOfRoot.get(root[v]);
    if (g === undefined) {
      g = groupOfRoot.size;
      groupOfRoot.set(root[v], g);
    }
    groupOfNode[v] = g;
  }
  const m = groupOfRoot.size;

  const nodeUnits: number[][] = Array.from({ length: m }, () => []);
  const population = new Float64Array(m);
  const locked = new Int32Array(m).fill(-1);
  for (let v = 0; v < n; v++) {
    const g = groupOfNode[v];
    nodeUnits[g].push(...problem.nodeUnits[v]);
    population[g] += problem.population[v];
    if (problem.locked[v] >= 0) locked[g] = problem.locked[v];
  }
  for (const units of nodeUnits) units.sort((a, b) => a - b);
  const nodeOfUnit = Int32Array.from(problem.nodeOfUnit, (v) => groupOfNode[v]);

  const edgeMaps: Array<Map<number, number>> = Array.from({ length: m }, () => new Map());
  for (let v = 0; v < n; v++) {
    for (let i = problem.adjStart[v]; i < problem.adjStart[v + 1]; i++) {
      const a = groupOfNode[v];
      const b = groupOfNode[problem.adjList[i]];
      if (a !== b) edgeMaps[a].set(b, (edgeMaps[a].get(b) ?? 0) + problem.adjEdges[i]);
    }
  }
  const graph = csrFromMaps(edgeMaps);

  const coarseLayers: LayerTerm[] = problem.layers.map((layer) => {
    const perGroup: Array<Map<number, number>> = Array.from({ length: m }, () => new Map());
    for (let v = 0; v < n; v++) {
      const map = perGroup[groupOfNode[v]];
      for (let p = layer.start[v]; p < layer.start[v + 1]; p++) map.set(layer.area[p], (map.get(layer.area[p]) ?? 0) + layer.pop[p]);
    }
    const pieces = csrFromMaps(perGroup);
    return { ...layer, start: pieces.start, area: pieces.column, pop: pieces.value };
  });

  return {
    coarse: {
      ...problem,
      nodeOfUnit,
      nodeUnits,
      n: m,
      population,
      adjStart: graph.start,
      adjList: graph.column,
      adjEdges: Int32Array.from(graph.value),
      layers: coarseLayers,
      locked,
    },
    groupOfNode,
  };
}

/** The fine plan a coarse plan stands for. */
export function refineAssignment(coarsening: Coarsening, coarseAssignment: ArrayLike<number>): Int32Array {
  return Int32Array.from(coarsening.groupOfNode, (g) => coarseAssignment[g]);
}
