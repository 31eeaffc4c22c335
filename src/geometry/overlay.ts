import Flatbush from 'flatbush';
import polygonClipping from 'polygon-clipping';
import type { Geom } from 'polygon-clipping';
import type { Box, PlanarMultiPolygon, PlanarPolygon } from './planar.js';
import { boxInside, boxOf, clipToBox, edgeCount, forEachEdge, multiPolygonArea, pointInMultiPolygon, polygonArea, segmentsNear } from './planar.js';

/**
 * A polygon layer in the equal-area plane, with what the overlay needs precomputed. Indexes are
 * built on first use and kept, so one projected layer can be overlaid against many others.
 */
export interface PlanarLayer {
  polygons: PlanarMultiPolygon[];
  boxes: Box[];
  /** Area of each polygon in square metres. */
  areaM2: Float64Array;
  /** Bounding boxes of the polygons. Built lazily. */
  boxIndex?: Flatbush;
  /** Every edge of every polygon. Built lazily. */
  edges?: EdgeIndex;
}

export interface EdgeIndex {
  index: Flatbush;
  /** Polygon each edge belongs to. */
  owner: Int32Array;
  /** ax, ay, bx, by of each edge. */
  coords: Float64Array;
}

export function planarLayer(polygons: PlanarMultiPolygon[]): PlanarLayer {
  const areaM2 = new Float64Array(polygons.length);
  for (let i = 0; i < polygons.length; i++) areaM2[i] = multiPolygonArea(polygons[i]);
  return { polygons, boxes: polygons.map((p) => boxOf(p)), areaM2 };
}

export function boxIndex(layer: PlanarLayer): Flatbush {
  if (layer.boxIndex) return layer.boxIndex;
  const index = new Flatbush(Math.max(1, layer.polygons.length));
  for (const box of layer.boxes) {
    // An empty polygon gets an impossible box far away so indices stay aligned with polygons.
    if (Number.isFinite(box.minX)) index.add(box.minX, box.minY, box.maxX, box.maxY);
    else index.add(Infinity, Infinity, Infinity, Infinity);
  }
  if (layer.polygons.length === 0) index.add(Infinity, Infinity, Infinity, Infinity);
  index.finish();
  layer.boxIndex = index;
  return index;
}

export function edgeIndex(layer: PlanarLayer): EdgeIndex {
  if (layer.edges) return layer.edges;
  let total = 0;
  for (const polygon of layer.polygons) total += edgeCount(polygon);
  const owner = new Int32Array(total);
  const coords = new Float64Array(total * 4);
  const index = new Flatbush(Math.max(1, total));
  let k = 0;
  for (let i = 0; i < layer.polygons.length; i++) {
    forEachEdge(layer.polygons[i], (ax, ay, bx, by) => {
      owner[k] = i;
      coords[4 * k] = ax;
      coords[4 * k + 1] = ay;
      coords[4 * k + 2] = bx;
      coords[4 * k + 3] = by;
      index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
      k++;
    });
  }
  if (total === 0) index.add(Infinity, Infinity, Infinity, Infinity);
  index.finish();
  layer.edges = { index, owner, coords };
  return layer.edges;
}

export interface OverlayOptions {
  /** Keep each piece's geometry (in the plane). Pieces that are a whole unit or a whole area share that polygon's arrays. */
  keepGeometry?: boolean;
  /**
   * Boundaries closer than this (metres) are treated as touching, which sends the pair to exact
   * clipping. Default 1 mm: far below any real boundary precision, far above float noise.
   */
  touchTolerance?: number;
  /** Called every few hundred units with (units done, units total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Pieces of every unit ∩ area with positive area, compressed by unit (CSR): the pieces of unit u
 * are start[u] .. start[u+1]-1, sorted by area index.
 */
export interface OverlayResult {
  start: Int32Array;
  area: Int32Array;
  m2: Float64Array;
  /** Piece geometries aligned with `area`, when asked for. */
  geometry: PlanarMultiPolygon[] | null;
  /** Unit-area pairs that needed exact clipping. */
  clipped: number;
  /** Unit-area pairs settled by a point-in-polygon test (one lies inside the other, or apart). */
  settledByContainment: number;
}

/**
 * Overlay units with areas. The bounding boxes of the areas and all their edges are indexed; for
 * each unit, the areas whose edges come within `touchTolerance` of one of the unit's edges are
 * clipped exactly (polygon-clipping), and every other candidate area either contains the unit,
 * lies inside it, or misses it, which one point-in-polygon test per polygon part decides. Real
 * units mostly lie inside one area, so exact clipping runs only where boundaries really meet.
 */
export function overlay(units: PlanarLayer, areas: PlanarLayer, options: OverlayOptions = {}): OverlayResult {
  const eps = options.touchTolerance ?? 1e-3;
  const keep = options.keepGeometry ?? false;
  const areaBoxes = boxIndex(areas);
  const edges = edgeIndex(areas);
  const { owner, coords } = edges;
  const nUnits = units.polygons.length;

  const start = new Int32Array(nUnits + 1);
  let pieceArea: number[] = [];
  let pieceM2: number[] = [];
  const geometry: PlanarMultiPolygon[] | null = keep ? [] : null;
  let clipped = 0;
  let settled = 0;

  // Marks of the areas whose boundary meets the current unit's, reset after each unit.
  const meets = new Uint8Array(areas.polygons.length);
  const touchedAreas: number[] = [];

  for (let u = 0; u < nUnits; u++) {
    start[u] = pieceArea.length;
    const unit = units.polygons[u];
    const box = units.boxes[u];
    if (unit.length === 0 || !Number.isFinite(box.minX)) continue;
    const candidates = areaBoxes.search(box.minX, box.minY, box.maxX, box.maxY);
    if (candidates.length === 0) continue;
    candidates.sort((a, b) => a - b);

    forEachEdge(unit, (ax, ay, bx, by) => {
      edges.index.search(
        Math.min(ax, bx) - eps,
        Math.min(ay, by) - eps,
        Math.max(ax, bx) + eps,
        Math.max(ay, by) + eps,
        (i) => {
          const a = owner[i];
          if (meets[a] === 1) return false;
          const k = 4 * i;
          if (segmentsNear(ax, ay, bx, by, coords[k], coords[k + 1], coords[k + 2], coords[k + 3], eps)) {
            meets[a] = 1;
            touchedAreas.push(a);
          }
          return false;
        },
      );
    });

    for (const a of candidates) {
      const areaPolygons = areas.polygons[a];
      if (areaPolygons.length === 0) continue;
      if (meets[a] === 1) {
        clipped++;
        const piece = intersectWithin(unit, box, areaPolygons, areas.boxes[a]);
        const m2 = multiPolygonArea(piece);
        if (m2 > 0) {
          pieceArea.push(a);
          pieceM2.push(m2);
          geometry?.push(piece);
        }
        continue;
      }
      settled++;
      // No boundary meets the other's, so each polygon part lies wholly inside or outside the
      // other shape, and any one of its vertices says which.
      let m2 = 0;
      const parts: PlanarPolygon[] = [];
      for (const part of unit) {
        const [x, y] = part[0][0];
        if (pointInMultiPolygon(x, y, areaPolygons)) {
          m2 += polygonArea(part);
          if (keep) parts.push(part);
        }
      }
      for (const part of areaPolygons) {
        const [x, y] = part[0][0];
        if (pointInMultiPolygon(x, y, unit)) {
          m2 += polygonArea(part);
          if (keep) parts.push(part);
        }
      }
      if (m2 > 0) {
        pieceArea.push(a);
        pieceM2.push(m2);
        geometry?.push(parts);
      }
    }

    for (const a of touchedAreas) meets[a] = 0;
    touchedAreas.length = 0;
    if (options.onProgress && (u & 255) === 255) options.onProgress(u + 1, nUnits);
  }
  start[nUnits] = pieceArea.length;
  options.onProgress?.(nUnits, nUnits);

  const result: OverlayResult = {
    start,
    area: Int32Array.from(pieceArea),
    m2: Float64Array.from(pieceM2),
    geometry,
    clipped,
    settledByContainment: settled,
  };
  pieceArea = [];
  pieceM2 = [];
  return result;
}

/**
 * Exact intersection of two shapes with known boxes. Both are first cut to (a little more than) the
 * overlap of their boxes, which holds all of the intersection: clipping cost grows with the vertex
 * count, and a unit straddling the edge of a large area only meets a small part of it.
 */
export function intersectWithin(a: PlanarMultiPolygon, aBox: Box, b: PlanarMultiPolygon, bBox: Box): PlanarMultiPolygon {
  const margin = 1;
  const window: Box = {
    minX: Math.max(aBox.minX, bBox.minX) - margin,
    minY: Math.max(aBox.minY, bBox.minY) - margin,
    maxX: Math.min(aBox.maxX, bBox.maxX) + margin,
    maxY: Math.min(aBox.maxY, bBox.maxY) + margin,
  };
  if (window.minX > window.maxX || window.minY > window.maxY) return [];
  const aCut = boxInside(aBox, window) ? a : clipToBox(a, window);
  const bCut = boxInside(bBox, window) ? b : clipToBox(b, window);
  if (aCut.length === 0 || bCut.length === 0) return [];
  return intersect(aCut, bCut);
}

/**
 * Exact intersection, on shapes snapped to a millimetre grid. polygon-clipping is robust on shared
 * edges that are exactly shared, but two vertices a hair apart (1e-25 m, as the computed corners of
 * two pieces of one unit can be) make it return a wrong answer without an error: a neighbouring
 * piece whole instead of the shared edge. Snapping makes such vertices identical and moves areas by
 * far less than a square metre. A coarser grid is the fallback when the clipper still fails
 * ("Unable to complete output ring").
 */
export function intersect(a: PlanarMultiPolygon, b: PlanarMultiPolygon): PlanarMultiPolygon {
  return onGrid(PLANAR_GRIDS, (grid) => polygonClipping.intersection(snap(a, grid) as Geom, snap(b, grid) as Geom) as PlanarMultiPolygon);
}

/** Grids tried in turn by `intersect` and `union` in the equal-area plane: 1 mm, then 1 cm. */
const PLANAR_GRIDS = [1e-3, 1e-2];

/**
 * Union of shapes, snapped for the same reason as `intersect`. `grids` are in the shapes' own units:
 * metres by default; dissolve passes degrees.
 */
export function union(shapes: PlanarMultiPolygon[], grids: number[] = PLANAR_GRIDS): PlanarMultiPolygon {
  if (shapes.length === 0) return [];
  return onGrid(grids, (grid) => {
    const [first, ...rest] = shapes.map((shape) => snap(shape, grid) as Geom);
    return polygonClipping.union(first, ...rest) as PlanarMultiPolygon;
  });
}

/** The first grid on which the clip succeeds; the first failure if none does. */
function onGrid(grids: number[], clip: (grid: number) => PlanarMultiPolygon): PlanarMultiPolygon {
  let firstError: unknown;
  for (const grid of grids) {
    try {
      return clip(grid);
    } catch (error) {
      firstError ??= error;
    }
  }
  throw firstError;
}

function snap(polygons: PlanarMultiPolygon, grid: number): PlanarMultiPolygon {
  const out: PlanarMultiPolygon = [];
  for (const polygon of polygons) {
    const rings: Array<Array<[number, number]>> = [];
    for (const ring of polygon) {
      const snapped: Array<[number, number]> = [];
      for (const [x, y] of ring) {
        const p: [number, number] = [Math.round(x / grid) * grid, Math.round(y / grid) * grid];
        const last = snapped[snapped.length - 1];
        if (!last || last[0] !== p[0] || last[1] !== p[1]) snapped.push(p);
      }
      // A ring that collapses to fewer than three distinct corners has no area left to clip.
      if (snapped.length >= 4) rings.push(snapped);
      else if (rings.length === 0) break;
    }
    if (rings.length > 0) out.push(rings);
  }
  return out;
}
