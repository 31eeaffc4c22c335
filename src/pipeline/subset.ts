import type { OverlayCrosswalk } from '../align/crosswalk.js';
import type { EvidenceInputs } from '../evidence/evidence.js';
import type { Adjacency } from '../geometry/types.js';
import type { RunLayer, Workspace } from './types.js';

/**
 * The workspace of some of its units (one nesting area, or the areas a run solved), cut from the
 * whole one rather than loaded again: the overlay is not repeated, and an area's problem is the
 * same bytes whether it is solved in a region run or on its own (`--area`), so both give one plan.
 * Layers keep only the areas that hold some of the units, renumbered in their original order.
 */
export function subsetWorkspace(workspace: Workspace, units: ArrayLike<number>): Workspace {
  const keep = Int32Array.from(units).sort();
  const newIndex = new Int32Array(workspace.units.areas.length).fill(-1);
  keep.forEach((u, i) => (newIndex[u] = i));
  const pick = <T>(values: ArrayLike<T>): T[] => Array.from(keep, (u) => values[u]);
  const pickF64 = (values: Float64Array) => Float64Array.from(keep, (u) => values[u]);
  return {
    config: workspace.config,
    units: { ...workspace.units, areas: pick(workspace.units.areas) },
    populations: pickF64(workspace.populations),
    layers: workspace.layers.map((l) => subsetLayer(l, keep, newIndex)),
    adjacency: subsetAdjacency(workspace.adjacency, keep, newIndex),
    evidence: subsetEvidence(workspace.evidence, keep, newIndex),
    notes: workspace.notes,
  };
}

function subsetLayer(layer: RunLayer, keep: Int32Array, newIndex: Int32Array): RunLayer {
  const cw = layer.crosswalk;
  const used = new Uint8Array(cw.areaIds.length);
  for (const u of keep) for (let p = cw.start[u]; p < cw.start[u + 1]; p++) used[cw.area[p]] = 1;
  const areaIndex = new Int32Array(cw.areaIds.length).fill(-1);
  const areaIds: string[] = [];
  used.forEach((isUsed, a) => {
    if (isUsed) {
      areaIndex[a] = areaIds.length;
      areaIds.push(cw.areaIds[a]);
    }
  });
  const start = new Int32Array(keep.length + 1);
  const pieces: number[] = [];
  keep.forEach((u, i) => {
    start[i] = pieces.length;
    for (let p = cw.start[u]; p < cw.start[u + 1]; p++) pieces.push(p);
  });
  start[keep.length] = pieces.length;
  const piecesOf = <T>(values: ArrayLike<T>): T[] => pieces.map((p) => values[p]);
  const crosswalk: OverlayCrosswalk = {
    ...cw,
    unitIds: Array.from(keep, (u) => cw.unitIds[u]),
    areaIds,
    start,
    area: Int32Array.from(pieces, (p) => areaIndex[cw.area[p]]),
    weight: Float64Array.from(pieces, (p) => cw.weight[p]),
    pieceM2: Float64Array.from(pieces, (p) => cw.pieceM2[p]),
    unitM2: Float64Array.from(keep, (u) => cw.unitM2[u]),
    coveredShare: Float64Array.from(keep, (u) => cw.coveredShare[u]),
    uncovered: cw.uncovered.filter((u) => newIndex[u] >= 0).map((u) => newIndex[u]),
    pieceGeometry: cw.pieceGeometry === null ? null : piecesOf(cw.pieceGeometry),
    // Slivers only feed maps of the whole overlay; an area's run has none to show.
    slivers: { unit: new Int32Array(0), area: new Int32Array(0), m2: new Float64Array(0), geometry: cw.slivers.geometry === null ? null : [] },
  };
  // A layer's areas are in the order of its crosswalk's areaIds, so `a` indexes both.
  const keptAreas = layer.layer.areas.filter((_, a) => used[a]);
  return {
    ...layer,
    layer: { ...layer.layer, areas: keptAreas },
    crosswalk,
    areaFacts: layer.areaFacts === null ? null : layer.areaFacts.filter((_, a) => used[a]),
  };
}

function subsetAdjacency(graph: Adjacency, keep: Int32Array, newIndex: Int32Array): Adjacency {
  const start = new Int32Array(keep.length + 1);
  const neighbour: number[] = [];
  const length: number[] = [];
  keep.forEach((u, i) => {
    start[i] = neighbour.length;
    for (let p = graph.start[u]; p < graph.start[u + 1]; p++) {
      const v = newIndex[graph.neighbour[p]];
      if (v < 0) continue;
      neighbour.push(v);
      length.push(graph.length[p]);
    }
  });
  start[keep.length] = neighbour.length;
  return {
    n: keep.length,
    start,
    neighbour: Int32Array.from(neighbour),
    length: Float64Array.from(length),
    islands: graph.islands.filter((u) => newIndex[u] >= 0).map((u) => newIndex[u]),
    linked: graph.linked.filter(([u, v]) => newIndex[u] >= 0 && newIndex[v] >= 0).map(([u, v]) => [newIndex[u], newIndex[v]]),
  };
}

function subsetEvidence(evidence: EvidenceInputs, keep: Int32Array, newIndex: Int32Array): EvidenceInputs {
  const pickF64 = (values: Float64Array) => Float64Array.from(keep, (u) => values[u]);
  return {
    ...evidence,
    measures: evidence.measures.map((m) => ({ ...m, values: pickF64(m.values) })),
    assets: evidence.assets.map((a) => {
      const siteUnit = Int32Array.from(a.siteUnit, (u) => (u < 0 ? -1 : newIndex[u]));
      // Sites in units left out are outside this territory now: not counted, still someone's nearest.
      const outside = siteUnit.reduce((n, u) => n + (u < 0 ? 1 : 0), 0);
      return { ...a, siteUnit, count: pickF64(a.count), distance: pickF64(a.distance), outside };
    }),
    resources: evidence.resources.map((r) => {
      const perUnit = pickF64(r.perUnit);
      return { ...r, perUnit, total: perUnit.reduce((s, v) => s + v, 0) };
    }),
    need: pickF64(evidence.need),
    resourceNeed: evidence.resourceNeed.map(pickF64),
  };
}
