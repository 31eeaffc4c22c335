import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isPartial, resolvePlan } from '../check/resolve.js';
import { FootprintError } from '../errors.js';
import { readInputText } from '../io/input.js';
import { readPlanFile } from '../layers/plan-file.js';
import type { Workspace } from '../pipeline/types.js';

/**
 * The plans of an explore run (its folder's frontier.json and plans/<i>/assignment.csv) as a
 * workshop page carries them: the room can switch between them and see where the plan on the
 * screen sits on the frontier chart. Footprints are numbered as the page numbers them.
 */
export interface WorkshopExplore {
  /** The explored terms: a layer of the page (index into its layers) or compactness (−1). */
  terms: Array<{ name: string; layer: number }>;
  plans: WorkshopExplorePlan[];
}

export interface WorkshopExplorePlan {
  id: number;
  /** "plan 3 · point 3 · alternative 2" */
  label: string;
  assignment: number[];
  terms: number[];
  frontier: boolean;
  proven: boolean;
}

export const FRONTIER_FILE = 'frontier.json';

/** Whether a folder holds an explore run. */
export function isExploreFolder(folder: string): boolean {
  return existsSync(join(folder, FRONTIER_FILE)) && existsSync(join(folder, 'plans'));
}

interface FrontierFile {
  between: string[];
  plans: Array<{ plan: number; point: number | null; alternative: number | null; terms: Record<string, number>; status: string; folder: string }>;
}

function readFrontier(file: string): FrontierFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readInputText(file));
  } catch (error) {
    if (error instanceof FootprintError) throw error;
    throw new FootprintError(`${file}: not JSON (${(error as Error).message}); is it the frontier.json footprint explore wrote?`);
  }
  const f = parsed as Partial<FrontierFile>;
  const ok =
    Array.isArray(f.between) &&
    f.between.every((t) => typeof t === 'string') &&
    Array.isArray(f.plans) &&
    f.plans.every((p) => p && typeof p.plan === 'number' && typeof p.folder === 'string' && !p.folder.includes('..') && typeof p.terms === 'object' && p.terms !== null);
  if (!ok) throw new FootprintError(`${file}: not the frontier.json footprint explore writes (field "between" or "plans" missing or malformed)`);
  return f as FrontierFile;
}

export function readExploreRun(folder: string, workspace: Workspace, footprintOrder: string[]): WorkshopExplore {
  const frontier = readFrontier(join(folder, FRONTIER_FILE));
  const layerNames = workspace.layers.map((l) => l.name);
  const terms = frontier.between.map((name) => {
    const layer = layerNames.indexOf(name);
    if (layer < 0 && name !== 'compactness') throw new FootprintError(`${join(folder, FRONTIER_FILE)}: term "${name}" is not a layer of the scenario given; was the run made with another scenario?`);
    return { name, layer };
  });
  const index = new Map(footprintOrder.map((id, f) => [id, f]));
  const plans = frontier.plans.map((p): WorkshopExplorePlan => {
    const path = join(folder, p.folder, 'assignment.csv');
    const resolved = resolvePlan(readPlanFile(path, { unitIdField: workspace.units.idField }), workspace.units, workspace.config.sliverTolerance);
    if (isPartial(resolved)) throw new FootprintError(`${path}: not a complete plan of the scenario's units; was the run made with another scenario?`);
    const assignment = Array.from(resolved.assignment, (f) => {
      const at = index.get(resolved.footprintIds[f]);
      if (at === undefined) throw new FootprintError(`${path}: footprint "${resolved.footprintIds[f]}" is not one of ${footprintOrder.join(', ')}`);
      return at;
    });
    const label = [`plan ${p.plan}`, p.point !== null ? `point ${p.point}` : '', p.alternative !== null ? `alternative ${p.alternative}` : ''].filter(Boolean).join(' · ');
    return { id: p.plan, label, assignment, terms: frontier.between.map((t) => Number(p.terms[t])), frontier: p.point !== null, proven: p.status === 'proven' };
  });
  return { terms, plans };
}
