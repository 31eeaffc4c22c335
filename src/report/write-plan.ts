import { join } from 'node:path';
import { hasShape } from '../align/source/derived.js';
import type { PlanOutcome } from '../pipeline/types.js';
import { writeFileAtomic, writeGeoJson } from '../layers/write.js';
import type { FeatureCollection } from 'geojson';
import { footprintMap, splitMap, type AreaFeature } from './map.js';
import { assignmentCollection, assignmentCsv, derivedLayerCollections, footprintCollection, planDetails, type PlanDetails } from './plan.js';
import { planMarkdown } from './plan-markdown.js';
import { evidenceChart } from './evidence-chart.js';
import { evidenceCsv } from '../evidence/csv.js';

/** Map files of a plan (name → SVG text): the footprints, and one split map per service layer. */
export function planMaps(outcome: PlanOutcome, details: PlanDetails, footprints: FeatureCollection): Record<string, string> {
  const shapes = footprints.features as AreaFeature[];
  const layers = outcome.workspace.layers;
  const maps: Record<string, string> = {
    'footprints.svg': footprintMap({
      title: `${shapes.length} footprints and today's service boundaries`,
      footprints: shapes,
      overlays: layers.map((l) => ({ name: l.name, features: l.layer.areas.filter(hasShape).map((a): AreaFeature => ({ type: 'Feature', properties: { id: a.id }, geometry: a.geometry })) })),
    }),
    'evidence.svg': evidenceChart(details.evidence),
  };
  layers.forEach((l, j) => {
    maps[`split-${l.name}.svg`] = splitMap({
      title: `${l.name}: residents split off by the footprints`,
      footprints: shapes,
      areas: l.layer.areas.flatMap((a, i): AreaFeature[] =>
        hasShape(a) ? [{ type: 'Feature', properties: { id: a.id, name: a.name ?? a.id, split_share: details.areaSplitShares[j][i] }, geometry: a.geometry }] : [],
      ),
    });
  });
  return maps;
}

export interface WrittenPlan {
  files: string[];
}

/**
 * Write a plan's outputs into a folder: footprints.geojson, assignment.geojson, assignment.csv,
 * evidence.csv, report.md and the maps and chart it shows (footprints.svg, split-<layer>.svg,
 * evidence.svg). Each file is written
 * atomically, so an interrupted run never leaves half a file.
 */
export function writePlanOutputs(outcome: PlanOutcome, outDir: string, options: { title: string; command?: string }): WrittenPlan {
  const details = planDetails(outcome);
  const files = {
    footprints: join(outDir, 'footprints.geojson'),
    assignmentGeoJson: join(outDir, 'assignment.geojson'),
    assignmentCsv: join(outDir, 'assignment.csv'),
    report: join(outDir, 'report.md'),
    evidence: join(outDir, 'evidence.csv'),
  };
  const footprints = footprintCollection(outcome, details);
  writeGeoJson(files.footprints, footprints);
  writeGeoJson(files.assignmentGeoJson, assignmentCollection(outcome));
  writeFileAtomic(files.assignmentCsv, assignmentCsv(outcome));
  writeFileAtomic(files.evidence, evidenceCsv(details.evidence));
  const derived = derivedLayerCollections(outcome).map(({ name, collection }) => {
    const path = join(outDir, 'layers', `${name}.geojson`);
    writeGeoJson(path, collection);
    return path;
  });
  const maps = planMaps(outcome, details, footprints);
  for (const [name, svg] of Object.entries(maps)) writeFileAtomic(join(outDir, name), svg);
  const layerMaps = Object.fromEntries(outcome.workspace.layers.map((l) => [l.name, `split-${l.name}.svg`]));
  writeFileAtomic(files.report, planMarkdown(outcome, details, { title: options.title, command: options.command, folder: outDir, maps: { footprints: 'footprints.svg', layers: layerMaps, evidence: 'evidence.svg' } }));
  return { files: [...Object.values(files), ...derived, ...Object.keys(maps).map((name) => join(outDir, name))] };
}
