import { FootprintError } from '../errors.js';
import { awaitOutputSwap } from '../io/output-folder.js';
import { readPlanFile } from '../layers/plan-file.js';
import { areasEvidence, assignmentEvidence, type EvidenceRun } from '../pipeline/evidence.js';
import { buildWorkspace, type WorkspaceHooks } from '../pipeline/workspace.js';
import { naturalCompare } from '../report/palette.js';
import type { RunConfig } from '../scenario/config.js';
import { isPartial, partialSummary, requireComplete, resolvePlan } from './resolve.js';

/**
 * `footprint evidence` as a library function: the evidence, cohorts and services of the areas of a
 * layer (`areas`) or of the footprints of a plan file (`plan`; assignment CSV/GeoJSON or footprint
 * polygons, read as compare and check read them). It lives beside compare because it reads plan
 * files; the sums themselves are pipeline/evidence.ts's.
 */
export interface EvidenceRunOptions {
  /** A layer of the scenario whose areas are the sets. */
  areas?: string;
  /** A plan file (assignment CSV/GeoJSON or footprint polygons). */
  plan?: string;
  /** How messages name the plan file (the path as typed). */
  planDisplayName?: string;
  /** Let a plan leave units out (they are in no footprint; the footprints then cover the rest). */
  allowPartial?: boolean;
  hooks?: WorkspaceHooks;
}

export function runEvidence(config: RunConfig, options: EvidenceRunOptions): EvidenceRun {
  if ((options.areas === undefined) === (options.plan === undefined)) throw new FootprintError('evidence needs exactly one of --areas LAYER (the areas of a layer) or --plan FILE (a plan)');
  if (options.areas !== undefined && !config.layers.some((l) => l.name === options.areas)) {
    throw new FootprintError(`--areas ${options.areas}: no layer of that name (layers: ${config.layers.map((l) => l.name).join(', ') || 'none'})`);
  }
  const workspace = buildWorkspace(config, options.hooks);
  if (options.areas !== undefined) return areasEvidence(workspace, options.areas);
  const path = options.plan!;
  const display = options.planDisplayName ?? path;
  awaitOutputSwap(path);
  const resolved = resolvePlan(readPlanFile(path, { unitIdField: workspace.units.idField, displayName: display }), workspace.units, workspace.config.sliverTolerance);
  requireComplete(resolved, workspace.units.areas.length, display, { allowPartial: options.allowPartial, what: 'read' });
  // Footprints in natural order of their ids (F2 before F10), as the workshop and maps order them.
  const order = [...resolved.footprintIds].sort(naturalCompare);
  const index = new Map(order.map((id, f) => [id, f]));
  const assignment = Int32Array.from(resolved.assignment, (f) => (f < 0 ? -1 : index.get(resolved.footprintIds[f])!));
  return assignmentEvidence(workspace, assignment, order, display, isPartial(resolved) ? partialSummary(resolved, workspace.units.areas.length) : null);
}
