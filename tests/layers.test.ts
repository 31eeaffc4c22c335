import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topology } from 'topojson-server';
import { FootprintError } from '../src/errors.js';
import { fromBng, toBng } from '../src/layers/crs.js';
import { detectIdField, loadLayer, readRawLayer } from '../src/layers/load.js';
import { hasOldham, oldham, oldhamSkipMessage } from './helpers/data.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-layers-'));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const square = (x: number, y: number, s = 0.01) => ({
  type: 'Polygon' as const,
  coordinates: [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]],
});
const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry });
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

/** Metres between two lon/lat points (haversine on the mean Earth radius). */
function metres(a: number[], b: number[]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

function expectFootprintError(action: () => unknown, pattern: RegExp): void {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(FootprintError);
    expect((error as FootprintError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected a FootprintError');
}

describe('British National Grid reprojection', () => {
  it('matches the Ordnance Survey worked example (TG 51409 13177) to under 1 m', () => {
    // OS guide's example point; WGS84 position via the same 7-parameter Helmert shift
    // (published in Veness's geodesy library and PyGeodesy tests: 52.657979°N, 1.716052°E).
    const wgs84 = fromBng([651409.903, 313177.27]);
    expect(metres(wgs84, [1.716052, 52.657979])).toBeLessThan(1);
  });

  it('round-trips BNG → WGS84 → BNG to a centimetre anywhere in Great Britain', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 700_000, noNaN: true }), fc.double({ min: 0, max: 1_250_000, noNaN: true }), (x, y) => {
        const back = toBng(fromBng([x, y]));
        expect(Math.hypot(back[0] - x, back[1] - y)).toBeLessThan(0.01);
      }),
    );
  });

  it('detects BNG by coordinate range and by crs member, and --crs overrides', () => {
    const bngSquare = { type: 'Polygon', coordinates: [[[393000, 405000], [394000, 405000], [394000, 406000], [393000, 406000], [393000, 405000]]] };
    const byRange = readRawLayer(file('bng.geojson', collection(feature({ code: 'A' }, bngSquare))));
    expect(byRange.sourceCrs).toBe('EPSG:27700');
    expect(byRange.crsReason).toMatch(/British National Grid range/);
    const ring = (byRange.features[0].geometry as { coordinates: number[][][] }).coordinates[0];
    expect(ring[0][0]).toBeCloseTo(-2.1, 1);
    expect(ring[0][1]).toBeCloseTo(53.54, 1);

    const withMember = readRawLayer(
      file('bng-crs.geojson', { ...collection(feature({ code: 'A' }, bngSquare)), crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } } }),
    );
    expect(withMember.sourceCrs).toBe('EPSG:27700');
    expect(withMember.crsReason).toMatch(/crs member/);

    const overridden = readRawLayer(file('ll.geojson', collection(feature({ code: 'A' }, square(-2.1, 53.5)))), { crs: 'EPSG:4326' });
    expect(overridden.crsReason).toBe('--crs');
  });

  it('refuses coordinates that are neither lon/lat nor BNG, and unknown crs members', () => {
    const mercator = { type: 'Polygon', coordinates: [[[-233000, 7083000], [-232000, 7083000], [-232000, 7084000], [-233000, 7083000]]] };
    expectFootprintError(() => readRawLayer(file('merc.geojson', collection(feature({ code: 'A' }, mercator)))), /neither longitude\/latitude nor British National Grid/);
    expectFootprintError(
      () => readRawLayer(file('3857.geojson', { ...collection(feature({ code: 'A' }, square(0, 0))), crs: { type: 'name', properties: { name: 'EPSG:3857' } } })),
      /unsupported CRS "EPSG:3857"/,
    );
  });
});

describe('reading GeoJSON and TopoJSON', () => {
  it('reads a FeatureCollection, a single Feature and a bare geometry', () => {
    expect(readRawLayer(file('fc.geojson', collection(feature({ code: 'A' }, square(0, 0)), feature({ code: 'B' }, square(1, 1))))).features).toHaveLength(2);
    expect(readRawLayer(file('f.geojson', feature({ code: 'A' }, square(0, 0)))).features[0].properties).toEqual({ code: 'A' });
    expect(readRawLayer(file('g.geojson', square(0, 0))).features[0].geometry?.type).toBe('Polygon');
  });

  it('reads every TopoJSON object, or the one named after #', () => {
    const topo = topology({
      units: collection(feature({ code: 'U1' }, square(0, 0)), feature({ code: 'U2' }, square(0.01, 0))) as never,
      wards: collection(feature({ code: 'W1' }, { type: 'Polygon', coordinates: [[[0, 0], [0.02, 0], [0.02, 0.01], [0, 0.01], [0, 0]]] })) as never,
    });
    const path = file('b.topojson', topo);
    expect(readRawLayer(path).features).toHaveLength(3);
    const wards = loadLayer(`${path}#wards`);
    expect(wards.name).toBe('wards');
    expect(wards.areas.map((a) => a.id)).toEqual(['W1']);
    expectFootprintError(() => readRawLayer(`${path}#gp`), /no object "gp" \(it has: units, wards\)/);
  });

  it('gives one clear error for unreadable input', () => {
    expectFootprintError(() => readRawLayer(join(dir, 'missing.geojson')), /missing\.geojson: cannot read file: no such file/);
    expectFootprintError(() => readRawLayer(file('bad.geojson', '{"type": "FeatureCollection", features: [')), /bad\.geojson(:\d+)?: not valid JSON/);
    expectFootprintError(() => readRawLayer(file('hello.json', { hello: 'world' })), /not GeoJSON or TopoJSON/);
    expectFootprintError(() => readRawLayer(file('empty.geojson', collection())), /the layer has no features/);
    expectFootprintError(() => readRawLayer(file('arr.json', [1, 2])), /not GeoJSON or TopoJSON/);
    expectFootprintError(() => readRawLayer(file('nogeom.geojson', collection({ type: 'Feature', properties: {}, geometry: { type: 'Polygon' } }))), /feature 0, field "geometry.coordinates": is missing; a Polygon needs a "coordinates" array/);
  });
});

describe('loading a layer strictly', () => {
  it('auto-detects ONS code fields before generic names and says so', () => {
    const path = file('ons.geojson', collection(feature({ LSOA21CD: 'E01000001', name: 'x', population: 10 }, square(0, 0))));
    const layer = loadLayer(path);
    expect(layer.idField).toBe('LSOA21CD');
    expect(layer.populationField).toBe('population');
    expect(layer.notes.join(' ')).toMatch(/id field "LSOA21CD" \(ONS code field\)/);
    expect(detectIdField(readRawLayer(path).features, 'name')).toEqual({ field: 'name', reason: 'given with --id' });
  });

  it('names the file, feature and field for each problem', () => {
    expectFootprintError(
      () => loadLayer(file('dup.geojson', collection(feature({ code: 'A' }, square(0, 0)), feature({ code: 'A' }, square(1, 1))))),
      /dup\.geojson, feature 1, field "code": duplicate id "A" \(also feature 0\)/,
    );
    expectFootprintError(
      () => loadLayer(file('pt.geojson', collection(feature({ code: 'A' }, { type: 'Point', coordinates: [0, 0] })))),
      /feature 0 \(id A\), field "geometry": is a Point; layers must be polygons/,
    );
    expectFootprintError(
      () => loadLayer(file('neg.geojson', collection(feature({ code: 'A', population: -5 }, square(0, 0))))),
      /field "population": population is negative \(-5\)/,
    );
    expectFootprintError(
      () => loadLayer(file('str.geojson', collection(feature({ code: 'A', population: 3 }, square(0, 0)), feature({ code: 'B', population: 'abc' }, square(1, 1))))),
      /feature 1 \(id B\), field "population": population is not a number \("abc"\)/,
    );
    expectFootprintError(() => loadLayer(file('noid.geojson', collection(feature({ colour: 'red' }, square(0, 0))))), /no id field found/);
    expectFootprintError(
      () => loadLayer(file('nopop.geojson', collection(feature({ code: 'A' }, square(0, 0)))), { requirePopulation: true }),
      /no population field found/,
    );
  });
});

describe.skipIf(!hasOldham)('real Oldham layers', () => {
  it('loads the LSOAs, MSOAs and both ward patterns with the expected fields', () => {
    const lsoa = loadLayer(oldham('lsoa.geojson'));
    expect(lsoa.areas).toHaveLength(142);
    expect(lsoa.idField).toBe('code');
    expect(lsoa.areas.reduce((s, a) => s + (a.population ?? 0), 0)).toBe(242_104);
    expect(loadLayer(oldham('msoa.geojson')).areas).toHaveLength(34);
    expect(loadLayer(oldham('wards.geojson')).areas).toHaveLength(20);
    expect(loadLayer(oldham('wards_2022.geojson')).populationField).toBeNull();
  });
});
if (!hasOldham) it.skip(oldhamSkipMessage, () => undefined);
