import Flatbush from 'flatbush';
import type { AreaGeometry } from './types.js';

/** What adjacency reads of an area: its geometry. */
type Shape = { geometry: AreaGeometry };
import { csrFromMaps } from './csr.js';
import { projectGeometry, projectionForGeometries } from './project.js';
import type { Adjacency } from './types.js';
import { connectedComponents } from './components.js';

export interface AdjacencyOptions {
  /**
   * How far apart (metres) two boundaries may run and still count as shared. Generalised
   * boundaries (ONS 20 m "BGC") drawn from one source share vertices; a few metres absorbs the
   * rounding of coordinates without letting units across a road-width gap connect.
   */
  tolerance?: number;
  /** Shared length (metres) below which a contact is a corner touch, not a border (rook, not queen). */
  minSharedLength?: number;
  /** Link units (or groups of units) with no neighbour to their nearest unit. */
  connectIslands?: 'none' | 'nearest';
}

export const DEFAULT_ADJACENCY_TOLERANCE = 5;
export const DEFAULT_MIN_SHARED_LENGTH = 10;

interface Segments {
  owner: Int32Array;
  x1: Float64Array;
  y1: Float64Array;
  x2: Float64Array;
  y2: Float64Array;
  count: number;
}

function collectSegments(areas: Shape[]): Segments {
  const projection = projectionForGeometries(areas.map((a) => a.geometry));
  const owner: number[] = [];
  const coords: number[] = [];
  areas.forEach((area, u) => {
    for (const polygon of projectGeometry(area.geometry, projection)) {
      for (const ring of polygon) {
        for (let i = 0; i < ring.length - 1; i++) {
          const [ax, ay] = ring[i];
          const [bx, by] = ring[i + 1];
          if (ax === bx && ay === by) continue;
          owner.push(u);
          coords.push(ax, ay, bx, by);
        }
      }
    }
  });
  const count = owner.length;
  const segments: Segments = {
    owner: Int32Array.from(owner),
    x1: new Float64Array(count),
    y1: new Float64Array(count),
    x2: new Float64Array(count),
    y2: new Float64Array(count),
    count,
  };
  for (let s = 0; s < count; s++) {
    segments.x1[s] = coords[4 * s];
    segments.y1[s] = coords[4 * s + 1];
    segments.x2[s] = coords[4 * s + 2];
    segments.y2[s] = coords[4 * s + 3];
  }
  return segments;
}

/**
 * Length of segment s lying within `tolerance` of segment t: t's end points are projected on s's
 * line, and the overlap of the projected interval with s counts when both end points are within
 * tolerance of that line (the two run along each other rather than cross or meet at a corner).
 */
function alongLength(g: Segments, s: number, t: number, tolerance: number): number {
  const dx = g.x2[s] - g.x1[s];
  const dy = g.y2[s] - g.y1[s];
  const length = Math.hypot(dx, dy);
  const ux = dx / length;
  const uy = dy / length;
  const rx = g.x1[t] - g.x1[s];
  const ry = g.y1[t] - g.y1[s];
  const wx = g.x2[t] - g.x1[s];
  const wy = g.y2[t] - g.y1[s];
  if (Math.abs(rx * uy - ry * ux) > tolerance || Math.abs(wx * uy - wy * ux) > tolerance) return 0;
  const a = rx * ux + ry * uy;
  const b = wx * ux + wy * uy;
  const lo = Math.max(0, Math.min(a, b));
  const hi = Math.min(length, Math.max(a, b));
  return hi > lo ? hi - lo : 0;
}

/**
 * Rook adjacency of units with shared border lengths in metres: every boundary segment is indexed,
 * and for each pair of units the length of boundary running within `tolerance` of the other's is
 * summed (the larger of the two directions, since generalisation can split a border differently on
 * each side). Corner contacts shorter than `minSharedLength` are not adjacency.
 */
export function adjacency(areas: Shape[], options: AdjacencyOptions = {}): Adjacency {
  const tolerance = options.tolerance ?? DEFAULT_ADJACENCY_TOLERANCE;
  const minShared = options.minSharedLength ?? DEFAULT_MIN_SHARED_LENGTH;
  const n = areas.length;
  const g = collectSegments(areas);
  const shared = new Map<number, number>(); // key u*n+v (directed: u's boundary near v's)
  if (g.count > 0) {
    const index = new Flatbush(g.count);
    for (let s = 0; s < g.count; s++) {
      index.add(Math.min(g.x1[s], g.x2[s]), Math.min(g.y1[s], g.y2[s]), Math.max(g.x1[s], g.x2[s]), Math.max(g.y1[s], g.y2[s]));
    }
    index.finish();
    for (let s = 0; s < g.count; s++) {
      const u = g.owner[s];
      const candidates = index.search(
        Math.min(g.x1[s], g.x2[s]) - tolerance,
        Math.min(g.y1[s], g.y2[s]) - tolerance,
        Math.max(g.x1[s], g.x2[s]) + tolerance,
        Math.max(g.y1[s], g.y2[s]) + tolerance,
      );
      for (const t of candidates) {
        const v = g.owner[t];
        if (v === u) continue;
        const length = alongLength(g, s, t, tolerance);
        if (length > 0) shared.set(u * n + v, (shared.get(u * n + v) ?? 0) + length);
      }
    }
  }

  const lists: Array<Map<number, number>> = Array.from({ length: n }, () => new Map());
  for (const [key, length] of shared) {
    const u = Math.floor(key / n);
    const v = key % n;
    const both = Math.max(length, shared.get(v * n + u) ?? 0);
    if (both >= minShared) {
      lists[u].set(v, both);
      lists[v].set(u, both);
    }
  }
  const islands: number[] = [];
  for (let u = 0; u < n; u++) if (lists[u].size === 0) islands.push(u);

  const linked: Array<[number, number]> = [];
  if (options.connectIslands === 'nearest' && n > 1) linkComponents(areas, lists, linked);

  const csr = csrFromMaps(lists);
  return { n, start: csr.start, neighbour: csr.column, length: csr.value, islands, linked };
}

/** Connected components of the adjacency lists, largest first (ties by lowest unit). */
function components(lists: Array<Map<number, number>>): number[][] {
  const out = connectedComponents(lists.length, (v, visit) => {
    for (const w of lists[v].keys()) visit(w);
  });
  return out.map((members) => members.sort((a, b) => a - b)).sort((a, b) => b.length - a.length || a[0] - b[0]);
}

/**
 * Join every smaller component to the rest by its closest pair of units (vertex distance in the
 * plane), until the graph is connected: an island (a unit on an actual island, or across a river
 * with no bridge in the data) still has to belong to some footprint.
 */
function linkComponents(areas: Shape[], lists: Array<Map<number, number>>, linked: Array<[number, number]>): void {
  const projection = projectionForGeometries(areas.map((a) => a.geometry));
  const vertices = areas.map((a) => projectGeometry(a.geometry, projection).flatMap((p) => p[0]));
  for (;;) {
    const parts = components(lists);
    if (parts.length <= 1) return;
    const island = parts[parts.length - 1];
    const inIsland = new Set(island);
    let best: [number, number] | null = null;
    let bestDistance = Infinity;
    for (const u of island) {
      for (let v = 0; v < areas.length; v++) {
        if (inIsland.has(v)) continue;
        for (const p of vertices[u]) {
          for (const q of vertices[v]) {
            const d = (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2;
            if (d < bestDistance) {
              bestDistance = d;
              best = [Math.min(u, v), Math.max(u, v)];
            }
          }
        }
      }
    }
    if (!best) return;
    lists[best[0]].set(best[1], 0);
    lists[best[1]].set(best[0], 0);
    linked.push(best);
  }
}
