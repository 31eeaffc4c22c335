import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import polygonClipping from 'polygon-clipping';
import type { Geom } from 'polygon-clipping';
import type { FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { brokenFiles, exampleFiles } from '../fixtures/generate.js';
import { brokenFixtures } from '../fixtures/generator/broken.js';
import { DEFAULT_OPTIONS, generateBorough, type Borough } from '../fixtures/generator/borough.js';
import { inMetres, piecesPerFeature, polygonsArea, summariseBorough, type Layer } from '../fixtures/generator/summary.js';
import { pointInRing, type Point as XY } from '../fixtures/generator/topology.js';
import { fixture } from './helpers/data.js';

function ringArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s / 2;
}
const polygonsOf = (g: Polygon | MultiPolygon) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
const unionOf = (parts: Position[][][][]) => polygonClipping.union(parts[0] as Geom, ...(parts.slice(1) as Geom[]));
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/**
 * The layer tiles one territory: its pieces add up to their union (no overlap), and the union is
 * one polygon without holes (no gap). Returns the union's area so other layers can be held to it.
 */
function expectTiling(layer: Layer, expectedArea?: number): number {
  const parts = inMetres(layer);
  const sum = parts.reduce((s, p) => s + polygonsArea(p), 0);
  const union = unionOf(parts);
  const unionArea = polygonsArea(union);
  expect(relative(sum, unionArea)).toBeLessThan(1e-6);
  expect(union).toHaveLength(1);
  // Reprojecting 6-decimal coordinates to metres is not bit-exact, so clipping may report holes of
  // rounding-noise size (well under 1 m²) along shared edges; a real gap is thousands of m².
  const holes = union[0].slice(1).filter((r) => Math.abs(ringArea(r)) > 1);
  expect(holes).toHaveLength(0);
  if (expectedArea !== undefined) expect(relative(unionArea, expectedArea)).toBeLessThan(1e-6);
  return unionArea;
}

const small = { atoms: 300, units: 30, wards: 6, gp: 3, police: 5, districts: 4, population: 50_000, schools: 5 };

describe('synthetic borough generator', () => {
  it('always produces units, wards and service layers that tile one territory with no gap or overlap (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const b = generateBorough({ ...small, seed });
        expect(b.units.features).toHaveLength(small.units);
        expect(b.wards.features).toHaveLength(small.wards);
        const area = expectTiling(b.units);
        for (const layer of [b.wards, b.gp, b.police, b.districts]) expectTiling(layer, area);

        // Every unit and every service area is one contiguous piece.
        for (const layer of [b.units, b.gp, b.police, b.districts]) expect(layer.features.every((f) => f.geometry.type === 'Polygon')).toBe(true);

        const pops = b.units.features.map((f) => f.properties?.population as number);
        expect(pops.every((p) => Number.isInteger(p) && p > 0)).toBe(true);
        expect(pops.reduce((s, p) => s + p, 0)).toBe(small.population);

        // Wards are unions of whole units: each unit lies inside the ward it names, and each ward's
        // area is the sum of its units' (units do not overlap, checked above), so nothing else is in it.
        const units = inMetres(b.units);
        const wards = inMetres(b.wards);
        const wardIndex = new Map(b.wards.features.map((w, i) => [w.properties?.code as string, i]));
        const wardArea = new Float64Array(wards.length);
        const wardPopulation = new Float64Array(wards.length);
        b.units.features.forEach((u, i) => {
          const w = wardIndex.get(u.properties?.ward as string);
          expect(w).toBeDefined();
          const inside = polygonsArea(polygonClipping.intersection(units[i] as Geom, wards[w!] as Geom));
          expect(relative(inside, polygonsArea(units[i]))).toBeLessThan(1e-6);
          wardArea[w!] += polygonsArea(units[i]);
          wardPopulation[w!] += u.properties?.population as number;
        });
        wards.forEach((w, i) => {
          expect(relative(wardArea[i], polygonsArea(w))).toBeLessThan(1e-6);
          expect(wardPopulation[i]).toBe(b.wards.features[i].properties?.population);
        });

        // Age bands break the population down; deciles stay in range.
        for (const f of b.units.features) {
          const p = f.properties!;
          expect(p.age_0_15 + p.age_16_64 + p.age_65_plus).toBe(p.population);
          expect(Math.min(p.age_0_15, p.age_16_64, p.age_65_plus)).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(p.imd_decile) && p.imd_decile >= 1 && p.imd_decile <= 10).toBe(true);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('is deterministic: the same seed gives byte-identical output', () => {
    const a = JSON.stringify(generateBorough({ ...small, seed: 99 }));
    const b = JSON.stringify(generateBorough({ ...small, seed: 99 }));
    expect(a).toBe(b);
    expect(JSON.stringify(generateBorough({ ...small, seed: 100 }))).not.toBe(a);
  });
});

describe('the committed example (default seed)', () => {
  let borough: Borough;
  beforeAll(() => {
    borough = generateBorough({ seed: DEFAULT_OPTIONS.seed });
  });

  it('is exactly what the generator makes, so it cannot drift from it', () => {
    for (const [name, content] of Object.entries(exampleFiles(borough))) {
      expect(readFileSync(fixture('example', name), 'utf8'), `fixtures/example/${name} is stale: run npm run fixtures`).toBe(content);
    }
    for (const [name, content] of Object.entries(brokenFiles(borough, DEFAULT_OPTIONS.seed))) {
      expect(readFileSync(fixture('broken', name), 'utf8'), `fixtures/broken/${name} is stale: run npm run fixtures`).toBe(content);
    }
  });

  it('publishes GP clusters as practices inside their cluster, districts as a lookup of every ward, and staff per district', () => {
    const clusters = new Map(borough.gp.features.map((f) => [String(f.properties!.id), f.geometry]));
    expect(borough.practices.features.length).toBeGreaterThanOrEqual(DEFAULT_OPTIONS.gp * DEFAULT_OPTIONS.practicesPerCluster);
    for (const practice of borough.practices.features) {
      const [lon, lat] = (practice.geometry as Point).coordinates;
      const cluster = clusters.get(String(practice.properties!.pcn_code))!;
      expect(polygonsOf(cluster).some((polygon) => pointInRing([lon, lat] as XY, polygon[0] as XY[]))).toBe(true);
    }
    const wardCodes = borough.wards.features.map((f) => f.properties!.code);
    expect(borough.wardDistricts.rows.map((r) => r[0])).toEqual(wardCodes);
    const districtIds = new Set(borough.districts.features.map((f) => f.properties!.id));
    for (const row of borough.wardDistricts.rows) expect(districtIds.has(row[2])).toBe(true);
    const staffed = new Set(borough.districtStaff.rows.map((r) => r[0]));
    for (const row of borough.wardDistricts.rows) expect(staffed.has(row[2])).toBe(true);
  });

  it('follows RFC 7946: counter-clockwise exteriors, clockwise holes, closed rings, at most 6 decimals', () => {
    for (const name of ['units', 'wards', 'gp', 'police', 'districts']) {
      const layer = JSON.parse(readFileSync(fixture('example', `${name}.geojson`), 'utf8')) as Layer;
      for (const f of layer.features) {
        for (const polygon of polygonsOf(f.geometry)) {
          polygon.forEach((ring, i) => {
            expect(ring.length).toBeGreaterThanOrEqual(4);
            expect(ring[ring.length - 1]).toEqual(ring[0]);
            expect(i === 0 ? ringArea(ring) > 0 : ringArea(ring) < 0).toBe(true);
            for (let v = 1; v < ring.length; v++) expect(ring[v][0] !== ring[v - 1][0] || ring[v][1] !== ring[v - 1][1]).toBe(true);
            for (const [x, y] of ring) {
              expect(Math.round(x * 1e6) / 1e6).toBe(x);
              expect(Math.round(y * 1e6) / 1e6).toBe(y);
            }
          });
        }
      }
    }
  });

  it('is Oldham-sized, and its service layers cut across units, wards and each other instead of nesting', () => {
    const s = summariseBorough(borough);
    expect(s.units).toBe(140);
    expect(s.wards).toBe(20);
    expect(s.population).toBe(240_000);
    expect(s.unitsCutByWards).toBe(0);
    for (const cut of s.cuts) {
      expect(cut.unitsCut, `${cut.layer} cuts too few units`).toBeGreaterThan(10);
      expect(cut.wardsCut, `${cut.layer} cuts too few wards`).toBeGreaterThan(5);
    }
    const layers = [borough.gp, borough.police, borough.districts].map(inMetres);
    for (let i = 0; i < layers.length; i++)
      for (let j = 0; j < layers.length; j++)
        if (i !== j) expect(piecesPerFeature(layers[i], layers[j]).filter((n) => n >= 2).length).toBeGreaterThan(0);
  });

  it('puts every school inside exactly one unit', () => {
    const schools = JSON.parse(readFileSync(fixture('example', 'schools.geojson'), 'utf8')) as FeatureCollection<Point>;
    expect(schools.features.length).toBe(DEFAULT_OPTIONS.schools);
    const inside = (p: Position, g: Polygon | MultiPolygon) =>
      polygonsOf(g).some((polygon) => pointInRing(p as XY, polygon[0] as XY[]) && !polygon.slice(1).some((hole) => pointInRing(p as XY, hole as XY[])));
    for (const school of schools.features) {
      expect(school.properties?.pupils).toBeGreaterThan(0);
      expect(borough.units.features.filter((u) => inside(school.geometry.coordinates, u.geometry))).toHaveLength(1);
    }
  });
});

describe('the broken fixtures each carry the one problem their README names', () => {
  let borough: Borough;
  let ids: Map<string, string[]>;
  const read = (file: string) => JSON.parse(readFileSync(fixture('broken', file), 'utf8')) as Layer;
  const feature = (layer: Layer, code: string) => layer.features.find((f) => f.properties?.code === code)!;
  const metresOf = (layer: Layer, code: string) => inMetres({ ...layer, features: [feature(layer, code)] })[0];
  beforeAll(() => {
    borough = generateBorough({ seed: DEFAULT_OPTIONS.seed });
    ids = new Map(brokenFixtures(borough.units, borough.unitsBng).map((f) => [f.file, f.ids]));
  });

  it('gap.geojson opens a hole of more than 1,000 m² on the border of its two units', () => {
    const [a, b] = ids.get('gap.geojson')!;
    const layer = read('gap.geojson');
    const holes = unionOf(inMetres(layer))
      .flatMap((p) => p.slice(1))
      .map((r) => Math.abs(ringArea(r)))
      .filter((x) => x > 1);
    expect(holes).toHaveLength(1);
    expect(holes[0]).toBeGreaterThan(1_000);
    // The hole is what a lost, and it lies between a and b alone.
    const lost = polygonsArea(metresOf(borough.units, a)) - polygonsArea(metresOf(layer, a));
    expect(relative(lost, holes[0])).toBeLessThan(1e-3);
    const pair = polygonClipping.union(metresOf(layer, a) as Geom, metresOf(layer, b) as Geom);
    expect(pair.flatMap((p) => p.slice(1)).some((r) => relative(Math.abs(ringArea(r)), holes[0]) < 1e-3)).toBe(true);
  });

  it('overlap.geojson pushes one unit more than 1,000 m² into its neighbour', () => {
    const [a, b] = ids.get('overlap.geojson')!;
    const layer = read('overlap.geojson');
    expect(polygonsArea(polygonClipping.intersection(metresOf(layer, a) as Geom, metresOf(layer, b) as Geom))).toBeGreaterThan(1_000);
  });

  it('bowtie.geojson has a ring that crosses itself', () => {
    const [a] = ids.get('bowtie.geojson')!;
    const ring = polygonsOf(feature(read('bowtie.geojson'), a).geometry)[0][0];
    const turn = (p: Position, q: Position, r: Position) => (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
    let crossings = 0;
    const n = ring.length - 1;
    for (let i = 0; i < n; i++)
      for (let j = i + 2; j < n; j++) {
        if (i === 0 && j === n - 1) continue; // neighbours through the closing point
        const [p1, p2, q1, q2] = [ring[i], ring[i + 1], ring[j], ring[j + 1]];
        if (turn(p1, p2, q1) * turn(p1, p2, q2) < 0 && turn(q1, q2, p1) * turn(q1, q2, p2) < 0) crossings++;
      }
    expect(crossings).toBeGreaterThan(0);
  });

  it('the other files break exactly what they say', () => {
    const codes = read('duplicate-id.geojson').features.map((f) => f.properties?.code);
    expect(codes.filter((c) => c === ids.get('duplicate-id.geojson')![0])).toHaveLength(2);
    expect(new Set(codes).size).toBe(codes.length - 1);

    const [nullId, negativeId] = ids.get('missing-population.geojson')!;
    const pops = new Map(read('missing-population.geojson').features.map((f) => [f.properties?.code, f.properties?.population]));
    expect(pops.get(nullId)).toBeNull();
    expect(pops.get(negativeId)).toBe(-5);

    for (const file of ['bng.geojson', 'bng-crs.geojson']) {
      const raw = JSON.parse(readFileSync(fixture('broken', file), 'utf8')) as Layer & { crs?: unknown };
      const [x, y] = polygonsOf(raw.features[0].geometry)[0][0][0];
      expect(x).toBeGreaterThan(380_000);
      expect(y).toBeGreaterThan(390_000);
      expect(Math.round(x * 100) / 100).toBe(x);
      expect(raw.crs === undefined).toBe(file === 'bng.geojson');
    }

    const point = (read('point-feature.geojson') as FeatureCollection).features.find((f) => f.properties?.code === ids.get('point-feature.geojson')![0]);
    expect(point?.geometry.type).toBe('Point');

    const unclosed = polygonsOf(feature(read('unclosed-ring.geojson'), ids.get('unclosed-ring.geojson')![0]).geometry)[0][0];
    expect(unclosed[unclosed.length - 1]).not.toEqual(unclosed[0]);

    const few = polygonsOf(feature(read('too-few-points.geojson'), ids.get('too-few-points.geojson')![0]).geometry)[0][0];
    expect(few).toHaveLength(3);
    expect(few[2]).toEqual(few[0]);

    const parts = metresOf(read('multipart-apart.geojson'), ids.get('multipart-apart.geojson')![0]);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    const detached = parts[parts.length - 1];
    const rest = parts.slice(0, -1);
    // Apart, not merely disjoint: more than a kilometre between the parts' nearest vertices.
    const nearest = Math.min(...rest.flatMap((p) => p[0]).flatMap((q) => detached[0].map((r) => Math.hypot(q[0] - r[0], q[1] - r[1]))));
    expect(nearest).toBeGreaterThan(1_000);

    expect(() => JSON.parse(readFileSync(fixture('broken', 'not-json.geojson'), 'utf8'))).toThrow();
    expect(JSON.parse(readFileSync(fixture('broken', 'not-geojson.json'), 'utf8'))).toEqual({ hello: 'world' });
    expect(read('empty.geojson')).toEqual({ type: 'FeatureCollection', features: [] });
  });
});
