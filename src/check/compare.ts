import { readPlanFile } from '../layers/plan-file.js';
import { evaluatePlan } from '../plan/evaluate.js';
import { buildProblem } from '../plan/problem.js';
import type { Workspace } from '../pipeline/types.js';
import { buildWorkspace } from '../pipeline/workspace.js';
import type { RunConfig } from '../scenario/config.js';
import { formatInteger, formatObjective, table } from '../report/format.js';
import { mdLink, mdText } from '../report/escape.js';
import { planEvidence, type PlanEvidence } from '../evidence/evidence.js';
import { compareEvidenceMarkdown } from './compare-evidence.js';
import { compareServicesMarkdown } from './compare-services.js';
import { isPartial, partialSummary, requireComplete, resolvePlan } from './resolve.js';
import { awaitOutputSwap } from '../io/output-folder.js';

export interface ComparedPlan {
  source: string;
  footprintIds: string[];
  /** Unit index → footprint index in this plan (−1: not in the plan). */
  assignment: Int32Array;
  objective: number;
  terms: Array<{ layer: string; weight: number; value: number }>;
  compactness: number;
  populations: number[];
  /** Footprint of the first plan each footprint is matched to (by shared residents). */
  matchedTo: string[];
  /** Units in a different footprint from the first plan (after matching), by id. */
  changedUnits: string[];
  changedPopulation: number;
  /** Evidence per footprint of this plan (names, assets, indicators, resources). */
  evidence: PlanEvidence;
  /**
   * Null for a complete plan; for a partial one (only with allowPartial) what it leaves out. Its
   * objective covers part of the territory and is not comparable with a complete plan's.
   */
  partial: { summary: string; missingUnits: string[]; unknownUnits: string[] } | null;
}

/**
 * Match the footprints of plan B to those of plan A by shared residents (greedy on the largest
 * overlap first), so that "F1 in one plan is F3 in the other" is not counted as change.
 */
function matchFootprints(a: Int32Array, ka: number, b: Int32Array, kb: number, populations: ArrayLike<number>): Int32Array {
  const shared: Array<{ fa: number; fb: number; pop: number }> = [];
  const table = new Float64Array(ka * kb);
  for (let u = 0; u < a.length; u++) if (a[u] >= 0 && b[u] >= 0) table[a[u] * kb + b[u]] += populations[u];
  for (let fa = 0; fa < ka; fa++) for (let fb = 0; fb < kb; fb++) shared.push({ fa, fb, pop: table[fa * kb + fb] });
  shared.sort((x, y) => y.pop - x.pop || x.fb - y.fb || x.fa - y.fa);
  const match = new Int32Array(kb).fill(-1);
  const taken = new Set<number>();
  for (const { fa, fb, pop } of shared) {
    if (pop <= 0 || match[fb] >= 0 || taken.has(fa)) continue;
    match[fb] = fa;
    taken.add(fa);
  }
  return match;
}

/**
 * `footprint compare` as a library call: load the run's units and layers (pipeline/workspace.ts)
 * and compare the plans against them; the first plan is the reference.
 */
export function runCompare(config: RunConfig, planPaths: string[], options: { allowPartial?: boolean; names?: string[] } = {}): { workspace: Workspace; compared: ComparedPlan[] } {
  const workspace = buildWorkspace(config);
  return { workspace, compared: comparePlans(workspace, planPaths, options) };
}

/** Compare plans side by side against the same units and layers; the first plan is the reference. */
export function comparePlans(workspace: Workspace, planPaths: string[], { allowPartial = false, names = planPaths }: { allowPartial?: boolean; names?: string[] } = {}): ComparedPlan[] {
  const { config, units } = workspace;
  const plans = planPaths.map((path, i) => {
    // A plan may sit in an output folder another run is swapping in right now.
    awaitOutputSwap(path);
    const resolved = resolvePlan(readPlanFile(path, { unitIdField: units.idField, displayName: names[i] }), units, config.sliverTolerance);
    requireComplete(resolved, units.areas.length, names[i], { allowPartial });
    return { path, ...resolved };
  });
  const reference = plans[0];
  return plans.map((plan) => {
    const k = Math.max(1, plan.footprintIds.length);
    const problem = buildProblem({
      unitIds: units.areas.map((a) => a.id),
      population: workspace.populations,
      adjacency: workspace.adjacency,
      layers: workspace.layers.map((l) => ({ crosswalk: l.crosswalk, weight: l.weight })),
      k,
      min: config.min,
      max: config.max,
      compactnessWeight: config.compactness,
    });
    const ev = evaluatePlan(problem, plan.assignment);
    const match = matchFootprints(reference.assignment, reference.footprintIds.length, plan.assignment, plan.footprintIds.length, workspace.populations);
    const changedUnits: string[] = [];
    let changedPopulation = 0;
    plan.assignment.forEach((f, u) => {
      const ref = reference.assignment[u];
      const mapped = f >= 0 ? match[f] : -1;
      if (mapped !== ref) {
        changedUnits.push(units.areas[u].id);
        changedPopulation += workspace.populations[u];
      }
    });
    return {
      source: plan.path,
      footprintIds: plan.footprintIds,
      assignment: plan.assignment,
      objective: ev.objective,
      terms: workspace.layers.map((l, i) => ({ layer: l.name, weight: l.weight, value: ev.splits[i] })),
      compactness: ev.compactness,
      populations: ev.populations,
      matchedTo: Array.from(match, (fa) => (fa >= 0 ? reference.footprintIds[fa] : '–')),
      changedUnits,
      changedPopulation,
      evidence: planEvidence(workspace.evidence, { units, populations: workspace.populations, layers: workspace.layers }, plan.assignment, plan.footprintIds),
      partial: isPartial(plan) ? { summary: partialSummary(plan, units.areas.length), missingUnits: plan.missing, unknownUnits: plan.unknown } : null,
    };
  });
}

export function compareMarkdown(plans: ComparedPlan[], planNames: string[], options: { maps?: Array<string | null> } = {}): string {
  const out: string[] = ['# Plans compared', ''];
  out.push(`The first plan (${mdText(planNames[0])}) is the reference. Footprints of the other plans are matched to its footprints by the residents they share, so renumbering is not counted as change.`, '');
  const partial = plans.map((p, i) => (p.partial ? i : -1)).filter((i) => i >= 0);
  if (partial.length > 0) {
    out.push('**Partial plans.** These plans leave units out or name units that do not exist, so their objective and misalignment describe part of the territory and cannot be ranked against a complete plan:', '');
    for (const i of partial) out.push(`- ${mdText(planNames[i])}: ${mdText(plans[i].partial!.summary)}`);
    out.push('');
  }
  const names = planNames.map((name, i) => (plans[i].partial ? `${name} (partial)` : name));
  const layers = plans[0].terms.map((t) => t.layer);
  out.push('## Objective and misalignment', '');
  out.push(
    table(
      ['plan', 'objective', ...layers.map((l) => `S(${l})`), 'units changed', 'residents changed'],
      plans.map((p, i) => [names[i], formatObjective(p.objective), ...p.terms.map((t) => formatObjective(t.value)), i === 0 ? '–' : p.changedUnits.length, i === 0 ? '–' : formatInteger(p.changedPopulation)]),
    ),
  );
  out.push('', '## Populations', '');
  const k = Math.max(...plans.map((p) => p.footprintIds.length));
  out.push(
    table(
      ['plan', ...Array.from({ length: k }, (_, f) => `footprint ${f + 1}`)],
      plans.map((p, i) => [names[i], ...Array.from({ length: k }, (_, f) => (f < p.footprintIds.length ? `${p.footprintIds[f]}${i > 0 ? ` (≈ ${p.matchedTo[f]})` : ''}: ${formatInteger(p.populations[f])}` : '–'))]),
    ),
  );
  for (let i = 1; i < plans.length; i++) {
    const changed = plans[i].changedUnits;
    out.push('', `## ${mdText(names[i])} against ${mdText(names[0])}`, '');
    out.push(changed.length === 0 ? 'No unit changes footprint.' : `${changed.length} unit(s) change footprint: ${mdText(changed.join(', '))}.`);
    const map = options.maps?.[i];
    if (map) out.push('', `![Units that change footprint](${mdLink(map)})`);
    const evidence = compareEvidenceMarkdown(plans[0], plans[i], [names[0], names[i]]);
    if (evidence) out.push('', evidence);
    const services = compareServicesMarkdown(plans[0], plans[i], [names[0], names[i]]);
    if (services) out.push('', services);
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}
