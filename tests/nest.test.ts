import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { checkPlanFile } from '../src/check/check.js';
import { runNested, solveNested, type NestedRun } from '../src/pipeline/nest.js';
import { buildWorkspace } from '../src/pipeline/workspace.js';
import type { Workspace } from '../src/pipeline/types.js';
import { configFromScenario, type RunConfig } from '../src/scenario/config.js';
import { readScenario } from '../src/scenario/read.js';
import { writePlanOutputs } from '../src/report/write-plan.js';
import { planMarkdown } from '../src/report/plan-markdown.js';
import { planDetails } from '../src/report/plan.js';
import { tightWindow } from '../src/plan/feasibility.js';
import { regionScenario, writeRegion } from '../fixtures/region.js';
import { runCli } from './helpers/cli.js';
import { hasCompiledWorker, loadDist } from './helpers/dist.js';

/** A small region: three boroughs, about 330 units (the default region has 1,700; see bench/region.ts). */
let dir: string;
let workspace: Workspace;
let config: RunConfig;
let run: NestedRun;
const hooks = { workers: 0, iterations: 20_000 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'footprint-region-'));
  writeRegion(dir, { boroughs: 3, units: 330, atomsPerUnit: 4, population: 560_000, wardsPerBorough: 8, gpClusters: 12, police: 20 });
  writeFileSync(join(dir, 'nested.yaml'), regionScenario({ nested: true, timeLimit: 120 }).replace('restarts: 4', 'restarts: 2'));
  const loaded = readScenario(join(dir, 'nested.yaml'));
  config = configFromScenario(loaded.scenario, loaded.resolvePath);
  workspace = buildWorkspace(config);
  run = await solveNested(workspace, hooks);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const boroughOf = (ws: Workspace) => new Map(ws.units.areas.map((a) => [a.id, String(a.properties.lad)]));

describe('nested runs (within:)', () => {
  it('puts every footprint inside one borough, with the smallest k per borough that fits the bounds', () => {
    const { outcome } = run;
    const areas = outcome.nesting!.areas;
    expect(areas.map((a) => a.code)).toEqual(['E08000001', 'E08000002', 'E08000003']);
    expect(run.failed).toEqual([]);
    for (const a of areas) {
      expect(a.kSource).toBe('auto');
      expect(a.k).toBe(Math.ceil(a.population / 55_000));
      expect(a.footprints).toHaveLength(a.k!);
    }
    expect(outcome.footprintIds).toHaveLength(areas.reduce((s, a) => s + a.k!, 0));
    const borough = boroughOf(outcome.workspace);
    const seen = new Map<number, string>();
    outcome.workspace.units.areas.forEach((unit, u) => {
      const f = outcome.assignment[u];
      const b = borough.get(unit.id)!;
      expect(seen.get(f) ?? b).toBe(b);
      seen.set(f, b);
      expect(outcome.footprintIds[f].startsWith(`${b}-F`)).toBe(true);
    });
    for (const p of outcome.populations) {
      expect(p).toBeGreaterThanOrEqual(30_000);
      expect(p).toBeLessThanOrEqual(55_000);
    }
  });

  it('names the areas whose k leaves each footprint a narrow range of residents, and only those', () => {
    const { outcome } = run;
    const plain = planMarkdown(outcome, planDetails(outcome), { title: 'Region' });
    const anyTight = outcome.nesting!.areas.some((a) => a.k !== null && tightWindow(a.population, a.k, 30_000, 55_000));
    expect(plain.includes('Tight bounds')).toBe(anyTight);
    // Wigan's figures (Greater Manchester, k auto): 6 footprints of 329,323 residents, each 54,323–55,000.
    const nesting = outcome.nesting!;
    const wigan = { ...outcome, nesting: { ...nesting, areas: nesting.areas.map((a, i) => (i === 1 ? { ...a, name: 'Wigan <b>', population: 329_323, k: 6 } : a)) } };
    const report = planMarkdown(wigan, planDetails(outcome), { title: 'Region' });
    expect(report).toContain('Tight bounds');
    expect(report).toContain('- E08000002 Wigan &lt;b&gt;: 6 footprints of 329,323 residents, each 54,323–55,000 (a range of 677)');
  });

  it('writes one set of outputs that check accepts, nesting included; a footprint crossing a borough fails it', () => {
    const out = join(dir, 'out');
    writePlanOutputs(run.outcome, out, { title: 'Region' });
    const footprints = JSON.parse(readFileSync(join(out, 'footprints.geojson'), 'utf8')) as { features: Array<{ properties: Record<string, unknown> }> };
    expect(new Set(footprints.features.map((f) => f.properties.area))).toEqual(new Set(['E08000001', 'E08000002', 'E08000003']));
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('## Areas of boroughs');
    for (const code of ['E08000001', 'E08000002', 'E08000003']) expect(report).toContain(`(areas/${code}.svg)`);
    expect(report).toContain('## Evidence');
    const checked = checkPlanFile(workspace, join(out, 'assignment.csv'));
    expect(checked.results.filter((r) => r.status === 'fail')).toEqual([]);
    expect(checked.results.find((r) => r.id === 'nesting')?.status).toBe('pass');

    // Move one unit on a borough line into the neighbouring borough's footprint.
    const csv = readFileSync(join(out, 'assignment.csv'), 'utf8').trim().split('\n');
    const borough = boroughOf(workspace);
    const adjacency = workspace.adjacency;
    let moved = '';
    for (let u = 0; u < workspace.units.areas.length && !moved; u++) {
      for (let p = adjacency.start[u]; p < adjacency.start[u + 1]; p++) {
        const v = adjacency.neighbour[p];
        const [a, b] = [workspace.units.areas[u].id, workspace.units.areas[v].id];
        if (borough.get(a) === borough.get(b)) continue;
        const target = csv.find((line) => line.startsWith(`${b},`))!.split(',')[1];
        const at = csv.findIndex((line) => line.startsWith(`${a},`));
        csv[at] = csv[at].replace(/^([^,]+),[^,]+/, `$1,${target}`);
        moved = a;
        break;
      }
    }
    const bad = join(dir, 'crossing.csv');
    writeFileSync(bad, `${csv.join('\n')}\n`);
    const nesting = checkPlanFile(workspace, bad).results.find((r) => r.id === 'nesting')!;
    expect(nesting.status).toBe('fail');
    expect(nesting.findings[0].message).toMatch(/crosses areas: E0800000\d has \d+ of its units, E0800000\d has 1 of its units/);
    expect(nesting.findings[0].units).toEqual([moved]);
  });

  it('gives the same plan for an area run alone (--area) as in the region run', async () => {
    const code = 'E08000002';
    const alone = await solveNested({ ...workspace, config: { ...config, area: code } }, hooks);
    const inRegion = run.outcome;
    const area = inRegion.nesting!.areas.find((a) => a.code === code)!;
    // The promise holds only for restarts the time limit did not cut.
    expect(area.timeLimitHit).toBe(false);
    expect(alone.outcome.nesting!.areas[0].timeLimitHit).toBe(false);
    const regionPlan = new Map(inRegion.workspace.units.areas.map((u, i) => [u.id, inRegion.footprintIds[inRegion.assignment[i]]]));
    const ids = alone.outcome.workspace.units.areas.map((u) => u.id);
    expect(ids.length).toBe(area.units);
    alone.outcome.workspace.units.areas.forEach((u, i) => expect(alone.outcome.footprintIds[alone.outcome.assignment[i]]).toBe(regionPlan.get(u.id)));
    expect(alone.outcome.nesting!.areas[0].seed).toBe(area.seed);
  }, 60_000);

  it('names an area with no plan and its reason, runs the others, and the CLI exits 1', async () => {
    const auto = Object.fromEntries(run.outcome.nesting!.areas.map((a) => [a.code, a.k!]));
    const k = { ...auto, E08000002: 20 };
    const partial = await solveNested({ ...workspace, config: { ...config, kPerArea: k } }, hooks);
    expect(partial.failed.map((a) => a.code)).toEqual(['E08000002']);
    expect(partial.failed[0].failure!.reason).toMatch(/20 footprints of at least 30,000/);
    expect(partial.outcome.footprintIds).toHaveLength(auto.E08000001 + auto.E08000003);
    expect(partial.outcome.workspace.units.areas.every((u) => u.properties.lad !== 'E08000002')).toBe(true);

    const yaml = readFileSync(join(dir, 'nested.yaml'), 'utf8').replace('k: auto', `k: {E08000001: ${auto.E08000001}, E08000002: 20, E08000003: ${auto.E08000003}}`);
    writeFileSync(join(dir, 'partial.yaml'), yaml);
    const cli = await runCli(['optimise', join(dir, 'partial.yaml'), '--iterations', '2000', '--restarts', '1', '--out', join(dir, 'cli-out'), '--quiet']);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/E08000002 Brackley Moor: NO PLAN \(infeasible\): .*20 footprints/);
    expect(cli.stdout).toMatch(/1 area\(s\) have no plan \(E08000002\)/);
  }, 60_000);

  it('refuses k per area for unknown codes and --area for a code with no units, naming them', async () => {
    await expect(solveNested({ ...workspace, config: { ...config, kPerArea: { E08000001: 3, E08000002: 3, E08000003: 3, E08000099: 2 } } }, hooks)).rejects.toThrow(/E08000099 is not an area of "boroughs"/);
    await expect(solveNested({ ...workspace, config: { ...config, kPerArea: { E08000001: 3 } } }, hooks)).rejects.toThrow(/no number of footprints given for E08000002, E08000003/);
    await expect(runNested({ ...config, area: 'E0800XXXX' }, hooks)).rejects.toThrow(/--area E0800XXXX: no area of "boroughs"/);
  });
});

type NestModule = typeof import('../src/pipeline/nest.js');
type PoolModule = typeof import('../src/search/threads/pool.js');
const load = loadDist;
const planOf = (r: NestedRun) => r.outcome.workspace.units.areas.map((u, i) => `${u.id}:${r.outcome.footprintIds[r.outcome.assignment[i]]}`);

// Worker threads run the compiled worker, so these use dist/ (npm test builds it first).
describe.skipIf(!hasCompiledWorker)('nested runs on one worker pool', () => {
  it("gives the plan of the run in this thread, with every area's restarts interleaved on two workers, and ends them all", async () => {
    const nest = await load<NestModule>('pipeline/nest.js');
    const { liveWorkers } = await load<PoolModule>('search/threads/pool.js');
    const stages: string[] = [];
    const inWorkers = await nest.runNested(config, { ...hooks, workers: 2, onStage: (s) => stages.push(s) });
    expect(liveWorkers()).toBe(0);
    expect(inWorkers.workers).toBe(2);
    expect(inWorkers.outcome.search!.method).toMatch(/one pool of worker threads/);
    expect(inWorkers.outcome.nesting!.areas.map((a) => [a.code, a.timeLimitHit, a.seed])).toEqual(run.outcome.nesting!.areas.map((a) => [a.code, false, a.seed]));
    expect(planOf(inWorkers)).toEqual(planOf(run));
  }, 120_000);

  it('keeps one deadline for the run: restarts it cuts say so, and no worker outlives the run', async () => {
    const nest = await load<NestModule>('pipeline/nest.js');
    const { liveWorkers } = await load<PoolModule>('search/threads/pool.js');
    const t = performance.now();
    // Far more moves than a second allows: only the deadline ends the restarts.
    const cut = await nest.runNested({ ...config, timeLimit: 1 }, { workers: 2, iterations: 1e9 }).catch((e: unknown) => e);
    const seconds = (performance.now() - t) / 1000;
    expect(liveWorkers()).toBe(0);
    // A loose bound (loading included), only to show the limit holds for the run, not per area.
    expect(seconds).toBeLessThan(1 + 15);
    // Fair shares of the second: every area's restarts ran, cut, rather than the last areas getting none.
    const areas = (cut as NestedRun).outcome.nesting!.areas;
    expect(areas.map((a) => [a.code, a.failure, a.timeLimitHit])).toEqual(areas.map((a) => [a.code, null, true]));
  }, 60_000);
});
