import { geoBounds, geoDistance, geoPath, geoTransverseMercator, type GeoProjection } from 'd3-geo';
import type { Feature, FeatureCollection, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import { ringSignedArea } from '../geometry/planar.js';
import { poleOfInaccessibility } from '../geometry/pole.js';

export { poleOfInaccessibility };

/** Areas drawn on a map: WGS84 longitude/latitude, RFC 7946 winding (or any winding, see `rewindForD3`). */
export type AreaFeature = Feature<Polygon | MultiPolygon>;

export type Point = [number, number];

/** Mean radius of the Earth (IUGG), the radius d3-geo's unit sphere distances are scaled by. */
const EARTH_RADIUS_M = 6_371_008.8;

/** The polygons of a feature, each as its rings (exterior first). */
export function polygonsOf(feature: AreaFeature): Position[][][] {
  return feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
}

function orient(ring: Position[], clockwise: boolean): Position[] {
  return ringSignedArea(ring) < 0 === clockwise ? ring : [...ring].reverse();
}

/**
 * The feature wound the way d3-geo wants: exterior rings clockwise, holes counter-clockwise.
 *
 * d3-geo works on the sphere, where a ring encloses whichever side lies to its right. RFC 7946
 * winds exteriors counter-clockwise, so handed over as is, a ward becomes "the whole Earth except
 * the ward" and fills the canvas. Rings are oriented by their planar signed area rather than
 * blindly reversed, so data wound either way (shapefile habits survive many conversions) draws
 * the same. Planar orientation is safe here: rings are far smaller than a hemisphere and none
 * crosses the antimeridian.
 */
export function rewindForD3<F extends AreaFeature>(feature: F): F {
  const wind = (rings: Position[][]) => rings.map((ring, i) => orient(ring, i === 0));
  const geometry: Polygon | MultiPolygon =
    feature.geometry.type === 'Polygon'
      ? { type: 'Polygon', coordinates: wind(feature.geometry.coordinates) }
      : { type: 'MultiPolygon', coordinates: feature.geometry.coordinates.map(wind) };
  return { ...feature, geometry };
}

/**
 * A conformal projection (transverse Mercator centred on the data, so north is straight up in the
 * middle of the map and shapes are true) fitted to the box `[[x0, y0], [x1, y1]]`.
 * Features must already be wound for d3 (`rewindForD3`).
 */
export function fitProjection(features: AreaFeature[], box: [Point, Point]): GeoProjection {
  const collection: FeatureCollection = { type: 'FeatureCollection', features };
  const [[west, south], [east, north]] = geoBounds(collection);
  const lon0 = (west + east) / 2;
  const lat0 = (south + north) / 2;
  return geoTransverseMercator().rotate([-lon0, -lat0]).fitExtent(box, collection);
}

/** Screen bounds `[[x0, y0], [x1, y1]]` of wound features under a projection. */
export function projectedBounds(projection: GeoProjection, features: AreaFeature[]): [Point, Point] {
  const [[x0, y0], [x1, y1]] = geoPath(projection).bounds({ type: 'FeatureCollection', features });
  return [
    [x0, y0],
    [x1, y1],
  ];
}

/**
 * The boundaries of a layer as lines, each shared edge once. Drawing every area's outline would
 * stroke each internal boundary twice, and two dashed strokes out of phase read as a solid line.
 * Edges are matched by their end points to the micro-degree (the 6 decimals RFC 7946 advises),
 * then chained into long lines so dash patterns run on instead of restarting at every vertex.
 * `which` keeps only the outer edge (edges of one area) or only the inner boundaries (of two).
 */
export function boundaryMesh(features: AreaFeature[], which: 'all' | 'outer' | 'inner' = 'all'): MultiLineString {
  const points = new Map<string, Position>();
  const edges = new Map<string, [string, string]>();
  const uses = new Map<string, number>();
  forEachRingEdge(features, (id, a, b, p, q) => {
    if (!points.has(a)) points.set(a, p);
    if (!points.has(b)) points.set(b, q);
    if (!edges.has(id)) edges.set(id, [a, b]);
    uses.set(id, (uses.get(id) ?? 0) + 1);
  });
  // An edge used once lies on the layer's outer edge (or beside a gap); twice, between two areas.
  if (which !== 'all') for (const id of [...edges.keys()]) if ((uses.get(id) === 1) !== (which === 'outer')) edges.delete(id);
  return { type: 'MultiLineString', coordinates: chainEdges(edges, points) };
}

/** A point's key: its coordinates to the micro-degree, so vertices two areas share match. */
export function vertexKey(p: Position): string {
  return `${Math.round(p[0] * 1e6)},${Math.round(p[1] * 1e6)}`;
}

/**
 * Every edge of every ring of the features, in ring order, with its end points' keys (`vertexKey`)
 * and an id the same whichever way the edge is walked; zero-length edges are skipped. Boundaries
 * shared by two areas come up once from each, which is how meshes and neighbours are found.
 */
export function forEachRingEdge(features: AreaFeature[], visit: (id: string, a: string, b: string, p: Position, q: Position, feature: number) => void): void {
  features.forEach((feature, f) => {
    for (const polygon of polygonsOf(feature)) {
      for (const ring of polygon) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const a = vertexKey(ring[i]);
          const b = vertexKey(ring[i + 1]);
          if (a === b) continue;
          visit(a < b ? `${a}|${b}` : `${b}|${a}`, a, b, ring[i], ring[i + 1], f);
        }
      }
    }
  });
}

function chainEdges(edges: Map<string, [string, string]>, points: Map<string, Position>): Position[][] {
  const incident = new Map<string, string[]>();
  for (const [id, [a, b]] of edges) {
    for (const end of [a, b]) {
      const list = incident.get(end);
      if (list) list.push(id);
      else incident.set(end, [id]);
    }
  }
  const used = new Set<string>();
  const lines: Position[][] = [];
  const walk = (start: string, first: string) => {
    const line = [points.get(start)!];
    let at = start;
    let edge: string | undefined = first;
    while (edge !== undefined) {
      used.add(edge);
      const [a, b] = edges.get(edge)!;
      at = a === at ? b : a;
      line.push(points.get(at)!);
      // Stop at junctions (three or more edges): a line through one would pick a branch arbitrarily.
      const next: string[] = incident.get(at)!;
      edge = next.length === 2 ? next.find((e) => !used.has(e)) : undefined;
    }
    lines.push(line);
  };
  // Start at ends and junctions first so open lines are walked whole; what remains are closed loops.
  for (const [vertex, list] of incident) if (list.length !== 2) for (const e of list) if (!used.has(e)) walk(vertex, e);
  for (const [id, [a]] of edges) if (!used.has(id)) walk(a, id);
  return lines;
}


/**
 * Where to write a feature's label on screen: the pole of inaccessibility of its largest part,
 * with the room around it (the radius of the largest circle that fits), so callers can shrink or
 * drop labels that would spill over their area.
 */
export function labelAnchor(projection: GeoProjection, feature: AreaFeature): { point: Point; room: number; rings: Point[][] } | null {
  let best: { rings: Point[][]; area: number } | null = null;
  for (const polygon of polygonsOf(feature)) {
    const rings = polygon.map((ring) => ring.map((p) => projection([p[0], p[1]])).filter((q): q is Point => q !== null));
    if (rings[0].length < 3) continue;
    const area = Math.abs(ringSignedArea(rings[0]));
    if (!best || area > best.area) best = { rings, area };
  }
  if (!best) return null;
  const { point, distance } = poleOfInaccessibility(best.rings, 0.5);
  return { point, room: Math.max(0, distance), rings: best.rings };
}

/** Metres on the ground per screen pixel at a point of the map, measured along a horizontal line. */
export function metresPerPixel(projection: GeoProjection, [x, y]: Point, span = 50): number | null {
  const a = projection.invert?.([x - span, y]);
  const b = projection.invert?.([x + span, y]);
  if (!a || !b) return null;
  const metres = geoDistance(a, b) * EARTH_RADIUS_M;
  return metres > 0 ? metres / (2 * span) : null;
}

const ROUND_KM = [0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000];

/** The longest round length (1, 2, 5… km) whose bar fits in `maxPixels` at the given scale. */
export function scaleBarLength(metresPerPx: number, maxPixels: number): { km: number; pixels: number } {
  let km = ROUND_KM[0];
  for (const candidate of ROUND_KM) if ((candidate * 1000) / metresPerPx <= maxPixels) km = candidate;
  return { km, pixels: (km * 1000) / metresPerPx };
}

/**
 * Which areas share a boundary (an edge of positive length, matched by its end points to the
 * micro-degree as in `boundaryMesh`): neighbours per area, for colouring. Areas dissolved from the
 * same units share their vertices exactly, so this is the footprints' adjacency.
 */
export function sharedEdgeNeighbours(features: AreaFeature[]): number[][] {
  const owners = new Map<string, number>();
  const neighbours: Array<Set<number>> = features.map(() => new Set());
  forEachRingEdge(features, (id, _a, _b, _p, _q, i) => {
    const other = owners.get(id);
    if (other === undefined) owners.set(id, i);
    else if (other !== i) {
      neighbours[i].add(other);
      neighbours[other].add(i);
    }
  });
  return neighbours.map((set) => [...set].sort((x, y) => x - y));
}
