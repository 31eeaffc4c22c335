import { FootprintError } from '../../errors.js';
import type { Layer } from '../../layers/types.js';
import { cellNumber, cellText, requireColumn, rowLocation, type Table } from '../../io/table.js';
import { commonestName, sortedIds, type UnitShares } from './derived.js';
import { firstFew } from './lookup.js';
import { formatInteger } from '../../format.js';

export interface MembershipOptions {
  key: string;
  area: string;
  count: string;
  areaName?: string;
}

export interface Membership {
  areaIds: string[];
  areaNames: Array<string | undefined>;
  /** w(u,a) = count(u,a) / Σ_a count(u,a); no geometry: members are not placed within units. */
  shares: UnitShares;
  /** Members per area among the units. */
  members: Float64Array;
  notes: string[];
}

/**
 * Shares of each unit's members (registered patients, pupils) in each area. Rows for the same unit
 * and area are added (a table by practice read with the PCN as the area). Rows for units outside the
 * units are members living elsewhere: they are left out, and counted in a note.
 */
export function readMembership(units: Layer, table: Table, options: MembershipOptions): Membership {
  const keyColumn = requireColumn(table, options.key, 'unit code column');
  const areaColumn = requireColumn(table, options.area, 'area column');
  const countColumn = requireColumn(table, options.count, 'count column');
  const nameColumn = options.areaName ? requireColumn(table, options.areaName, 'area name column') : null;
  const unitIndex = new Map(units.areas.map((a, u) => [a.id, u]));
  const cells = new Map<string, number>();
  const names = new Map<string, string[]>();
  let outsideRows = 0;
  let outsideMembers = 0;
  for (const row of table.rows) {
    const key = cellText(row.cells[keyColumn]);
    if (key === null) throw new FootprintError('the unit code is empty', { location: rowLocation(table, row, keyColumn) });
    const area = cellText(row.cells[areaColumn]);
    if (area === null) throw new FootprintError(`unit ${key} has an empty area`, { location: rowLocation(table, row, areaColumn) });
    const count = cellNumber(row.cells[countColumn]);
    if (count === null || Number.isNaN(count)) {
      throw new FootprintError(`the count ${JSON.stringify(row.cells[countColumn] ?? '')} is not a number`, { location: rowLocation(table, row, countColumn) });
    }
    if (count < 0) throw new FootprintError(`the count ${count} is negative`, { location: rowLocation(table, row, countColumn) });
    const u = unitIndex.get(key);
    if (u === undefined) {
      outsideRows++;
      outsideMembers += count;
      continue;
    }
    const cellKey = `${u}\u0000${area}`;
    cells.set(cellKey, (cells.get(cellKey) ?? 0) + count);
    if (nameColumn) {
      const name = cellText(row.cells[nameColumn]);
      if (name !== null) names.set(area, [...(names.get(area) ?? []), name]);
    }
  }
  const perUnit: Array<Array<[string, number]>> = units.areas.map(() => []);
  for (const [cellKey, count] of cells) {
    const [u, area] = cellKey.split('\u0000');
    if (count > 0) perUnit[Number(u)].push([area, count]);
  }
  const missing = units.areas.filter((_, u) => perUnit[u].length === 0).map((a) => (a.name ? `${a.id} ${a.name}` : a.id));
  if (missing.length > 0) {
    throw new FootprintError(`${missing.length} unit(s) have no members in the table, so no area: ${firstFew(missing)}`, { location: { file: table.file, column: keyColumn } });
  }
  const areaIds = sortedIds(perUnit.flatMap((list) => list.map(([a]) => a)));
  const index = new Map(areaIds.map((id, a) => [id, a]));
  const start = new Int32Array(units.areas.length + 1);
  const area: number[] = [];
  const weight: number[] = [];
  const members = new Float64Array(areaIds.length);
  perUnit.forEach((list, u) => {
    start[u] = area.length;
    const total = list.reduce((s, [, c]) => s + c, 0);
    for (const [id, count] of list.sort((x, y) => index.get(x[0])! - index.get(y[0])!)) {
      area.push(index.get(id)!);
      weight.push(count / total);
      members[index.get(id)!] += count;
    }
  });
  start[units.areas.length] = area.length;
  const notes: string[] = [];
  if (outsideRows > 0) notes.push(`${outsideRows} row(s) (${formatInteger(outsideMembers)} members) are for units outside ${units.source}; left out`);
  return {
    areaIds,
    areaNames: areaIds.map((id) => commonestName(names.get(id) ?? [])),
    shares: { start, area: Int32Array.from(area), weight: Float64Array.from(weight), geometry: null },
    members,
    notes,
  };
}
