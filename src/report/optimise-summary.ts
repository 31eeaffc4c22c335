/**
 * What `footprint optimise` prints once the files are written: the JSON summary (--json) and the
 * text lines, for a single run and for a nested one. Files are paths as the user should see them
 * (relative to the working folder).
 */
import { EXIT } from '../errors.js';
import type { NestedRun } from '../pipeline/nest.js';
import type { OptimiseRun } from '../pipeline/optimise.js';
import type { NestedAreaResult, PlanOutcome } from '../pipeline/types.js';
import { OPTIMAL_TOLERANCE, type OptimiseResult } from '../search/index.js';
import { formatInteger } from './format.js';
import { servicesJson } from '../evidence/services-csv.js';
import type { PlanEvidence } from '../evidence/evidence.js';

/** The objective and its terms on one line: "objective 0.1234 (1×S(gp)=0.0500 + …)". */
function objectiveLine(outcome: PlanOutcome): string {
  return `objective ${outcome.objective.total.toFixed(4)} (${outcome.objective.terms.map((t) => `${t.weight}×S(${t.layer})=${t.value.toFixed(4)}`).join(' + ') || 'no layers'})`;
}

/** How the bound was proven (exact search, relaxations), for the JSON summary's `proof`. */
export function proofSummary(result: OptimiseResult) {
  const { exact, relaxation } = result;
  return {
    optimalTolerance: OPTIMAL_TOLERANCE,
    exact: exact.attempted ? { proven: exact.proven, plansEvaluated: exact.leaves, pruned: exact.pruned, ms: Math.round(exact.ms), besideBound: exact.besideBound } : null,
    bound: relaxation.attempted
      ? {
          solved: relaxation.solved,
          homeRelaxation: relaxation.home
            ? { bound: relaxation.home.bound, areas: relaxation.home.areas, solves: relaxation.home.rounds, contiguityCuts: relaxation.home.cuts, nodesMadeWhole: relaxation.home.wholeNodes, branchAndBoundNodes: relaxation.home.nodes, solved: relaxation.home.solved }
            : null,
          homeRelaxationWholeNodes: relaxation.homeWhole
            ? { bound: relaxation.homeWhole.bound, solves: relaxation.homeWhole.rounds, contiguityCuts: relaxation.homeWhole.cuts, branchAndBoundNodes: relaxation.homeWhole.nodes, solved: relaxation.homeWhole.solved }
            : null,
          cutEdgeModel: relaxation.cutEdges
            ? { bound: relaxation.cutEdges.bound, rootNodes: relaxation.cutEdges.roots, solves: relaxation.cutEdges.rounds, contiguityCuts: relaxation.cutEdges.cuts, branchAndBoundNodes: relaxation.cutEdges.nodes, solved: relaxation.cutEdges.solved }
            : null,
          withoutContiguity: relaxation.labelBound === null ? null : { bound: relaxation.labelBound, branchAndBoundNodes: relaxation.labelNodes },
          pairWithContiguityCuts: relaxation.pairAttempted
            ? {
                cuttingRounds: relaxation.rounds,
                transitivityRows: relaxation.triangles,
                separatorCuts: relaxation.separators,
                branchAndBoundNodes: relaxation.nodes,
              }
            : null,
          ms: Math.round(relaxation.ms),
        }
      : null,
  };
}

/** `services` for a JSON summary, when the scenario declares any (as in services.csv). */
function servicesField(evidence: PlanEvidence | undefined) {
  return evidence && evidence.services.length > 0 ? { services: servicesJson(evidence) } : {};
}

/**
 * The JSON summary of a single run (`footprint optimise --json`). With services in the scenario
 * (`evidence.services`), what each footprint needs as in services.csv and `footprint evidence --json`.
 */
export function optimiseSummary(run: OptimiseRun, seed: number, files: string[], evidence?: PlanEvidence) {
  const { outcome, result } = run;
  return {
    status: outcome.status,
    objective: outcome.objective.total,
    bound: outcome.bound,
    // Proof: the gap in percent between the plan and the proven bound, and how the bound was proven.
    gap: result.gap,
    proof: proofSummary(result),
    terms: outcome.objective.terms,
    compactness: outcome.objective.compactness,
    footprints: outcome.footprintIds.map((id, f) => ({ id, population: outcome.populations[f] })),
    seed,
    restarts: result.restarts.length,
    elapsedMs: Math.round(result.elapsedMs),
    timeLimitHit: result.timeLimitHit,
    ...servicesField(evidence),
    files,
  };
}

/** The text a single run prints: objective, bound and gap, footprints, files, a time-limit note. */
export function optimiseText(run: OptimiseRun, files: string[]): string {
  const { outcome, result } = run;
  return (
    [
      `${outcome.status === 'optimal' ? 'optimal' : 'best found'}: ${objectiveLine(outcome)}`,
      outcome.status === 'heuristic' && outcome.bound !== null
        ? `proven lower bound: ${outcome.bound.toFixed(4)}, gap ${(result.gap ?? 0).toFixed(1)}% (this plan is at most ${(outcome.objective.total - outcome.bound).toFixed(4)} above the optimum)`
        : '',
      `footprints: ${outcome.footprintIds.map((id, f) => `${id} ${formatInteger(outcome.populations[f])}`).join(', ')}`,
      `wrote ${files.join(', ')}`,
      result.timeLimitHit ? 'note: the time limit cut the search short; results may differ between machines' : '',
    ]
      .filter(Boolean)
      .join('\n') + '\n'
  );
}

/** What nestedSummary and nestedText need: a nested run, whole (pipeline/nest.ts) or merged from shards. */
export type NestedSummaryRun = Pick<NestedRun, 'outcome' | 'failed' | 'elapsedMs' | 'resumed'>;

function areaJson(a: NestedAreaResult, footprints: Array<{ id: string; population: number }>) {
  return {
    code: a.code,
    name: a.name,
    units: a.units,
    population: a.population,
    k: a.k,
    kSource: a.kSource,
    status: a.failure ? 'failed' : a.status,
    objective: a.objective,
    bound: a.bound,
    gap: a.gap,
    reason: a.failure?.reason,
    seed: a.seed,
    elapsedMs: Math.round(a.elapsedMs),
    timeLimitHit: a.timeLimitHit,
    footprints,
  };
}

/** Areas with a plan, and how many of them are proven optimal. */
function provenCounts(areas: NestedAreaResult[]): { planned: number; proven: number } {
  const planned = areas.filter((a) => !a.failure);
  return { planned: planned.length, proven: planned.filter((a) => a.status === 'optimal').length };
}

/**
 * The JSON summary of a nested run or a merge: per area its k, status, objective, proven bound and
 * gap (or why it has no plan), the number of areas with a plan and proven optimal, and with services
 * declared, what each footprint needs (as in services.csv).
 */
export function nestedSummary(run: NestedSummaryRun, files: string[], evidence?: PlanEvidence) {
  const { outcome, failed } = run;
  const areas = outcome.nesting!.areas;
  return {
    status: outcome.status,
    objective: outcome.objective.total,
    terms: outcome.objective.terms,
    within: outcome.nesting!.layer,
    ...provenCounts(areas),
    areas: areas.map((a) => areaJson(a, a.footprints.map((f) => ({ id: outcome.footprintIds[f], population: outcome.populations[f] })))),
    failed: failed.map((a) => a.code),
    resumed: run.resumed,
    elapsedMs: Math.round(run.elapsedMs),
    ...servicesField(evidence),
    files,
  };
}

function areaLine(a: NestedAreaResult): string {
  if (a.failure) return `  ${a.code} ${a.name}: NO PLAN (${a.failure.exitCode === EXIT.infeasible ? 'infeasible' : 'none found in time'}): ${a.failure.reason}`;
  const proof = a.status === 'optimal' ? ' (optimal)' : a.bound !== null ? `, bound ${a.bound.toFixed(4)}, gap ${(a.gap ?? 0).toFixed(1)}%` : '';
  return `  ${a.code} ${a.name}: k ${a.k}${a.kSource === 'auto' ? ' (auto)' : ''}, ${formatInteger(a.population)} residents, objective ${a.objective!.toFixed(4)}${proof}`;
}

/** "proven optimal: 250 of 288 area(s) with a plan; 30 with a bound (largest gap 4.1%); 8 without a bound". */
function provenLine(areas: NestedAreaResult[]): string {
  const { planned, proven } = provenCounts(areas);
  // A bound of 0 proves nothing (no plan scores below 0): such areas count as without a bound.
  const bounded = areas.filter((a) => !a.failure && a.status !== 'optimal' && a.bound !== null && a.bound > 0);
  const worst = bounded.reduce((m, a) => Math.max(m, a.gap ?? 0), 0);
  const open = planned - proven - bounded.length;
  return `proven optimal: ${proven} of ${planned} area(s) with a plan${bounded.length > 0 ? `; ${bounded.length} with a bound above 0 (largest gap ${worst.toFixed(1)}%)` : ''}${open > 0 ? `; ${open} without a bound above 0` : ''}`;
}

/** The text a nested run prints: the areas proven, one line per area (with bound and gap), then files and notes. */
export function nestedText(run: NestedSummaryRun, files: string[]): string {
  const { outcome, failed } = run;
  const areas = outcome.nesting!.areas;
  return (
    [
      `nested in ${outcome.nesting!.layer}: ${areas.length - failed.length} of ${areas.length} area(s) planned, ${outcome.footprintIds.length} footprints; ${objectiveLine(outcome)}`,
      provenLine(areas),
      ...areas.map(areaLine),
      run.resumed > 0 ? `resumed: ${run.resumed} area(s) were finished by the interrupted run and not searched again` : '',
      `wrote ${files.join(', ')}`,
      failed.length > 0 ? `${failed.length} area(s) have no plan (${failed.map((a) => a.code).join(', ')}); the files hold the others` : '',
      outcome.search?.timeLimitHit ? 'note: the time limit cut some areas short; results may differ between machines' : '',
    ]
      .filter(Boolean)
      .join('\n') + '\n'
  );
}

/** A shard's JSON summary: its areas as a nested run shows them, without a whole plan. */
export function shardSummary(shard: { index: number; count: number }, areas: NestedAreaResult[], extra: { resumed: number; elapsedMs: number }, files: string[]) {
  return { shard, ...provenCounts(areas), areas: areas.map((a) => areaJson(a, [])), resumed: extra.resumed, elapsedMs: Math.round(extra.elapsedMs), files };
}

export function shardText(shard: { index: number; count: number }, areas: NestedAreaResult[], extra: { resumed: number }, files: string[]): string {
  return (
    [
      `shard ${shard.index}/${shard.count}: ${areas.length} area(s); put every shard's folder together with footprint merge DIR... --out DIR`,
      provenLine(areas),
      ...areas.map(areaLine),
      extra.resumed > 0 ? `resumed: ${extra.resumed} area(s) were finished by the interrupted run` : '',
      `wrote ${files.join(', ')}`,
    ]
      .filter(Boolean)
      .join('\n') + '\n'
  );
}
