import type { Feature, FeatureCollection } from 'geojson';
import { misalignment, type PlanMisalignment } from '../align/measures.js';
import type { Crosswalk } from '../align/types.js';
import { evidenceProperties } from '../evidence/csv.js';
import { planEvidence, type PlanEvidence } from '../evidence/evidence.js';
import { dissolve } from '../geometry/dissolve.js';
import { formatCsv } from '../io/csv.js';
import type { PlanOutcome } from '../pipeline/types.js';
import { hasShape } from '../align/source/derived.js';

/**
 * Per footprint, the residents of a layer's areas that sit in this footprint although most of
 * their area's residents are in another: summed over footprints this is exactly S(L|F)·N, so
 * each footprint's share of every objective term can be shown and added up by hand.
 */
export function splitContributions(cw: Crosswalk, populations: ArrayLike<number>, assignment: ArrayLike<number>, k: number): { perFootprint: number[]; perArea: Float64Array; total: number } {
  const nAreas = cw.areaIds.length;
  const table = new Float64Array(nAreas * k);
  let total = 0;
  for (let u = 0; u < assignment.length; u++) {
    const f = assignment[u];
    if (f < 0) continue;
    for (let p = cw.start[u]; p < cw.start[u + 1]; p++) {
      const value = populations[u] * cw.weight[p];
      table[cw.area[p] * k + f] += value;
      total += value;
    }
  }
  const perFootprint = new Array<number>(k).fill(0);
  // Per area: the share of its residents outside its largest piece (0 = whole), for split maps.
  const perArea = new Float64Array(nAreas);
  for (let a = 0; a < nAreas; a++) {
    let best = 0;
    let sum = 0;
    for (let f = 0; f < k; f++) {
      sum += table[a * k + f];
      if (table[a * k + f] > table[a * k + best]) best = f;
    }
    for (let f = 0; f < k; f++) if (f !== best) perFootprint[f] += table[a * k + f];
    perArea[a] = sum > 0 ? (sum - table[a * k + best]) / sum : 0;
  }
  return { perFootprint: perFootprint.map((v) => (total > 0 ? v / total : 0)), perArea, total };
}

export interface PlanDetails {
  misalignment: PlanMisalignment[];
  evidence: PlanEvidence;
  /** Per layer, per footprint share of S(L|F) (see splitContributions). */
  contributions: number[][];
  /** Per layer, per area share of residents outside the area's largest piece. */
  areaSplitShares: Float64Array[];
}

export function planDetails(outcome: PlanOutcome): PlanDetails {
  const { workspace, assignment, footprintIds } = outcome;
  const k = footprintIds.length;
  const config = workspace.config;
  const splits = workspace.layers.map((l) => splitContributions(l.crosswalk, workspace.populations, assignment, k));
  return {
    misalignment: workspace.layers.map((l) =>
      misalignment(l.crosswalk, workspace.populations, assignment, { footprintIds, sliverTolerance: config.sliverTolerance, mostSplit: 15 }),
    ),
    evidence: planEvidence(workspace.evidence, { units: workspace.units, populations: workspace.populations, layers: workspace.layers }, assignment, footprintIds),
    contributions: splits.map((s) => s.perFootprint),
    areaSplitShares: splits.map((s) => s.perArea),
  };
}

/** Dissolved footprint polygons with their populations, objective shares and evidence. */
export function footprintCollection(outcome: PlanOutcome, details: PlanDetails): FeatureCollection {
  const { workspace, assignment, footprintIds, populations } = outcome;
  const { min, max } = workspace.config;
  const k = footprintIds.length;
  const mean = populations.reduce((s, p) => s + p, 0) / k;
  // Nested plans: each footprint's area of the nesting layer.
  const areaOf = outcome.nesting ? new Array<string>(k) : null;
  for (const a of outcome.nesting?.areas ?? []) for (const f of a.footprints) areaOf![f] = a.code;
  const features: Feature[] = footprintIds.map((id, f) => {
    const members = workspace.units.areas.filter((_, u) => assignment[u] === f);
    const properties: Record<string, unknown> = {
      footprint: id,
      ...(areaOf ? { area: areaOf[f] } : {}),
      name: details.evidence.names[f],
      population: populations[f],
      deviation: Math.round(populations[f] - mean),
      deviation_pct: Number((((populations[f] - mean) / mean) * 100).toFixed(2)),
      within_bounds: populations[f] >= min && populations[f] <= max,
      units: members.length,
    };
    workspace.layers.forEach((layer, j) => {
      properties[`split_${layer.name}`] = Number(details.contributions[j][f].toFixed(6));
    });
    // Population is already there; the rest of the evidence as evidence.csv has it.
    for (const [name, value] of Object.entries(evidenceProperties(details.evidence, f))) if (name !== 'population') properties[name] = value;
    return { type: 'Feature', properties, geometry: dissolve(members.map((m) => m.geometry)) };
  });
  return { type: 'FeatureCollection', features };
}

/** Every unit with the footprint it is in, for joining in QGIS or a spreadsheet. */
export function assignmentCollection(outcome: PlanOutcome): FeatureCollection {
  const { workspace, assignment, footprintIds } = outcome;
  return {
    type: 'FeatureCollection',
    features: workspace.units.areas.map((unit, u) => ({
      type: 'Feature',
      properties: { unit_id: unit.id, footprint: footprintIds[assignment[u]], population: unit.population },
      geometry: unit.geometry,
    })),
  };
}

export function assignmentCsv(outcome: PlanOutcome): string {
  const { workspace, assignment, footprintIds } = outcome;
  return formatCsv(
    ['unit_id', 'footprint', 'population'],
    workspace.units.areas.map((unit, u) => [unit.id, footprintIds[assignment[u]], unit.population ?? '']),
  );
}

/**
 * The polygons of every layer the run derived rather than read (catchments of sites, areas of a
 * lookup or membership table), one dissolved feature per area with its name, units and residents,
 * so GIS staff can open them, check them against what the service knows, and correct them.
 */
export function derivedLayerCollections(outcome: PlanOutcome): Array<{ name: string; collection: FeatureCollection }> {
  const { workspace } = outcome;
  return workspace.layers
    .filter((l) => l.kind !== 'polygons')
    .map((l) => {
      const cw = l.crosswalk;
      const units = new Int32Array(cw.areaIds.length);
      const residents = new Float64Array(cw.areaIds.length);
      for (let u = 0; u < cw.unitIds.length; u++) {
        let home = -1;
        for (let p = cw.start[u]; p < cw.start[u + 1]; p++) {
          residents[cw.area[p]] += workspace.populations[u] * cw.weight[p];
          if (home < 0 || cw.weight[p] > cw.weight[home]) home = p;
        }
        if (home >= 0) units[cw.area[home]]++;
      }
      // A layer's areas are in the order of its crosswalk's areaIds, so `a` indexes both.
      const features: Feature[] = l.layer.areas.flatMap((area, a): Feature[] =>
        hasShape(area)
          ? [{ type: 'Feature', properties: { id: area.id, name: area.name ?? null, ...(l.areaFacts?.[a] ?? {}), units: units[a], residents: Math.round(residents[a] * 100) / 100 }, geometry: area.geometry }]
          : [],
      );
      return { name: l.name, collection: { type: 'FeatureCollection', features } };
    });
}