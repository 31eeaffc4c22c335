import { isPartial, partialSummary, requireComplete, resolvePlan } from '../check/resolve.js';
import { FootprintError } from '../errors.js';
import { assignmentMembership, crosswalkMembership } from '../evidence/membership.js';
import { planEvidence, type PlanEvidence } from '../evidence/evidence.js';
import { awaitOutputSwap } from '../io/output-folder.js';
import { readPlanFile } from '../layers/plan-file.js';
import { naturalCompare } from '../report/palette.js';
import type { RunConfig } from '../scenario/config.js';
import type { Workspace } from './types.js';
import { buildWorkspace, type WorkspaceHooks } from './workspace.js';

/**
 * The evidence, cohorts and services of any set of areas: the areas of a layer of the scenario
 * (today's districts, PCNs, police neighbourhoods) or the footprints of any plan file, so a Board
 * sees today's areas beside a proposal with the same figures. A layer's areas are read as if they
 * were footprints: area a holds w(u,a) of each unit (membership.ts), so a polygon area gets a
 * fraction of a unit's residents and, where the layer covers every unit, the areas' residents add
 * up to the territory's. A plan need not meet the run's constraints (bounds, contiguity, k).
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

export interface EvidenceRunOptions {
  /** A layer of the scenario whose areas are the sets. */
  areas?: string;
  /** A plan file (assignment CSV/GeoJSON or footprint polygons). */
  plan?: string;
  /** How messages name the plan file (the path as typed). */
  planDisplayName?: string;
  /** Let a plan leave units out (they are in no footprint; totals then cover the rest). */
  allowPartial?: boolean;
  hooks?: WorkspaceHooks;
}

export function runEvidence(config: RunConfig, options: EvidenceRunOptions): EvidenceRun {
  if ((options.areas === undefined) === (options.plan === undefined)) throw new FootprintError('evidence needs exactly one of --areas LAYER (the areas of a layer) or --plan FILE (a plan)');
  if (options.areas !== undefined && !config.layers.some((l) => l.name === options.areas)) {
    throw new FootprintError(`--areas ${options.areas}: no layer of that name (layers: ${config.layers.map((l) => l.name).join(', ') || 'none'})`);
  }
  const workspace = buildWorkspace(config, options.hooks);
  return options.areas !== undefined ? areasEvidence(workspace, options.areas) : planFileEvidence(workspace, options.plan!, options);
}

function areasEvidence(workspace: Workspace, layerName: string): EvidenceRun {
  const run = workspace.layers.find((l) => l.name === layerName)!;
  const cw = run.crosswalk;
  const names = new Map(run.layer.areas.map((a) => [a.id, a.name ?? (typeof a.properties.name === 'string' ? a.properties.name : a.id)]));
  // The areas' own names; a name given for a footprint id in the scenario does not apply here.
  const inputs = { ...workspace.evidence, names: Object.fromEntries(cw.areaIds.map((id) => [id, names.get(id) ?? id])) };
  const membership = crosswalkMembership(cw);
  const evidence = planEvidence(inputs, { units: workspace.units, populations: workspace.populations, layers: workspace.layers }, membership, [...cw.areaIds]);
  return { workspace, evidence, what: 'area', source: layerName, coveredShare: covered(evidence), partial: null };
}

function planFileEvidence(workspace: Workspace, path: string, options: EvidenceRunOptions): EvidenceRun {
  const display = options.planDisplayName ?? path;
  awaitOutputSwap(path);
  const resolved = resolvePlan(readPlanFile(path, { unitIdField: workspace.units.idField, displayName: display }), workspace.units, workspace.config.sliverTolerance);
  requireComplete(resolved, workspace.units.areas.length, display, { allowPartial: options.allowPartial, what: 'read' });
  // Footprints in natural order of their ids (F2 before F10), as the workshop and maps order them.
  const order = [...resolved.footprintIds].sort(naturalCompare);
  const index = new Map(order.map((id, f) => [id, f]));
  const assignment = Int32Array.from(resolved.assignment, (f) => (f < 0 ? -1 : index.get(resolved.footprintIds[f])!));
  const evidence = planEvidence(workspace.evidence, { units: workspace.units, populations: workspace.populations, layers: workspace.layers }, assignmentMembership(assignment, order.length), order);
  return { workspace, evidence, what: 'footprint', source: display, coveredShare: covered(evidence), partial: isPartial(resolved) ? partialSummary(resolved, workspace.units.areas.length) : null };
}

function covered(evidence: PlanEvidence): number {
  const j = evidence.columns.findIndex((c) => c.kind === 'population');
  const total = evidence.total[j] ?? 0;
  const inSets = evidence.rows.reduce((s, row) => s + (row[j] ?? 0), 0);
  return total > 0 ? inSets / total : 1;
}
