import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import polygonClipping from 'polygon-clipping';
import type { Geom } from 'polygon-clipping';
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { exampleFiles } from '../fixtures/generate.js';
import { DEFAULT_OPTIONS, generateBorough } from '../fixtures/generator/borough.js';
import { toBng } from '../src/layers/crs.js';
import { fixture } from './helpers/data.js';

type Layer = FeatureCollection<Polygon | MultiPolygon>;

function ringArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s / 2;
}
const polygonsOf = (g: Polygon | MultiPolygon) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
const geomArea = (polygons: Position[][][]) => polygons.reduce((s, p) => s + p.reduce((t, r, i) => t + (i === 0 ? Math.abs(ringArea(r)) : -Math.abs(ringArea(r))), 0), 0);
/** Project to BNG metres so areas are in m² and the clipping works in a plane. */
const toMetres = (layer: Layer) => layer.features.map((f) => polygonsOf(f.geometry).map((p) => p.map((r) => r.map((q) => toBng(q)))));

/** The layer tiles `union` exactly: its pieces add up to the union (no overlap) and the union has no holes (no gap). */
function expectTiling(layer: Layer, expectedArea?: number): number {
  const parts = toMetres(layer);
  const sum = parts.reduce((s, p) => s + geomArea(p), 0);
  const union = polygonClipping.union(parts[0] as Geom, ...(parts.slice(1) as Geom[]));
  const unionArea = geomArea(union);
  expect(Math.abs(sum - unionArea) / unionArea).toBeLessThan(1e-6);
  expect(union).toHaveLength(1);
  // Holes the size of rounding noise (6-decimal coordinates) are not gaps.
  const holes = union[0].slice(1).filter((r) => Math.abs(ringArea(r)) > 1);
  expect(holes).toHaveLength(0);
  if (expectedArea !== undefined) expect(Math.abs(unionArea - expectedArea) / expectedArea).toBeLessThan(1e-6);
  return unionArea;
}

const small = { atoms: 320, units: 30, wards: 6, gp: 3, police: 5, districts: 4, population: 50_000, schools: 5 };

describe('synthetic borough generator', () => {
  it('always produces units, wards and service layers that tile one territory with no gap or overlap (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const b = generateBorough({ ...small, seed });
        const area = expectTiling(b.units);
        expectTiling(b.wards, area);
        expectTiling(b.gp, area);
        expectTiling(b.police, area);
        expectTiling(b.districts, area);
        const pops = b.units.features.map((f) => f.properties?.population as number);
        expect(pops.every((p) => Number.isInteger(p) && p > 0)).toBe(true);
        expect(pops.reduce((s, p) => s + p, 0)).toBe(small.population);
        // Units are single polygons (contiguous), wards are unions of whole units.
        expect(b.units.features.every((f) => f.geometry.type === 'Polygon')).toBe(true);
        const wardPop = b.wards.features.reduce((s, f) => s + (f.properties?.population as number), 0);
        expect(wardPop).toBe(small.population);
        for (const ward of b.wards.features) {
          const members = b.units.features.filter((u) => u.properties?.ward === ward.properties?.code);
          expect(members.reduce((s, u) => s + (u.properties?.population as number), 0)).toBe(ward.properties?.population);
        }
      }),
      { numRuns: 8 },
    );
  });

  it('is deterministic: the same seed gives byte-identical output', () => {
    const a = JSON.stringify(generateBorough({ ...small, seed: 99 }));
    const b = JSON.stringify(generateBorough({ ...small, seed: 99 }));
    expect(a).toBe(b);
    expect(JSON.stringify(generateBorough({ ...small, seed: 100 }))).not.toBe(a);
  });

  it('the committed example is exactly what the generator makes for the default seed', () => {
    const files = exampleFiles(generateBorough({ seed: DEFAULT_OPTIONS.seed }));
    for (const [name, content] of Object.entries(files)) {
      expect(readFileSync(fixture('example', name), 'utf8'), `fixtures/example/${name} is stale: run npm run fixtures`).toBe(content);
    }
  });

  it('the example follows RFC 7946: counter-clockwise exteriors, clockwise holes, at most 6 decimals', () => {
    for (const name of ['units', 'wards', 'gp', 'police', 'districts']) {
      const layer = JSON.parse(readFileSync(fixture('example', `${name}.geojson`), 'utf8')) as Layer;
      for (const f of layer.features) {
        for (const polygon of polygonsOf(f.geometry)) {
          polygon.forEach((ring, i) => {
            expect(i === 0 ? ringArea(ring) > 0 : ringArea(ring) < 0).toBe(true);
            for (const [x, y] of ring) {
              expect(Math.round(x * 1e6) / 1e6).toBe(x);
              expect(Math.round(y * 1e6) / 1e6).toBe(y);
            }
          });
        }
      }
    }
  });

  it('draws service layers that do not nest in the units or the wards', () => {
    const b = generateBorough();
    const units = toMetres(b.units);
    for (const layer of [b.gp, b.police, b.districts, b.wards]) {
      const areas = toMetres(layer);
      // A unit is cut when it overlaps two or more areas by more than 1% of its area.
      const cut = units.filter((u) => {
        const a = geomArea(u);
        return areas.filter((area) => geomArea(polygonClipping.intersection(u as Geom, area as Geom)) > 0.01 * a).length >= 2;
      }).length;
      if (layer === b.wards) expect(cut).toBe(0);
      else expect(cut).toBeGreaterThan(5);
    }
  });
});
