/**
 * What `footprint optimise` prints once the files are written: the JSON summary (--json) and the
 * text lines, for a single run and for a nested one. Files are paths as the user should see them
 * (relative to the working folder).
 */
import { EXIT } from '../errors.js';
import type { NestedRun } from '../pipeline/nest.js';
import type { OptimiseRun } from '../pipeline/optimise.js';
import type { PlanOutcome } from '../pipeline/types.js';
import { OPTIMAL_TOLERANCE, type OptimiseResult } from '../search/index.js';
import { formatInteger } from './format.js';

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
            ? { bound: relaxation.home.bound, areas: relaxation.home.areas, solves: relaxation.home.rounds, contiguityCuts: relaxation.home.cuts, branchAndBoundNodes: relaxation.home.nodes, solved: relaxation.home.solved }
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

/** The JSON summary of a single run (`footprint optimise --json`). */
export function optimiseSummary(run: OptimiseRun, seed: number, files: string[]) {
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

/** The JSON summary of a nested run: one entry per area (k, residents, objective or why it has no plan). */
export function nestedSummary(run: NestedRun, files: string[]) {
  const { outcome, failed } = run;
  const areas = outcome.nesting!.areas;
  return {
    status: outcome.status,
    objective: outcome.objective.total,
    terms: outcome.objective.terms,
    within: outcome.nesting!.layer,
    areas: areas.map((a) => ({
      code: a.code,
      name: a.name,
      units: a.units,
      population: a.population,
      k: a.k,
      kSource: a.kSource,
      status: a.failure ? 'failed' : a.status,
      objective: a.objective,
      reason: a.failure?.reason,
      seed: a.seed,
      elapsedMs: Math.round(a.elapsedMs),
      timeLimitHit: a.timeLimitHit,
      footprints: a.footprints.map((f) => ({ id: outcome.footprintIds[f], population: outcome.populations[f] })),
    })),
    failed: failed.map((a) => a.code),
    elapsedMs: Math.round(run.elapsedMs),
    files,
  };
}

/** The text a nested run prints: one line per area, then files and notes. */
export function nestedText(run: NestedRun, files: string[]): string {
  const { outcome, failed } = run;
  const areas = outcome.nesting!.areas;
  const lines = areas.map((a) =>
    a.failure
      ? `  ${a.code} ${a.name}: NO PLAN (${a.failure.exitCode === EXIT.infeasible ? 'infeasible' : 'none found in time'}): ${a.failure.reason}`
      : `  ${a.code} ${a.name}: k ${a.k}${a.kSource === 'auto' ? ' (auto)' : ''}, ${formatInteger(a.population)} residents, objective ${a.objective!.toFixed(4)}${a.status === 'optimal' ? ' (optimal)' : ''}`,
  );
  return (
    [
      `nested in ${outcome.nesting!.layer}: ${areas.length - failed.length} of ${areas.length} area(s) planned, ${outcome.footprintIds.length} footprints; ${objectiveLine(outcome)}`,
      ...lines,
      `wrote ${files.join(', ')}`,
      failed.length > 0 ? `${failed.length} area(s) have no plan (${failed.map((a) => a.code).join(', ')}); the files hold the others` : '',
      outcome.search?.timeLimitHit ? 'note: the time limit cut some areas short; results may differ between machines' : '',
    ]
      .filter(Boolean)
      .join('\n') + '\n'
  );
}
