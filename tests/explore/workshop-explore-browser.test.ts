import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { hasOldham, oldhamSkipMessage, repoRoot } from '../helpers/data.js';

/** The workshop page made from an explore run, in chromium (as tests/workshop-browser.test.ts). */
const CHROMIUM = [process.env.FOOTPRINT_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p): p is string => !!p && existsSync(p));
if (!CHROMIUM) console.warn('no chromium executable found (set FOOTPRINT_CHROMIUM, or apt-get install chromium); skipping the explore workshop browser test');
if (!hasOldham) console.warn(oldhamSkipMessage);
const ARTIFACTS = resolve(repoRoot, 'out', 'test-output', 'workshop');

interface FrontierJson {
  plans: Array<{ plan: number; objective: number; folder: string }>;
}

describe.skipIf(!CHROMIUM || !hasOldham)('workshop page of an explore run', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('switches between the run\'s plans as one undoable step and says where the plan on screen stands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'footprint-explore-workshop-'));
    const scenario = resolve(repoRoot, 'examples', 'oldham', 'scenario.yaml');
    const out = join(dir, 'explore');
    const explored = await runCli(['explore', scenario, '--between', 'gp_clusters,police', '--alternatives', '3', '--within', '10%', '--out', out, '--quiet']);
    expect(explored.code, explored.stderr).toBe(0);
    const made = await runCli(['workshop', out, '--scenario', scenario, '--out', dir, '--json']);
    expect(made.code, made.stderr).toBe(0);
    expect((JSON.parse(made.stdout) as { plan: string }).plan).toContain(join('plans', '1', 'assignment.csv'));
    const frontier = JSON.parse(readFileSync(join(out, 'frontier.json'), 'utf8')) as FrontierJson;

    const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route(/^(?!file:)/, (route) => route.abort());
    await page.goto(pathToFileURL(join(dir, 'workshop.html')).href);
    await page.waitForSelector('#explore-chart svg');
    const standing = () => page.textContent('#explore-standing');
    const objective = () => page.evaluate(() => (window as unknown as { footprintWorkshop: { figures: () => { objective: number } } }).footprintWorkshop.figures().objective);
    expect(await standing()).toContain('is plan 1 ');
    expect(await objective()).toBeCloseTo(frontier.plans[0].objective, 9);

    // Plan 4 of the run, by the choice: the page's figures are that plan's.
    const fourth = frontier.plans[3];
    await page.selectOption('#explore-plan', '3');
    expect(await standing()).toContain(`is plan ${fourth.plan} `);
    expect(await objective()).toBeCloseTo(fourth.objective, 9);
    expect(await page.locator('#explore-chart circle[r="11"]').count()).toBe(1);
    // One step: undo goes back to plan 1.
    await page.click('#undo');
    expect(await standing()).toContain('is plan 1 ');

    // An edited plan is marked where it stands, and compared with the run's plans.
    const moved = await page.evaluate(() => {
      const w = (window as unknown as { footprintWorkshop: { session: { data: { adjacency: { start: number[]; neighbour: number[] }; units: unknown[] }; assignment: Int32Array; move: (u: number[], f: number) => number[] } } }).footprintWorkshop;
      const { data, assignment } = w.session;
      for (let u = 0; u < data.units.length; u++)
        for (let i = data.adjacency.start[u]; i < data.adjacency.start[u + 1]; i++) {
          const v = data.adjacency.neighbour[i];
          if (assignment[v] !== assignment[u]) return w.session.move([u], assignment[v]).length;
        }
      return 0;
    });
    expect(moved).toBe(1);
    // The move went round the page's handlers: switching to plan 1 and undoing that redraws the edited plan.
    await page.click('button[data-footprint="F1"]');
    await page.selectOption('#explore-plan', '0');
    await page.click('#undo');
    const text = await standing();
    expect(text).toMatch(/beaten (in every term by plan \d+|by no plan of the run)/);
    expect(await page.locator('#explore-chart circle[r="11"]').count()).toBe(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'explore.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
