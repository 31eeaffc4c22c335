import { describe, expect, it } from 'vitest';
import { adjacency } from '../src/geometry/adjacency.js';
import type { Area } from '../src/layers/types.js';
import { loadLayer } from '../src/layers/load.js';
import { fixture, hasOldham, oldham } from './helpers/data.js';

/** About 1 km cells near Oldham. */
const STEP = 0.015;
function cell(id: string, x0: number, y0: number, w = STEP, h = STEP * 0.6): Area {
  const x = -2.2 + x0;
  const y = 53.5 + y0;
  return { id, population: 1, properties: {}, index: 0, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]] } };
}

function neighboursOf(adj: ReturnType<typeof adjacency>, u: number): number[] {
  return Array.from(adj.neighbour.subarray(adj.start[u], adj.start[u + 1]));
}

describe('rook adjacency', () => {
  it('links cells sharing an edge but not cells touching at a corner', () => {
    const grid: Area[] = [];
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) grid.push(cell(`${r}${c}`, c * STEP, r * STEP * 0.6));
    const adj = adjacency(grid);
    expect(neighboursOf(adj, 4)).toEqual([1, 3, 5, 7]); // the centre: rook, not the 4 diagonals
    expect(neighboursOf(adj, 0)).toEqual([1, 3]);
    expect(adj.neighbour.length).toBe(2 * 12);
    // Shared border lengths are the cell sides in metres: 0.009° of latitude (~1,001 m) with the
    // eastern neighbour, 0.015° of longitude at 53.5°N (~993 m) with the northern one.
    expect(adj.length[adj.start[0]]).toBeCloseTo(1001, -1);
    expect(adj.length[adj.start[0] + 1]).toBeCloseTo(993, -1);
    expect(adj.islands).toEqual([]);
  });

  it('connects units whose shared border was generalised a metre apart, but not across a 50 m gap', () => {
    const offset = 1 / 111_000; // ~1 m north
    const a = cell('a', 0, 0);
    const b = cell('b', 0, STEP * 0.6 + offset);
    const far = cell('far', 0, STEP * 1.2 + 2 * offset + 50 / 111_000);
    const adj = adjacency([a, b, far]);
    expect(neighboursOf(adj, 0)).toEqual([1]);
    expect(neighboursOf(adj, 2)).toEqual([]);
    expect(adj.islands).toEqual([2]);
  });

  it('reports islands and links them to their nearest unit on request', () => {
    const units = [cell('a', 0, 0), cell('b', STEP, 0), cell('island', 3 * STEP, 0), cell('far', 6 * STEP, 0)];
    const plain = adjacency(units);
    expect(plain.islands).toEqual([2, 3]);
    const joined = adjacency(units, { connectIslands: 'nearest' });
    expect(joined.islands).toEqual([2, 3]);
    expect(joined.linked).toEqual([[2, 3], [1, 2]]);
    expect(neighboursOf(joined, 2)).toEqual([1, 3]);
  });

  it('is symmetric on the bundled example, with every unit connected', () => {
    const units = loadLayer(fixture('example', 'units.geojson'));
    const adj = adjacency(units.areas);
    for (let u = 0; u < adj.n; u++) {
      for (const v of neighboursOf(adj, u)) expect(neighboursOf(adj, v)).toContain(u);
    }
    expect(adj.islands).toEqual([]);
  });
});

describe.skipIf(!hasOldham)('rook adjacency of the real Oldham LSOAs', () => {
  it('forms one connected graph with no islands', () => {
    const lsoa = loadLayer(oldham('lsoa.geojson'));
    const adj = adjacency(lsoa.areas);
    expect(adj.islands).toEqual([]);
    const seen = new Set([0]);
    const queue = [0];
    while (queue.length > 0) for (const v of neighboursOf(adj, queue.pop()!)) if (!seen.has(v)) (seen.add(v), queue.push(v));
    expect(seen.size).toBe(142);
    expect(adj.neighbour.length / 2).toBeGreaterThan(300);
  });
});
