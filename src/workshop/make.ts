import { existsSync } from 'node:fs';
import { isPartial, partialSummary, requireComplete, resolvePlan } from '../check/resolve.js';
import { FootprintError } from '../errors.js';
import { readPlanFile } from '../layers/plan-file.js';
import { awaitOutputSwap } from '../io/output-folder.js';
import { runOptimise } from '../pipeline/optimise.js';
import type { Workspace } from '../pipeline/types.js';
import { buildWorkspace, type WorkspaceHooks } from '../pipeline/workspace.js';
import { naturalCompare } from '../report/palette.js';
import type { RunConfig } from '../scenario/config.js';
import { buildWorkshopData } from './build.js';
import type { WorkshopData } from './data.js';
import { readExploreRun } from './explore-data.js';
import { workshopHtml } from './page.js';

export interface Workshop {
  html: string;
  data: WorkshopData;
  workspace: Workspace;
  /** Where the starting plan came from: a plan file, or a fresh optimise of the scenario. */
  start: { kind: 'plan'; path: string } | { kind: 'optimise'; status: string; objective: number };
}

/**
 * A workshop page for a run: from the plan file when there is one, else from a fresh optimise.
 * Footprints are put in natural order of their ids, so colours match the report maps.
 */
export async function makeWorkshop(
  config: RunConfig,
  options: { plan?: string; planDisplayName?: string; title?: string; source: string; hooks?: WorkspaceHooks; explore?: string },
): Promise<Workshop> {
  const title = options.title ?? (config.name ? `Footprints: ${config.name}` : 'Footprints');
  if (options.plan !== undefined && existsSync(options.plan)) {
    const workspace = buildWorkspace(config, options.hooks);
    awaitOutputSwap(options.plan);
    const display = options.planDisplayName ?? options.plan;
    const resolved = resolvePlan(readPlanFile(options.plan, { unitIdField: workspace.units.idField, displayName: display }), workspace.units, config.sliverTolerance);
    requireComplete(resolved, workspace.units.areas.length, display, { allowPartial: true });
    if (isPartial(resolved)) throw new FootprintError(`${display} is not a complete plan: ${partialSummary(resolved, workspace.units.areas.length)}; a workshop starts from a plan with every unit`);
    const ids = [...resolved.footprintIds];
    // A plan with fewer footprints than k still gets the missing ones to move units into.
    for (let n = 1; ids.length < config.k; n++) if (!ids.includes(`F${n}`)) ids.push(`F${n}`);
    const order = [...ids].sort(naturalCompare);
    const index = new Map(order.map((id, f) => [id, f]));
    const assignment = Array.from(resolved.assignment, (f) => index.get(ids[f])!);
    const data = buildWorkshopData(workspace, assignment, order, { title, source: options.source });
    // An explore run's plans, numbered as this page numbers its footprints.
    if (options.explore !== undefined) data.explore = readExploreRun(options.explore, workspace, order);
    return { html: workshopHtml(data), data, workspace, start: { kind: 'plan', path: options.plan } };
  }
  const run = await runOptimise(config, { ...options.hooks });
  const { outcome } = run;
  const data = buildWorkshopData(outcome.workspace, outcome.assignment, outcome.footprintIds, { title, source: options.source });
  return { html: workshopHtml(data), data, workspace: outcome.workspace, start: { kind: 'optimise', status: outcome.status, objective: outcome.objective.total } };
}
