import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { fixture, hasOldham, oldhamSkipMessage, repoRoot } from './helpers/data.js';

/**
 * The workshop page in a real browser: Debian's chromium (installed by .ci/run), driven by
 * playwright-core with that executable, so nothing is downloaded. The page's figures after real
 * mouse moves must equal what `footprint compare` and `check` say about the exported file.
 */
const CHROMIUM = [process.env.FOOTPRINT_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p): p is string => !!p && existsSync(p));
if (!CHROMIUM) console.warn('no chromium executable found (set FOOTPRINT_CHROMIUM, or apt-get install chromium); skipping the workshop browser tests (CI installs it)');

/** Screenshots are kept here for people to look at; out/ is ignored by git. */
const ARTIFACTS = resolve(repoRoot, 'out', 'test-output', 'workshop');

interface PanelFigures {
  objective: string;
  populations: Record<string, string>;
  splits: Record<string, string>;
  findings: string[];
  timing: string;
  /** Posts required per service and footprint, as the team table shows them. */
  team: Record<string, Record<string, string>>;
}

async function panel(page: Page): Promise<PanelFigures> {
  return page.evaluate(() => {
    const text = (el: Element | null) => (el?.textContent ?? '').trim();
    const populations: Record<string, string> = {};
    for (const row of document.querySelectorAll('#footprints tr[data-footprint]')) populations[row.getAttribute('data-footprint')!] = text(row.querySelector('.population'));
    const splits: Record<string, string> = {};
    for (const row of document.querySelectorAll('#objective tr[data-layer]')) splits[row.getAttribute('data-layer')!] = text(row.querySelector('.split'));
    const team: Record<string, Record<string, string>> = {};
    for (const row of document.querySelectorAll('#team tr[data-service]')) {
      const cells: Record<string, string> = {};
      for (const td of row.querySelectorAll('td[data-footprint]')) cells[td.getAttribute('data-footprint')!] = text(td.querySelector('.required'));
      team[row.getAttribute('data-service')!] = cells;
    }
    return {
      team,
      objective: text(document.querySelector('#objective-value')),
      populations,
      splits,
      findings: [...document.querySelectorAll('#findings li.bad')].map((li) => li.getAttribute('data-constraint') ?? ''),
      timing: text(document.querySelector('#timing')),
    };
  });
}

/** A point inside a unit on screen (its fill, not just its box), for a real mouse. */
async function pointIn(page: Page, unitId: string): Promise<{ x: number; y: number }> {
  const point = await page.evaluate((id) => {
    const path = document.querySelector(`path[data-unit="${id}"]`) as SVGPathElement | null;
    if (!path) return null;
    const box = path.getBBox();
    const matrix = path.getScreenCTM()!;
    const svg = path.ownerSVGElement!;
    let best: { x: number; y: number; d: number } | null = null;
    for (let i = 1; i < 12; i++) {
      for (let j = 1; j < 12; j++) {
        const p = svg.createSVGPoint();
        p.x = box.x + (box.width * i) / 12;
        p.y = box.y + (box.height * j) / 12;
        if (!path.isPointInFill(p)) continue;
        const s = p.matrixTransform(matrix);
        if (document.elementFromPoint(s.x, s.y) !== path) continue;
        const d = Math.abs(i - 6) + Math.abs(j - 6);
        if (!best || d < best.d) best = { x: s.x, y: s.y, d };
      }
    }
    return best;
  }, unitId);
  if (!point) throw new Error(`no visible point inside unit ${unitId}`);
  return point;
}

/** Units of footprint `from` that touch footprint `to`, from the page's own data. */
async function boundaryUnits(page: Page, from: string, to: string): Promise<string[]> {
  return page.evaluate(
    ([fromId, toId]) => {
      const w = (window as unknown as { footprintWorkshop: { session: { data: { footprintIds: string[]; units: Array<{ id: string }>; adjacency: { start: number[]; neighbour: number[] } }; assignment: Int32Array } } }).footprintWorkshop;
      const { data, assignment } = w.session;
      const f = data.footprintIds.indexOf(fromId);
      const g = data.footprintIds.indexOf(toId);
      const out: string[] = [];
      for (let u = 0; u < data.units.length; u++) {
        if (assignment[u] !== f) continue;
        for (let i = data.adjacency.start[u]; i < data.adjacency.start[u + 1]; i++) if (assignment[data.adjacency.neighbour[i]] === g) out.push(data.units[u].id);
      }
      return [...new Set(out)];
    },
    [from, to] as const,
  );
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-GB');

async function exportPlan(page: Page, dir: string): Promise<string> {
  const download = page.waitForEvent('download');
  await page.click('#export');
  const file = join(dir, 'assignment.csv');
  const d = await download;
  expect(d.suggestedFilename()).toBe('assignment.csv');
  await d.saveAs(file);
  return file;
}

interface CompareJson {
  objective: number;
  terms: Array<{ layer: string; weight: number; value: number }>;
  footprints: Array<{ id: string; population: number }>;
}

/** Drive one page: check the start against compare, move units by mouse, export, and compare and check again. */
async function drive(browser: Browser, html: string, scenario: string, startPlan: string, name: string, dir: string): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Offline: anything but the file itself fails.
  await page.route(/^(?!file:)/, (route) => route.abort());
  await page.goto(pathToFileURL(html).href);
  await page.waitForSelector('#objective-value');

  const before = await runCli(['compare', startPlan, startPlan, '--scenario', scenario, '--json']);
  expect(before.code, before.stderr).toBe(0);
  const start = (JSON.parse(before.stdout) as CompareJson[])[0];
  const first = await panel(page);
  expect(first.objective).toBe(start.objective.toFixed(4));

  // Click one unit of F1 that touches F2 into F2, then drag across two units of F2 that touch F3 into F3.
  const [a] = await boundaryUnits(page, 'F1', 'F2');
  await page.click('button[data-footprint="F2"]');
  const pa = await pointIn(page, a);
  await page.mouse.click(pa.x, pa.y);
  const afterClick = await panel(page);
  expect(afterClick.objective).not.toBe(first.objective);

  const [b, c] = await boundaryUnits(page, 'F2', 'F3');
  await page.click('button[data-footprint="F3"]');
  const pb = await pointIn(page, b);
  const pc = c ? await pointIn(page, c) : pb;
  await page.mouse.move(pb.x, pb.y);
  await page.mouse.down();
  await page.mouse.move((pb.x + pc.x) / 2, (pb.y + pc.y) / 2, { steps: 4 });
  await page.mouse.move(pc.x, pc.y, { steps: 4 });
  await page.mouse.up();
  const afterDrag = await panel(page);
  // The team follows the moves: three units change footprint, so some footprint's posts change.
  expect(Object.keys(first.team).length).toBeGreaterThan(0);
  expect(afterDrag.team).not.toEqual(first.team);
  // The drag is one step: undo takes both units back, redo brings them again.
  await page.click('#undo');
  expect((await panel(page)).objective).toBe(afterClick.objective);
  await page.click('#redo');
  expect((await panel(page)).objective).toBe(afterDrag.objective);
  // Locked units refuse to move.
  await page.click('#lock-mode');
  await page.mouse.click(pa.x, pa.y);
  await page.click('button[data-footprint="F1"]');
  await page.mouse.click(pa.x, pa.y);
  expect((await panel(page)).objective).toBe(afterDrag.objective);

  const figures = await panel(page);
  const ms = Number(/([\d.]+) ms/.exec(figures.timing)?.[1]);
  expect(ms).toBeLessThan(100);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  const exported = await exportPlan(page, dir);
  const compared = await runCli(['compare', startPlan, exported, '--scenario', scenario, '--json']);
  expect(compared.code, compared.stderr).toBe(0);
  const after = (JSON.parse(compared.stdout) as CompareJson[])[1];
  expect(figures.objective).toBe(after.objective.toFixed(4));
  for (const t of after.terms) expect(figures.splits[t.layer]).toBe(t.value.toFixed(4));
  for (const f of after.footprints) expect(figures.populations[f.id]).toBe(fmt(f.population));
  // The exact figures too, not only as printed.
  const exact = await page.evaluate(() => (window as unknown as { footprintWorkshop: { figures: () => { objective: number; splits: Array<{ value: number }> } } }).footprintWorkshop.figures());
  expect(exact.objective).toBeCloseTo(after.objective, 12);
  after.terms.forEach((t, l) => expect(exact.splits[l].value).toBeCloseTo(t.value, 12));

  // The team on the page equals `footprint evidence --plan` on the exported plan.
  const evidence = await runCli(['evidence', scenario, '--plan', exported, '--out', join(dir, `evidence-${name}`), '--json']);
  expect(evidence.code, evidence.stderr).toBe(0);
  const services = (JSON.parse(evidence.stdout) as { services: Array<{ service: string; footprints: Array<{ footprint: string; required: number }>; total: { required: number } }> }).services;
  expect(services.map((s) => s.service).sort()).toEqual(Object.keys(figures.team).sort());
  const pageTeam = await page.evaluate(() => (window as unknown as { footprintWorkshop: { figures: () => { evidence: { footprintIds: string[]; services: Array<{ name: string; rows: Array<{ required: number }> }> } } } }).footprintWorkshop.figures().evidence);
  for (const s of services) {
    for (const f of s.footprints) {
      expect(pageTeam.services.find((x) => x.name === s.service)!.rows[pageTeam.footprintIds.indexOf(f.footprint)].required).toBe(f.required);
      expect(Number(figures.team[s.service][f.footprint])).toBe(f.required);
    }
    expect(Number(figures.team[s.service].total)).toBe(s.total.required);
  }

  const checked = await runCli(['check', exported, '--scenario', scenario, '--format', 'json']);
  const report = JSON.parse(checked.stdout) as { ok: boolean; results: Array<{ id: string; status: string }> };
  const failing = report.results.filter((r) => r.status === 'fail').map((r) => r.id).sort();
  expect([...new Set(figures.findings)].sort()).toEqual(failing);
  expect(checked.code).toBe(failing.length > 0 ? 1 : 0);
  expect(readFileSync(exported, 'utf8').split('\n')[0]).toBe('unit_id,footprint,population');
  expect(errors).toEqual([]);
  await page.close();
}

describe.skipIf(!CHROMIUM)('workshop page in chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the bundled example: move, undo, lock, export, and check agrees', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'footprint-workshop-'));
    const scenario = fixture('example', 'scenario.yaml');
    const plan = fixture('example', 'plan', 'assignment.csv');
    const made = await runCli(['workshop', scenario, '--plan', plan, '--out', dir]);
    expect(made.code, made.stderr).toBe(0);
    await drive(browser, join(dir, 'workshop.html'), scenario, plan, 'example', dir);
  });

  it.skipIf(!hasOldham)('the Oldham scenario from an output folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'footprint-workshop-oldham-'));
    const scenario = resolve(repoRoot, 'examples', 'oldham', 'scenario.yaml');
    const out = join(dir, 'out');
    const optimised = await runCli(['optimise', scenario, '--out', out, '--time-limit', '5', '--restarts', '2', '--quiet']);
    expect(optimised.code, optimised.stderr).toBe(0);
    const made = await runCli(['workshop', out, '--scenario', scenario]);
    expect(made.code, made.stderr).toBe(0);
    await drive(browser, join(out, 'workshop.html'), scenario, join(out, 'assignment.csv'), 'oldham', dir);
  });
});

if (!hasOldham) console.warn(oldhamSkipMessage);
