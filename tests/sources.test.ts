import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { unitsProjection } from '../src/align/crosswalk.js';
import { misalignment, jointTable, layerPartition } from '../src/align/measures.js';
import { loadServiceLayers } from '../src/align/source/index.js';
import { siteCatchments, unitPoints } from '../src/align/source/sites.js';
import { equalAreaProjection } from '../src/geometry/project.js';
import type { Layer, RawLayer } from '../src/layers/types.js';
import { runCli } from './helpers/cli.js';
import { fixture, hasOldham, oldhamSkipMessage, repoRoot } from './helpers/data.js';

const plane = equalAreaProjection(-2.1, 53.55);

/** A rows × cols grid of 100 m square units with populations, stored as WGS84 as a loader would. */
function gridUnits(rows: number, cols: number, populations?: number[]): Layer {
  const areas = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const [x0, y0, x1, y1] = [c * 100, r * 100, c * 100 + 100, r * 100 + 100];
      areas.push({
        id: `U${String(i).padStart(3, '0')}`,
        population: populations?.[i] ?? 100 + i,
        properties: {},
        geometry: { type: 'Polygon' as const, coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]].map(([x, y]): Position => plane.inverse(x, y))] },
        index: i,
      });
    }
  }
  return { name: 'units', source: 'units.geojson', idField: 'code', populationField: 'population', sourceCrs: 'EPSG:4326', crsReason: 'test', notes: [], areas };
}

function siteLayer(sites: Array<{ x: number; y: number; group: string; code: string }>): RawLayer {
  return {
    source: 'sites.geojson',
    sourceCrs: 'EPSG:4326',
    crsReason: 'test',
    features: sites.map((s, index) => ({ index, properties: { code: s.code, pcn: s.group }, geometry: { type: 'Point', coordinates: plane.inverse(s.x, s.y) } })),
  };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'footprint-sources-'));

function writeCsv(dir: string, name: string, header: string[], rows: Array<Array<string | number>>): string {
  const path = join(dir, name);
  writeFileSync(path, [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
  return path;
}

describe('sites: catchments of the nearest site', () => {
  const siteArb = fc.record({
    // Sites on a 50 m lattice make exact ties (equidistant sites, sites on one point) common.
    x: fc.integer({ min: -4, max: 14 }).map((v) => v * 50),
    y: fc.integer({ min: -4, max: 14 }).map((v) => v * 50),
    group: fc.constantFrom('PCN-A', 'PCN-B', 'PCN-C', 'PCN-D'),
    code: fc.constantFrom('P1', 'P2', 'P3', 'P4', 'P5', 'P6'),
  });

  it('equals a brute-force nearest site, ties to the lowest group, whatever the order of the sites', () => {
    const units = gridUnits(5, 6);
    const projection = unitsProjection(units);
    const points = unitPoints(units, projection);
    fc.assert(
      fc.property(fc.array(siteArb, { minLength: 1, maxLength: 12 }), fc.integer(), (sites, shuffleSeed) => {
        const raw = siteLayer(sites);
        const c = siteCatchments(units, raw, { group: 'pcn', id: 'code', projection });
        const projected = raw.features.map((f) => {
          const [lon, lat] = (f.geometry as { coordinates: number[] }).coordinates;
          return projection.forward(lon, lat);
        });
        points.forEach(([x, y], u) => {
          const d = projected.map(([sx, sy]) => Math.hypot(sx - x, sy - y));
          const min = Math.min(...d);
          const tied = sites.filter((_, s) => d[s] <= min * (1 + 1e-9) + 1e-9).map((s) => s.group).sort();
          expect(c.areaIds[c.home[u]]).toBe(tied[0]);
          expect(c.distance[u]).toBeCloseTo(min, 6);
        });
        // The same sites listed in another order give the same catchments.
        const order = sites.map((s, i) => ({ s, key: (Math.imul(i + 1, 2654435761) ^ shuffleSeed) >>> 0 })).sort((a, b) => a.key - b.key).map((e) => e.s);
        const again = siteCatchments(units, siteLayer(order), { group: 'pcn', id: 'code', projection });
        expect(Array.from(again.home, (a) => again.areaIds[a])).toEqual(Array.from(c.home, (a) => c.areaIds[a]));
      }),
      { numRuns: 80 },
    );
  });

  it('measures square units from their centres, and crescent-shaped units from a point inside them', () => {
    const units = gridUnits(2, 2);
    const points = unitPoints(units, plane);
    // Round trip through lon/lat costs well under a millimetre.
    expect(points[0][0]).toBeCloseTo(50, 3);
    expect(points[0][1]).toBeCloseTo(50, 3);
    const u: Position[] = [[0, 0], [300, 0], [300, 300], [200, 300], [200, 100], [100, 100], [100, 300], [0, 300], [0, 0]];
    const cup: Layer = { ...gridUnits(1, 1), areas: [{ ...gridUnits(1, 1).areas[0], geometry: { type: 'Polygon', coordinates: [u.map(([x, y]) => plane.inverse(x, y))] } }] };
    const [[x, y]] = unitPoints(cup, plane);
    // The centroid (150, ~117) of a U lies in its notch; the point used must be inside the U.
    expect(x > 100 && x < 200 && y > 100).toBe(false);
  });

  it('warns about a site far outside the units, and still counts it', () => {
    const units = gridUnits(3, 3);
    const c = siteCatchments(units, siteLayer([{ x: 50, y: 50, group: 'A', code: 'P1' }, { x: 9000, y: 50, group: 'B', code: 'P2' }]), { group: 'pcn', id: 'code' });
    expect(c.farSites.map((f) => f.site)).toEqual(['P2 (feature 1)']);
    expect(c.farSites[0].metres).toBeGreaterThan(8000);
    expect(c.areaIds).toEqual(['A', 'B']);
  });
});

describe('lookups and membership tables', () => {
  const labels = (n: number) => fc.array(fc.constantFrom('A1', 'A2', 'B7', 'C3'), { minLength: n, maxLength: n });

  it('a plan made of a lookup layer\'s own areas scores S = 0 for it', () => {
    const units = gridUnits(3, 4);
    fc.assert(
      fc.property(labels(12), (areas) => {
        const dir = tmp();
        const file = writeCsv(dir, 'lookup.csv', ['lsoa', 'ward'], units.areas.map((a, u) => [a.id, areas[u]]));
        const [layer] = loadServiceLayers(units, [{ name: 'wards', kind: 'lookup', file, key: 'lsoa', area: 'ward' }]);
        const cw = layer.crosswalk;
        const plan = Int32Array.from(units.areas, (_, u) => cw.area[cw.start[u]]);
        const pops = units.areas.map((a) => a.population!);
        expect(misalignment(cw, pops, plan, { footprintIds: cw.areaIds }).splitPopulation).toBe(0);
      }),
      { numRuns: 25 },
    );
  });

  it('a membership table putting each unit wholly in one area scores as the equivalent lookup; row order changes nothing', () => {
    const units = gridUnits(3, 4);
    const pops = units.areas.map((a) => a.population!);
    fc.assert(
      fc.property(labels(12), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 12, maxLength: 12 }), fc.integer({ min: 1, max: 500 }), (areas, plan, count) => {
        const dir = tmp();
        const rows = units.areas.map((a, u): Array<string | number> => [a.id, areas[u], count + u]);
        const lookup = writeCsv(dir, 'lookup.csv', ['lsoa', 'pcn', 'patients'], rows);
        const reversed = writeCsv(dir, 'reversed.csv', ['lsoa', 'pcn', 'patients'], [...rows].reverse());
        const [asLookup, asMembership, reversedMembership, reversedLookup] = loadServiceLayers(units, [
          { name: 'a', kind: 'lookup', file: lookup, key: 'lsoa', area: 'pcn' },
          { name: 'b', kind: 'membership', file: lookup, key: 'lsoa', area: 'pcn', count: 'patients' },
          { name: 'c', kind: 'membership', file: reversed, key: 'lsoa', area: 'pcn', count: 'patients' },
          { name: 'd', kind: 'lookup', file: reversed, key: 'lsoa', area: 'pcn' },
        ]);
        const ids = ['F1', 'F2', 'F3', 'F4'];
        const s = (cw: typeof asLookup.crosswalk) => misalignment(cw, pops, Int32Array.from(plan), { footprintIds: ids });
        expect(s(asMembership.crosswalk).splitPopulation).toBe(s(asLookup.crosswalk).splitPopulation);
        expect(s(asMembership.crosswalk).splitCount).toBe(s(asLookup.crosswalk).splitCount);
        for (const [x, y] of [[asMembership, reversedMembership], [asLookup, reversedLookup]]) {
          expect(y.crosswalk.areaIds).toEqual(x.crosswalk.areaIds);
          expect(Array.from(y.crosswalk.area)).toEqual(Array.from(x.crosswalk.area));
          expect(Array.from(y.crosswalk.weight)).toEqual(Array.from(x.crosswalk.weight));
          expect(y.layer.areas.map((a) => a.geometry)).toEqual(x.layer.areas.map((a) => a.geometry));
        }
      }),
      { numRuns: 20 },
    );
  });

  it('membership shares are count / unit total, repeated unit–area rows added', () => {
    const units = gridUnits(1, 2);
    const dir = tmp();
    const file = writeCsv(dir, 'patients.csv', ['lsoa', 'practice', 'pcn', 'patients'], [
      ['U000', 'P1', 'X', 30],
      ['U000', 'P2', 'X', 30],
      ['U000', 'P3', 'Y', 40],
      ['U001', 'P3', 'Y', 10],
      ['E99', 'P3', 'Y', 1000],
    ]);
    const [layer] = loadServiceLayers(units, [{ name: 'pcn', kind: 'membership', file, key: 'lsoa', area: 'pcn', count: 'patients' }]);
    const cw = layer.crosswalk;
    expect(cw.areaIds).toEqual(['X', 'Y']);
    expect(Array.from(cw.weight)).toEqual([0.6, 0.4, 1]);
    expect(layer.notes.join(' ')).toMatch(/1 row\(s\) \(1,000 members\) are for units outside/);
  });

  it('a lookup of another layer merges its areas: a unit split between two wards of one district is whole in it', () => {
    const units = gridUnits(2, 4);
    const dir = tmp();
    // Two ward polygons splitting the grid at x = 150, through the middle of the second column.
    const ward = (id: string, x0: number, x1: number) => ({ type: 'Feature', properties: { code: id, name: `Ward ${id}` }, geometry: { type: 'Polygon', coordinates: [[[x0, 0], [x1, 0], [x1, 200], [x0, 200], [x0, 0]].map(([x, y]) => plane.inverse(x, y))] } });
    const wards = join(dir, 'wards.geojson');
    writeFileSync(wards, JSON.stringify({ type: 'FeatureCollection', features: [ward('W1', 0, 150), ward('W2', 150, 300), ward('W3', 300, 400)] }));
    const groups = writeCsv(dir, 'groups.csv', ['ward_code', 'district'], [['W1', 'North'], ['W2', 'North'], ['W3', 'South']]);
    const [w, d] = loadServiceLayers(units, [
      { name: 'wards', kind: 'polygons', file: wards },
      { name: 'districts', kind: 'lookup', file: groups, key: 'ward_code', area: 'district', of: 'wards' },
    ]);
    expect(w.crosswalk.start[2] - w.crosswalk.start[1]).toBe(2);
    const cw = d.crosswalk;
    expect(cw.areaIds).toEqual(['North', 'South']);
    for (let u = 0; u < 8; u++) expect(cw.start[u + 1] - cw.start[u]).toBe(1);
    expect(d.layer.areas.map((a) => a.id)).toEqual(['North', 'South']);
    // Against its own wards the district layer is a coarsening: no ward is split by it.
    const pops = units.areas.map((a) => a.population!);
    const table = jointTable(layerPartition(w.crosswalk), layerPartition(cw), pops);
    for (let x = 0; x < table.xIds.length; x++) {
      const cells = Array.from(table.n).filter((_, i) => table.x[i] === x);
      expect(cells.length).toBe(1);
    }
  });
});

describe('bad service-layer input exits 2 naming the row or feature', () => {
  const unitsFile = fixture('example', 'units.geojson');
  const unitIds = (JSON.parse(readFileSync(unitsFile, 'utf8')) as { features: Array<{ properties: { code: string; ward: string } }> }).features.map((f) => f.properties);
  const optimise = (args: string[]) => runCli(['optimise', '--units', unitsFile, '--k', '5', '--min', '1000', '--max', '60000', '--time-limit', '5', '-q', '--out', join(tmp(), 'out'), ...args]);

  const cases: Array<{ name: string; setup: (dir: string) => string[]; message: RegExp }> = [
    {
      name: 'a lookup code unknown to the units',
      setup: (dir) => ['--lookup', `w=${writeCsv(dir, 'l.csv', ['lsoa', 'ward'], [...unitIds.map((p) => [p.code, p.ward]), ['E01999998', 'X'], ['E01999999', 'X']])}`, '--layer-option', 'w.key=lsoa', '--layer-option', 'w.area=ward'],
      message: /l\.csv, column "lsoa": 2 key\(s\) in column "lsoa" are not unit ids of .*: E01999998, E01999999/,
    },
    {
      name: 'units left without an area',
      setup: (dir) => ['--lookup', `w=${writeCsv(dir, 'l.csv', ['lsoa', 'ward'], unitIds.slice(3).map((p) => [p.code, p.ward]))}`, '--layer-option', 'w.key=lsoa', '--layer-option', 'w.area=ward'],
      message: /3 unit\(s\) have no row, so no area: E01900001 Synthborough 001A, E01900002 Synthborough 001B, E01900003 Synthborough 001C/,
    },
    {
      name: 'one key mapped to two areas',
      setup: (dir) => ['--lookup', `w=${writeCsv(dir, 'l.csv', ['lsoa', 'ward'], [...unitIds.map((p) => [p.code, p.ward]), [unitIds[4].code, 'OTHER']])}`, '--layer-option', 'w.key=lsoa', '--layer-option', 'w.area=ward'],
      message: new RegExp(`l\\.csv:142, column "ward": key ${unitIds[4].code} is mapped to two areas: ${unitIds[4].ward} \\(line 6\\) and OTHER`),
    },
    {
      name: 'an empty area value in a lookup',
      setup: (dir) => ['--lookup', `w=${writeCsv(dir, 'l.csv', ['lsoa', 'ward'], unitIds.map((p, i) => [p.code, i === 9 ? '' : p.ward]))}`, '--layer-option', 'w.key=lsoa', '--layer-option', 'w.area=ward'],
      message: /l\.csv:11, column "ward": key E01900010 has an empty area/,
    },
    {
      name: 'a non-numeric count',
      setup: (dir) => ['--membership', `m=${writeCsv(dir, 'm.csv', ['lsoa', 'pcn', 'n'], unitIds.map((p, i) => [p.code, 'A', i === 5 ? 'lots' : 10]))}`, '--layer-option', 'm.key=lsoa', '--layer-option', 'm.area=pcn', '--layer-option', 'm.count=n'],
      message: /m\.csv:7, column "n": the count "lots" is not a number/,
    },
    {
      name: 'a negative count',
      setup: (dir) => ['--membership', `m=${writeCsv(dir, 'm.csv', ['lsoa', 'pcn', 'n'], unitIds.map((p, i) => [p.code, 'A', i === 2 ? -4 : 10]))}`, '--layer-option', 'm.key=lsoa', '--layer-option', 'm.area=pcn', '--layer-option', 'm.count=n'],
      message: /m\.csv:4, column "n": the count -4 is negative/,
    },
    {
      name: 'a malformed CSV',
      setup: (dir) => {
        const path = join(dir, 'bad.csv');
        writeFileSync(path, `lsoa,ward\n${unitIds[0].code},W1\n${unitIds[1].code},"W2\n${unitIds[2].code},W3\n`);
        return ['--lookup', `w=${path}`, '--layer-option', 'w.key=lsoa', '--layer-option', 'w.area=ward'];
      },
      message: /bad\.csv: not a valid CSV table: a quoted field opened on line 3 is never closed/,
    },
    {
      name: 'a CSV row with too many cells',
      setup: (dir) => {
        const path = join(dir, 'bad.csv');
        writeFileSync(path, `lsoa,ward\n${unitIds[0].code},W1\n${unitIds[1].code},W2,extra\n`);
        return ['--lookup', `w=${path}`, '--layer-option', 'w.key=lsoa', '--layer-option', 'w.area=ward'];
      },
      message: /bad\.csv: not a valid CSV table: line 3 has a different number of columns from the header/,
    },
    {
      name: 'a missing column',
      setup: (dir) => ['--lookup', `w=${writeCsv(dir, 'l.csv', ['lsoa', 'ward'], unitIds.map((p) => [p.code, p.ward]))}`, '--layer-option', 'w.key=LSOA', '--layer-option', 'w.area=ward'],
      message: /l\.csv: has no column "LSOA" \(the key column\); did you mean "lsoa"\?/,
    },
    {
      name: 'a site that is not a point',
      setup: (dir) => {
        const path = join(dir, 'sites.geojson');
        writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features: [
          { type: 'Feature', properties: { code: 'P1', pcn: 'A' }, geometry: { type: 'Point', coordinates: [-2.1, 53.55] } },
          { type: 'Feature', properties: { code: 'P2', pcn: 'A' }, geometry: { type: 'LineString', coordinates: [[-2.1, 53.55], [-2.11, 53.56]] } },
        ] }));
        return ['--sites', `gp=${path}`, '--layer-option', 'gp.group=pcn'];
      },
      message: /sites\.geojson, feature 1 \(id P2\), field "geometry": is a LineString; sites must be points/,
    },
    {
      name: 'an empty group value',
      setup: (dir) => {
        const path = join(dir, 'sites.geojson');
        writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features: [
          { type: 'Feature', properties: { code: 'P1', pcn: 'A' }, geometry: { type: 'Point', coordinates: [-2.1, 53.55] } },
          { type: 'Feature', properties: { code: 'P2', pcn: ' ' }, geometry: { type: 'Point', coordinates: [-2.1, 53.56] } },
        ] }));
        return ['--sites', `gp=${path}`, '--layer-option', 'gp.group=pcn'];
      },
      message: /sites\.geojson, feature 1 \(id P2\), field "pcn": has no group value/,
    },
    {
      name: 'a lookup without its key option',
      setup: (dir) => ['--lookup', `w=${writeCsv(dir, 'l.csv', ['lsoa', 'ward'], unitIds.map((p) => [p.code, p.ward]))}`, '--layer-option', 'w.area=ward'],
      message: /layer "w" \(lookup\) needs the option key/,
    },
    {
      name: 'an `of` naming no layer',
      setup: (dir) => ['--lookup', `d=${writeCsv(dir, 'l.csv', ['ward', 'district'], [['W1', 'D1']])}`, '--layer-option', 'd.key=ward', '--layer-option', 'd.area=district', '--layer-option', 'd.of=wards'],
      message: /layer "d": `of: wards` names no layer of this run/,
    },
    {
      name: 'one --layer name given twice',
      setup: () => ['--layer', `w=${fixture('example', 'wards.geojson')}`, '--layer', `w=${fixture('example', 'police.geojson')}`],
      message: /--layer w=.*police\.geojson: a layer named "w" is already given \(--layer w=.*wards\.geojson\)/,
    },
    {
      name: 'a lock on a unit called __proto__',
      setup: () => ['--lock', '__proto__=1'],
      message: /locked unit "__proto__" is not in the units/,
    },
    {
      name: 'two layers with one name',
      setup: (dir) => ['--layer', `w=${fixture('example', 'wards.geojson')}`, '--lookup', `w=${writeCsv(dir, 'l.csv', ['lsoa', 'ward'], [])}`],
      message: /--lookup w=.*: a layer named "w" is already given \(--layer w=/,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const result = await optimise(c.setup(tmp()));
      expect(result.stderr).toMatch(c.message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.code).toBe(2);
    });
  }
});

describe('infeasible briefs name units and kept-whole areas as people know them', () => {
  it('names the unit by name and code', async () => {
    const run = await runCli(['optimise', '--units', fixture('example', 'units.geojson'), '--min', '100', '--max', '3000', '--k', '100', '-q', '--out', join(tmp(), 'out')]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Unit Synthborough 022A (E01900085) alone has 3,234 residents, above the maximum of 3,000.');
  });

  it.skipIf(!hasOldham)('names a kept-whole ward by its name and code, and its units by name', async () => {
    const run = await runCli(['optimise', join(repoRoot, 'examples', 'oldham', 'scenario.yaml'), '--k', '25', '--min', '5000', '--max', '15000', '-q', '--out', join(tmp(), 'out')]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/The kept-whole area wards Coldhurst \(E05014650\) \(8 units: Oldham 014A \(E01005348\), .*\) has 16,750 residents, above the maximum of 15,000\./);
  });
});

describe('warnings reach a CI log', () => {
  it('a practice far outside the units is a warning on stderr without a terminal, and still counts', async () => {
    const dir = tmp();
    const practices = JSON.parse(readFileSync(fixture('example', 'gp_practices.geojson'), 'utf8')) as { features: Array<{ properties: Record<string, unknown>; geometry: { coordinates: number[] } }> };
    const far = structuredClone(practices.features[0]);
    far.properties.code = 'P99999';
    far.geometry.coordinates = [far.geometry.coordinates[0] + 0.5, far.geometry.coordinates[1]];
    practices.features.push(far);
    const file = join(dir, 'practices.geojson');
    writeFileSync(file, JSON.stringify(practices));
    const args = ['optimise', '--units', fixture('example', 'units.geojson'), '--sites', `gp=${file}`, '--layer-option', 'gp.group=pcn_code', '--restarts', '2', '--iterations', '20000', '--out', join(dir, 'out')];
    const run = await runCli(args);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^gp: warning: site P99999 \(feature 30\) lies 2\d\.\d km outside the units; it still counts/m);
    const quiet = await runCli([...args.slice(0, -1), join(dir, 'quiet'), '-q']);
    expect(quiet.stderr).toBe('');
  });
});

describe('kept whole means one thing in optimise, its report and check', () => {
  it('a kept-whole polygon layer reports no split area, and check agrees', async () => {
    const out = join(tmp(), 'out');
    const args = ['--units', fixture('example', 'units.geojson'), '--layer', `wards=${fixture('example', 'wards.geojson')}`, '--keep-whole', 'wards', '--k', '5', '--min', '20000', '--max', '60000'];
    const run = await runCli(['optimise', ...args, '--time-limit', '10', '-q', '--out', out]);
    expect(run.code).toBe(0);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/S\(wards\|footprints\) = \*\*0\.0000\*\*; 0 of \d+ areas split/);
    expect(report).toMatch(/Kept whole: each unit counts in the area holding most of its area/);
    const check = await runCli(['check', join(out, 'assignment.csv'), ...args]);
    expect(check.stdout).toMatch(/PASS {2}wards areas are not split/);
    expect(check.code).toBe(0);
  });
});

describe.skipIf(!hasOldham)('Oldham real-data scenario', () => {
  it('runs end to end: PCNs, police neighbourhoods and districts reported, derived layers written, check passes', async () => {
    const out = join(tmp(), 'oldham');
    const scenario = join(repoRoot, 'examples', 'oldham', 'scenario.yaml');
    const run = await runCli(['optimise', scenario, '--out', out, '--time-limit', '20', '-q']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    for (const pcn of ['OLDHAM SOUTH PCN', 'OLDHAM EAST PCN', 'MILLTOWN ALLIANCE PCN', 'ICC & FAILSWORTH PCN', 'HEALTHY OLDHAM PCN']) expect(report).toContain(pcn);
    expect(report).toMatch(/### police\n/);
    expect(report).toMatch(/### districts\n/);
    expect(report).toMatch(/S\(districts\|footprints\) = \*\*0\.\d{4}\*\*; \d of 6 areas split/);
    const clusters = JSON.parse(readFileSync(join(out, 'layers', 'gp_clusters.geojson'), 'utf8')) as { features: Array<{ properties: Record<string, unknown> }> };
    expect(clusters.features.map((f) => f.properties.sites).reduce((a, b) => Number(a) + Number(b), 0)).toBe(38);
    expect(clusters.features.map((f) => f.properties.residents).reduce((a, b) => Number(a) + Number(b), 0)).toBeCloseTo(242_104, 0);
    expect(existsSync(join(out, 'layers', 'districts.geojson'))).toBe(true);
    const check = await runCli(['check', join(out, 'assignment.csv'), '--scenario', scenario]);
    expect(check.stdout).toMatch(/PASS {2}wards areas are not split/);
    expect(check.code).toBe(0);
    // The evidence a Place Board reads (issue 12): assets as sites, deprivation, age bands, a resource.
    const evidence = readFileSync(join(out, 'evidence.csv'), 'utf8').trim().split('\n').map((line) => line.split(','));
    const at = (row: string[], name: string) => row[evidence[0].indexOf(name)];
    const total = evidence[evidence.length - 1];
    expect(at(total, 'footprint')).toBe('total');
    expect(at(total, 'pharmacies')).toBe('59');
    expect(at(total, 'hospitals')).toBe('1');
    expect(at(total, 'fire_stations')).toBe('3');
    expect(at(total, 'post_offices')).toBe('38');
    for (const column of ['imd_decile_share', 'age_65_plus', 'pharmacies_distance_m', 'school_pupils_current', 'school_pupils_fair', 'school_pupils_gap']) expect(evidence[0]).toContain(column);
    const names = evidence.slice(1, -1).map((row) => at(row, 'name'));
    expect(new Set(names).size).toBe(5);
    expect(report).toContain('## Evidence');
    // Two Oldham plans side by side: the evidence of matched footprints with the differences.
    const other = join(tmp(), 'other');
    expect((await runCli(['optimise', scenario, '--k', '6', '--min', '25000', '--out', other, '--time-limit', '10', '-q'])).code).toBe(0);
    const compared = await runCli(['compare', join(out, 'assignment.csv'), join(other, 'assignment.csv'), '--scenario', scenario, '--k', '6', '--min', '25000']);
    expect(compared.code).toBe(0);
    expect(compared.stdout).toMatch(/pharmacies/);
    expect(compared.stdout).toMatch(/→/);
  }, 120_000);
});

if (!hasOldham) console.warn(oldhamSkipMessage);
