import { extname } from 'node:path';
import { FootprintError } from '../errors.js';
import { csvTextValue } from '../io/csv.js';
import { cellText, readTable } from '../io/table.js';
import { featureIdValue, loadLayer, readRawLayer } from './load.js';
import type { Layer } from './types.js';

/** One row of an assignment: a unit and the footprint it is in, with where it was read. */
export interface AssignmentRow {
  unit: string;
  footprint: string;
  /** "plan.csv:12" or "plan.geojson feature 3", for findings. */
  where: string;
}

export type PlanFile =
  | { kind: 'assignment'; source: string; rows: AssignmentRow[] }
  | { kind: 'footprints'; source: string; layer: Layer };

const UNIT_COLUMNS = ['unit_id', 'unit', 'unit_code', 'code', 'id'];
const FOOTPRINT_COLUMNS = ['footprint', 'footprint_id', 'plan', 'district', 'zone'];

function pickColumn(header: string[], preferred: string[], exclude: number): number {
  const lower = header.map((h) => h.trim().toLowerCase());
  for (const name of preferred) {
    const i = lower.indexOf(name.toLowerCase());
    if (i >= 0 && i !== exclude) return i;
  }
  return -1;
}

/**
 * Read a plan: an assignment CSV (unit id, footprint), an assignment GeoJSON (unit features with a
 * `footprint` property, as `footprint optimise` writes), or footprint polygons, which are matched to
 * units by overlay afterwards. `unitIdField` is the units' id field, accepted as the unit column;
 * `displayName` is how findings name the file (the path as the user typed it).
 */
export function readPlanFile(path: string, { unitIdField, displayName = path }: { unitIdField?: string; displayName?: string } = {}): PlanFile {
  const unitNames = unitIdField ? [...UNIT_COLUMNS, unitIdField] : UNIT_COLUMNS;
  if (extname(path).toLowerCase() === '.csv') {
    const table = readTable(path);
    if (table.columns.length < 2) {
      throw new FootprintError('an assignment CSV needs a header with a unit column and a footprint column (e.g. "unit_id,footprint")', { location: { file: path, line: 1 } });
    }
    const footprintColumn = pickColumn(table.columns, FOOTPRINT_COLUMNS, -1);
    if (footprintColumn < 0) {
      throw new FootprintError(`no footprint column (looked for ${FOOTPRINT_COLUMNS.join(', ')})`, { location: { file: path, line: 1 } });
    }
    let unitColumn = pickColumn(table.columns, unitNames, footprintColumn);
    if (unitColumn < 0) unitColumn = footprintColumn === 0 ? 1 : 0;
    const [unitName, footprintName] = [table.columns[unitColumn], table.columns[footprintColumn]];
    return {
      kind: 'assignment',
      source: path,
      rows: table.rows.map((row) => {
        // Ids our own assignment.csv wrote with a quote against spreadsheet formulas (io/csv.ts) read back as they were.
        const unit = csvTextValue(cellText(row.cells[unitName]) ?? '');
        const footprint = csvTextValue(cellText(row.cells[footprintName]) ?? '');
        if (unit === '' || footprint === '') {
          throw new FootprintError(`row has an empty ${unit === '' ? `"${unitName}"` : `"${footprintName}"`} cell`, { location: { file: path, line: row.position } });
        }
        return { unit, footprint, where: `${displayName}:${row.position}` };
      }),
    };
  }

  const raw = readRawLayer(path);
  const hasFootprint = raw.features.every((f) => f.properties.footprint !== undefined && f.properties.footprint !== null);
  const unitField = unitNames.find((name) => raw.features.every((f) => f.properties[name] !== undefined && f.properties[name] !== null));
  if (hasFootprint && unitField && unitField !== 'footprint') {
    return {
      kind: 'assignment',
      source: path,
      rows: raw.features.map((f) => ({
        unit: featureIdValue(f, unitField) ?? '',
        footprint: String(f.properties.footprint),
        where: `${displayName} feature ${f.index}`,
      })),
    };
  }
  const idField = ['footprint', 'id', 'name', 'code'].find((name) => raw.features.every((f) => featureIdValue(f, name) !== null));
  return { kind: 'footprints', source: path, layer: loadLayer(path, { idField: idField, populationField: false, name: 'footprints' }) };
}
