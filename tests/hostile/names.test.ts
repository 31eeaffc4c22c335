import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTable } from '../../src/io/table.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { fixture } from '../helpers/data.js';

/**
 * Hostile names through every output. The bundled example with its ward names replaced by markup
 * and spreadsheet formulas (wards name the footprints, so they reach every report, map and CSV), a
 * unit code starting with "=", and its district lookup saved by "Excel on Windows": Windows-1252,
 * with "Ynys Môn" among the names. Every output must show the names as text.
 */
const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '=HYPERLINK("http://example.invalid","y")',
  '</script><script>alert(2)</script>',
  '-1+2',
  '@SUM(1)',
  '**bold** [link](javascript:alert(3)) `code`',
  '+44 & <b>co</b>',
];
const MARKUP = /<img|<script|<\/script|<b>/i;
const FORMULA = /^[=+\-@\t\r]/;

let dir: string;
let out: string;
let optimise: CliResult;

function files(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'footprint-hostile-'));
  cpSync(fixture('example'), dir, { recursive: true });
  const wards = JSON.parse(readFileSync(join(dir, 'wards.geojson'), 'utf8')) as { features: Array<{ properties: Record<string, unknown> }> };
  wards.features.forEach((f, i) => (f.properties.name = `${HOSTILE[i % HOSTILE.length]} ${i}`));
  writeFileSync(join(dir, 'wards.geojson'), JSON.stringify(wards));
  writeFileSync(join(dir, 'units.geojson'), readFileSync(join(dir, 'units.geojson'), 'utf8').replace('"code":"E01900001"', '"code":"=E01900001"'));
  const lookup = readFileSync(join(dir, 'ward_districts.csv'), 'utf8').replace(/District 1/g, 'Ynys Môn').replace(/District 2/g, "=cmd|' /C calc'!A0");
  writeFileSync(join(dir, 'ward_districts.csv'), Buffer.from(lookup, 'latin1'));
  out = join(dir, 'out');
  optimise = await runCli(['optimise', join(dir, 'scenario.yaml'), '--restarts', '2', '--iterations', '4000', '--out', out, '--name', `F3=${HOSTILE[0]}`]);
}, 120_000);

describe('hostile names', () => {
  it('the run succeeds and warns that the lookup was read as Windows-1252, naming it', () => {
    expect(optimise.code, optimise.stderr).toBe(0);
    expect(optimise.stderr).toMatch(/warning: .*ward_districts\.csv: not UTF-8 \(line 2 is the first that is not\), so read as Windows-1252/);
  });

  it('report.md shows every name as text: no live HTML, escaped Markdown, and Ynys Môn intact', () => {
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    // The command that reproduces the run is in a fenced code block, where nothing is markup.
    const fences = report.match(/^(`{3,})sh\n[\s\S]*?\n\1$/gm) ?? [];
    expect(fences).toHaveLength(1);
    expect(report.replace(fences[0] ?? '', '')).not.toMatch(MARKUP);
    expect(report).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(report).toContain('&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(report).toContain('\\*\\*bold\\*\\* \\[link\\](javascript:alert(3)) \\`code\\`');
    expect(report).toContain('Ynys Môn');
    // Deliberate Markdown still works: the objective total is bold.
    expect(report).toMatch(/\| \*\*total\*\* \|/);
  });

  it('no output holds a replacement character, and layers keep the names exactly', () => {
    // Text outputs (the workbook, PDF and GeoPackage are binary; the workbook has its own test).
    for (const file of files(out).filter((f) => !/\.(xlsx|pdf|gpkg)$/.test(f))) expect(readFileSync(file, 'utf8'), file).not.toContain('\uFFFD');
    const districts = JSON.parse(readFileSync(join(out, 'layers', 'districts.geojson'), 'utf8')) as { features: Array<{ properties: { name: string } }> };
    expect(districts.features.map((f) => f.properties.name)).toContain('Ynys Môn');
    expect(districts.features.map((f) => f.properties.name)).toContain("=cmd|' /C calc'!A0");
  });

  it('evidence.csv and assignment.csv hold no cell a spreadsheet would run, and numbers stay numbers', () => {
    for (const name of ['evidence.csv', 'assignment.csv']) {
      const table = parseTable(readFileSync(join(out, name), 'utf8'), name);
      for (const row of table.rows) for (const value of Object.values(row.cells)) {
        // A figure may be negative: written as a number, it is one.
        if (!/^-\d+(\.\d+)?$/.test(String(value))) expect(String(value), `${name} ${row.where}`).not.toMatch(FORMULA);
      }
    }
    const evidence = readFileSync(join(out, 'evidence.csv'), 'utf8');
    expect(evidence).toContain('<img src=x onerror=alert(1)>');
    expect(readFileSync(join(out, 'assignment.csv'), 'utf8')).toMatch(/^'=E01900001,F\d,\d+$/m);
    // Names that would be formulas get a quote; resource gaps (they add up to zero, so some are negative) stay numbers.
    expect(evidence).toMatch(/,'(-1\+2|=HYPERLINK|@SUM)/);
    expect(evidence).toMatch(/,-\d+(\.\d+)?(,|$)/m);
    expect(evidence).not.toMatch(/,'-\d+(\.\d+)?(,|$)/m);
  });

  it('report.html (the Board paper) shows the names as text, and evidence.xlsx holds them as strings, never formulas', async () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    // Its images are the maps, as data URIs; no other element may come from a name.
    expect(html).not.toMatch(/<img(?![^>]*src="data:image\/svg\+xml)|<script|<b>co/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(join(out, 'evidence.xlsx')) as unknown as ArrayBuffer);
    const texts: string[] = [];
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          if (cell.type === ExcelJS.ValueType.String) texts.push(String(cell.value));
        }),
      ),
    );
    expect(texts.some((t) => t.includes('=HYPERLINK('))).toBe(true);
  });

  it('footprint check reads its own assignment.csv back: the quoted unit code round-trips', async () => {
    const check = await runCli(['check', join(out, 'assignment.csv'), '--scenario', join(dir, 'scenario.yaml'), '--format', 'json']);
    expect(check.stderr).not.toMatch(/unknown|not in the units|missing/i);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it('SVG maps escape the names and stay well-formed', () => {
    const svgs = files(out).filter((f) => f.endsWith('.svg'));
    expect(svgs.length).toBeGreaterThan(0);
    for (const svg of svgs) {
      const text = readFileSync(svg, 'utf8');
      expect(text, svg).not.toMatch(MARKUP);
      if (existsSync('/usr/bin/rsvg-convert')) expect(spawnSync('rsvg-convert', ['-o', join(dir, 'map.png'), svg]).status, svg).toBe(0);
    }
  });

  it('compare.md, for plans whose file names are markup, shows them as text', async () => {
    const named = join(dir, '<img src=x onerror=alert(9)>.csv');
    cpSync(join(out, 'assignment.csv'), named);
    const folder = join(dir, 'compared');
    const result = await runCli(['compare', join(out, 'assignment.csv'), named, '--scenario', join(dir, 'scenario.yaml'), '--out', folder]);
    expect(result.code, result.stderr).toBe(0);
    const md = readFileSync(join(folder, 'compare.md'), 'utf8');
    expect(md).not.toMatch(MARKUP);
    expect(md).toContain('&lt;img src=x onerror=alert(9)&gt;');
  });

  it('score.md names the hostile areas as text', async () => {
    const folder = join(dir, 'scored');
    const result = await runCli(['score', '--units', join(dir, 'units.geojson'), '--layer', `wards=${join(dir, 'wards.geojson')}`, '--layer', `police=${join(dir, 'police.geojson')}`, '--out', folder, '-q']);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(folder, 'score.md'), 'utf8')).not.toMatch(MARKUP);
  });
});

const CHROMIUM = [process.env.FOOTPRINT_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));

describe.skipIf(!CHROMIUM)('hostile names in the workshop page (headless Chromium)', () => {
  let browser: Awaited<ReturnType<typeof chromium.launch>>;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  }, 60_000);
  afterAll(async () => browser?.close());

  it('runs no script from a name and shows the names as text', async () => {
    const made = await runCli(['workshop', out, '--scenario', join(dir, 'scenario.yaml')]);
    expect(made.code, made.stderr).toBe(0);
    const html = files(out).find((f) => f.endsWith('workshop.html'));
    expect(html).toBeDefined();
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.route(/^(?!file:)/, (route) => route.abort());
    await page.goto(pathToFileURL(html!).href);
    await page.waitForSelector('#objective-value');
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    const text = await page.evaluate(() => document.body.textContent ?? '');
    expect(text).toContain('<img src=x onerror=alert(1)>');
    await page.close();
  }, 60_000);
});

describe('control characters from data on the terminal', () => {
  // An OSC sequence retitles the terminal window (ending in BEL), a CSI one recolours what follows.
  const code = 'E0\u001b]0;pwned\u0007\u001b[31mRED';
  const shown = 'E0\\x1b]0;pwned\\x07\\x1b[31mRED';
  let units: string;
  beforeAll(() => {
    const file = JSON.parse(readFileSync(fixture('example', 'units.geojson'), 'utf8')) as { features: Array<{ properties: Record<string, unknown> }> };
    file.features[0].properties.code = code;
    file.features[1].properties.code = code;
    units = join(mkdtempSync(join(tmpdir(), 'footprint-terminal-')), 'units.geojson');
    writeFileSync(units, JSON.stringify(file));
  });

  it('validate shows an id with ESC and BEL as \\xHH, the rest of the line as it was', async () => {
    const result = await runCli(['validate', units]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`duplicate-id: id ${shown} is used by 2 features (#0, #1)`);
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('an error naming the id (exit 2) shows it the same way on stderr', async () => {
    const result = await runCli(['optimise', '--units', units, '--restarts', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`duplicate id "${shown}"`);
    expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
