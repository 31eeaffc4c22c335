import { geoPath, type GeoProjection } from 'd3-geo';
import type { Position } from 'geojson';
import { largestArea } from '../plan/problem.js';
import type { Workspace } from '../pipeline/types.js';
import { areaLabel } from '../layers/types.js';
import { fitProjection, forEachRingEdge, polygonsOf, rewindForD3, vertexKey, type AreaFeature } from '../report/map-geometry.js';
import { overlayStyle } from '../report/palette.js';
import type { WorkshopData, WorkshopEvidence, WorkshopMap } from './data.js';

export const MAP_WIDTH = 900;
export const MAP_HEIGHT = 760;

const nullForNaN = (values: ArrayLike<number>): Array<number | null> => Array.from(values, (v) => (Number.isNaN(v) ? null : v));
const stringName = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Everything a workshop page needs, from a workspace and a starting plan (unit index → footprint
 * index into `footprintIds`). Heavy work happens here, once: overlay, projection, edge matching.
 */
export function buildWorkshopData(workspace: Workspace, assignment: ArrayLike<number>, footprintIds: string[], options: { title: string; source: string }): WorkshopData {
  const { config, units, layers, adjacency, evidence } = workspace;
  const unitIds = units.areas.map((a) => a.id);
  const byId = new Map(unitIds.map((id, u) => [id, u]));
  const labelsOf = layers.map((l) => {
    const named = new Map(l.layer.areas.map((a) => [a.id, a]));
    return l.crosswalk.areaIds.map((id) => areaLabel(named.get(id) ?? { id }));
  });
  const namesOf = layers.map((l) => {
    const named = new Map(l.layer.areas.map((a) => [a.id, a.name ?? stringName(a.properties.name) ?? a.id]));
    return l.crosswalk.areaIds.map((id) => named.get(id) ?? id);
  });
  const homes = layers.map((l) => Int32Array.from(unitIds, (_, u) => largestArea(l.crosswalk, u)));
  const workshopUnits = units.areas.map((unit, u) => ({
    id: unit.id,
    name: unit.name && unit.name !== unit.id ? unit.name : null,
    population: workspace.populations[u],
    areas: layers.map((l, i) => {
      const cw = l.crosswalk;
      const parts: string[] = [];
      for (let p = cw.start[u]; p < cw.start[u + 1]; p++) {
        const share = cw.weight[p];
        parts.push(share >= 0.995 ? labelsOf[i][cw.area[p]] : `${labelsOf[i][cw.area[p]]} ${Math.round(share * 100)}%`);
      }
      return `${l.name}: ${parts.length > 0 ? parts.join(', ') : 'none'}`;
    }),
  }));
  const ev: WorkshopEvidence = {
    measures: evidence.measures.map((m) => ({ column: m.column, field: m.field, source: m.source, aggregation: m.aggregation, values: nullForNaN(m.values) })),
    assets: evidence.assets.map((a) => ({ name: a.name, count: Array.from(a.count), distance: nullForNaN(a.distance) })),
    resources: evidence.resources.map((r) => ({ name: r.name, source: r.source, perUnit: Array.from(r.perUnit), total: r.total, need: r.need })),
    needWeights: evidence.needWeights,
    needStated: evidence.needStated,
    need: Array.from(evidence.need),
    resourceNeed: evidence.resourceNeed.map((n) => Array.from(n)),
    names: evidence.names,
    cohorts: evidence.cohorts,
    services: evidence.services.map((sv) => ({
      name: sv.name,
      team: sv.team,
      capacity: sv.capacity,
      range: sv.range,
      minimum: sv.minimum,
      step: sv.step,
      weights: sv.weights,
      demand: Array.from(sv.demand),
      current:
        sv.current === null
          ? null
          : sv.current.kind === 'units'
            ? { kind: 'units' as const, perUnit: Array.from(sv.current.perUnit), source: sv.current.source }
            : { kind: 'footprints' as const, amounts: sv.current.amounts, source: sv.current.source },
    })),
  };
  return {
    version: 1,
    title: options.title,
    source: options.source,
    k: footprintIds.length,
    min: config.min,
    max: config.max,
    compactnessWeight: config.compactness,
    footprintIds,
    assignment: Array.from(assignment),
    locked: Object.entries(config.locked)
      .filter(([id]) => byId.has(id))
      .map(([id, f]) => [byId.get(id)!, f - 1]),
    units: workshopUnits,
    adjacency: { start: Array.from(adjacency.start), neighbour: Array.from(adjacency.neighbour) },
    layers: layers.map((l, i) => ({
      name: l.name,
      weight: l.weight,
      keepWhole: l.keepWhole,
      homeRule: l.homeRule,
      areaIds: l.crosswalk.areaIds,
      areaLabels: labelsOf[i],
      areaNames: namesOf[i],
      start: Array.from(l.crosswalk.start),
      area: Array.from(l.crosswalk.area),
      weight_: Array.from(l.crosswalk.weight),
    })),
    evidence: ev,
    map: projectMap(
      units.areas.map((a) => ({ type: 'Feature', properties: { id: a.id }, geometry: a.geometry })),
      layers.map((l, i) => ({ name: l.name, home: homes[i] })),
    ),
  };
}

/**
 * Unit paths, the boundary shared by each pair of neighbours, and the outline of each layer as the
 * unit edges where the home area changes: outlines then follow the units exactly, as the plan sees
 * the layer, whatever shape the layer came in (polygons, sites, lookups).
 */
export function projectMap(features: AreaFeature[], layers: Array<{ name: string; home: Int32Array }>): WorkshopMap {
  const wound = features.map((f) => rewindForD3(f));
  const projection = fitProjection(wound, [
    [10, 10],
    [MAP_WIDTH - 10, MAP_HEIGHT - 10],
  ]);
  const path = geoPath(projection).digits(1);
  const unitPaths = wound.map((f) => path(f) ?? '');
  const edges = sharedEdges(features, projection);
  const outlines = layers.map(({ name, home }, i) => {
    const style = overlayStyle(i);
    const d = edges
      .filter((e) => e.b < 0 || home[e.a] !== home[e.b])
      .map((e) => e.d)
      .join('');
    return { layer: name, colour: style.colour, dash: style.dash, d };
  });
  return { width: MAP_WIDTH, height: MAP_HEIGHT, unitPaths, edges, outlines };
}

/** Edges of unit rings matched by their end points to the micro-degree, grouped by the pair of units on either side. */
function sharedEdges(features: AreaFeature[], projection: GeoProjection): Array<{ a: number; b: number; d: string }> {
  const key = vertexKey;
  const owners = new Map<string, { p: Position; q: Position; units: number[] }>();
  forEachRingEdge(features, (id, _a, _b, p, q, u) => {
    const edge = owners.get(id);
    if (edge) {
      if (!edge.units.includes(u)) edge.units.push(u);
    } else owners.set(id, { p, q, units: [u] });
  });
  // Edges arrive in ring order, so a pair's segments mostly chain end to start: write those as one line.
  const byPair = new Map<string, { a: number; b: number; segments: string[]; end: string }>();
  const xy = (p: Position) => {
    const s = projection([p[0], p[1]]);
    return s ? `${round1(s[0])} ${round1(s[1])}` : '0 0';
  };
  for (const { p, q, units: pair } of owners.values()) {
    const a = pair[0];
    const b = pair.length > 1 ? pair[1] : -1;
    const [lo, hi] = b < 0 ? [a, -1] : [Math.min(a, b), Math.max(a, b)];
    const id = `${lo}|${hi}`;
    let entry = byPair.get(id);
    if (!entry) byPair.set(id, (entry = { a: lo, b: hi, segments: [], end: '' }));
    entry.segments.push(entry.end === key(p) ? `L${xy(q)}` : `M${xy(p)}L${xy(q)}`);
    entry.end = key(q);
  }
  return [...byPair.values()].sort((x, y) => x.a - y.a || x.b - y.b).map((e) => ({ a: e.a, b: e.b, d: e.segments.join('') }));
}
