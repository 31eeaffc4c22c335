import { EXIT } from '../errors.js';
import type { NestedAreaResult, PlanOutcome } from '../pipeline/types.js';
import { formatInteger, formatObjective } from './format.js';

/**
 * What a nested run prints (stdout): per area its k, status, objective, proven bound and gap, and
 * the number of areas proven optimal; with --json the same per area as one JSON object. Used by
 * `optimise` (whole runs and shards) and `merge`, so a merged run prints what one machine would.
 */
export interface NestedSummaryInput {
  outcome: PlanOutcome;
  failed: NestedAreaResult[];
  elapsedMs: number;
  /** Areas taken up from an earlier interrupted run (--resume). */
  resumed: number;
  files: string[];
}

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

function areaLine(a: NestedAreaResult): string {
  if (a.failure) return `  ${a.code} ${a.name}: NO PLAN (${a.failure.exitCode === EXIT.infeasible ? 'infeasible' : 'none found in time'}): ${a.failure.reason}`;
  const proof = a.status === 'optimal' ? ' (optimal)' : a.bound !== null ? `, bound ${formatObjective(a.bound)}, gap ${(a.gap ?? 0).toFixed(1)}%` : '';
  return `  ${a.code} ${a.name}: k ${a.k}${a.kSource === 'auto' ? ' (auto)' : ''}, ${formatInteger(a.population)} residents, objective ${formatObjective(a.objective!)}${proof}`;
}

function provenLine(areas: NestedAreaResult[]): string {
  const planned = areas.filter((a) => !a.failure);
  const proven = planned.filter((a) => a.status === 'optimal').length;
  const bounded = planned.filter((a) => a.status !== 'optimal' && a.bound !== null);
  const worst = bounded.reduce((m, a) => Math.max(m, a.gap ?? 0), 0);
  return `proven optimal: ${proven} of ${planned.length} area(s) with a plan${bounded.length > 0 ? `; ${bounded.length} with a bound (largest gap ${worst.toFixed(1)}%)` : ''}${planned.length - proven - bounded.length > 0 ? `; ${planned.length - proven - bounded.length} without a bound` : ''}`;
}

export function nestedSummary(run: NestedSummaryInput, json: boolean): string {
  const { outcome, failed } = run;
  const areas = outcome.nesting!.areas;
  const planned = areas.filter((a) => !a.failure);
  if (json) {
    const summary = {
      status: outcome.status,
      objective: outcome.objective.total,
      terms: outcome.objective.terms,
      within: outcome.nesting!.layer,
      proven: planned.filter((a) => a.status === 'optimal').length,
      planned: planned.length,
      areas: areas.map((a) => areaJson(a, a.footprints.map((f) => ({ id: outcome.footprintIds[f], population: outcome.populations[f] })))),
      failed: failed.map((a) => a.code),
      resumed: run.resumed,
      elapsedMs: Math.round(run.elapsedMs),
      files: run.files,
    };
    return `${JSON.stringify(summary, null, 2)}\n`;
  }
  return (
    [
      `nested in ${outcome.nesting!.layer}: ${areas.length - failed.length} of ${areas.length} area(s) planned, ${outcome.footprintIds.length} footprints; objective ${outcome.objective.total.toFixed(4)} (${outcome.objective.terms.map((t) => `${t.weight}×S(${t.layer})=${t.value.toFixed(4)}`).join(' + ') || 'no layers'})`,
      provenLine(areas),
      ...areas.map(areaLine),
      run.resumed > 0 ? `resumed: ${run.resumed} area(s) were finished by the interrupted run and not searched again` : '',
      `wrote ${run.files.join(', ')}`,
      failed.length > 0 ? `${failed.length} area(s) have no plan (${failed.map((a) => a.code).join(', ')}); the files hold the others` : '',
      outcome.search?.timeLimitHit ? 'note: the time limit cut some areas short; results may differ between machines' : '',
    ]
      .filter(Boolean)
      .join('\n') + '\n'
  );
}

/** What a shard prints: its areas as a nested run would show them, without a whole plan. */
export function shardSummary(shard: { index: number; count: number }, areas: NestedAreaResult[], extra: { resumed: number; elapsedMs: number; files: string[] }, json: boolean): string {
  if (json) {
    const planned = areas.filter((a) => !a.failure);
    return `${JSON.stringify({ shard, proven: planned.filter((a) => a.status === 'optimal').length, planned: planned.length, areas: areas.map((a) => areaJson(a, [])), resumed: extra.resumed, elapsedMs: Math.round(extra.elapsedMs), files: extra.files }, null, 2)}\n`;
  }
  return (
    [
      `shard ${shard.index}/${shard.count}: ${areas.length} area(s); merge every shard's folder with footprint merge DIR... --out DIR`,
      provenLine(areas),
      ...areas.map(areaLine),
      extra.resumed > 0 ? `resumed: ${extra.resumed} area(s) were finished by the interrupted run` : '',
      `wrote ${extra.files.join(', ')}`,
    ]
      .filter(Boolean)
      .join('\n') + '\n'
  );
}
