import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import GeometryFactory from 'jsts/org/locationtech/jts/geom/GeometryFactory.js';
import GeoJSONReader from 'jsts/org/locationtech/jts/io/GeoJSONReader.js';
import IsValidOp from 'jsts/org/locationtech/jts/operation/valid/IsValidOp.js';
import { FootprintError } from '../src/errors.js';
import { loadLayer, readRawLayer } from '../src/layers/load.js';
import { readScenario } from '../src/scenario/read.js';
import { validateLayer } from '../src/validate/validate.js';
import { runCli } from './helpers/cli.js';
import { fixture } from './helpers/data.js';

/**
 * Fuzzing every loader and the CLI's argument handling: whatever the input, the outcome is a
 * result or a FootprintError (exit 2), never another exception; the CLI exits 0, 1 or 2, never 70.
 */
const dir = mkdtempSync(join(tmpdir(), 'footprint-fuzz-'));
let counter = 0;
function write(ext: string, content: string): string {
  const path = join(dir, `f${counter++}.${ext}`);
  writeFileSync(path, content);
  return path;
}

/** Run a loader; anything thrown must be a FootprintError with exit code 2. */
function onlyInputErrors(action: () => unknown, { oneLine = true } = {}): void {
  try {
    action();
  } catch (error) {
    if (!(error instanceof FootprintError)) throw error;
    expect(error.exitCode).toBe(2);
    if (oneLine) expect(error.message).not.toContain('\n');
  }
}

const number = fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.integer({ min: -200, max: 800_000 }), fc.constantFrom(53.5, -2.1, 0));
const junk = fc.oneof(fc.constant(null), fc.string({ maxLength: 4 }), fc.constantFrom('NaN', 'Infinity', true, {}), number);
const position = fc.oneof({ weight: 5, arbitrary: fc.tuple(number, number) }, { weight: 1, arbitrary: fc.array(fc.oneof(number, junk), { maxLength: 4 }) }, { weight: 1, arbitrary: junk });
const ring = fc.oneof({ weight: 5, arbitrary: fc.array(position, { maxLength: 7 }) }, { weight: 1, arbitrary: junk });
const rings = fc.oneof({ weight: 5, arbitrary: fc.array(ring, { maxLength: 3 }) }, { weight: 1, arbitrary: junk });
const coordinates = fc.oneof(position, ring, rings, fc.array(rings, { maxLength: 3 }), junk);
const geometryType = fc.constantFrom('Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection', 'Polygonn', 42);
const leafGeometry = fc.record({ type: geometryType, coordinates }, { requiredKeys: ['type'] });
const geometry = fc.oneof(
  { weight: 6, arbitrary: leafGeometry },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('GeometryCollection'), geometries: fc.oneof(fc.array(fc.oneof(leafGeometry, junk), { maxLength: 3 }), junk) }) },
  { weight: 1, arbitrary: junk },
);
const properties = fc.oneof(
  fc.record({ code: fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.constant(null)), population: fc.oneof(fc.integer({ min: -5, max: 1000 }), junk) }, { requiredKeys: [] }),
  junk,
);
const feature = fc.oneof(
  { weight: 8, arbitrary: fc.record({ type: fc.constant('Feature'), properties, geometry, id: fc.oneof(fc.string({ maxLength: 3 }), fc.integer()) }, { requiredKeys: ['type', 'geometry'] }) },
  { weight: 1, arbitrary: junk },
);
const crsMember = fc.constantFrom(undefined, { type: 'name', properties: { name: 'EPSG:27700' } }, { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }, { properties: { name: 'EPSG:3857' } }, 'EPSG:4326');
const featureCollection = fc.record({ type: fc.constantFrom('FeatureCollection', 'FeatureCollection', 'Feature', 'Topology'), features: fc.array(feature, { maxLength: 5 }), crs: crsMember }, { requiredKeys: ['type', 'features'] });

const arcIndex = fc.oneof(fc.integer({ min: -4, max: 4 }), junk);
const topoGeometry = fc.record(
  {
    type: fc.constantFrom('Polygon', 'MultiPolygon', 'LineString', 'Point', 'GeometryCollection', null, 'Bogus'),
    arcs: fc.oneof(fc.array(fc.array(arcIndex, { maxLength: 3 }), { maxLength: 2 }), fc.array(fc.array(fc.array(arcIndex, { maxLength: 3 }), { maxLength: 2 }), { maxLength: 2 }), junk),
    coordinates: fc.oneof(position, fc.array(position, { maxLength: 2 })),
    properties,
    geometries: fc.oneof(fc.array(fc.record({ type: fc.constant('Polygon'), arcs: fc.array(fc.array(arcIndex, { maxLength: 2 }), { maxLength: 2 }) }), { maxLength: 2 }), junk),
  },
  { requiredKeys: ['type'] },
);
const topology = fc.record(
  {
    type: fc.constant('Topology'),
    arcs: fc.oneof(fc.array(fc.oneof(fc.array(position, { minLength: 2, maxLength: 4 }), junk), { maxLength: 4 }), junk),
    transform: fc.oneof(fc.record({ scale: fc.oneof(fc.tuple(number, number), junk), translate: fc.oneof(fc.tuple(number, number), junk) }), junk),
    objects: fc.oneof(fc.dictionary(fc.constantFrom('a', 'b', '__proto__', 'constructor'), fc.oneof(fc.record({ type: fc.constant('GeometryCollection'), geometries: fc.array(topoGeometry, { maxLength: 3 }) }), topoGeometry, junk)), junk),
  },
  { requiredKeys: ['type', 'objects'] },
);

describe('fuzzing the loaders: a result or a FootprintError, nothing else', () => {
  it('GeoJSON-shaped documents with broken members, through readRawLayer, validateLayer and loadLayer', () => {
    fc.assert(
      fc.property(featureCollection, (doc) => {
        const file = write('geojson', JSON.stringify(doc));
        onlyInputErrors(() => validateLayer(readRawLayer(file)));
        onlyInputErrors(() => loadLayer(file, { requirePopulation: true }));
      }),
      { numRuns: 400, seed: 13 },
    );
  });

  it('TopoJSON-shaped documents with broken arcs, transforms and objects', () => {
    fc.assert(
      fc.property(topology, fc.constantFrom('', '#a', '#b', '#__proto__'), (doc, object) => {
        const file = write('topojson', JSON.stringify(doc));
        onlyInputErrors(() => validateLayer(readRawLayer(file + object)));
        onlyInputErrors(() => loadLayer(file + object));
      }),
      { numRuns: 400, seed: 13 },
    );
  });

  it('any JSON value, and any text, as a layer', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v) ?? 'null'), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 })), (text) => {
        const file = write('geojson', text);
        onlyInputErrors(() => validateLayer(readRawLayer(file)));
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  it('any YAML or JSON text as a scenario', () => {
    const yamlish = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
      fc.array(fc.constantFrom('units: x.geojson', 'k: 3', 'k: -1', 'a: &a [1, 2]', 'b: [*a, *a]', 'c: *nope', '- x', '  y: 1', 'layers:', '  - name: gp', 'bounds: {min: 1}', '[[[[', '? a', '!!binary x'), { maxLength: 8 }).map((lines) => lines.join('\n')),
    );
    fc.assert(
      fc.property(yamlish, (text) => {
        // A scenario that parses but breaks the schema lists each problem on its own line, by design.
        onlyInputErrors(() => readScenario(write('yaml', text)), { oneLine: false });
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});

describe('fuzzing the CLI arguments: exit 0, 1 or 2, never 70 and never a throw', () => {
  const files = [fixture('example', 'units.geojson'), fixture('example', 'wards.geojson'), fixture('broken', 'bowtie.geojson'), fixture('broken', 'not-json.geojson'), fixture('example', 'borough.topojson') + '#borough', 'missing.geojson', 'a#b'];
  const token = fc.oneof(
    fc.constantFrom('--units', '--layer', '--crs', 'EPSG:4326', 'EPSG:27700', 'EPSG:3857', '--id', '--population', '--tolerance', '--sliver', '--tau', '--top', '--max-listed', '--json', '--quiet', '--max-input-mb', '--out', '--no-boundary', '-1', '0', 'NaN', '1e309', '1%', 'x=y', '=', 'gp=', '__proto__', 'code', 'population', '--help', '--bogus', '-'),
    fc.constantFrom(...files),
    fc.constantFrom(...files).map((f) => `w=${f}`),
    fc.string({ maxLength: 6 }),
  );
  const argv = fc.tuple(fc.constantFrom('validate', 'score', 'check', 'compare', 'nonsense'), fc.array(token, { maxLength: 7 })).map(([command, rest]) => [command, ...rest]);

  it('random argument lists', async () => {
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const result = await runCli(args, { cwd: dir });
        expect([0, 1, 2], `${args.join(' ')}\n${result.stderr}`).toContain(result.code);
      }),
      { numRuns: 120, seed: 13 },
    );
  });
});

describe('validity against the JTS oracle', () => {
  const reader = new GeoJSONReader(new GeometryFactory());
  const jtsValid = (coordinates: number[][][]) => new IsValidOp(reader.read({ type: 'Polygon', coordinates })).isValid();
  // Small integer grids make crossings, touches and collinear runs common.
  const vertex = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })).map(([x, y]) => [-2 + x * 0.001, 53.5 + y * 0.001]);
  const closedRing = fc.array(vertex, { minLength: 3, maxLength: 7 }).map((v) => [...v, v[0]]);
  const distinct = (ring: number[][]) => new Set(ring.map((p) => p.join())).size;
  const report = (coordinates: number[][][]) => {
    const file = write('geojson', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'A' }, geometry: { type: 'Polygon', coordinates } }] }));
    return validateLayer(readRawLayer(file)).findings;
  };
  const invalidKinds = new Set(['self-intersection', 'invalid-geometry']);

  it('validate calls a ring invalid exactly when JTS IsValidOp does', () => {
    fc.assert(
      fc.property(closedRing, (ring) => {
        fc.pre(distinct(ring) >= 3);
        const findings = report([ring]);
        const structural = findings.some((f) => f.kind === 'too-few-points' || f.kind === 'unclosed-ring');
        fc.pre(!structural);
        expect(findings.some((f) => invalidKinds.has(f.kind))).toBe(!jtsValid([ring]));
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  it('repeating a vertex never changes validity', () => {
    fc.assert(
      fc.property(closedRing, fc.nat(), (ring, at) => {
        fc.pre(distinct(ring) >= 3);
        const i = at % (ring.length - 1);
        const repeated = [...ring.slice(0, i + 1), ring[i], ...ring.slice(i + 1)];
        const kinds = (r: number[][]) => report([r]).filter((f) => invalidKinds.has(f.kind)).length > 0;
        expect(kinds(repeated)).toBe(kinds(ring));
      }),
      { numRuns: 200, seed: 13 },
    );
  });
});
