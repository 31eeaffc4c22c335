/**
 * Proof benchmark on the Validi–Buchanan county instances (cut edges alone): the heuristic's plan,
 * then the exact search (src/search/exact.ts, its compactness bound) and the pair bound with
 * contiguity cuts (src/search/pair-bound.ts), each with the same budget.
 *   npx tsx bench/bound.ts [--counties <dual_graphs folder or git dir>] [--nodes 200] [--seconds 120]
 *     [--states ME,NM] [--skip exact|pair]
 * County data is GPL-3.0 and stays out of this repository (see bench/counties-data.ts).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { COUNTY_INSTANCES, countyProblem, readCountyGraph } from './counties-data.js';
import { pairBound } from '../src/search/pair-bound.js';
import { optimise } from '../src/search/optimise.js';
import { gapPercent } from '../src/search/gap.js';
import { solveExact } from '../src/search/exact.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const nodes = Number(option('--nodes', '200'));
const skip = option('--skip', '');
const seconds = Number(option('--seconds', '120'));
const counties = option('--counties', resolve('..', '.mirror', 'hamidrezavalidi+Political-Districting-to-Minimize-Cut-Edges', 'repo'));

async function main(): Promise<void> {
  if (!existsSync(counties)) {
    console.log(`county data not found at ${counties}: pass --counties <folder of county<FIPS>.json>; skipping`);
    return;
  }
  const only = option('--states', '').split(',').filter(Boolean);
  for (const instance of COUNTY_INSTANCES) {
    if (only.length > 0 && !only.includes(instance.state)) continue;
    const problem = countyProblem(readCountyGraph(counties, instance.fips), instance.k);
    const t0 = performance.now();
    const plan = await optimise(problem, { seed: 1, restarts: 4, workers: 1, exact: false });
    const t1 = performance.now();
    const cut = Math.round(plan.evaluation.objective * problem.unitEdges);
    const head = `${instance.state} (${problem.n} counties, k ${instance.k}, optimum ${instance.optimum}): plan ${cut} cut edges in ${((t1 - t0) / 1000).toFixed(1)} s`;
    console.log(head);
    if (skip !== 'exact') {
      const t = performance.now();
      const exact = solveExact(problem, { incumbent: plan.evaluation.objective, incumbentAssignment: plan.assignment, deadline: t + seconds * 1000 });
      const found = Math.round(exact.objective * problem.unitEdges);
      console.log(`  exact search: ${found} cut edges${exact.proven ? ' (proven optimal)' : ', not proven'} in ${((performance.now() - t) / 1000).toFixed(1)} s, ${exact.pruned} partial plans pruned`);
    }
    if (skip !== 'pair') {
      const r = await pairBound(problem, { nodes, timeLimitMs: seconds * 1000, incumbent: plan.assignment, incumbentObjective: plan.evaluation.objective });
      console.log(
        `  pair bound: ${(r.bound * problem.unitEdges).toFixed(2)} cut edges, gap ${gapPercent(plan.evaluation.objective, r.bound).toFixed(1)}%${r.solved ? ' (proven)' : ''}; ${r.rounds} rounds, ${r.triangles} transitivity rows, ${r.separators} separator cuts, ${r.nodes} nodes, ${(r.ms / 1000).toFixed(1)} s${r.timeLimitHit ? ' (time limit)' : ''}`,
      );
    }
  }
}

await main();
