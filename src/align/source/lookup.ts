import { FootprintError } from '../../errors.js';
import type { PlanarMultiPolygon } from '../../geometry/planar.js';
import type { Layer } from '../../layers/types.js';
import { cellText, requireColumn, rowLocation, type Table, type TableRow } from '../../io/table.js';
import type { OverlayCrosswalk } from '../crosswalk.js';
import { commonestName, sortedIds, type UnitShares } from './derived.js';

export interface LookupOptions {
  key: string;
  area: string;
  areaName?: string;
  /** Rows whose key matches nothing are ignored (a national lookup used for one borough). */
  ignoreUnknown?: boolean;
}

export interface Lookup {
  areaIds: string[];
  areaNames: Array<string | undefined>;
  /** Area index of each key that has one. */
  areaOf: Map<string, number>;
  notes: string[];
}

const LIST = 10;

/** "a, b, c (and 12 more)": the first few of a list, for one-line messages. */
export function firstFew(items: string[], count = LIST): string {
  return items.length <= count ? items.join(', ') : `${items.slice(0, count).join(', ')} and ${items.length - count} more`;
}

/**
 * Read a lookup table: each key (a unit code, or an area code of another layer) to one area. Rows
 * are checked one by one, so the first bad row is named with its line and column.
 */
export function readLookup(table: Table, options: LookupOptions, known: { ids: Set<string>; what: string }): Lookup {
  const keyColumn = requireColumn(table, options.key, 'key column');
  const areaColumn = requireColumn(table, options.area, 'area column');
  const nameColumn = options.areaName ? requireColumn(table, options.areaName, 'area name column') : null;
  const first = new Map<string, { area: string; row: TableRow }>();
  const names = new Map<string, string[]>();
  const unknown: string[] = [];
  for (const row of table.rows) {
    const key = cellText(row.cells[keyColumn]);
    if (key === null) throw new FootprintError('the key is empty', { location: rowLocation(table, row, keyColumn) });
    const area = cellText(row.cells[areaColumn]);
    if (area === null) throw new FootprintError(`key ${key} has an empty area`, { location: rowLocation(table, row, areaColumn) });
    const seen = first.get(key);
    if (seen && seen.area !== area) {
      throw new FootprintError(`key ${key} is mapped to two areas: ${seen.area} (${seen.row.where}) and ${area}`, { location: rowLocation(table, row, areaColumn) });
    }
    if (!known.ids.has(key)) {
      if (!seen) unknown.push(key);
      first.set(key, { area, row });
      continue;
    }
    first.set(key, { area, row });
    if (nameColumn) {
      const name = cellText(row.cells[nameColumn]);
      if (name !== null) {
        const list = names.get(area) ?? [];
        list.push(name);
        names.set(area, list);
      }
    }
  }
  const notes: string[] = [];
  if (unknown.length > 0) {
    if (!options.ignoreUnknown) {
      throw new FootprintError(
        `${unknown.length} key(s) in column "${keyColumn}" are not ${known.what}: ${firstFew(unknown.sort())}. Check the key column and the code vintage, or set ignoreUnknown: true to use a lookup that covers a wider territory`,
        { location: { file: table.file, column: keyColumn } },
      );
    }
    notes.push(`${unknown.length} row(s) whose key is not ${known.what} ignored (ignoreUnknown)`);
  }
  const used = [...first.entries()].filter(([key]) => known.ids.has(key));
  const areaIds = sortedIds(used.map(([, v]) => v.area));
  const index = new Map(areaIds.map((id, a) => [id, a]));
  const areaOf = new Map(used.map(([key, v]) => [key, index.get(v.area)!]));
  return { areaIds, areaNames: areaIds.map((id) => commonestName(names.get(id) ?? [])), areaOf, notes };
}

/** A lookup from unit codes: each unit wholly in its area. Units without a row are refused. */
export function lookupHomes(units: Layer, table: Table, options: LookupOptions): Lookup & { home: Int32Array } {
  const ids = new Set(units.areas.map((a) => a.id));
  const lookup = readLookup(table, options, { ids, what: `unit ids of ${units.source}` });
  const home = Int32Array.from(units.areas, (a) => lookup.areaOf.get(a.id) ?? -1);
  const missing = units.areas.filter((_, u) => home[u] < 0).map((a) => (a.name ? `${a.id} ${a.name}` : a.id));
  if (missing.length > 0) {
    throw new FootprintError(`${missing.length} unit(s) have no row, so no area: ${firstFew(missing)}`, { location: { file: table.file, column: options.key } });
  }
  return { ...lookup, home };
}

/**
 * A lookup from another layer's areas (2022 wards → districts): that layer's crosswalk with its
 * areas merged by the lookup, so a unit split between two wards of one district is whole in it.
 */
export function lookupOfLayer(of: { name: string; layer: Layer; crosswalk: OverlayCrosswalk }, table: Table, options: LookupOptions): Lookup & { shares: UnitShares } {
  const cw = of.crosswalk;
  const lookup = readLookup(table, options, { ids: new Set(cw.areaIds), what: `area ids of layer "${of.name}"` });
  const inhabited = new Uint8Array(cw.areaIds.length);
  for (let p = 0; p < cw.area.length; p++) inhabited[cw.area[p]] = 1;
  const missing = cw.areaIds.filter((id, a) => inhabited[a] && !lookup.areaOf.has(id)).map((id) => {
    const area = of.layer.areas.find((x) => x.id === id);
    return area?.name ? `${id} ${area.name}` : id;
  });
  if (missing.length > 0) {
    throw new FootprintError(`${missing.length} area(s) of layer "${of.name}" that hold residents have no row, so their units would have no area: ${firstFew(missing)}`, {
      location: { file: table.file, column: options.key },
    });
  }
  const target = Int32Array.from(cw.areaIds, (id) => lookup.areaOf.get(id) ?? -1);
  const n = cw.unitIds.length;
  const start = new Int32Array(n + 1);
  const area: number[] = [];
  const weight: number[] = [];
  const geometry: PlanarMultiPolygon[] | null = cw.pieceGeometry ? [] : null;
  for (let u = 0; u < n; u++) {
    start[u] = area.length;
    const merged = new Map<number, { weight: number; shapes: PlanarMultiPolygon }>();
    for (let p = cw.start[u]; p < cw.start[u + 1]; p++) {
      const a = target[cw.area[p]];
      const entry = merged.get(a) ?? { weight: 0, shapes: [] };
      entry.weight += cw.weight[p];
      // Pieces of one unit in different wards do not overlap, so their polygons side by side are their union.
      if (cw.pieceGeometry) entry.shapes = entry.shapes.concat(cw.pieceGeometry[p]);
      merged.set(a, entry);
    }
    for (const [a, entry] of [...merged.entries()].sort((x, y) => x[0] - y[0])) {
      area.push(a);
      weight.push(entry.weight);
      geometry?.push(entry.shapes);
    }
  }
  start[n] = area.length;
  return { ...lookup, shares: { start, area: Int32Array.from(area), weight: Float64Array.from(weight), geometry } };
}
