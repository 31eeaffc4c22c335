import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evidenceProfile } from '../src/evidence/profile.js';
import type { Area } from '../src/layers/types.js';

function squareUnit(i: number, properties: Record<string, unknown>, population: number): Area {
  const x = i * 0.01;
  return {
    id: `U${i}`,
    population,
    properties,
    index: i,
    geometry: { type: 'Polygon', coordinates: [[[x, 53], [x + 0.01, 53], [x + 0.01, 53.01], [x, 53.01], [x, 53]]] },
  };
}

describe('evidence profiles', () => {
  it('sums counts and population-weights rates per footprint (property)', () => {
    const unitArb = fc.record({
      population: fc.integer({ min: 1, max: 3000 }),
      older: fc.integer({ min: 0, max: 1000 }),
      decile: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(unitArb, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 5 }), fc.integer(), (rows, k, salt) => {
        const units = rows.map((r, i) => squareUnit(i, { population: r.population, age_65_plus: r.older, imd_decile: r.decile }, r.population));
        const assignment = rows.map((_, i) => Math.abs((i * 7919 + salt) % k));
        const profile = evidenceProfile(units, assignment, k, { mean: ['imd_decile'], skip: ['population'] });
        const older = profile.fields.findIndex((f) => f.name === 'age_65_plus');
        const decile = profile.fields.findIndex((f) => f.name === 'imd_decile');
        expect(profile.fields[decile]?.kind).toBe('mean');
        let total = 0;
        for (let f = 0; f < k; f++) {
          const members = rows.filter((_, i) => assignment[i] === f);
          const expected = members.reduce((s, r) => s + r.older, 0);
          expect(profile.footprints[f].values[older] ?? 0).toBe(expected);
          total += profile.footprints[f].values[older] ?? 0;
          const withDecile = members.filter((r) => r.decile !== null);
          const weighted = withDecile.reduce((s, r) => s + (r.decile ?? 0) * r.population, 0) / withDecile.reduce((s, r) => s + r.population, 0);
          if (withDecile.length === 0) expect(profile.footprints[f].values[decile]).toBeNull();
          else expect(profile.footprints[f].values[decile]).toBeCloseTo(weighted, 9);
          expect(profile.footprints[f].missing[decile]).toBe(members.length - withDecile.length);
        }
        expect(total).toBe(rows.reduce((s, r) => s + r.older, 0));
      }),
    );
  });

  it('counts asset points in the footprint of the unit holding them, and those outside', () => {
    const units = [0, 1, 2].map((i) => squareUnit(i, {}, 100));
    const point = (x: number, y: number, i: number) => ({ index: i, properties: {}, geometry: { type: 'Point' as const, coordinates: [x, y] } });
    const profile = evidenceProfile(units, [0, 1, 1], 2, {
      pointLayers: [{ name: 'schools', features: [point(0.005, 53.005, 0), point(0.015, 53.005, 1), point(0.025, 53.002, 2), point(5, 5, 3)] }],
    });
    expect(profile.footprints.map((f) => f.points[0])).toEqual([1, 2]);
    expect(profile.pointsOutside).toEqual([1]);
  });
});
