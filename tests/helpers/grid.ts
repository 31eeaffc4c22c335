import fc from 'fast-check';
import type { Crosswalk } from '../../src/align/types.js';
import type { Adjacency } from '../../src/geometry/types.js';
import { buildProblem, type Problem } from '../../src/plan/problem.js';
import { wholeUnitCrosswalk } from '../../bench/synthetic.js';

/** A rows × cols grid of units with rook adjacency. */
export function gridAdjacency(rows: number, cols: number): Adjacency {
  const lists: number[][] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const l: number[] = [];
      if (r > 0) l.push((r - 1) * cols + c);
      if (c > 0) l.push(r * cols + c - 1);
      if (c < cols - 1) l.push(r * cols + c + 1);
      if (r < rows - 1) l.push((r + 1) * cols + c);
      lists.push(l);
    }
  }
  const start = new Int32Array(lists.length + 1);
  lists.forEach((l, i) => (start[i + 1] = start[i] + l.length));
  return { n: lists.length, start, neighbour: Int32Array.from(lists.flat()), length: new Float64Array(start[lists.length]).fill(1), islands: [], linked: [] };
}

/** A layer over the grid: area = block of `size`×`size` cells, shifted by `offset` columns, each unit split between two areas when `split`. */
export function gridLayer(name: string, rows: number, cols: number, size: number, offset: number, split: boolean): Crosswalk {
  const n = rows * cols;
  const areaOf = (r: number, c: number) => Math.floor(r / size) * Math.ceil((cols + offset) / size) + Math.floor((c + offset) / size);
  const start = new Int32Array(n + 1);
  const area: number[] = [];
  const weight: number[] = [];
  for (let u = 0; u < n; u++) {
    const r = Math.floor(u / cols);
    const c = u % cols;
    start[u] = area.length;
    const a = areaOf(r, c);
    const b = areaOf(r, Math.min(cols - 1, c + 1));
    if (split && a !== b) {
      area.push(Math.min(a, b), Math.max(a, b));
      weight.push(0.7, 0.3);
    } else {
      area.push(a);
      weight.push(1);
    }
  }
  start[n] = area.length;
  const areas = Math.max(...area) + 1;
  return {
    layer: name,
    unitIds: Array.from({ length: n }, (_, u) => `U${u}`),
    areaIds: Array.from({ length: areas }, (_, a) => `${name}${a}`),
    start,
    area: Int32Array.from(area),
    weight: Float64Array.from(weight),
    pieceM2: Float64Array.from(weight),
    unitM2: new Float64Array(n).fill(1),
    coveredShare: new Float64Array(n).fill(1),
    uncovered: [],
    sliversDropped: 0,
    sliverTolerance: 0.01,
  };
}

export interface GridCase {
  rows: number;
  cols: number;
  k: number;
  populations: number[];
  seed: number;
}

export const gridCase = fc
  .record({ rows: fc.integer({ min: 4, max: 8 }), cols: fc.integer({ min: 4, max: 8 }), k: fc.integer({ min: 2, max: 4 }), seed: fc.integer({ min: 0, max: 1 << 30 }) })
  .chain((g) => fc.record({ rows: fc.constant(g.rows), cols: fc.constant(g.cols), k: fc.constant(g.k), seed: fc.constant(g.seed), populations: fc.array(fc.integer({ min: 50, max: 150 }), { minLength: g.rows * g.cols, maxLength: g.rows * g.cols }) }));

export function gridProblem(g: GridCase, extra: { keepWhole?: boolean; locked?: Record<string, number> } = {}): Problem {
  const total = g.populations.reduce((s, p) => s + p, 0);
  const mean = total / g.k;
  const wards = gridLayer('wards', g.rows, g.cols, 2, 0, false);
  return buildProblem({
    unitIds: Array.from({ length: g.rows * g.cols }, (_, u) => `U${u}`),
    population: g.populations,
    adjacency: gridAdjacency(g.rows, g.cols),
    layers: [
      { crosswalk: gridLayer('gp', g.rows, g.cols, 3, 1, true), weight: 1 },
      { crosswalk: wards, weight: 2 },
    ],
    k: g.k,
    min: Math.floor(mean * 0.6),
    max: Math.ceil(mean * 1.4),
    compactnessWeight: 0.01,
    keepWhole: extra.keepWhole ? [wards] : [],
    locked: extra.locked,
  });
}

/** One area over a whole line of units: every plan with two footprints splits it. */
export function oneAreaLine(populations: number[], k: number, min: number, max: number): Problem {
  const n = populations.length;
  const lists = Array.from({ length: n }, (_, u) => [u - 1, u + 1].filter((v) => v >= 0 && v < n));
  const start = new Int32Array(n + 1);
  lists.forEach((l, i) => (start[i + 1] = start[i] + l.length));
  const crosswalk = wholeUnitCrosswalk(
    'district',
    populations.map((_, u) => `U${u}`),
    ['D'],
    new Int32Array(n),
  );
  return buildProblem({
    unitIds: crosswalk.unitIds,
    population: populations,
    adjacency: { n, start, neighbour: Int32Array.from(lists.flat()), length: new Float64Array(start[n]).fill(1), islands: [], linked: [] },
    layers: [{ crosswalk, weight: 1 }],
    k,
    min,
    max,
  });
}
