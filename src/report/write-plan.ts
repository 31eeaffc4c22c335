import { mdText } from './escape.js';
import { dirname } from 'node:path';
import { hasShape } from '../align/source/derived.js';
import type { PlanOutcome } from '../pipeline/types.js';
import type { RunConfig } from '../scenario/config.js';
import { prepareOutputFolder, writeOutputFolder, type OutputWriter } from '../io/output-folder.js';
import { featureCollectionChunks, stringifyFeatureCollection } from '../geometry/rfc7946.js';
import type { FeatureCollection } from 'geojson';
import { MANY_FOOTPRINTS, footprintMap, shortFootprintId, splitMap, type AreaFeature } from './map.js';
import { assignmentCollection, assignmentCsv, derivedLayerCollections, footprintCollection, planDetails, type PlanDetails } from './plan.js';
import { planMarkdown } from './plan-markdown.js';
import { evidenceChart } from './evidence-chart.js';
import { evidenceCsv } from '../evidence/csv.js';
import { compositionMarkdown, WIDE_FOOTPRINTS } from './evidence-markdown.js';
import { areaOverviewMap } from './overview.js';
import { servicesCsv } from '../evidence/services-csv.js';
import { servicesChart } from './services-chart.js';

/** File name of a nesting area's own map: in a folder of their own, as a nation has hundreds. */
export function areaMapName(code: string): string {
  return `areas/${code.replace(/[^\w.-]+/g, '_')}.svg`;
}

/**
 * Map files of a plan (name → SVG text): the footprints (with many, coloured so that neighbours
 * differ, and without the service boundaries, which the split maps show), one split map per
 * service layer, and for a nested plan one overview per nesting area.
 */
export function planMaps(outcome: PlanOutcome, details: PlanDetails, footprints: FeatureCollection): Record<string, string> {
  const shapes = footprints.features as AreaFeature[];
  const layers = outcome.workspace.layers;
  const shapesOf = (l: (typeof layers)[number]) => l.layer.areas.filter(hasShape).map((a): AreaFeature => ({ type: 'Feature', properties: { id: a.id, name: a.name ?? a.id }, geometry: a.geometry }));
  const nestingLayer = outcome.nesting ? layers.find((l) => l.name === outcome.nesting!.layer) : undefined;
  const nesting = nestingLayer ? { name: nestingLayer.name, features: shapesOf(nestingLayer) } : undefined;
  const many = shapes.length > MANY_FOOTPRINTS;
  // Many footprints nested in areas: the overview shows areas (k, proof), not footprint numbers.
  const overview = outcome.nesting && many ? areaOverviewMap({ areas: outcome.nesting.areas, footprints: shapes, layer: outcome.nesting.layer, title: `${shapes.length} footprints in ${outcome.nesting.areas.filter((a) => a.failure === null).length} areas of ${outcome.nesting.layer}` }) : null;
  const maps: Record<string, string> = {
    'footprints.svg': overview ?? footprintMap({
      title: `${shapes.length} footprints${nesting ? ` in ${outcome.nesting!.areas.filter((a) => a.failure === null).length} areas of ${nesting.name}` : many ? '' : " and today's service boundaries"}`,
      footprints: shapes,
      overlays: many ? [] : layers.filter((l) => l !== nestingLayer).map((l) => ({ name: l.name, features: shapesOf(l) })),
      nesting,
    }),
    'evidence.svg': evidenceChart(details.evidence),
  };
  if (details.evidence.services.length > 0) maps['services.svg'] = servicesChart(details.evidence);
  layers.forEach((l, j) => {
    maps[`split-${l.name}.svg`] = splitMap({
      title: `${l.name}: residents split off by the footprints`,
      footprints: shapes,
      areas: l.layer.areas.flatMap((a, i): AreaFeature[] =>
        hasShape(a) ? [{ type: 'Feature', properties: { id: a.id, name: a.name ?? a.id, split_share: details.areaSplitShares[j][i] }, geometry: a.geometry }] : [],
      ),
    });
  });
  for (const area of outcome.nesting?.areas ?? []) {
    if (area.failure !== null || area.footprints.length === 0) continue;
    const inArea = new Set(area.footprints);
    // Short ids (F1…) on an area's own map: the report's section for the area uses the same.
    const own = area.footprints.map((f): AreaFeature => ({ ...shapes[f], properties: { ...shapes[f].properties, footprint: shortFootprintId(outcome.footprintIds[f]) } }));
    maps[areaMapName(area.code)] = footprintMap({
      title: `${area.code}${area.name !== area.code ? ` ${area.name}` : ''}: ${own.length} footprint${own.length === 1 ? '' : 's'}`,
      footprints: own,
      // Within one area the service boundaries stay readable: those of the areas mostly inside it.
      overlays: layers
        .filter((l) => l !== nestingLayer && l.kind === 'polygons')
        .map((l) => {
          // Areas with most of their residents in this area's footprints.
          const cw = l.crosswalk;
          const inside = new Float64Array(cw.areaIds.length);
          const total = new Float64Array(cw.areaIds.length);
          for (let u = 0; u < cw.unitIds.length; u++) {
            for (let p = cw.start[u]; p < cw.start[u + 1]; p++) {
              const people = outcome.workspace.populations[u] * cw.weight[p];
              total[cw.area[p]] += people;
              if (inArea.has(outcome.assignment[u])) inside[cw.area[p]] += people;
            }
          }
          return { name: l.name, features: l.layer.areas.flatMap((a, i): AreaFeature[] => (inside[i] > total[i] / 2 && hasShape(a) ? [{ type: 'Feature', properties: { id: a.id }, geometry: a.geometry }] : [])) };
        }),
    });
  }
  return maps;
}

export interface WrittenPlan {
  /** Final paths of the files written, in the order written. */
  files: string[];
  /** What was written, for the outputs built from it (report/board.ts: HTML, PDF, workbook, GeoPackage). */
  content: {
    details: PlanDetails;
    markdown: string;
    /** SVG maps and charts by file name. */
    maps: Record<string, string>;
    /** The GeoJSON layers written, by layer name: footprints, assignment, and each derived layer. */
    layers: Array<{ name: string; geojson: string }>;
  };
}

/** The files a run reads, which its output folder must neither be nor hold. */
export function configInputs(config: RunConfig): string[] {
  const evidence = config.evidence;
  return [
    config.units.file,
    ...config.layers.map((l) => l.file),
    ...Object.values(evidence.points),
    ...Object.values(evidence.assets ?? {}).map((a) => a.file),
    ...(evidence.tables ?? []).map((t) => t.file),
    ...(evidence.resources ?? []).flatMap((r) => (r.file === undefined ? [] : [r.file])),
    ...(evidence.services ?? []).flatMap((s) => (s.current?.file === undefined ? [] : [s.current.file])),
  ];
}

/**
 * Write a plan's outputs: footprints.geojson, assignment.geojson, assignment.csv, evidence.csv,
 * services.csv (when the scenario declares services), report.md, the maps and chart it shows (footprints.svg, split-<layer>.svg, evidence.svg) and the
 * layers the run derived (layers/<name>.geojson). Given a folder path, the folder is checked, staged
 * and swapped in as one unit (io/output-folder.ts); given a writer, the files go into it and
 * the caller commits.
 */
export function writePlanOutputs(outcome: PlanOutcome, out: string | OutputWriter, options: { title: string; command?: string; statusLine?: string }): WrittenPlan {
  if (typeof out === 'string') {
    const folder = prepareOutputFolder(out, { inputs: configInputs(outcome.workspace.config), label: 'output folder' });
    const { result } = writeOutputFolder(folder, (writer) => writePlanOutputs(outcome, writer, options));
    return result;
  }
  const details = planDetails(outcome);
  const files: string[] = [];
  const layers: WrittenPlan['content']['layers'] = [];
  // Written feature by feature (a national file need not fit in one string); the text for the
  // GeoPackage is made only when asked for (--gpkg).
  const writeLayer = (path: string, name: string, collection: FeatureCollection) => {
    layers.push({
      name,
      get geojson() {
        return stringifyFeatureCollection(collection);
      },
    });
    files.push(out.write(path, featureCollectionChunks(collection)));
  };
  const footprints = footprintCollection(outcome, details);
  writeLayer('footprints.geojson', 'footprints', footprints);
  writeLayer('assignment.geojson', 'assignment', assignmentCollection(outcome));
  files.push(out.write('assignment.csv', assignmentCsv(outcome)));
  files.push(out.write('evidence.csv', evidenceCsv(details.evidence)));
  const services = details.evidence.services.length > 0;
  if (services) files.push(out.write('services.csv', servicesCsv(details.evidence)));
  for (const { name, collection } of derivedLayerCollections(outcome)) writeLayer(`layers/${name}.geojson`, name, collection);
  const layerMaps = Object.fromEntries(outcome.workspace.layers.map((l) => [l.name, `split-${l.name}.svg`]));
  const folder = dirname(files[0]);
  const areaMaps = Object.fromEntries((outcome.nesting?.areas ?? []).filter((a) => a.failure === null).map((a) => [a.code, areaMapName(a.code)]));
  const composition = outcome.footprintIds.length > WIDE_FOOTPRINTS && details.evidence.composition.length > 0 ? 'composition.md' : undefined;
  const markdown = planMarkdown(outcome, details, { title: options.title, command: options.command, statusLine: options.statusLine, folder, compositionFile: composition, maps: { footprints: 'footprints.svg', layers: layerMaps, evidence: 'evidence.svg', areas: areaMaps, ...(services ? { services: 'services.svg' } : {}) } });
  files.push(out.write('report.md', markdown));
  if (composition) files.push(out.write(composition, `# What each footprint is made of: ${mdText(options.title)}\n\n${compositionMarkdown(details.evidence)}`));
  const maps = planMaps(outcome, details, footprints);
  for (const [name, svg] of Object.entries(maps)) files.push(out.write(name, svg));
  return { files, content: { details, markdown, maps, layers } };
}
