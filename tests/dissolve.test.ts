import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { area as turfArea } from '@turf/turf';
import { dissolve } from '../src/geometry/dissolve.js';

/** A cell of a lon/lat grid near Oldham, `size` degrees wide (0.01° is about 660 m × 1.1 km). */
function cell(i: number, j: number, size = 0.01): Polygon {
  const x0 = -2.2 + i * size;
  const y0 = 53.5 + j * size;
  return { type: 'Polygon', coordinates: [[[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]] };
}

const polygonsOf = (g: Polygon | MultiPolygon): Position[][][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
const m2 = (g: Polygon | MultiPolygon): number => turfArea({ type: 'Feature', properties: {}, geometry: g });

describe('dissolve', () => {
  it('merges a block of cells into one polygon with no holes and the same area (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), (w, h) => {
        const cells: Polygon[] = [];
        for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) cells.push(cell(i, j));
        const merged = dissolve(cells);
        const parts = polygonsOf(merged);
        const sum = cells.reduce((s, c) => s + m2(c), 0);
        return parts.length === 1 && parts[0].length === 1 && Math.abs(m2(merged) - sum) < 1e-6 * sum;
      }),
      { numRuns: 25 },
    );
  });

  it('keeps a real hole and drops a hairline one', () => {
    const ring: Polygon[] = [];
    for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) if (i !== 1 || j !== 1) ring.push(cell(i, j));
    const withHole = polygonsOf(dissolve(ring));
    expect(withHole).toHaveLength(1);
    expect(withHole[0]).toHaveLength(2);
    // Over the threshold, the missing cell (about 73 ha) is an artefact to drop.
    expect(polygonsOf(dissolve(ring, { dropHolesUnderM2: 1e6 }))[0]).toHaveLength(1);
  });

  // Corners shared by two neighbours but differing in the last digits, as reprojected or computed
  // corners can: the union must still be one clean polygon, not two or one with a sliver hole.
  it('merges neighbours whose shared corners differ by a few ulps', () => {
    const nudge = (v: number, k: number): number => v + k * Math.abs(v) * Number.EPSILON;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 4, maxLength: 4 }), (k) => {
        const left = cell(0, 0);
        const right = cell(1, 0);
        const r = right.coordinates[0];
        r[0] = [nudge(r[0][0], k[0]), nudge(r[0][1], k[1])];
        r[4] = r[0];
        r[3] = [nudge(r[3][0], k[2]), nudge(r[3][1], k[3])];
        const parts = polygonsOf(dissolve([left, right]));
        return parts.length === 1 && parts[0].length === 1 && Math.abs(m2({ type: 'Polygon', coordinates: parts[0] }) - m2(left) - m2(right)) < 1;
      }),
      { numRuns: 100 },
    );
  });
});
