import { misalignment } from '../align/measures.js';
import { FootprintError } from '../errors.js';
import { readPlanFile } from '../layers/plan-file.js';
import { checkPlan } from '../plan/evaluate.js';
import { buildProblem, largestArea } from '../plan/problem.js';
import type { Workspace } from '../pipeline/types.js';
import { areaLabel } from '../layers/types.js';
import type { CheckFinding, CheckReport, ConstraintResult } from './format.js';
import { isPartial, partialSummary, resolvePlan } from './resolve.js';
import { awaitOutputSwap } from '../io/output-folder.js';
import { nestingAreas, type NestArea } from '../pipeline/nest.js';
import { subsetWorkspace } from '../pipeline/subset.js';
import { formatInteger as fmt } from '../format.js';

function areaWorkspace(whole: Workspace, code: string): Workspace {
  const area = nestingAreas(whole).find((a) => a.code === code);
  if (!area) throw new FootprintError(`--area ${code}: no area of "${whole.config.within}" with that code holds units`);
  return subsetWorkspace(whole, area.units);
}

/** Footprints that cross the nesting layer's areas, and areas whose footprint count differs from their k. */
function nestingFindings(areas: NestArea[], assignment: Int32Array, footprintIds: string[], unitIds: string[]): CheckFinding[] {
  const findings: CheckFinding[] = [];
  const areaOfUnit = new Int32Array(unitIds.length).fill(-1);
  areas.forEach((a, i) => a.units.forEach((u) => (areaOfUnit[u] = i)));
  const byFootprint = footprintIds.map(() => new Map<number, string[]>());
  assignment.forEach((f, u) => {
    if (f < 0) return;
    const list = byFootprint[f].get(areaOfUnit[u]) ?? [];
    list.push(unitIds[u]);
    byFootprint[f].set(areaOfUnit[u], list);
  });
  const count = new Int32Array(areas.length);
  byFootprint.forEach((parts, f) => {
    const sorted = [...parts.entries()].sort((x, y) => y[1].length - x[1].length);
    if (sorted.length > 0) count[sorted[0][0]]++;
    if (sorted.length < 2) return;
    findings.push({
      constraint: 'nesting',
      footprint: footprintIds[f],
      message: `${footprintIds[f]} crosses areas: ${sorted.map(([a, list]) => `${areas[a].code} has ${list.length} of its units`).join(', ')}`,
      units: sorted.slice(1).flatMap(([, list]) => list),
    });
  });
  areas.forEach((a, i) => {
    if (a.k !== null && count[i] !== a.k) findings.push({ constraint: 'nesting', message: `area ${a.code} has ${count[i]} footprints; its k is ${a.k}` });
    if (a.k === null) findings.push({ constraint: 'nesting', message: `area ${a.code}: ${a.infeasible}` });
  });
  return findings;
}

/** An area of a layer by id, with its name when the layer has one, for messages ("Coldhurst (E05014650)"). */
function areaOf(layer: Workspace['layers'][number], id: string): { id: string; name?: string } {
  return layer.layer.areas.find((area) => area.id === id) ?? { id };
}


function result(id: string, title: string, findings: CheckFinding[], detail?: string): ConstraintResult {
  return { id, title, status: findings.length > 0 ? 'fail' : 'pass', findings, detail };
}

/**
 * Check a plan file against the constraints of a workspace (units, layers, bounds, keep-whole
 * layers) and misalignment thresholds. Every constraint gets a result, pass, fail or skipped, so
 * a CI system shows the same list of tests every time.
 */
export function checkPlanFile(
  whole: Workspace,
  planPath: string,
  thresholds: Record<string, number> = {},
  displayName = planPath,
  { allowPartial = false }: { allowPartial?: boolean } = {},
): CheckReport {
  // `--area`: the plan of one area of a nested run is checked against that area's units.
  const workspace = whole.config.within !== undefined && whole.config.area !== undefined ? areaWorkspace(whole, whole.config.area) : whole;
  const { config, units } = workspace;
  const nesting = config.within !== undefined ? nestingAreas(workspace) : null;
  const expectedK = nesting ? nesting.reduce((s, a) => s + (a.k ?? 0), 0) : config.k;
  // The plan may sit in an output folder another run is swapping in right now.
  awaitOutputSwap(planPath);
  const plan = readPlanFile(planPath, { unitIdField: units.idField, displayName });
  const resolved = resolvePlan(plan, units, config.sliverTolerance);
  // Every other constraint measured on part of the territory could pass for the wrong reason, so an
  // incomplete plan is refused (exit 2) unless asked for; then assigned-once fails and says why.
  if (!allowPartial && isPartial(resolved)) {
    throw new FootprintError(`${displayName} is not a complete plan: ${partialSummary(resolved, units.areas.length)}; give a plan with every unit, or --allow-partial to check it anyway`);
  }
  const { assignment, footprintIds } = resolved;
  const results: ConstraintResult[] = [];

  const partialNote = isPartial(resolved) ? `partial plan: ${partialSummary(resolved, units.areas.length)}` : undefined;
  results.push(result('assigned-once', 'every unit is in exactly one footprint', resolved.assignmentFindings, [partialNote, resolved.matchNote].filter(Boolean).join('; ') || undefined));
  results.push(
    result(
      'footprint-count',
      `there are exactly ${expectedK} footprints${nesting ? ` (${nesting.map((a) => `${a.code}: ${a.k ?? 'none fits'}`).join(', ')})` : ''}`,
      footprintIds.length === expectedK ? [] : [{ constraint: 'footprint-count', message: `the plan has ${footprintIds.length} footprints (${footprintIds.join(', ')}); ${expectedK} are required` }],
    ),
  );
  if (nesting) results.push(result('nesting', `every footprint lies inside one area of ${config.within}, with each area's k`, nestingFindings(nesting, assignment, footprintIds, units.areas.map((a) => a.id))));

  // Contiguity and bounds at unit level: no keep-whole contraction, so a split group shows.
  const problem = buildProblem({
    unitIds: units.areas.map((a) => a.id),
    population: workspace.populations,
    adjacency: workspace.adjacency,
    layers: [],
    k: Math.max(1, footprintIds.length),
    min: config.min,
    max: config.max,
  });
  const findings = checkPlan(problem, assignment, footprintIds).map(
    (f): CheckFinding => ({ constraint: f.constraint, message: f.message, footprint: f.footprint === undefined ? undefined : footprintIds[f.footprint], units: f.units }),
  );
  results.push(result('contiguity', 'each footprint is one connected piece (rook adjacency)', findings.filter((f) => f.constraint === 'contiguity')));
  results.push(result('population-bounds', `each footprint has ${fmt(config.min)}–${fmt(config.max)} residents`, findings.filter((f) => f.constraint === 'population-bounds')));

  if (resolved.coverageFindings === null) results.push({ id: 'coverage', title: 'footprints neither overlap nor leave gaps against the units', status: 'skipped', findings: [], detail: 'the plan is a unit assignment, not polygons' });
  else results.push(result('coverage', 'footprints neither overlap nor leave gaps against the units', resolved.coverageFindings));

  const keepWhole = workspace.layers.filter((l) => l.keepWhole);
  if (keepWhole.length === 0) results.push({ id: 'keep-whole', title: 'kept-whole layers are not split', status: 'skipped', findings: [], detail: 'no --keep-whole layer given' });
  else {
    const split: CheckFinding[] = [];
    for (const layer of keepWhole) {
      const footprintsOfArea = new Map<number, Map<number, string[]>>();
      units.areas.forEach((unit, u) => {
        const a = largestArea(layer.crosswalk, u);
        if (a < 0 || assignment[u] < 0) return;
        let byFootprint = footprintsOfArea.get(a);
        if (!byFootprint) footprintsOfArea.set(a, (byFootprint = new Map()));
        const list = byFootprint.get(assignment[u]) ?? [];
        list.push(unit.id);
        byFootprint.set(assignment[u], list);
      });
      for (const [a, byFootprint] of [...footprintsOfArea.entries()].sort((x, y) => x[0] - y[0])) {
        if (byFootprint.size < 2) continue;
        const parts = [...byFootprint.entries()].sort((x, y) => y[1].length - x[1].length);
        split.push({
          constraint: 'keep-whole',
          message: `${layer.name} ${areaLabel(areaOf(layer, layer.crosswalk.areaIds[a]))} is split: ${parts.map(([f, list]) => `${footprintIds[f]} has ${list.length} of its units`).join(', ')}`,
          units: parts.slice(1).flatMap(([, list]) => list),
        });
      }
    }
    results.push(result('keep-whole', `${keepWhole.map((l) => l.name).join(', ')} areas are not split`, split));
  }

  const thresholdEntries = Object.entries(thresholds);
  if (thresholdEntries.length === 0) results.push({ id: 'misalignment', title: 'misalignment within thresholds', status: 'skipped', findings: [], detail: 'no --max-misalignment given' });
  else {
    const over: CheckFinding[] = [];
    const values: string[] = [];
    for (const [name, limit] of thresholdEntries) {
      const layer = workspace.layers.find((l) => l.name === name);
      if (!layer) throw new FootprintError(`--max-misalignment ${name}=${limit}: no layer named "${name}" (add it with --layer ${name}=FILE)`);
      const value = misalignment(layer.crosswalk, workspace.populations, assignment, { footprintIds, sliverTolerance: config.sliverTolerance }).splitPopulation;
      values.push(`S(${name}) = ${value.toFixed(4)}`);
      if (value > limit) over.push({ constraint: 'misalignment', message: `S(${name}|plan) = ${value.toFixed(4)} is above the threshold ${limit}` });
    }
    results.push(result('misalignment', `misalignment within thresholds (${thresholdEntries.map(([n, v]) => `${n} ≤ ${v}`).join(', ')})`, over, values.join(', ')));
  }

  const byUnit: Record<string, string> = {};
  units.areas.forEach((unit, u) => {
    if (assignment[u] >= 0) byUnit[unit.id] = footprintIds[assignment[u]];
  });
  return { plan: displayName, units: units.source, results, assignment: byUnit };
}
