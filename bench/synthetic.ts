import type { Crosswalk } from '../src/align/types.js';
import type { Adjacency } from '../src/geometry/types.js';
import type { BuildProblemInput } from '../src/plan/problem.js';
import { Random } from '../src/search/random.js';

/**
 * Deterministic city-region-sized plan problems for the benchmarks, built without geometry: units
 * are the cells of a square grid clipped to a blob-shaped outline (so the territory has bays and
 * peninsulas like a real conurbation), with rook adjacency — four neighbours at most, sparser than
 * real LSOAs (about six), so the search has it harder than on real data. Populations are LSOA-like:
 * 1,000–3,000, skewed towards the low end (mean about 1,700). Two objective layers cut across each
 * other: "wards" of about 3×3 cells and "msoa" of about 2×2 cells offset by one cell.
 */
export interface SyntheticOptions {
  /** Approximate number of units (the blob is sized to hold about this many cells). */
  units: number;
  seed: number;
  k: number;
  min: number;
  max: number;
}

export function syntheticProblemInput(options: SyntheticOptions): BuildProblemInput & { total: number } {
  const random = new Random(options.seed);
  // A disc perturbed by a few low harmonics: area ≈ π r² (1 + ½ Σ a_i²), sized to `units` cells.
  const harmonics = Array.from({ length: 4 }, (_, i) => ({ order: i + 2, amplitude: 0.08 + 0.1 * random.next(), phase: 2 * Math.PI * random.next() }));
  const areaFactor = 1 + harmonics.reduce((s, h) => s + (h.amplitude * h.amplitude) / 2, 0);
  const radius = Math.sqrt(options.units / (Math.PI * areaFactor));
  const side = Math.ceil(radius * 2 * (1 + harmonics.reduce((s, h) => s + h.amplitude, 0))) + 2;
  const centre = side / 2;
  const inside = (r: number, c: number): boolean => {
    const dy = r + 0.5 - centre;
    const dx = c + 0.5 - centre;
    const angle = Math.atan2(dy, dx);
    const edge = radius * (1 + harmonics.reduce((s, h) => s + h.amplitude * Math.cos(h.order * angle + h.phase), 0));
    return Math.hypot(dx, dy) <= edge;
  };
  const cellIndex = new Int32Array(side * side).fill(-1);
  const cells: Array<[number, number]> = [];
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      if (inside(r, c)) {
        cellIndex[r * side + c] = cells.length;
        cells.push([r, c]);
      }
    }
  }
  // Keep the largest 4-connected piece only, so the problem is one connected territory.
  const piece = largestPiece(cells, cellIndex, side);
  const kept = cells.filter((_, i) => piece[i]);
  cellIndex.fill(-1);
  kept.forEach(([r, c], i) => (cellIndex[r * side + c] = i));
  const n = kept.length;

  const lists: number[][] = kept.map(([r, c]) => {
    const out: number[] = [];
    for (const [dr, dc] of [[-1, 0], [0, -1], [0, 1], [1, 0]] as const) {
      const rr = r + dr;
      const cc = c + dc;
      if (rr < 0 || cc < 0 || rr >= side || cc >= side) continue;
      const j = cellIndex[rr * side + cc];
      if (j >= 0) out.push(j);
    }
    return out.sort((a, b) => a - b);
  });
  const start = new Int32Array(n + 1);
  lists.forEach((l, i) => (start[i + 1] = start[i] + l.length));
  const adjacency: Adjacency = { n, start, neighbour: Int32Array.from(lists.flat()), length: new Float64Array(start[n]).fill(1), islands: [], linked: [] };

  // Skewed towards 1,000: the square of a uniform, so most units are small and a few are large.
  const population = kept.map(() => 1_000 + Math.round(2_000 * random.next() ** 2));
  const unitIds = kept.map((_, i) => `S${String(i + 1).padStart(5, '0')}`);
  const layer = (name: string, size: number, offset: number): Crosswalk => {
    const areaKey = new Map<string, number>();
    const area = kept.map(([r, c]) => {
      const key = `${Math.floor((r + offset) / size)},${Math.floor((c + offset) / size)}`;
      let a = areaKey.get(key);
      if (a === undefined) {
        a = areaKey.size;
        areaKey.set(key, a);
      }
      return a;
    });
    return wholeUnitCrosswalk(
      name,
      unitIds,
      [...areaKey.keys()].map((_, a) => `${name}${a + 1}`),
      Int32Array.from(area),
    );
  };
  return {
    unitIds,
    population,
    adjacency,
    layers: [
      { crosswalk: layer('wards', 3, 0), weight: 1 },
      { crosswalk: layer('msoa', 2, 1), weight: 1 },
    ],
    k: options.k,
    min: options.min,
    max: options.max,
    total: population.reduce((s, p) => s + p, 0),
  };
}

function largestPiece(cells: Array<[number, number]>, cellIndex: Int32Array, side: number): Uint8Array {
  const component = new Int32Array(cells.length).fill(-1);
  const sizes: number[] = [];
  for (let s = 0; s < cells.length; s++) {
    if (component[s] >= 0) continue;
    const id = sizes.length;
    const queue = [s];
    component[s] = id;
    for (let i = 0; i < queue.length; i++) {
      const [r, c] = cells[queue[i]];
      for (const [dr, dc] of [[-1, 0], [0, -1], [0, 1], [1, 0]] as const) {
        const rr = r + dr;
        const cc = c + dc;
        if (rr < 0 || cc < 0 || rr >= side || cc >= side) continue;
        const j = cellIndex[rr * side + cc];
        if (j >= 0 && component[j] < 0) {
          component[j] = id;
          queue.push(j);
        }
      }
    }
    sizes.push(queue.length);
  }
  const biggest = sizes.indexOf(Math.max(...sizes));
  return Uint8Array.from(component, (c) => (c === biggest ? 1 : 0));
}

/**
 * A crosswalk in which every unit lies wholly in one area (`area[u]`), with unit areas of 1: what
 * geometry-free benchmarks and tests need, where the library builds crosswalks from polygons.
 */
export function wholeUnitCrosswalk(layer: string, unitIds: string[], areaIds: string[], area: Int32Array): Crosswalk {
  const n = unitIds.length;
  return {
    layer,
    unitIds,
    areaIds,
    start: Int32Array.from({ length: n + 1 }, (_, i) => i),
    area,
    weight: new Float64Array(n).fill(1),
    pieceM2: new Float64Array(n).fill(1),
    unitM2: new Float64Array(n).fill(1),
    coveredShare: new Float64Array(n).fill(1),
    uncovered: [],
    sliversDropped: 0,
    sliverTolerance: 0.01,
  };
}
