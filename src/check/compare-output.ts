/**
 * What `footprint compare` writes and prints: the JSON per plan (objective, terms, footprints
 * matched to the reference's with their evidence, changed units) and the files of --out: a map of
 * the units that change footprint per plan, compare.md and compare.json.
 */
import type { OutputWriter } from '../io/output-folder.js';
import { dissolve } from '../geometry/dissolve.js';
import { jsonText } from '../geometry/rfc7946.js';
import type { Workspace } from '../pipeline/types.js';
import { differenceMap, type AreaFeature } from '../report/map.js';
import type { ComparedPlan } from './compare.js';
import { evidenceJson } from './compare-evidence.js';
import { servicesCompareJson } from './compare-services.js';

/** The JSON of a comparison (`footprint compare --json`, and compare.json); `names` as the user gave the plans. */
export function compareJson(compared: ComparedPlan[], names: string[]) {
  const evidence = compared.map((p, i) => evidenceJson(p, i === 0 ? null : compared[0]));
  const services = compared.map((p, i) => servicesCompareJson(p, i === 0 ? null : compared[0]));
  return compared.map((p, i) => ({
    plan: names[i],
    objective: p.objective,
    terms: p.terms,
    compactness: p.compactness,
    footprints: p.footprintIds.map((id, f) => ({ id, population: p.populations[f], matchedTo: i === 0 ? id : p.matchedTo[f], ...evidence[i][f], ...(p.evidence.services.length > 0 ? services[i][f] : {}) })),
    changedUnits: i === 0 ? [] : p.changedUnits,
    changedPopulation: i === 0 ? 0 : p.changedPopulation,
    partial: p.partial !== null,
    ...(p.partial ? { missingUnits: p.partial.missingUnits, unknownUnits: p.partial.unknownUnits } : {}),
  }));
}

/** The map file of each plan after the reference (null for the reference), as compare.md links them. */
export function compareMapNames(compared: ComparedPlan[]): Array<string | null> {
  return compared.map((_, i) => (i === 0 ? null : `changes-${i}.svg`));
}

/** The footprints of a plan as polygons, for drawing. */
function dissolvePlan(workspace: Workspace, plan: ComparedPlan): AreaFeature[] {
  return plan.footprintIds.map((id, f) => ({
    type: 'Feature',
    properties: { footprint: id },
    geometry: dissolve(workspace.units.areas.filter((_, u) => plan.assignment[u] === f).map((a) => a.geometry)),
  }));
}

/** Writes the change maps, compare.md and compare.json; returns the paths of the last two. */
export function writeCompareOutputs(folder: OutputWriter, workspace: Workspace, compared: ComparedPlan[], names: string[], markdown: string): { markdown: string; json: string } {
  const maps = compareMapNames(compared);
  const reference = dissolvePlan(workspace, compared[0]);
  compared.forEach((p, i) => {
    if (i === 0) return;
    const svg = differenceMap({
      title: `Units that change footprint (plan ${i + 1} against plan 1)`,
      footprints: reference,
      // Footprints of plan i in the reference's numbering, so unchanged units read "from F2 to F2".
      units: workspace.units.areas.map((a, u): AreaFeature => ({
        type: 'Feature',
        properties: { id: a.id, from: compared[0].footprintIds[compared[0].assignment[u]] ?? '–', to: p.assignment[u] >= 0 ? p.matchedTo[p.assignment[u]] : '–' },
        geometry: a.geometry,
      })),
    });
    folder.write(maps[i]!, svg);
  });
  return { markdown: folder.write('compare.md', markdown), json: folder.write('compare.json', jsonText(compareJson(compared, names))) };
}
