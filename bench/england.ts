/**
 * A generated England-scale scoring case: about 34,000 units against about 7,000 areas, drawn as
 * two independent Voronoi tessellations of a 520 km × 250 km rectangle (about England's 130,000 km²)
 * with wiggly shared edges, so polygons have real-data vertex counts (one vertex per ~80 m of
 * boundary, ~100 per unit, ~200 per area). Independent tessellations are harder than real data: most
 * units straddle an area boundary, where real LSOAs mostly nest in wards.
 *
 *   npx tsx bench/england.ts [--units 34000] [--areas 7000] [--seed 1]
 *
 * Prints wall time of the crosswalk and of the measures, and peak memory.
 */
import { Delaunay } from 'd3-delaunay';
import { resourceUsage } from 'node:process';
import { pathToFileURL } from 'node:url';
import type { Position } from 'geojson';
import type { Layer } from '../src/layers/types.js';
import { equalAreaProjection } from '../src/geometry/project.js';
import { crosswalk } from '../src/align/crosswalk.js';
import { layerPartition, jointTable, pairMeasures, unitPartition } from '../src/align/measures.js';
import { mulberry32 } from '../fixtures/generator/random.js';

const WIDTH = 520_000;
const HEIGHT = 250_000;
const STEP = 80;


/** A number from a pair of points, the same whichever way round the edge is walked. */
function edgeSeed(ax: number, ay: number, bx: number, by: number): number {
  const s = `${Math.round(ax * 1000)},${Math.round(ay * 1000)},${Math.round(bx * 1000)},${Math.round(by * 1000)}`;
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function onBorder(x: number, y: number): boolean {
  const e = 1e-6;
  return x < e || y < e || x > WIDTH - e || y > HEIGHT - e;
}

/**
 * The vertices strictly between a and b on a wiggly edge. Both cells sharing the edge get exactly
 * the same points: the wiggle is drawn from a seed of the edge's endpoints in canonical order.
 */
function wiggle(ax: number, ay: number, bx: number, by: number): Array<[number, number]> {
  const length = Math.hypot(bx - ax, by - ay);
  const n = Math.floor(length / STEP);
  if (n < 2 || (onBorder(ax, ay) && onBorder(bx, by))) return [];
  const flip = ax > bx || (ax === bx && ay > by);
  const [px, py, qx, qy] = flip ? [bx, by, ax, ay] : [ax, ay, bx, by];
  const random = mulberry32(edgeSeed(px, py, qx, qy));
  const nx = -(qy - py) / length;
  const ny = (qx - px) / length;
  const out: Array<[number, number]> = [];
  let offset = 0;
  for (let i = 1; i < n; i++) {
    const t = i / n;
    // A bounded random walk, tapered to zero at the ends so edges meet cleanly at vertices.
    offset = 0.85 * offset + (random() - 0.5) * 0.02 * length;
    const d = offset * Math.sin(Math.PI * t);
    out.push([px + t * (qx - px) + d * nx, py + t * (qy - py) + d * ny]);
  }
  return flip ? out.reverse() : out;
}

function tessellation(count: number, seed: number): Array<Array<[number, number]>> {
  const random = mulberry32(seed);
  // Jittered grid: cells of even size, like real units drawn to similar populations.
  const cols = Math.round(Math.sqrt((count * WIDTH) / HEIGHT));
  const rows = Math.ceil(count / cols);
  const points: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols && points.length / 2 < count; c++) {
      points.push(((c + 0.15 + 0.7 * random()) * WIDTH) / cols, ((r + 0.15 + 0.7 * random()) * HEIGHT) / rows);
    }
  }
  const voronoi = new Delaunay(Float64Array.from(points)).voronoi([0, 0, WIDTH, HEIGHT]);
  const cells: Array<Array<[number, number]>> = [];
  for (let i = 0; i < points.length / 2; i++) {
    const polygon = voronoi.cellPolygon(i);
    const ring: Array<[number, number]> = [];
    for (let k = 0; k + 1 < polygon.length; k++) {
      const [ax, ay] = polygon[k];
      const [bx, by] = polygon[k + 1];
      ring.push([ax, ay], ...wiggle(ax, ay, bx, by));
    }
    ring.push([ring[0][0], ring[0][1]]);
    cells.push(ring);
  }
  return cells;
}

export interface EnglandCase {
  units: Layer;
  areas: Layer;
  vertices: { units: number; areas: number };
}

/** The generated case as WGS84 layers, centred near Meriden (England's traditional centre). */
export function englandCase({ units = 34_000, areas = 7_000, seed = 1 }: { units?: number; areas?: number; seed?: number } = {}): EnglandCase {
  const projection = equalAreaProjection(-1.6, 52.6);
  const toLayer = (name: string, cells: Array<Array<[number, number]>>, withPopulation: boolean, random: () => number): Layer => ({
    name,
    source: `generated:${name}`,
    idField: 'code',
    populationField: withPopulation ? 'population' : null,
    sourceCrs: 'EPSG:4326',
    crsReason: 'generated',
    notes: [],
    areas: cells.map((ring, i) => ({
      id: `${name}${String(i).padStart(6, '0')}`,
      population: withPopulation ? 1000 + Math.floor(random() * 2000) : null,
      properties: {},
      geometry: {
        type: 'Polygon',
        coordinates: [ring.map(([x, y]): Position => projection.inverse(x - WIDTH / 2, y - HEIGHT / 2))],
      },
      index: i,
    })),
  });
  const unitCells = tessellation(units, seed);
  const areaCells = tessellation(areas, seed + 7919);
  const random = mulberry32(seed + 31);
  return {
    units: toLayer('U', unitCells, true, random),
    areas: toLayer('A', areaCells, false, random),
    vertices: {
      units: unitCells.reduce((n, r) => n + r.length - 1, 0),
      areas: areaCells.reduce((n, r) => n + r.length - 1, 0),
    },
  };
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

export interface EnglandFigures {
  units: number;
  areas: number;
  vertices: { units: number; areas: number };
  generateS: number;
  crosswalkS: number;
  measuresS: number;
  clipped: number;
  settledByContainment: number;
  uncovered: number;
  splitPopulation: number;
  peakRssMiB: number;
}

export function runEngland(options: { units?: number; areas?: number; seed?: number } = {}): EnglandFigures {
  const t0 = performance.now();
  const generated = englandCase(options);
  const t1 = performance.now();
  const cw = crosswalk(generated.units, generated.areas, { keepGeometry: false });
  const t2 = performance.now();
  const populations = generated.units.areas.map((a) => a.population ?? 0);
  const joint = jointTable(unitPartition(generated.units.areas.map((a) => a.id)), layerPartition(cw), populations);
  const measures = pairMeasures(joint);
  const t3 = performance.now();
  return {
    units: generated.units.areas.length,
    areas: generated.areas.areas.length,
    vertices: generated.vertices,
    generateS: (t1 - t0) / 1000,
    crosswalkS: (t2 - t1) / 1000,
    measuresS: (t3 - t2) / 1000,
    clipped: cw.stats.clipped,
    settledByContainment: cw.stats.settledByContainment,
    uncovered: cw.uncovered.length,
    splitPopulation: measures.splitPopulation.xy,
    // maxRSS is in kilobytes.
    peakRssMiB: resourceUsage().maxRSS / 1024,
  };
}

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = runEngland({ units: argument('units', 34_000), areas: argument('areas', 7_000), seed: argument('seed', 1) });
  console.log(`England-scale case: ${figures.units} units (${figures.vertices.units} vertices) × ${figures.areas} areas (${figures.vertices.areas} vertices)`);
  console.log(`  generate   ${figures.generateS.toFixed(1)} s`);
  console.log(`  crosswalk  ${figures.crosswalkS.toFixed(1)} s  (${figures.clipped} pairs clipped exactly, ${figures.settledByContainment} settled by containment, ${figures.uncovered} units uncovered)`);
  console.log(`  measures   ${figures.measuresS.toFixed(2)} s  (S(units|areas) = ${figures.splitPopulation.toFixed(4)})`);
  console.log(`  peak RSS   ${mib(figures.peakRssMiB * 1024 * 1024)}`);
}
