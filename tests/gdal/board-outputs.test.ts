import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportHtml } from '../../src/report/html.js';
import { applyFlags, configFromScenario, defaultConfig } from '../../src/scenario/config.js';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { footprintColours } from '../../src/report/palette.js';
import { workbookBytes } from '../../src/report/xlsx.js';
import { runCli } from '../helpers/cli.js';
import { fixture, hasOldham, oldhamSkipMessage, repoRoot } from '../helpers/data.js';
import { gdal, gdalSkipMessage, hasGdal } from '../helpers/gis-tools.js';

/** report.html, report.pdf, evidence.xlsx, footprints.gpkg and footprints.qgs from the Oldham scenario. */

const hasChromium = ['chromium', 'chromium-browser', 'google-chrome'].some((p) => !spawnSync(p, ['--version']).error);
const hasPoppler = !spawnSync('pdfinfo', ['-v']).error;
/** QGIS's Python API (Debian python3-qgis; not installed by CI, which is too heavy for it): the project check runs where it is. */
const QGIS_PYTHON = '/usr/bin/python3';
const hasQgis = !spawnSync(QGIS_PYTHON, ['-c', 'import qgis.core'], { encoding: 'utf8' }).status;
if (!hasQgis) console.warn('QGIS Python API (python3-qgis) not found; the QGIS project is checked as XML against the GeoPackage only');
if (!hasChromium || !hasPoppler) console.warn('chromium or pdfinfo (poppler-utils) not found; skipping the report.pdf test (CI installs both)');
if (!hasGdal) console.warn(gdalSkipMessage);
if (!hasOldham) console.warn(oldhamSkipMessage);

async function readWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook;
}

describe('the workbook writer', () => {
  const tables = [
    {
      name: 'services/areas: a very long sheet name over 31',
      columns: [{ name: 'name', format: 'text' as const }, { name: 'residents', format: 'integer' as const }, { name: 'share', format: 'share' as const }],
      rows: [
        ['=HYPERLINK("http://x","click")', 1234.5, 0.25],
        ['+44 St Mary\'s', 0, null],
      ],
    },
  ];

  it('writes numbers as number cells and names as text, never a formula; sheet names follow Excel\'s rules', async () => {
    const workbook = await readWorkbook(await workbookBytes(tables));
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('services_areas_ a very long she');
    expect(sheet.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('A2').value).toBe('=HYPERLINK("http://x","click")');
    expect(sheet.getCell('B2').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell('B2').value).toBe(1234.5);
    expect(sheet.getCell('C2').value).toBe(0.25);
    expect(sheet.getCell('C2').numFmt).toBe('0.0%');
    expect(sheet.getCell('C3').value).toBeNull();
  });

  it('gives the same bytes for the same tables (fixed dates in the workbook and its zip)', async () => {
    const a = await workbookBytes(tables);
    await new Promise((r) => setTimeout(r, 2100)); // zip times have a 2-second resolution
    const b = await workbookBytes(tables);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('the scenario key outputs', () => {
  it('asks for the GeoPackage and the PDF as --gpkg and --pdf do, the flags adding to it; unknown keys are refused', () => {
    const scenario = scenarioSchema.parse({ units: 'u.geojson', outputs: { pdf: true } });
    const config = configFromScenario(scenario, (p) => p);
    expect(config.outputs).toEqual({ gpkg: false, pdf: true });
    expect(applyFlags(config, { gpkg: true }).outputs).toEqual({ gpkg: true, pdf: true });
    expect(defaultConfig('u.geojson').outputs).toBeUndefined();
    expect(scenarioSchema.safeParse({ units: 'u.geojson', outputs: { pfd: true } }).success).toBe(false);
  });
});

describe('report.html', () => {
  it('shows raw HTML and unsafe links from data as text, and embeds only the maps handed in', () => {
    const html = reportHtml('# Plan\n\n| footprint | name |\n|:--|:--|\n| F1 | <script>alert(1)</script> <img src=x onerror=alert(2)> |\n\n[site](javascript:alert(3)) [ok](https://example.org)\n\n![Map](map.svg)\n\n![Other](../secret.svg)\n', {
      title: 'A <b>plan</b>',
      images: { 'map.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>' },
    });
    expect(html).not.toMatch(/<script|<img src=x|javascript:|<b>plan/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<a href="https://example.org">ok</a>');
    expect(html).toContain(`<img src="data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}" alt="Map">`);
    expect(html.match(/<img /g)).toHaveLength(1);
    expect(html).toContain('<title>A &lt;b&gt;plan&lt;/b&gt;</title>');
  });
});

describe.skipIf(!hasOldham || !hasGdal)('optimise examples/oldham/scenario.yaml --gpkg --pdf', () => {
  let dir = '';
  let out = '';
  let code = -1;
  let stderr = '';
  const pdf = hasChromium && hasPoppler;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'footprint-board-'));
    out = join(dir, 'out');
    const result = await runCli(['optimise', join(repoRoot, 'examples', 'oldham', 'scenario.yaml'), '--gpkg', ...(pdf ? ['--pdf'] : []), '--out', out, '--quiet']);
    code = result.code;
    stderr = result.stderr;
  }, 240_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const features = (file: string) => (JSON.parse(readFileSync(join(out, file), 'utf8')) as { features: unknown[] }).features.length;

  it('writes footprints.gpkg, which ogrinfo opens with every layer and its features', () => {
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const layers = gdal('ogrinfo', ['-ro', '-q', join(out, 'footprints.gpkg')])
      .split('\n')
      .map((l) => /^\d+: (\S+)/.exec(l)?.[1])
      .filter(Boolean);
    expect(layers).toEqual(['footprints', 'assignment', 'split_wards', 'split_gp_clusters', 'split_wards_2022', 'split_police', 'split_districts', 'layer_wards', 'layer_gp_clusters', 'layer_police', 'layer_districts']);
    const count = (layer: string) => Number(/Feature Count: (\d+)/.exec(gdal('ogrinfo', ['-ro', '-so', join(out, 'footprints.gpkg'), layer]))![1]);
    expect(count('footprints')).toBe(features('footprints.geojson'));
    expect(count('assignment')).toBe(142);
    for (const name of ['wards', 'gp_clusters', 'police', 'districts']) expect(count(`layer_${name}`)).toBe(features(`layers/${name}.geojson`));
    expect(count('split_wards_2022')).toBe(20);
    // The same figures as footprints.geojson: F1's population.
    const f1 = gdal('ogrinfo', ['-ro', '-q', join(out, 'footprints.gpkg'), '-sql', "SELECT population FROM footprints WHERE footprint = 'F1'"]);
    const geo = (JSON.parse(readFileSync(join(out, 'footprints.geojson'), 'utf8')) as { features: Array<{ properties: { footprint: string; population: number } }> }).features;
    expect(f1).toContain(`population (Integer) = ${geo.find((f) => f.properties.footprint === 'F1')!.properties.population}`);
  });

  it('reads the plan back from the GeoPackage: check passes on footprints.gpkg#assignment and #footprints', async () => {
    for (const layer of ['assignment', 'footprints']) {
      const result = await runCli(['check', `${join(out, 'footprints.gpkg')}#${layer}`, '--scenario', join(repoRoot, 'examples', 'oldham', 'scenario.yaml'), '--json']);
      expect(result.code, result.stderr).toBe(0);
      expect((JSON.parse(result.stdout) as { ok: boolean }).ok).toBe(true);
    }
  });

  it('writes a QGIS project whose every layer is a table of the GeoPackage, styled with the report colours', () => {
    const xml = readFileSync(join(out, 'footprints.qgs'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const project = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      qgis: { projectCrs: { spatialrefsys: { authid: string } }; projectlayers: { maplayer: Array<{ datasource: string; 'renderer-v2': { type: string; attr?: string; categories?: { category: Array<{ value: string }> }; symbols: { symbol: Array<{ layer: { Option: { Option: Array<{ name: string; value: string }> } } | unknown[] }> } } }> } };
    };
    const tables = gdal('ogrinfo', ['-ro', '-q', join(out, 'footprints.gpkg')]);
    const maplayers = project.qgis.projectlayers.maplayer;
    expect(maplayers).toHaveLength(12);
    for (const layer of maplayers) {
      const match = /^\.\/footprints\.gpkg\|layername=(\w+)$/.exec(layer.datasource);
      expect(match, layer.datasource).not.toBeNull();
      expect(tables).toMatch(new RegExp(`^\\d+: ${match![1]} `, 'm'));
    }
    expect(project.qgis.projectCrs.spatialrefsys.authid).toBe('EPSG:27700');
    const footprints = maplayers[1]['renderer-v2'];
    expect(footprints.type).toBe('categorizedSymbol');
    expect(footprints.attr).toBe('footprint');
    const ids = footprints.categories!.category.map((c) => String(c.value));
    expect(ids).toEqual(['F1', 'F2', 'F3', 'F4', 'F5']);
    const colours = footprintColours(ids);
    footprints.symbols.symbol.forEach((symbol, i) => {
      const options = (symbol.layer as { Option: { Option: Array<{ name: string; value: string }> } }).Option.Option;
      const hex = colours.get(ids[i])!;
      const rgb = [1, 3, 5].map((k) => Number.parseInt(hex.slice(k, k + 2), 16)).join(',');
      expect(options.find((o) => o.name === 'color')!.value).toBe(`${rgb},255`);
    });
    // Split layers: a rule per split class; split classes hatched (a LinePatternFill over the fill).
    expect(xml).toContain('class="LinePatternFill"');
    expect(maplayers[2]['renderer-v2'].type).toBe('RuleRenderer');
  });

  it.skipIf(!hasQgis)('opens in QGIS itself (its Python API, headless): every layer valid with its features, in British National Grid', () => {
    const script = [
      'import json, os, sys',
      "os.environ['QT_QPA_PLATFORM'] = 'offscreen'",
      'from qgis.core import QgsApplication, QgsProject',
      'app = QgsApplication([], False); app.initQgis()',
      'p = QgsProject.instance(); ok = p.read(sys.argv[1])',
      "print(json.dumps({'ok': ok, 'crs': p.crs().authid(), 'layers': sorted([[l.name(), l.isValid(), l.featureCount(), l.renderer().type()] for l in p.mapLayers().values()])}))",
    ].join('\n');
    const result = spawnSync(QGIS_PYTHON, ['-c', script, join(out, 'footprints.qgs')], { encoding: 'utf8', timeout: 120_000 });
    const line = result.stdout.trim().split('\n').pop()!;
    const project = JSON.parse(line) as { ok: boolean; crs: string; layers: Array<[string, boolean, number, string]> };
    expect(project.ok).toBe(true);
    expect(project.crs).toBe('EPSG:27700');
    expect(project.layers).toHaveLength(12);
    for (const [name, valid, count] of project.layers) {
      expect(valid, name).toBe(true);
      expect(count, name).toBeGreaterThan(0);
    }
    expect(project.layers.find((l) => l[0] === 'footprints')).toEqual(['footprints', true, 5, 'categorizedSymbol']);
    expect(project.layers.find((l) => l[0] === 'gp_clusters: split by the footprints')).toEqual(['gp_clusters: split by the footprints', true, 5, 'RuleRenderer']);
  }, 150_000);

  it('writes evidence.xlsx whose evidence and services sheets read back as the numbers of evidence.csv and services.csv, typed', async () => {
    const workbook = await readWorkbook(readFileSync(join(out, 'evidence.xlsx')));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['evidence', 'services', 'composition']);
    // Plain CSV here: no quoted cells in these two files (checked by the column count).
    const readCsv = (file: string) => readFileSync(join(out, file), 'utf8').trim().split('\n').map((l) => l.split(','));
    const sameAs = (sheetName: string, csv: string[][], textColumns: number) => {
      const sheet = workbook.getWorksheet(sheetName)!;
      expect(sheet.rowCount).toBe(csv.length);
      csv.forEach((row, r) => {
        expect(row.length).toBe(csv[0].length);
        row.forEach((text, c) => {
          const cell = sheet.getRow(r + 1).getCell(c + 1);
          if (r > 0 && c >= textColumns) {
            if (text === '') expect(cell.value).toBeNull();
            else {
              expect(cell.type, `${sheetName} ${csv[0][c]} row ${r}`).toBe(ExcelJS.ValueType.Number);
              expect(cell.value).toBe(Number(text));
            }
          } else expect(String(cell.value)).toBe(text);
        });
      });
    };
    const csv = readCsv('evidence.csv');
    sameAs('evidence', csv, 2);
    sameAs('services', readCsv('services.csv'), 4);
    const composition = workbook.getWorksheet('composition')!;
    // Every footprint's residents, summed over one layer's areas, are its population.
    const population = new Map<string, number>();
    composition.eachRow((row, i) => {
      if (i > 1 && row.getCell(1).value === 'wards') population.set(String(row.getCell(2).value), (population.get(String(row.getCell(2).value)) ?? 0) + Number(row.getCell(6).value));
    });
    for (const row of csv.slice(1, -1)) expect(population.get(row[0])).toBeCloseTo(Number(row[2]), 0);
  });

  it.skipIf(!pdf)('prints report.pdf on A4 with each section of report.html starting its own page', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const sections = [...html.matchAll(/<h2[^>]*>([^<]*)<\/h2>/g)].map((m) => m[1].replace(/&#39;/g, "'"));
    expect(sections.length).toBeGreaterThanOrEqual(5);
    const info = spawnSync('pdfinfo', [join(out, 'report.pdf')], { encoding: 'utf8' }).stdout;
    expect(info).toMatch(/Page size:\s+59\d(\.\d+)? x 84\d(\.\d+)? pts \(A4\)/);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThanOrEqual(sections.length + 1);
    const firstLines = Array.from({ length: pages }, (_, i) => spawnSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), join(out, 'report.pdf'), '-'], { encoding: 'utf8' }).stdout.trim().split('\n')[0]);
    for (const title of sections) expect(firstLines, title).toContain(title);
  });

  it('--pdf without Chromium, or --gpkg without GDAL: exit 2 before any work, saying how to install it', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const bad = join(dir, 'never');
      const pdfRun = await runCli(['optimise', join(repoRoot, 'examples', 'oldham', 'scenario.yaml'), '--pdf', '--out', bad]);
      expect(pdfRun.code).toBe(2);
      expect(pdfRun.stderr).toMatch(/--pdf .*headless Chromium, which was not found: install it \(Debian\/Ubuntu: apt-get install chromium\)/);
      const gpkgRun = await runCli(['optimise', join(repoRoot, 'examples', 'oldham', 'scenario.yaml'), '--gpkg', '--out', bad]);
      expect(gpkgRun.code).toBe(2);
      expect(gpkgRun.stderr).toMatch(/--gpkg .*apt-get install gdal-bin/);
    } finally {
      process.env.PATH = path;
    }
  });
});

describe.skipIf(!hasGdal)('GeoPackages from score and validate', () => {
  const counts = (gpkg: string) =>
    Object.fromEntries(
      gdal('ogrinfo', ['-ro', '-q', gpkg])
        .split('\n')
        .flatMap((l) => {
          const name = /^\d+: (\S+)/.exec(l)?.[1];
          return name ? [[name, Number(/Feature Count: (\d+)/.exec(gdal('ogrinfo', ['-ro', '-so', gpkg, name]))![1])]] : [];
        }),
    );

  it('score --out --gpkg writes score.gpkg: the fragments of fragments.geojson, the units and every layer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'footprint-score-gpkg-'));
    try {
      const out = join(dir, 'score');
      const result = await runCli(['score', '--units', fixture('example', 'units.geojson'), '--layer', `wards=${fixture('example', 'wards.geojson')}`, '--out', out, '--gpkg', '--quiet']);
      expect(result.code, result.stderr).toBe(0);
      const fragments = (JSON.parse(readFileSync(join(out, 'fragments.geojson'), 'utf8')) as { features: unknown[] }).features.length;
      const wards = (JSON.parse(readFileSync(fixture('example', 'wards.geojson'), 'utf8')) as { features: unknown[] }).features.length;
      expect(counts(join(out, 'score.gpkg'))).toEqual({ fragments, units: 140, layer_wards: wards });
      const usage = await runCli(['score', '--units', fixture('example', 'units.geojson'), '--layer', `wards=${fixture('example', 'wards.geojson')}`, '--gpkg']);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/--gpkg writes score\.gpkg into the --out folder: give --out too/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('validate --out problems.gpkg writes the problems as a GeoPackage layer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'footprint-problems-gpkg-'));
    try {
      const square = (x: number, code: string) => ({ type: 'Feature', properties: { code }, geometry: { type: 'Polygon', coordinates: [[[x, 53.5], [x + 0.01, 53.5], [x + 0.01, 53.51], [x, 53.51], [x, 53.5]]] } });
      writeFileSync(join(dir, 'bad.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [square(-2.1, 'A'), square(-2.095, 'B')] }));
      const result = await runCli(['validate', join(dir, 'bad.geojson'), '--out', join(dir, 'problems.gpkg')]);
      expect(result.code).toBe(1);
      expect(counts(join(dir, 'problems.gpkg'))).toEqual({ problems: 1 });
      expect(gdal('ogrinfo', ['-ro', join(dir, 'problems.gpkg'), 'problems'])).toMatch(/kind \(String\) = overlap/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
