import type { FeatureCollection } from 'geojson';
import { hasShape } from '../align/source/derived.js';
import { stringifyFeatureCollection } from '../geometry/rfc7946.js';
import type { OutputWriter } from '../io/output-folder.js';
import type { PlanOutcome } from '../pipeline/types.js';
import { geopackageBytes, gpkgLayerName, type GpkgLayer } from './gpkg.js';
import { reportHtml } from './html.js';
import { printPdf } from './pdf.js';
import { qgisProject, type QgisLayer } from './qgis.js';
import type { WrittenPlan } from './write-plan.js';
import { compositionSheet, evidenceSheet, servicesSheet, workbookBytes, type SheetTable } from './xlsx.js';

/**
 * The outputs for a Board and a GIS team, built from what writePlanOutputs wrote (never computed
 * a second time): report.html (the report for screen and A4 print) and evidence.xlsx always;
 * report.pdf with `pdf`; footprints.gpkg and the QGIS project footprints.qgs with `gpkg`. Written
 * through the same writer, so they land in the output folder's staging with everything else.
 */

export interface BoardOptions {
  title: string;
  /** Write footprints.gpkg and footprints.qgs. */
  gpkg?: boolean;
  /** Print report.pdf with this Chromium program (see pdf.ts findChromium). */
  chromium?: string;
  /** More sheets for the workbook (a services table…), after evidence and composition. */
  tables?: SheetTable[];
}

/** Each service layer's areas with the share of their residents the plan splits off, as on the split maps. */
function splitCollections(outcome: PlanOutcome, written: WrittenPlan): Array<{ name: string; collection: FeatureCollection }> {
  return outcome.workspace.layers.map((l, j) => ({
    name: `split_${l.name}`,
    collection: {
      type: 'FeatureCollection',
      features: l.layer.areas.flatMap((a, i) =>
        hasShape(a)
          ? [{ type: 'Feature' as const, properties: { id: a.id, name: a.name ?? a.id, split_share: Math.round(written.content.details.areaSplitShares[j][i] * 1e6) / 1e6 }, geometry: a.geometry! }]
          : [],
      ),
    },
  }));
}

/** [west, south, east, north] of a GeoJSON text's coordinates. */
function extentOf(geojson: string): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number' && typeof value[1] === 'number') {
      box[0] = Math.min(box[0], value[0]);
      box[1] = Math.min(box[1], value[1]);
      box[2] = Math.max(box[2], value[0]);
      box[3] = Math.max(box[3], value[1]);
      return;
    }
    for (const v of value) visit(v);
  };
  for (const f of (JSON.parse(geojson) as FeatureCollection).features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return Number.isFinite(box[0]) ? box : [-180, -90, 180, 90];
}

/** Write the Board and GIS outputs; returns the paths written. */
export async function writeBoardOutputs(outcome: PlanOutcome, out: OutputWriter, written: WrittenPlan, options: BoardOptions): Promise<string[]> {
  const files: string[] = [];
  const { details, markdown, maps, layers } = written.content;
  const html = reportHtml(markdown, { title: options.title, images: maps });
  files.push(out.write('report.html', html));
  if (options.chromium) files.push(out.write('report.pdf', printPdf(html, options.chromium)));
  const services = details.evidence.services.length > 0 ? [servicesSheet(details.evidence)] : [];
  const sheets = [evidenceSheet(details.evidence), ...services, compositionSheet(details.evidence), ...(options.tables ?? [])];
  files.push(out.write('evidence.xlsx', await workbookBytes(sheets)));
  if (options.gpkg) {
    const splits = splitCollections(outcome, written).filter((s) => s.collection.features.length > 0);
    const derived = layers.filter((l) => l.name !== 'footprints' && l.name !== 'assignment');
    const gpkgLayers: GpkgLayer[] = [
      ...layers.filter((l) => l.name === 'footprints' || l.name === 'assignment'),
      ...splits.map((s) => ({ name: s.name, geojson: stringifyFeatureCollection(s.collection) })),
      ...derived.map((l) => ({ name: `layer_${l.name}`, geojson: l.geojson })),
    ];
    files.push(out.write('footprints.gpkg', geopackageBytes(gpkgLayers)));
    const evidence = details.evidence;
    const qgisLayers: QgisLayer[] = [
      { table: 'footprints', kind: 'boundaries', title: 'footprint boundaries', visible: true },
      { table: 'footprints', kind: 'footprints', title: 'footprints', visible: true },
      ...splits.map((s, i): QgisLayer => ({ table: gpkgLayerName(s.name), kind: 'split', title: `${s.name.slice('split_'.length)}: split by the footprints`, visible: i === 0 })),
      ...derived.map((l): QgisLayer => ({ table: gpkgLayerName(`layer_${l.name}`), kind: 'outline', title: `${l.name} (derived areas)`, visible: false })),
      { table: 'assignment', kind: 'outline', title: 'assignment (units)', visible: false },
    ];
    const footprints = evidence.footprintIds.map((id, f) => ({ id, label: evidence.names[f] && evidence.names[f] !== id ? `${id} ${evidence.names[f]}` : id }));
    const extent = extentOf(layers.find((l) => l.name === 'footprints')!.geojson);
    files.push(out.write('footprints.qgs', qgisProject({ title: options.title, gpkg: 'footprints.gpkg', layers: qgisLayers, footprints, extent })));
  }
  return files;
}
