import { crosswalk } from '../align/crosswalk.js';
import type { Layer } from '../layers/types.js';
import type { PlanFile } from '../layers/plan-file.js';
import { FootprintError } from '../errors.js';
import type { CheckFinding } from './format.js';

export interface ResolvedPlan {
  /** Unit index → footprint index, −1 where the plan leaves the unit out. */
  assignment: Int32Array;
  /** Footprint ids in order of first appearance in the plan (footprint files: feature order). */
  footprintIds: string[];
  /** Findings about the assignment itself: units missing, twice, unknown. */
  assignmentFindings: CheckFinding[];
  /** For footprint polygons: overlaps and gaps against the units. Null for assignment files. */
  coverageFindings: CheckFinding[] | null;
  /** How footprint polygons were matched to units, for the report. */
  matchNote: string | null;
  /** Units of the unit layer the plan leaves out, by id. */
  missing: string[];
  /** Unit ids in the plan that are not in the unit layer (assignment files only). */
  unknown: string[];
  /** Units the plan assigns more than once (assignment files only). */
  duplicated: string[];
}

/** Footprint polygons are matched to units whose area they cover to at least this share. */
const WHOLE_UNIT = 0.99;

/**
 * Turn a plan file into a unit assignment and the findings about how well it covers the units.
 * An assignment file is taken literally; footprint polygons are overlaid on the units, each unit
 * going to the footprint covering most of it, and the overlay's doubts (a unit cut between
 * footprints, covered twice, or not at all) become findings.
 */
export function resolvePlan(plan: PlanFile, units: Layer, sliverTolerance: number): ResolvedPlan {
  const n = units.areas.length;
  const assignment = new Int32Array(n).fill(-1);
  const index = new Map(units.areas.map((a, i) => [a.id, i]));
  const footprintIds: string[] = [];
  const footprintIndex = new Map<string, number>();
  const footprintOf = (id: string) => {
    let f = footprintIndex.get(id);
    if (f === undefined) {
      f = footprintIds.length;
      footprintIds.push(id);
      footprintIndex.set(id, f);
    }
    return f;
  };

  if (plan.kind === 'assignment') {
    const findings: CheckFinding[] = [];
    const seenAt = new Map<string, string>();
    const unknown: string[] = [];
    const duplicated: string[] = [];
    for (const row of plan.rows) {
      const u = index.get(row.unit);
      const f = footprintOf(row.footprint);
      if (u === undefined) {
        unknown.push(row.unit);
        continue;
      }
      const previous = seenAt.get(row.unit);
      if (previous !== undefined) {
        findings.push({
          constraint: 'assigned-once',
          message: `unit ${row.unit} is assigned twice: to ${footprintIds[assignment[u]]} (${previous}) and to ${row.footprint} (${row.where})`,
          units: [row.unit],
        });
        duplicated.push(row.unit);
        continue;
      }
      seenAt.set(row.unit, row.where);
      assignment[u] = f;
    }
    if (unknown.length > 0) {
      findings.push({ constraint: 'assigned-once', message: `${unknown.length} unit id(s) in the plan are not in the units`, units: unknown });
    }
    const missing = units.areas.filter((_, u) => assignment[u] < 0).map((a) => a.id);
    if (missing.length > 0) {
      findings.push({ constraint: 'assigned-once', message: `${missing.length} unit(s) are in no footprint`, units: missing });
    }
    return { assignment, footprintIds, assignmentFindings: findings, coverageFindings: null, matchNote: null, missing, unknown, duplicated };
  }

  const layer = plan.layer;
  for (const area of layer.areas) footprintOf(area.id);
  const cw = crosswalk(units, layer, { sliverTolerance, keepGeometry: false });
  const coverage: CheckFinding[] = [];
  const missing: string[] = [];
  let matchedWhole = 0;
  for (let u = 0; u < n; u++) {
    const from = cw.start[u];
    const to = cw.start[u + 1];
    if (to === from) {
      missing.push(units.areas[u].id);
      continue;
    }
    let best = from;
    let coveredM2 = 0;
    for (let p = from; p < to; p++) {
      coveredM2 += cw.pieceM2[p];
      if (cw.weight[p] > cw.weight[best]) best = p;
    }
    assignment[u] = cw.area[best];
    const id = units.areas[u].id;
    if (to - from > 1) {
      const pieces = [];
      for (let p = from; p < to; p++) pieces.push(`${layer.areas[cw.area[p]].id} ${(cw.weight[p] * 100).toFixed(1)}%`);
      coverage.push({ constraint: 'coverage', message: `unit ${id} is cut between footprints (${pieces.join(', ')}); it is counted in ${layer.areas[cw.area[best]].id}`, units: [id] });
    } else if (cw.weight[best] >= WHOLE_UNIT) matchedWhole++;
    if (coveredM2 > cw.unitM2[u] * (1 + sliverTolerance)) {
      coverage.push({ constraint: 'coverage', message: `unit ${id} is covered by overlapping footprints (${((coveredM2 / cw.unitM2[u]) * 100).toFixed(1)}% of its area)`, units: [id] });
    } else if (cw.coveredShare[u] < 1 - sliverTolerance) {
      coverage.push({ constraint: 'coverage', message: `footprints leave ${((1 - cw.coveredShare[u]) * 100).toFixed(1)}% of unit ${id} uncovered (a gap)`, units: [id] });
    }
  }
  const assignmentFindings: CheckFinding[] = [];
  if (missing.length > 0) assignmentFindings.push({ constraint: 'assigned-once', message: `${missing.length} unit(s) lie in no footprint polygon`, units: missing });
  return {
    assignment,
    footprintIds,
    assignmentFindings,
    coverageFindings: coverage,
    matchNote: `footprint polygons matched to units by overlay: ${matchedWhole} of ${n} units lie whole in one footprint`,
    missing,
    unknown: [],
    duplicated: [],
  };
}

/** A plan that leaves units out or names units that do not exist: its measures describe another territory. */
export function isPartial(plan: ResolvedPlan): boolean {
  return plan.missing.length > 0 || plan.unknown.length > 0;
}

function someIds(ids: string[], max = 5): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}

/** What makes a plan partial, in a phrase: "71 of 142 units in no footprint (E01…, …); 2 unknown unit ids (X, Y)". */
export function partialSummary(plan: ResolvedPlan, unitCount: number): string {
  const parts: string[] = [];
  if (plan.missing.length > 0) parts.push(`${plan.missing.length} of ${unitCount} units in no footprint (${someIds(plan.missing)})`);
  if (plan.unknown.length > 0) parts.push(`${plan.unknown.length} unit id(s) not in the units (${someIds(plan.unknown)})`);
  return parts.join('; ');
}

/**
 * Refuse a plan that does not assign every unit exactly once (exit 2, naming the units), unless
 * `allowPartial`, which lets missing and unknown units through (the caller then marks the plan
 * partial). Units assigned twice are refused either way: which footprint holds them is undefined.
 */
export function requireComplete(plan: ResolvedPlan, unitCount: number, displayName: string, { allowPartial = false, what = 'compare' }: { allowPartial?: boolean; what?: string } = {}): void {
  if (plan.duplicated.length > 0) {
    const ids = [...new Set(plan.duplicated)];
    throw new FootprintError(`${displayName}: ${ids.length} unit(s) are assigned more than once (${someIds(ids)}); each unit must be in exactly one footprint`);
  }
  if (!allowPartial && isPartial(plan)) {
    throw new FootprintError(`${displayName} is not a complete plan: ${partialSummary(plan, unitCount)}; give a plan with every unit, or --allow-partial to ${what} it anyway (marked partial)`);
  }
}
