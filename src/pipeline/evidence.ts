import { assignmentMembership, crosswalkMembership } from '../evidence/membership.js';
import { planEvidence, type PlanEvidence } from '../evidence/evidence.js';
import type { Workspace } from './types.js';

/**
 * The evidence, cohorts and services of any set of areas: the areas of a layer of the scenario
 * (today's districts, PCNs, police neighbourhoods) or the footprints of any plan file, so a Board
 * sees today's areas beside a proposal with the same figures. A layer's areas are read as if they
 * were footprints: area a holds w(u,a) of each unit (membership.ts), so a polygon area gets a
 * fraction of a unit's residents and, where the layer covers every unit, the areas' residents add
 * up to the territory's. A plan need not meet the run's constraints (bounds, contiguity, k).
 * Reading a plan file is check/evidence.ts's (runEvidence), which sits above the plan readers.
 */
export interface EvidenceRun {
  workspace: Workspace;
  evidence: PlanEvidence;
  /** What the sets are, for reports: "area" of a layer, or "footprint" of a plan. */
  what: 'area' | 'footprint';
  /** The layer (with --areas) or the plan file as given (with --plan). */
  source: string;
  /** Share of the territory's residents in some set (1 when every unit is covered). */
  coveredShare: number;
  /** For a partial plan (allowPartial): what it leaves out. */
  partial: string | null;
}

/** The areas of a layer of the workspace as if they were footprints. */
export function areasEvidence(workspace: Workspace, layerName: string): EvidenceRun {
  const run = workspace.layers.find((l) => l.name === layerName)!;
  const cw = run.crosswalk;
  const names = new Map(run.layer.areas.map((a) => [a.id, a.name ?? (typeof a.properties.name === 'string' ? a.properties.name : a.id)]));
  // The areas' own names; a name given for a footprint id in the scenario does not apply here.
  const inputs = { ...workspace.evidence, names: Object.fromEntries(cw.areaIds.map((id) => [id, names.get(id) ?? id])) };
  const membership = crosswalkMembership(cw);
  const evidence = planEvidence(inputs, { units: workspace.units, populations: workspace.populations, layers: workspace.layers }, membership, [...cw.areaIds]);
  return { workspace, evidence, what: 'area', source: layerName, coveredShare: covered(evidence), partial: null };
}

/** The footprints of a plan: unit u in footprint assignment[u] (−1: in none), ids in the order given. */
export function assignmentEvidence(workspace: Workspace, assignment: Int32Array, footprintIds: string[], source: string, partial: string | null = null): EvidenceRun {
  const evidence = planEvidence(workspace.evidence, { units: workspace.units, populations: workspace.populations, layers: workspace.layers }, assignmentMembership(assignment, footprintIds.length), footprintIds);
  return { workspace, evidence, what: 'footprint', source, coveredShare: covered(evidence), partial };
}

function covered(evidence: PlanEvidence): number {
  const j = evidence.columns.findIndex((c) => c.kind === 'population');
  const total = evidence.total[j] ?? 0;
  const inSets = evidence.rows.reduce((s, row) => s + (row[j] ?? 0), 0);
  return total > 0 ? inSets / total : 1;
}
