/**
 * Proof benchmark (issue 16): on each instance, the heuristic's plan (optimise, seed 1, exact search
 * off), then every lower-bound method with the same budget, and the gap (plan − bound) / plan.
 * Instances: the Validi–Buchanan county instances (cut edges alone), synthetic boroughs of 60, 100
 * and 142 units, and the real Oldham LSOAs (bench/boroughs.ts).
 *
 *   npx tsx bench/bound.ts [--instances counties,boroughs,oldham] [--seconds S] [--nodes N]
 *     [--units 60,100,142] [--states ME,NM] [--counties <dual_graphs folder or git dir>]
 *     [--skip exact,home,home-cuts,home-whole-cuts,home-whole,cut,optimise,label,pair] [--json]
 *
 * --seconds: each method's budget (default 120 for counties, 600 for boroughs and Oldham).
 * --nodes: branch-and-bound nodes for the HiGHS methods (default unlimited, so the time budget binds).
 * --json: the rows as a JSON array on stdout (the text lines go to stderr).
 * County data is GPL-3.0 and stays out of this repository (see bench/counties-data.ts).
 *
 * A new method is one more entry in METHODS.
 */
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COUNTY_INSTANCES, countyProblem, readCountyGraph } from './counties-data.js';
import { oldhamInstance, syntheticBorough } from './boroughs.js';
import type { Problem } from '../src/plan/problem.js';
import { relaxationBound } from '../src/search/bounds/label-model.js';
import { solveExact } from '../src/search/exact/solve.js';
import { gapPercent } from '../src/search/gap.js';
import { optimise } from '../src/search/optimise.js';
import { homeBound } from '../src/search/bounds/home-relaxation.js';
import { pairBound } from '../src/search/bounds/pair-model.js';
import { cutBound, cutBoundApplies } from '../src/search/bounds/cut-edge-model.js';

/** The heuristic's best plan (node-level), which every method is measured against and may start from. */
export interface Incumbent {
  assignment: Int32Array;
  objective: number;
}

export interface Budget {
  seconds: number;
  /** Branch-and-bound nodes for methods that count them. */
  nodes: number;
}

export interface MethodResult {
  /** A proven lower bound on the optimum, or null when the method proved none (an unfinished exact search). */
  bound: number | null;
  /** True when the method proved its bound is the optimum. */
  proven: boolean;
  /** Method-specific figures (nodes, cuts, plans pruned), for the text output and docs. */
  detail: string;
}

export interface BoundMethod {
  name: string;
  run(problem: Problem, plan: Incumbent, budget: Budget): Promise<MethodResult>;
}

export const METHODS: BoundMethod[] = [
  {
    name: 'exact',
    async run(problem, plan, budget) {
      const r = solveExact(problem, { incumbent: plan.objective, incumbentAssignment: plan.assignment, deadline: performance.now() + budget.seconds * 1000 });
      const better = r.objective < plan.objective - 1e-12 ? `, found a better plan ${r.objective.toFixed(4)}` : '';
      // Unfinished, it has proved nothing about plans it has not reached.
      return { bound: r.proven ? Math.min(r.objective, plan.objective) : null, proven: r.proven, detail: `${r.leaves} complete plans, ${r.pruned} partial plans pruned${better}` };
    },
  },
  {
    name: 'home',
    async run(problem, plan, budget) {
      const r = await homeBound(problem, { nodes: budget.nodes, timeLimitMs: budget.seconds * 1000, incumbent: plan.assignment });
      return { bound: Math.min(r.bound, plan.objective), proven: gapPercent(plan.objective, r.bound) === 0, detail: `${r.areas} areas, ${r.nodes} nodes${r.solved ? ', relaxation solved' : ''}${r.timeLimitHit ? ', time limit' : ''}` };
    },
  },
  {
    name: 'home-cuts',
    async run(problem, plan, budget) {
      const r = await homeBound(problem, { nodes: budget.nodes, timeLimitMs: budget.seconds * 1000, incumbent: plan.assignment, incumbentObjective: plan.objective, contiguity: true });
      return { bound: Math.min(r.bound, plan.objective), proven: gapPercent(plan.objective, r.bound) === 0, detail: `${r.areas} areas, ${r.rounds} solves, ${r.cuts} contiguity cuts, ${r.nodes} nodes${r.solved ? ', solved' : ''}${r.timeLimitHit ? ', time limit' : ''}` };
    },
  },
  {
    name: 'home-whole-cuts',
    async run(problem, plan, budget) {
      const r = await homeBound(problem, { nodes: budget.nodes, timeLimitMs: budget.seconds * 1000, incumbent: plan.assignment, incumbentObjective: plan.objective, contiguity: true, wholeNodes: true });
      return { bound: Math.min(r.bound, plan.objective), proven: gapPercent(plan.objective, r.bound) === 0, detail: `${r.areas} areas, ${r.rounds} solves, ${r.cuts} contiguity cuts, ${r.nodes} nodes${r.solved ? ', solved' : ''}${r.timeLimitHit ? ', time limit' : ''}` };
    },
  },
  {
    name: 'home-whole',
    async run(problem, plan, budget) {
      const r = await homeBound(problem, { nodes: budget.nodes, timeLimitMs: budget.seconds * 1000, incumbent: plan.assignment, wholeNodes: true });
      return { bound: Math.min(r.bound, plan.objective), proven: gapPercent(plan.objective, r.bound) === 0, detail: `${r.areas} areas, ${r.nodes} nodes${r.solved ? ', solved' : ''}${r.timeLimitHit ? ', time limit' : ''}` };
    },
  },
  {
    name: 'cut',
    async run(problem, plan, budget) {
      if (!cutBoundApplies(problem)) return { bound: null, proven: false, detail: 'not applicable (split areas or locks)' };
      const r = await cutBound(problem, { nodes: budget.nodes, timeLimitMs: budget.seconds * 1000, incumbent: plan.assignment, incumbentObjective: plan.objective });
      return {
        bound: Math.min(r.bound, plan.objective),
        proven: r.solved || gapPercent(plan.objective, r.bound) === 0,
        detail: `${r.roots} roots, ${r.fixed} fixed, ${r.boundaryRows ? 'boundary rows, ' : ''}${r.rounds} solves, ${r.cuts} contiguity cuts, ${r.nodes} nodes${r.solved ? ', solved' : ''}${r.timeLimitHit ? ', time limit' : ''}`,
      };
    },
  },
  {
    // The whole of `footprint optimise --bound-nodes N --time-limit S` (16 restarts, then the exact
    // search racing the bounds where it runs), from dist/ so that its worker threads run: what a
    // user gets, where the methods above are each given the heuristic's plan and the whole budget.
    name: 'optimise',
    async run(problem, _plan, budget) {
      const dist = resolve('dist', 'search', 'optimise.js');
      if (!existsSync(dist)) return { bound: null, proven: false, detail: 'dist/ is missing: run npm run build first (npm run bench does)' };
      const compiled = (await import(pathToFileURL(dist).href)) as { optimise: typeof optimise };
      const r = await compiled.optimise(problem, { seed: 1, boundNodes: budget.nodes, timeLimitMs: budget.seconds * 1000 });
      const by = r.status !== 'optimal' ? '' : r.exact.proven ? ', proven by the exact search' : ', proven by the bound';
      const cut = r.relaxation.cutEdges;
      return {
        bound: r.bound,
        proven: r.status === 'optimal',
        detail: `its plan ${r.evaluation.objective.toFixed(4)}${by}; exact search ${(r.exact.ms / 1000).toFixed(1)} s${r.exact.proven ? ' (proven)' : ''}${cut ? `, cut-edge model ${cut.nodes} nodes${cut.solved ? ' (solved)' : ''}` : ''}, bounds ${(r.relaxation.ms / 1000).toFixed(1)} s`,
      };
    },
  },
  {
    name: 'label',
    async run(problem, plan, budget) {
      const r = await relaxationBound(problem, { nodes: budget.nodes, timeLimitMs: budget.seconds * 1000, incumbent: plan.assignment });
      return { bound: r.bound, proven: gapPercent(plan.objective, r.bound) === 0, detail: `${r.nodes} nodes${r.solved ? ', relaxation solved' : ''}${r.timeLimitHit ? ', time limit' : ''}` };
    },
  },
  {
    name: 'pair',
    async run(problem, plan, budget) {
      const r = await pairBound(problem, { nodes: budget.nodes, timeLimitMs: budget.seconds * 1000, incumbent: plan.assignment, incumbentObjective: plan.objective });
      return {
        bound: r.bound,
        proven: r.solved || gapPercent(plan.objective, r.bound) === 0,
        detail: `${r.rounds} rounds, ${r.triangles} transitivity rows, ${r.separators} separator cuts, ${r.fixedApart} pairs fixed apart, ${r.nodes} nodes${r.timeLimitHit ? ', time limit' : ''}`,
      };
    },
  },
];

export interface Row {
  instance: string;
  units: number;
  nodes: number;
  k: number;
  min: number;
  max: number;
  /** The heuristic's objective and its time in seconds. */
  plan: number;
  planSeconds: number;
  method: string;
  bound: number | null;
  /** (plan − bound) / plan in percent; null without a bound. */
  gap: number | null;
  seconds: number;
  proven: boolean;
  detail: string;
  /** Counties: objective × edges, so plan and bound read as cut edges. */
  cutEdges?: { plan: number; bound: number | null };
}

interface Instance {
  name: string;
  problem: Problem;
  /** Counties count cut edges; the plan and bound are printed in edges too. */
  cutEdges: boolean;
  defaults: Budget;
  restarts: number;
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const list = (name: string, fallback: string) => (option(name) ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);

const json = process.argv.includes('--json');
const say = (line: string) => (json ? console.error(line) : console.log(line));
const UNLIMITED_NODES = 1_000_000_000;

function* instances(kinds: string[]): Generator<Instance> {
  const seconds = option('--seconds');
  const nodes = option('--nodes');
  const budget = (fallbackSeconds: number, fallbackNodes: number): Budget => ({ seconds: Number(seconds ?? fallbackSeconds), nodes: Number(nodes ?? fallbackNodes) });
  if (kinds.includes('counties')) {
    const counties = option('--counties') ?? resolve('..', '.mirror', 'hamidrezavalidi+Political-Districting-to-Minimize-Cut-Edges', 'repo');
    const states = list('--states', '');
    if (!existsSync(counties)) say(`county data not found at ${counties}: pass --counties <folder of county<FIPS>.json>; skipping the counties`);
    else {
      for (const c of COUNTY_INSTANCES) {
        if (states.length > 0 && !states.includes(c.state)) continue;
        yield { name: `${c.state} (optimum ${c.optimum})`, problem: countyProblem(readCountyGraph(counties, c.fips), c.k), cutEdges: true, defaults: budget(120, UNLIMITED_NODES), restarts: 4 };
      }
    }
  }
  if (kinds.includes('boroughs')) {
    for (const units of list('--units', '60,100,142').map(Number)) {
      const b = syntheticBorough(units);
      yield { name: `borough ${units}`, problem: b.problem, cutEdges: false, defaults: budget(600, UNLIMITED_NODES), restarts: 16 };
    }
  }
  if (kinds.includes('oldham')) {
    const o = oldhamInstance();
    if (o) yield { name: 'Oldham', problem: o.problem, cutEdges: false, defaults: budget(600, UNLIMITED_NODES), restarts: 16 };
  }
}

function fmt(value: number | null, digits = 4): string {
  return value === null ? '–' : value.toFixed(digits);
}

async function main(): Promise<void> {
  const kinds = list('--instances', 'counties,boroughs,oldham');
  const unknown = kinds.filter((k) => !['counties', 'boroughs', 'oldham'].includes(k));
  if (unknown.length > 0) throw new Error(`--instances: unknown ${unknown.join(', ')} (counties, boroughs, oldham)`);
  const skip = list('--skip', '');
  const methods = METHODS.filter((m) => !skip.includes(m.name));
  say(`machine: ${cpus()[0]?.model} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`);
  const rows: Row[] = [];
  for (const instance of instances(kinds)) {
    const { problem } = instance;
    const t0 = performance.now();
    const result = await optimise(problem, { seed: 1, restarts: instance.restarts, workers: 1, exact: false });
    const planSeconds = (performance.now() - t0) / 1000;
    const plan: Incumbent = { assignment: result.assignment, objective: result.evaluation.objective };
    const edges = (v: number) => Math.round(v * problem.unitEdges * 100) / 100;
    say(
      `${instance.name}: ${problem.unitIds.length} units, ${problem.n} nodes, k ${problem.k}, ${problem.min}–${problem.max}; ` +
        `plan ${plan.objective.toFixed(4)}${instance.cutEdges ? ` (${edges(plan.objective)} cut edges)` : ''} in ${planSeconds.toFixed(1)} s; budget ${instance.defaults.seconds} s per method`,
    );
    for (const method of methods) {
      const t = performance.now();
      const r = await method.run(problem, plan, instance.defaults);
      const seconds = (performance.now() - t) / 1000;
      const gap = r.bound === null ? null : gapPercent(plan.objective, r.bound);
      const row: Row = {
        instance: instance.name,
        units: problem.unitIds.length,
        nodes: problem.n,
        k: problem.k,
        min: problem.min,
        max: problem.max,
        plan: plan.objective,
        planSeconds,
        method: method.name,
        bound: r.bound,
        gap,
        seconds,
        proven: r.proven,
        detail: r.detail,
        ...(instance.cutEdges ? { cutEdges: { plan: edges(plan.objective), bound: r.bound === null ? null : edges(r.bound) } } : {}),
      };
      rows.push(row);
      say(
        `  ${method.name.padEnd(6)} bound ${fmt(r.bound)}${instance.cutEdges && r.bound !== null ? ` (${edges(r.bound)} cut edges)` : ''}, gap ${gap === null ? '–' : `${gap.toFixed(1)}%`}, ` +
          `${seconds.toFixed(1)} s${r.proven ? ', proven optimal' : ''}; ${r.detail}`,
      );
    }
  }
  if (json) console.log(JSON.stringify(rows, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
