import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { stringifyFeatureCollection } from '../src/geometry/rfc7946.js';
import { runCli } from './helpers/cli.js';
import { fixture, hasOldham, oldham, oldhamSkipMessage } from './helpers/data.js';
import { rfc7946Problems } from './helpers/rfc7946.js';

const collection = (geometries: Array<Geometry | null>): FeatureCollection => ({
  type: 'FeatureCollection',
  features: geometries.map((geometry, i): Feature => ({ type: 'Feature', properties: { i }, geometry: geometry as Geometry })),
});

const written = (c: FeatureCollection): FeatureCollection => JSON.parse(stringifyFeatureCollection(c)) as FeatureCollection;

describe('the RFC 7946 checker used by these tests', () => {
  it('finds each kind of problem it claims to', () => {
    const problems = rfc7946Problems(
      collection([
        { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0.5]]] },
        { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] },
        { type: 'Polygon', coordinates: [[[0, 0], [0, 1], [1, 1], [0, 0]]] },
        { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [2, 0], [0, 0]]]] },
      ]),
    );
    expect(problems.join('\n')).toMatch(/feature 0 ring 0: not closed/);
    expect(problems.join('\n')).toMatch(/feature 1 ring 0: 3 positions/);
    expect(problems.join('\n')).toMatch(/feature 2 ring 0: exterior ring is clockwise/);
    expect(problems.join('\n')).toMatch(/feature 3 polygon 0 ring 0: zero area/);
    expect(problems.join('\n')).toMatch(/mixes Polygon and MultiPolygon/);
  });
});

/** A ring around (x, y) near Oldham: `n` vertices on an ellipse `w` × `h` degrees, either way round. */
const ring = fc
  .record({
    x: fc.double({ min: -2.2, max: -1.9, noNaN: true }),
    y: fc.double({ min: 53.4, max: 53.7, noNaN: true }),
    // Down to 1e-8° (about a millimetre): slivers that collapse when rounded to 6 decimals.
    w: fc.double({ min: 1e-8, max: 0.01, noNaN: true }),
    h: fc.double({ min: 1e-8, max: 0.01, noNaN: true }),
    n: fc.integer({ min: 3, max: 12 }),
    clockwise: fc.boolean(),
    closed: fc.boolean(),
  })
  .map(({ x, y, w, h, n, clockwise, closed }) => {
    const points: Position[] = [];
    for (let i = 0; i < n; i++) {
      const t = ((clockwise ? -1 : 1) * 2 * Math.PI * i) / n;
      points.push([x + w * Math.cos(t), y + h * Math.sin(t)]);
    }
    if (closed) points.push([...points[0]]);
    return points;
  });

const polygon = fc.tuple(ring, fc.array(ring, { maxLength: 2 })).map(([outer, holes]) => [outer, ...holes]);
const geometry: fc.Arbitrary<Geometry> = fc.oneof(
  polygon.map((coordinates): Geometry => ({ type: 'Polygon', coordinates })),
  fc.array(polygon, { minLength: 1, maxLength: 3 }).map((coordinates): Geometry => ({ type: 'MultiPolygon', coordinates })),
);

describe('GeoJSON as footprint writes it', () => {
  it('always passes RFC 7946: rings closed, at least 4 positions, exterior counter-clockwise, holes clockwise, one polygonal type (property)', () => {
    fc.assert(
      fc.property(fc.array(geometry, { minLength: 1, maxLength: 6 }), (geometries) => {
        const out = written(collection(geometries));
        expect(rfc7946Problems(out)).toEqual([]);
        // Nothing is silently dropped: collapsed geometry becomes null, the feature and its properties stay.
        expect(out.features.map((f) => f.properties?.i)).toEqual(geometries.map((_, i) => i));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a polygon larger than the precision, and nulls one thinner than it', () => {
    const big: Geometry = { type: 'Polygon', coordinates: [[[-2.1, 53.5], [-2.1, 53.51], [-2.09, 53.51], [-2.1, 53.5]]] };
    const sliver: Geometry = { type: 'Polygon', coordinates: [[[-2.1, 53.5], [-2.09, 53.5], [-2.09, 53.50000001], [-2.1, 53.5]]] };
    const out = written(collection([big, sliver]));
    expect(out.features[0].geometry).toEqual({ type: 'Polygon', coordinates: [[[-2.1, 53.5], [-2.09, 53.51], [-2.1, 53.51], [-2.1, 53.5]]] });
    expect(out.features[1].geometry).toBeNull();
  });
});

describe.skipIf(!hasOldham)('files footprint writes pass RFC 7946 (real Oldham data)', () => {
  if (!hasOldham) console.warn(oldhamSkipMessage);

  it('score --out: fragments.geojson, every unit ∩ area piece, with a numeric area_m2', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'footprint-rfc-')), 'score');
    const result = await runCli(['score', '--units', oldham('lsoa.geojson'), '--layer', `wards=${oldham('wards.geojson')}`, '--layer', `msoa=${oldham('msoa.geojson')}`, '--layer', `wards2022=${oldham('wards_2022.geojson')}`, '--out', dir, '-q']);
    expect(result.code).toBe(0);
    const fragments = JSON.parse(readFileSync(join(dir, 'fragments.geojson'), 'utf8')) as FeatureCollection;
    expect(fragments.features.length).toBeGreaterThan(700);
    expect(rfc7946Problems(fragments)).toEqual([]);
    expect(new Set(fragments.features.filter((f) => f.geometry).map((f) => f.geometry.type))).toEqual(new Set(['MultiPolygon']));
    for (const f of fragments.features) expect(typeof f.properties?.area_m2).toBe('number');
  });

  it('validate --out: the problems file, with a numeric area_m2 on every polygon', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'footprint-rfc-'));
    const out = join(dir, 'problems.geojson');
    const layers = ['gap', 'bowtie', 'overlap', 'too-few-points', 'unclosed-ring', 'multipart-apart'].map((name) => fixture('broken', `${name}.geojson`));
    const result = await runCli(['validate', ...layers, oldham('lsoa.geojson'), '--out', out, '-q']);
    expect(result.code).toBe(1);
    const problems = JSON.parse(readFileSync(out, 'utf8')) as FeatureCollection;
    expect(problems.features.length).toBeGreaterThan(5);
    expect(rfc7946Problems(problems)).toEqual([]);
    const polygons = problems.features.filter((f) => f.geometry?.type === 'MultiPolygon' || f.geometry?.type === 'Polygon');
    expect(polygons.some((f) => f.properties?.kind === 'multipart-apart')).toBe(true);
    for (const f of polygons) {
      expect(typeof f.properties?.area_m2, String(f.properties?.kind)).toBe('number');
      expect(f.properties?.area_m2 as number).toBeGreaterThan(0);
    }
  });

  it('optimise: footprints.geojson and assignment.geojson', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'footprint-rfc-')), 'plan');
    const result = await runCli(['optimise', fixture('example', 'scenario.yaml'), '--restarts', '2', '--iterations', '20000', '--out', dir, '-q']);
    expect(result.code).toBe(0);
    for (const file of ['footprints.geojson', 'assignment.geojson']) {
      expect(rfc7946Problems(JSON.parse(readFileSync(join(dir, file), 'utf8')) as FeatureCollection), file).toEqual([]);
    }
  });
});

describe('streamed GeoJSON (featureCollectionChunks)', () => {
  it('writes the bytes of stringifyFeatureCollection, one feature per piece, through writeGeoJson and output folders', async () => {
    const { featureCollectionChunks, writeGeoJson } = await import('../src/geometry/rfc7946.js');
    const { prepareOutputFolder } = await import('../src/io/output-folder.js');
    const square = (x: number): Geometry => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] });
    const multi: Geometry = { type: 'MultiPolygon', coordinates: [[[[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]]] };
    const dir = mkdtempSync(join(tmpdir(), 'footprint-chunks-'));
    for (const c of [collection([]), collection([square(0)]), collection([square(0), multi, null, square(2)]), collection(Array.from({ length: 3000 }, (_, i) => square(i * 1e-3)))]) {
      const pieces = [...featureCollectionChunks(c)];
      expect(pieces.join('')).toBe(stringifyFeatureCollection(c));
      if (c.features.length > 0) expect(pieces).toHaveLength(c.features.length + 2);
      writeGeoJson(join(dir, 'a.geojson'), c);
      expect(readFileSync(join(dir, 'a.geojson'), 'utf8')).toBe(stringifyFeatureCollection(c));
      const folder = prepareOutputFolder(join(dir, 'out'), { cwd: tmpdir() });
      folder.write('b.geojson', featureCollectionChunks(c));
      folder.commit();
      expect(readFileSync(join(dir, 'out', 'b.geojson'), 'utf8')).toBe(stringifyFeatureCollection(c));
    }
  });
});
