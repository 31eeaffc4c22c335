import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dominates, TERM_TOLERANCE } from '../../src/explore/frontier.js';
import { runExplore } from '../../src/pipeline/explore.js';
import { problemFromWorkspace } from '../../src/pipeline/optimise.js';
import { buildWorkspace } from '../../src/pipeline/workspace.js';
import { configFromScenario } from '../../src/scenario/config.js';
import { readScenario } from '../../src/scenario/read.js';
import { enumeratePlans } from '../../src/search/enumerate/index.js';
import { solveExact } from '../../src/search/exact/solve.js';
import { runCli } from '../helpers/cli.js';
import { fixture, hasOldham, oldhamSkipMessage, repoRoot } from '../helpers/data.js';

const scenario = join(repoRoot, 'examples', 'oldham', 'scenario.yaml');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'footprint-explore-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface FrontierJson {
  between: string[];
  plansListed: number | null;
  frontier: { points: number; found: number; proven: boolean };
  alternatives: { asked: number; found: number; candidates: number; proven: boolean; best: number } | null;
  plans: Array<{ plan: number; point: number | null; alternative: number | null; terms: Record<string, number>; objective: number; status: string; folder: string }>;
  contested: Array<{ name: string; settled: number }>;
}

describe.skipIf(!hasOldham)('footprint explore on Oldham, wards kept whole (20 nodes)', () => {
  if (!hasOldham) console.warn(oldhamSkipMessage);
  let out: string;
  let json: FrontierJson;
  beforeAll(async () => {
    out = join(dir, 'oldham');
    const result = await runCli(['explore', scenario, '--between', 'gp_clusters,police', '--alternatives', '3', '--within', '10%', '--out', out, '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    json = JSON.parse(readFileSync(join(out, 'frontier.json'), 'utf8')) as FrontierJson;
  }, 300_000);

  it('proves every frontier point, and the frontier is that of every plan listed, whose optimum the exact search confirms', () => {
    const loaded = readScenario(scenario);
    const problem = problemFromWorkspace(buildWorkspace(configFromScenario(loaded.scenario, loaded.resolvePath)));
    expect(problem.n).toBe(20);
    const listed = enumeratePlans(problem);
    expect(listed.complete).toBe(true);
    expect(json.plansListed).toBe(listed.count);
    // The exact search, an independent method, proves the same optimum as the list holds.
    const exact = solveExact(problem);
    expect(exact.proven).toBe(true);
    expect(Math.min(...listed.objective)).toBeCloseTo(exact.objective, 10);
    const gp = problem.layers.findIndex((l) => l.name === 'gp_clusters');
    const police = problem.layers.findIndex((l) => l.name === 'police');
    const values = Array.from({ length: listed.count }, (_, i) => [listed.splits[gp][i], listed.splits[police][i]] as const);
    const pareto = values.filter(([a, b]) => !values.some(([a2, b2]) => dominates(a2, b2, a, b)));
    const distinct = new Set(pareto.map(([a, b]) => `${a.toFixed(8)},${b.toFixed(8)}`));
    const points = json.plans.filter((p) => p.point !== null);
    expect(json.frontier.proven).toBe(true);
    expect(points.every((p) => p.status === 'proven')).toBe(true);
    expect(points.length).toBe(distinct.size);
    for (const p of points) expect(distinct.has(`${p.terms.gp_clusters.toFixed(8)},${p.terms.police.toFixed(8)}`)).toBe(true);
  });

  it('the exact search\'s ladder, without the list, gives the same frontier, every point proven', async () => {
    const loaded = readScenario(scenario);
    const run = await runExplore(configFromScenario(loaded.scenario, loaded.resolvePath), { between: ['gp_clusters', 'police'], enumerate: false, workers: 1 });
    expect(run.method).toBe('exact search');
    expect(run.frontier.complete).toBe(true);
    const points = json.plans.filter((p) => p.point !== null);
    expect(run.plans.map((p) => p.status)).toEqual(points.map(() => 'proven'));
    run.plans.forEach((p, i) => {
      expect(p.terms[0]).toBeCloseTo(points[i].terms.gp_clusters, 9);
      expect(p.terms[1]).toBeCloseTo(points[i].terms.police, 9);
      expect(p.objective).toBeCloseTo(points[i].objective, 9);
    });
  }, 300_000);

  it('reports no point that another plan of the run dominates', () => {
    for (const p of json.plans.filter((q) => q.point !== null))
      for (const q of json.plans) expect(dominates(q.terms.gp_clusters, q.terms.police, p.terms.gp_clusters, p.terms.police)).toBe(false);
  });

  it('gives three different alternatives within 10% of the best, each passing check', async () => {
    const alts = json.plans.filter((p) => p.alternative !== null);
    expect(alts.length).toBe(3);
    expect(json.alternatives!.proven).toBe(true);
    const assignments = alts.map((p) => readFileSync(join(out, p.folder, 'assignment.csv'), 'utf8'));
    expect(new Set(assignments).size).toBe(3);
    for (const p of alts) expect(p.objective).toBeLessThanOrEqual(json.alternatives!.best * 1.1 + TERM_TOLERANCE);
    for (const p of json.plans) {
      const checked = await runCli(['check', join(out, p.folder, 'assignment.csv'), '--scenario', scenario, '--quiet']);
      expect(checked.code, `${p.folder}: ${checked.stdout}${checked.stderr}`).toBe(0);
    }
  }, 120_000);

  it('writes the chart, a map per plan, the contested map and table into explore.md', () => {
    const files = readdirSync(out);
    for (const f of ['frontier.csv', 'frontier.json', 'frontier.svg', 'contested.svg', 'explore.md', 'maps', 'plans']) expect(files).toContain(f);
    const md = readFileSync(join(out, 'explore.md'), 'utf8');
    expect(md).toContain('](frontier.svg)');
    expect(md).toContain('](contested.svg)');
    for (const p of json.plans) expect(md).toContain(`](maps/plan-${p.plan}.svg)`);
    expect(md).toContain('## Contested units');
    expect(json.contested.length).toBeGreaterThan(0);
    expect(md).toContain(json.contested[0].name.replace(/\|/g, '\\|'));
  });

  it('with --within 2% gives only the plans that exist, and says so', async () => {
    const result = await runCli(['explore', scenario, '--between', 'gp_clusters,police', '--alternatives', '3', '--within', '2%', '--out', join(dir, 'two'), '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as FrontierJson;
    expect(summary.alternatives!.proven).toBe(true);
    expect(summary.alternatives!.found).toBe(summary.alternatives!.candidates);
    expect(summary.alternatives!.found).toBeLessThan(3);
    const md = readFileSync(join(dir, 'two', 'explore.md'), 'utf8');
    expect(md).toMatch(/Asked for 3: only \d+ exists?/);
  }, 300_000);

  it('shows progress on stderr on a terminal, and three terms give the points no plan beats in all three', async () => {
    const result = await runCli(['explore', scenario, '--between', 'gp_clusters,police,districts', '--out', join(dir, 'three')], { tty: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('listing every plan of 20 nodes into 5 footprints');
    expect(result.stderr).toContain('2,608 plans (all of them)');
    const three = JSON.parse(readFileSync(join(dir, 'three', 'frontier.json'), 'utf8')) as FrontierJson;
    const points = three.plans.filter((p) => p.point !== null);
    const names = ['gp_clusters', 'police', 'districts'];
    for (const p of points)
      for (const q of three.plans) {
        const noWorse = names.every((t) => q.terms[t] <= p.terms[t] + TERM_TOLERANCE);
        const better = names.some((t) => q.terms[t] < p.terms[t] - TERM_TOLERANCE);
        expect(noWorse && better).toBe(false);
      }
  }, 300_000);

  it('writes identical files for the same inputs', async () => {
    const again = join(dir, 'again');
    const result = await runCli(['explore', scenario, '--between', 'gp_clusters,police', '--alternatives', '3', '--within', '10%', '--out', again, '--quiet']);
    expect(result.code).toBe(0);
    for (const f of ['frontier.csv', 'frontier.json', 'frontier.svg', 'contested.svg', 'explore.md', 'plans/2/assignment.csv', 'plans/2/report.md']) expect(readFileSync(join(again, f), 'utf8')).toBe(readFileSync(join(out, f), 'utf8'));
  }, 300_000);
});

describe('footprint explore where the plans are too many to list (the example, 140 units)', () => {
  it('gives weighted-sum points none of which another plan of the run dominates, each plan passing check', async () => {
    const out = join(dir, 'example');
    const result = await runCli(['explore', fixture('example', 'scenario.yaml'), '--between', 'gp,police', '--points', '3', '--restarts', '2', '--iterations', '20000', '--time-limit', '60', '--alternatives', '2', '--within', '20%', '--out', out, '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as FrontierJson & { method: string };
    expect(json.method).toBe('weighted sums');
    expect(json.plansListed).toBeNull();
    expect(json.alternatives!.proven).toBe(false);
    const points = json.plans.filter((p) => p.point !== null);
    expect(points.length).toBeGreaterThanOrEqual(2);
    for (const p of points) for (const q of json.plans) expect(dominates(q.terms.gp, q.terms.police, p.terms.gp, p.terms.police)).toBe(false);
    for (const p of json.plans) expect((await runCli(['check', join(out, p.folder, 'assignment.csv'), '--scenario', fixture('example', 'scenario.yaml'), '--quiet'])).code).toBe(0);
  }, 300_000);
});

describe('footprint explore: usage and impossible briefs', () => {
  it('an unknown term is a usage error naming the terms there are (exit 2), before anything is loaded', async () => {
    const result = await runCli(['explore', fixture('example', 'scenario.yaml'), '--between', 'gp,nonesuch', '--out', join(dir, 'x')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"nonesuch" is not a layer of the run; terms: wards, gp, police, districts, compactness');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('one term, or --within without --alternatives, is a usage error', async () => {
    expect((await runCli(['explore', fixture('example', 'scenario.yaml'), '--between', 'gp', '--out', join(dir, 'x')])).code).toBe(2);
    expect((await runCli(['explore', fixture('example', 'scenario.yaml'), '--between', 'gp,police', '--within', '5%', '--out', join(dir, 'x')])).code).toBe(2);
  });

  it('exits 3 with the reason when no plan can exist', async () => {
    const result = await runCli(['explore', fixture('example', 'scenario.yaml'), '--between', 'gp,police', '--min', '60000', '--max', '70000', '--out', join(dir, 'x')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/fewer than|more than/);
  });
});
