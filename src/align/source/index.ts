import { FootprintError } from '../../errors.js';
import { loadLayer, readRawLayer } from '../../layers/load.js';
import { readTable } from '../../io/table.js';
import type { Crs, Layer } from '../../layers/types.js';
import { crosswalk, unitsProjection } from '../crosswalk.js';
import { crosswalkFromShares, homeAreas, layerFromHomes, sharesOfHomes } from './derived.js';
import { lookupHomes, lookupOfLayer } from './lookup.js';
import { readMembership } from './membership.js';
import { siteCatchments } from './sites.js';
import type { LayerKind, LayerSpec, ServiceLayer } from './types.js';

export type { LayerKind, LayerSpec, ServiceLayer } from './types.js';
export { homeCrosswalk, hasShape } from './derived.js';

export interface ServiceLayerOptions {
  sliverTolerance?: number;
  crs?: Crs;
  onStage?: (stage: string) => void;
  /** Progress of polygon overlays, which are the slow part on large inputs. */
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** Give every area a readable name: the `areaName` field when asked for, else a `name` property. */
export function nameAreas(layer: Layer, areaName?: string): void {
  for (const area of layer.areas) {
    const value = area.properties[areaName ?? 'name'];
    if (typeof value === 'string' && value.trim() !== '') area.name = value.trim();
    else if (typeof value === 'number') area.name = String(value);
    else if (areaName) {
      throw new FootprintError('has no area name', { location: { file: layer.source, feature: `${area.index} (id ${area.id})`, field: areaName } });
    }
  }
}

const HOME_RULES: Record<LayerKind, string> = {
  polygons: 'each unit counts in the area holding most of its area (residents taken as spread evenly over the unit)',
  sites: 'each unit counts in the group of its nearest site',
  lookup: 'each unit counts in the area the lookup gives',
  membership: 'each unit counts in the area holding most of its members',
};

function required(spec: LayerSpec, key: 'key' | 'area' | 'count'): string {
  const value = spec[key];
  if (!value) throw new FootprintError(`layer "${spec.name}": a ${spec.kind} layer needs \`${key}:\` (the column holding ${key === 'key' ? 'the codes' : key === 'area' ? 'the area of each row' : 'the counts'})`, { location: { file: spec.file } });
  return value;
}

/**
 * Load service layers from any of the four sources as crosswalks with the units. A lookup `of`
 * another layer is loaded after it, whatever the order given; nothing after this point needs to
 * know which source a layer came from.
 */
export function loadServiceLayers(units: Layer, specs: LayerSpec[], options: ServiceLayerOptions = {}): ServiceLayer[] {
  const projection = unitsProjection(units);
  const byName = new Map(specs.map((s) => [s.name, s]));
  const loaded = new Map<string, ServiceLayer>();
  const loading = new Set<string>();

  const load = (spec: LayerSpec): ServiceLayer => {
    const done = loaded.get(spec.name);
    if (done) return done;
    if (loading.has(spec.name)) throw new FootprintError(`layer "${spec.name}": its \`of:\` chain comes back to itself (${[...loading, spec.name].join(' → ')})`);
    loading.add(spec.name);
    options.onStage?.(`loading ${spec.name}`);
    const result = loadOne(spec);
    loading.delete(spec.name);
    loaded.set(spec.name, result);
    return result;
  };

  const loadOne = (spec: LayerSpec): ServiceLayer => {
    const source = spec.file;
    switch (spec.kind ?? 'polygons') {
      case 'polygons': {
        const layer = loadLayer(source, { name: spec.name, idField: spec.id, populationField: false, crs: options.crs });
        nameAreas(layer, spec.areaName);
        const onProgress = options.onProgress;
        const cw = crosswalk(units, layer, { sliverTolerance: options.sliverTolerance, projection, onProgress: onProgress ? (done, total) => onProgress(`crosswalk ${spec.name}`, done, total) : undefined });
        return { name: spec.name, kind: spec.kind ?? 'polygons', layer, crosswalk: cw, homeRule: HOME_RULES.polygons, areaFacts: null, notes: layer.notes };
      }
      case 'sites': {
        const raw = readRawLayer(source, { crs: options.crs });
        const c = siteCatchments(units, raw, { group: spec.group, id: spec.id, areaName: spec.areaName, projection });
        const layer = layerFromHomes(units, { name: spec.name, source, idField: spec.group ?? spec.id ?? 'id' }, c.areaIds, c.areaNames, c.home);
        const cw = crosswalkFromShares(units, spec.name, source, c.areaIds, sharesOfHomes(units, c.home, projection), projection);
        const notes = c.farSites.map((f) => `warning: site ${f.site} lies ${(f.metres / 1000).toFixed(1)} km outside the units; it still counts (check its coordinates if it should not)`);
        notes.push(...emptyAreaNotes(layer, cw.area));
        return { name: spec.name, kind: spec.kind ?? 'polygons', layer, crosswalk: cw, homeRule: HOME_RULES.sites, areaFacts: c.areaIds.map((_, a) => ({ sites: c.sites[a] })), notes };
      }
      case 'lookup': {
        const table = readTable(source);
        const lookupOptions = { key: required(spec, 'key'), area: required(spec, 'area'), areaName: spec.areaName, ignoreUnknown: spec.ignoreUnknown };
        if (spec.of !== undefined) {
          const ofSpec = byName.get(spec.of);
          if (!ofSpec) throw new FootprintError(`layer "${spec.name}": \`of: ${spec.of}\` names no layer of this run (layers: ${specs.map((s) => s.name).join(', ')})`, { location: { file: source } });
          const of = load(ofSpec);
          const l = lookupOfLayer(of, table, lookupOptions);
          const cw = crosswalkFromShares(units, spec.name, source, l.areaIds, l.shares, projection);
          const layer = dissolveOf(of.layer, spec, l.areaIds, l.areaNames, l.areaOf);
          return { name: spec.name, kind: spec.kind ?? 'polygons', layer, crosswalk: cw, homeRule: `${HOME_RULES.lookup} for the ${of.name} area that holds most of it`, areaFacts: null, notes: [...l.notes, ...emptyAreaNotes(layer, cw.area)] };
        }
        const l = lookupHomes(units, table, lookupOptions);
        const cw = crosswalkFromShares(units, spec.name, source, l.areaIds, sharesOfHomes(units, l.home, projection), projection);
        const layer = layerFromHomes(units, { name: spec.name, source, idField: lookupOptions.area }, l.areaIds, l.areaNames, l.home);
        return { name: spec.name, kind: spec.kind ?? 'polygons', layer, crosswalk: cw, homeRule: HOME_RULES.lookup, areaFacts: null, notes: l.notes };
      }
      case 'membership': {
        const table = readTable(source);
        const m = readMembership(units, table, { key: required(spec, 'key'), area: required(spec, 'area'), count: required(spec, 'count'), areaName: spec.areaName });
        const cw = crosswalkFromShares(units, spec.name, source, m.areaIds, m.shares, projection);
        const home = homeAreas(cw);
        const layer = layerFromHomes(units, { name: spec.name, source, idField: spec.area! }, m.areaIds, m.areaNames, home);
        const homeless = layer.areas.filter((a) => a.geometry.coordinates.length === 0).map((a) => a.id);
        const notes = [...m.notes];
        if (homeless.length > 0) notes.push(`${homeless.length} area(s) hold members but are the largest in no unit, so they have no polygon on maps: ${homeless.slice(0, 10).join(', ')}${homeless.length > 10 ? ', …' : ''}`);
        return { name: spec.name, kind: spec.kind ?? 'polygons', layer, crosswalk: cw, homeRule: HOME_RULES.membership, areaFacts: m.areaIds.map((_, a) => ({ members: m.members[a] })), notes };
      }
    }
  };

  return specs.map(load);
}

/** Notes for areas no unit lies in: a practice group never nearest, a district with no residents. */
function emptyAreaNotes(layer: Layer, pieceAreas: Int32Array): string[] {
  const used = new Uint8Array(layer.areas.length);
  for (const a of pieceAreas) used[a] = 1;
  const empty = layer.areas.filter((_, a) => !used[a]).map((a) => (a.name ? `${a.id} ${a.name}` : a.id));
  return empty.length > 0 ? [`warning: ${empty.length} area(s) hold no unit: ${empty.join(', ')}`] : [];
}

/** The polygons of a lookup of another layer: that layer's areas dissolved by the lookup. */
function dissolveOf(of: Layer, spec: LayerSpec, areaIds: string[], names: Array<string | undefined>, areaOf: Map<string, number>): Layer {
  // The other layer's areas play the units' part: each is "home" in the area the lookup gives it.
  const home = Int32Array.from(of.areas, (area) => (area.geometry.coordinates.length > 0 ? (areaOf.get(area.id) ?? -1) : -1));
  return layerFromHomes(of, { name: spec.name, source: spec.file, idField: spec.area ?? 'area' }, areaIds, names, home);
}
