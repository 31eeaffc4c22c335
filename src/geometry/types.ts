import type { MultiPolygon, Polygon } from 'geojson';

/** The geometry of one area of a layer: WGS84 lon/lat, a polygon or a multipolygon. */
export type AreaGeometry = Polygon | MultiPolygon;

/**
 * Rook adjacency of units: u and v are neighbours when they share a boundary of positive
 * length (within a snapping tolerance so that generalised real data still connects).
 * Compressed sparse rows: neighbours of u are neighbour[start[u] .. start[u+1]-1], sorted
 * ascending, symmetric, with the shared border length in metres alongside.
 */
export interface Adjacency {
  n: number;
  start: Int32Array;
  neighbour: Int32Array;
  /** Shared border length in metres, aligned with `neighbour`. */
  length: Float64Array;
  /** Units with no neighbour at all (before any island linking). */
  islands: number[];
  /** Edges added by island linking (`--connect-islands nearest`), as [u, v] pairs. */
  linked: Array<[number, number]>;
}
