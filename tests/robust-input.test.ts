import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FootprintError } from '../src/errors.js';
import { setInputLimitMb } from '../src/io/input.js';
import { loadLayer, readRawLayer } from '../src/layers/load.js';
import { readScenario } from '../src/scenario/read.js';
import { multipartFindings } from '../src/validate/geometry.js';
import { validateLayer } from '../src/validate/validate.js';
import { runCli } from './helpers/cli.js';
import { fixture } from './helpers/data.js';

/**
 * Each bad-input case of the robustness report: exit 2 (never 70), one line naming the file, the
 * feature (index and id) and the field. Files are written to a temporary folder per run.
 */
const dir = mkdtempSync(join(tmpdir(), 'footprint-robust-'));

type Position = number[];
const square = (x: number, y: number, size = 0.01): Position[][] => [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]];

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content));
  return path;
}

/** A FeatureCollection of units; `geometries[i]` becomes feature i with id U{i}. */
function units(geometries: unknown[], extra: Record<string, unknown> = {}): unknown {
  return {
    type: 'FeatureCollection',
    ...extra,
    features: geometries.map((geometry, i) => ({ type: 'Feature', properties: { code: `U${i}`, population: 100 }, geometry })),
  };
}

const good = (i: number) => ({ type: 'Polygon', coordinates: square(-2.1 + i * 0.01, 53.5) });

async function expectInputError(argv: string[], ...parts: Array<string | RegExp>): Promise<string> {
  const result = await runCli(argv, { cwd: dir });
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^footprint: /);
  for (const part of parts) {
    if (typeof part === 'string') expect(lines[0]).toContain(part);
    else expect(lines[0]).toMatch(part);
  }
  return lines[0];
}

describe('malformed coordinates in validate exit 2, naming file, feature and field', () => {
  it.each<[string, unknown, string, string]>([
    ['empty coordinates', { type: 'Polygon', coordinates: [] }, 'field "geometry.coordinates"', 'is empty'],
    ['[[1,2,3]]', { type: 'Polygon', coordinates: [[1, 2, 3]] }, 'field "geometry.coordinates[0][0]"', 'nested too shallowly for a Polygon'],
    ['a null ring', { type: 'Polygon', coordinates: [square(0, 0)[0], null] }, 'field "geometry.coordinates[1]"', 'is null'],
    ['Polygon depth in a MultiPolygon', { type: 'MultiPolygon', coordinates: square(-2, 53) }, 'field "geometry.coordinates[0][0][0]"', 'nested too shallowly for a MultiPolygon'],
    ['too deep for a Polygon', { type: 'Polygon', coordinates: [square(-2, 53)] }, 'field "geometry.coordinates[0][0][0]"', 'nested too deeply for a Polygon'],
    ['a GeometryCollection with a null member', { type: 'GeometryCollection', geometries: [good(0), null] }, 'field "geometry.geometries[1]"', 'is null, not a GeoJSON geometry'],
    ['the string "NaN" as a coordinate', { type: 'Polygon', coordinates: [[[-2.1, 53.5], ['NaN', 53.5], [-2.09, 53.51], [-2.1, 53.5]]] }, 'field "geometry.coordinates[0][1][0]"', 'is the string "NaN", not a number'],
    ['a position with one number', { type: 'Polygon', coordinates: [[[-2.1, 53.5], [-2.09], [-2.09, 53.51], [-2.1, 53.5]]] }, 'field "geometry.coordinates[0][1]"', 'a position needs at least 2'],
    ['a MultiPolygon part with no rings', { type: 'MultiPolygon', coordinates: [square(-2, 53), []] }, 'field "geometry.coordinates[1]"', 'polygon with no rings'],
    ['an unknown geometry type', { type: 'Polygonn', coordinates: square(-2, 53) }, 'field "geometry.type"', 'not a GeoJSON geometry type'],
  ])('%s', async (name, geometry, field, what) => {
    const file = write(`${name.replace(/\W+/g, '-')}.geojson`, units([good(0), good(1), geometry]));
    await expectInputError(['validate', file], file, 'feature 2 (id U2)', field, what);
    // The strict loader used by score and optimise gives the same line.
    expect(() => loadLayer(file)).toThrow(FootprintError);
  });

  it('a GeometryCollection nested 100,000 deep is refused before anything recurses into it', async () => {
    const deep = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"a"},"geometry":${'{"type":"GeometryCollection","geometries":['.repeat(100_000)}${']}'.repeat(100_000)}}]}`;
    const file = write('deep.geojson', deep);
    await expectInputError(['validate', file], file, 'nested more than 512 levels');
  });

  it('deeply nested properties are refused too (they would overflow the writers later)', async () => {
    const file = write('deep-properties.geojson', `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"a","x":${'['.repeat(5000)}${']'.repeat(5000)}},"geometry":null}]}`);
    await expectInputError(['validate', file], file, 'nested more than');
  });
});

describe('broken TopoJSON exits 2', () => {
  const arcs = [[[0, 0], [1, 0], [1, 1], [0, 0]]];
  const topo = (geometries: unknown[], extra: Record<string, unknown> = { arcs }) => ({
    type: 'Topology',
    ...extra,
    objects: { wards: { type: 'GeometryCollection', geometries } },
  });

  it('an arc index out of range names the object, the geometry and the index', async () => {
    const file = write('arc-range.topojson', topo([{ type: 'Polygon', arcs: [[0]], properties: { code: 'W0' } }, { type: 'Polygon', arcs: [[5]], properties: { code: 'W1' } }]));
    await expectInputError(['validate', file], file, 'feature 1 (id W1)', 'field "objects.wards.geometries[1].arcs[0][0]"', 'is arc 5, but the topology has 1 arc(s)');
  });

  it('a reversed arc index (~i) out of range is named as such', async () => {
    const file = write('arc-reversed.topojson', topo([{ type: 'Polygon', arcs: [[-3]], properties: { code: 'W0' } }]));
    await expectInputError(['validate', file], 'arc 2 reversed');
  });

  it('a topology with no arcs', async () => {
    const file = write('no-arcs.topojson', topo([{ type: 'Polygon', arcs: [[0]], properties: { code: 'W0' } }], {}));
    await expectInputError(['validate', file], file, 'field "arcs"', 'needs an "arcs" array');
  });

  it('an arc with a non-numeric position, a bad transform, a ring with no arcs, a wrong nesting', async () => {
    await expectInputError(['validate', write('arc-nan.topojson', topo([{ type: 'Polygon', arcs: [[0]] }], { arcs: [[[0, 0], ['x', 1], [0, 0]]] }))], 'field "arcs[0][1][0]"');
    await expectInputError(['validate', write('transform.topojson', topo([{ type: 'Polygon', arcs: [[0]] }], { arcs, transform: { scale: [1], translate: [0, 0] } }))], 'field "transform.scale"');
    await expectInputError(['validate', write('empty-ring.topojson', topo([{ type: 'Polygon', arcs: [[]] }]))], 'field "objects.wards.geometries[0].arcs[0]"', 'needs at least one arc');
    await expectInputError(['validate', write('nesting.topojson', topo([{ type: 'MultiPolygon', arcs: [[0]] }]))], 'field "objects.wards.geometries[0].arcs[0][0]"');
  });

  it('a well-formed TopoJSON file and its #object still read', async () => {
    const result = await runCli(['validate', `${fixture('example', 'borough.topojson')}`]);
    expect(result.code).toBeLessThan(2);
  });
});

describe('a YAML alias bomb exits 2', () => {
  it('optimise names the file and says why', async () => {
    const level = (name: string, ref: string) => `${name}: &${name} [${Array(9).fill(`*${ref}`).join(', ')}]`;
    const bomb = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]', level('b', 'a'), level('c', 'b'), level('d', 'c'), level('e', 'd'), level('f', 'e'), level('g', 'f'), level('h', 'g'), level('i', 'h')].join('\n');
    const file = write('bomb.yaml', `${bomb}\n`);
    await expectInputError(['optimise', file], file, 'Excessive alias count');
  });
});

describe('a declared CRS that the numbers contradict exits 2', () => {
  const wgs84 = () => write('wgs84.geojson', units([good(0), good(1), good(2)]));

  it('--crs EPSG:27700 on WGS84 data: score and validate', async () => {
    const file = wgs84();
    const line = await expectInputError(['score', '--units', file, '--layer', `a=${file}`, '--crs', 'EPSG:27700'], file, '--crs EPSG:27700', 'looks like WGS84 longitude/latitude');
    expect(line).toMatch(/x -2\.1…-2\.07, y 53\.5…53\.51/);
    await expectInputError(['validate', '--crs', 'EPSG:27700', file], file, 'looks like WGS84');
  });

  it('--crs EPSG:4326 on British National Grid numbers names the first feature outside the range', async () => {
    await expectInputError(['validate', '--crs', 'EPSG:4326', fixture('broken', 'bng.geojson')], 'bng.geojson', /feature 0 \(id E\d+\)/, 'outside the range of WGS84', 'looks like British National Grid');
  });

  it('a crs member saying CRS84 over BNG-sized numbers', async () => {
    const file = write('crs84-bng.geojson', {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } },
      features: [{ type: 'Feature', properties: { code: 'A' }, geometry: { type: 'Polygon', coordinates: [[[390000, 400000], [391000, 400000], [391000, 401000], [390000, 400000]]] } }],
    });
    await expectInputError(['validate', file], file, 'feature 0 (id A)', 'crs member "urn:ogc:def:crs:OGC:1.3:CRS84"', 'looks like British National Grid');
  });

  it('BNG numbers past the grid under a declared EPSG:27700', () => {
    const file = write('bng-far.geojson', {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'EPSG:27700' } },
      features: [{ type: 'Feature', properties: { code: 'A' }, geometry: { type: 'Polygon', coordinates: [[[3900000, 400000], [3910000, 400000], [3910000, 401000], [3900000, 400000]]] } }],
    });
    expect(() => readRawLayer(file)).toThrow(/outside the range of British National Grid/);
  });
});

describe('input size, encoding and names', () => {
  it('/dev/zero is refused at once, not read until memory runs out', async () => {
    if (!existsSync('/dev/zero')) return;
    await expectInputError(['validate', '/dev/zero'], '/dev/zero', 'binary file');
  });

  it('a file over the limit is refused with how to raise it; flag and environment both set the limit', async () => {
    const file = wgs84Twice();
    await expectInputError(['--max-input-mb', '0.0001', 'validate', file], file, 'over the 0.1 KB input limit', '--max-input-mb', 'FOOTPRINT_MAX_INPUT_MB');
    await expectInputError(['validate', file, '--max-input-mb', '0.0001'], 'input limit');
    const env = await runCli(['validate', file], { cwd: dir, env: { FOOTPRINT_MAX_INPUT_MB: '0.0001' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('input limit');
    // The flag overrides the environment, and the limit does not outlive the run.
    expect((await runCli(['validate', file, '--max-input-mb', '5'], { cwd: dir, env: { FOOTPRINT_MAX_INPUT_MB: '0.0001' } })).code).toBe(0);
    expect((await runCli(['validate', file], { cwd: dir })).code).toBe(0);
    await expectInputError(['validate', file, '--max-input-mb', 'lots'], '--max-input-mb must be a positive number');
  });

  it('the library limit applies to the scenario reader too', () => {
    const previous = setInputLimitMb(0.0001);
    try {
      expect(() => readScenario(fixture('example', 'scenario.yaml'))).toThrow(/scenario\.yaml: file is .* over the 0\.1 KB input limit/);
    } finally {
      setInputLimitMb(previous);
    }
  });

  it('UTF-16 files, with or without a byte-order mark, read like UTF-8', async () => {
    const text = JSON.stringify(units([good(0), good(1)]));
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const [name, bytes] of [
      ['le-bom', Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
      ['be-bom', Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
      ['le', le],
      ['be', be],
    ] as const) {
      const file = write(`utf16-${name}.geojson`, bytes);
      const result = await runCli(['validate', file], { cwd: dir });
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
    }
  });

  it('a file whose name contains "#" is read; file.topojson#object still selects an object', async () => {
    write('ward #2.geojson', units([good(0)]));
    const result = await runCli(['validate', 'ward #2.geojson'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const topo = await runCli(['validate', `${fixture('example', 'borough.topojson')}#borough`]);
    expect(topo.stderr).not.toContain('no such file');
    // Neither the whole path nor the part before "#" exists: the message names the path as given.
    await expectInputError(['validate', 'missing #3.geojson'], 'missing #3.geojson', 'no such file');
  });
});

function wgs84Twice(): string {
  return write('limit.geojson', units([good(0), good(1), good(2), good(3)]));
}

describe('OGC validity (JTS IsValidOp)', () => {
  const report = (coordinates: Position[][]) => validateLayer(readRawLayer(write('ogc.geojson', units([{ type: 'Polygon', coordinates }]))));
  const kinds = (coordinates: Position[][]) => report(coordinates).findings.filter((f) => f.severity === 'error').map((f) => f.kind);

  it('one repeated consecutive vertex is valid', () => {
    expect(kinds([[[-2.1, 53.5], [-2.09, 53.5], [-2.09, 53.5], [-2.09, 53.51], [-2.1, 53.51], [-2.1, 53.5]]])).toEqual([]);
  });

  it('a bowtie is a self-intersection, located where the edges cross', () => {
    const found = report([[[0, 50], [1, 51], [1, 50], [0, 51], [0, 50]]]).findings.find((f) => f.kind === 'self-intersection');
    expect(found?.location?.[0]).toBeCloseTo(0.5, 6);
    expect(found?.location?.[1]).toBeCloseTo(50.5, 6);
  });

  it('a ring touching itself at a point (an inverted hole) is invalid', () => {
    // The outer ring visits (0.5, 50) twice, pinching off a triangle inside the square.
    const ring = [[0, 50], [0.5, 50], [0.7, 50.3], [0.3, 50.3], [0.5, 50], [1, 50], [1, 51], [0, 51], [0, 50]];
    expect(kinds([ring])).toContain('self-intersection');
  });

  it('a hole outside its shell is invalid geometry', () => {
    expect(kinds([square(0, 50, 1)[0], square(2, 50, 0.1)[0]])).toContain('invalid-geometry');
  });
});

describe('size never overflows the stack', () => {
  it('200,000 features load; 200,000 findings are listed', async () => {
    const n = 200_000;
    const features: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const x = Math.round((-2.3 + (i % 500) * 0.001) * 1e6) / 1e6;
      const y = Math.round((53.3 + Math.floor(i / 500) * 0.001) * 1e6) / 1e6;
      // Every feature is a point with no population: two findings each, all of them in --json.
      features[i] = `{"type":"Feature","properties":{"code":"U${i}","population":null},"geometry":{"type":"Point","coordinates":[${x},${y}]}}`;
    }
    const file = write('large.geojson', `{"type":"FeatureCollection","features":[${features.join(',')}]}`);
    const result = await runCli(['validate', file, '--population', 'population', '--json'], { cwd: dir });
    expect(result.code, result.stderr.slice(0, 500)).toBe(1);
    const json = JSON.parse(result.stdout) as { layers: Array<{ errors: number }> };
    expect(json.layers[0].errors).toBeGreaterThanOrEqual(2 * n);
  });

  it('a MultiPolygon of 30,000 parts in a chain is joined without recursion', () => {
    const parts: Position[][][] = [];
    for (let i = 0; i < 30_000; i++) parts.push(square(-2 + i * 0.0001, 53, 0.0001));
    const ctx = { ids: ['chain'], metre: 1 / 70_000 };
    expect(multipartFindings({ type: 'MultiPolygon', coordinates: parts }, ctx)).toEqual([]);
    // Take one link out of the chain and the two halves are apart.
    parts.splice(15_000, 1);
    const apart = multipartFindings({ type: 'MultiPolygon', coordinates: parts }, ctx);
    expect(apart).toHaveLength(1);
    expect(apart[0].message).toContain('has 2 separate pieces');
  });
});
