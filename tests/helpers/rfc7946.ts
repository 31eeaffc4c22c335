import type { FeatureCollection, Geometry, Position } from 'geojson';

/**
 * Twice the signed area of a ring in lon/lat (shoelace, relative to the first vertex so that
 * float noise stays small): positive when counter-clockwise.
 */
function signedArea(ring: Position[]): number {
  let sum = 0;
  const [ox, oy] = ring[0];
  for (let i = 1; i + 1 < ring.length; i++) sum += (ring[i][0] - ox) * (ring[i + 1][1] - oy) - (ring[i + 1][0] - ox) * (ring[i][1] - oy);
  return sum;
}

function positionProblems(p: Position, where: string): string[] {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3) return [`${where}: a position needs 2 or 3 numbers`];
  if (!p.every((c) => typeof c === 'number' && Number.isFinite(c))) return [`${where}: a coordinate is not a finite number`];
  return [];
}

function polygonProblems(rings: Position[][], where: string): string[] {
  const out: string[] = [];
  if (rings.length === 0) return [`${where}: a polygon with no ring`];
  rings.forEach((ring, r) => {
    const at = `${where} ring ${r}`;
    for (const p of ring) out.push(...positionProblems(p, at));
    if (ring.length < 4) {
      out.push(`${at}: ${ring.length} positions (a linear ring needs at least 4)`);
      return;
    }
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (first[0] !== last[0] || first[1] !== last[1]) out.push(`${at}: not closed`);
    const area = signedArea(ring);
    // Vertices on the 1e-6 grid enclose multiples of 1e-12 (twice the area): less is zero.
    if (Math.abs(area) < 0.5e-12) out.push(`${at}: zero area`);
    else if (r === 0 && area < 0) out.push(`${at}: exterior ring is clockwise (RFC 7946 wants counter-clockwise)`);
    else if (r > 0 && area > 0) out.push(`${at}: hole is counter-clockwise (RFC 7946 wants clockwise)`);
  });
  return out;
}

function geometryProblems(g: Geometry, where: string): string[] {
  switch (g.type) {
    case 'Point':
      return positionProblems(g.coordinates, where);
    case 'MultiPoint':
      return g.coordinates.flatMap((p, i) => positionProblems(p, `${where} point ${i}`));
    case 'LineString':
      return g.coordinates.length < 2 ? [`${where}: a line needs 2 positions`] : g.coordinates.flatMap((p) => positionProblems(p, where));
    case 'MultiLineString':
      return g.coordinates.flatMap((l, i) => (l.length < 2 ? [`${where} line ${i}: a line needs 2 positions`] : l.flatMap((p) => positionProblems(p, where))));
    case 'Polygon':
      return polygonProblems(g.coordinates, where);
    case 'MultiPolygon':
      return g.coordinates.length === 0 ? [`${where}: an empty MultiPolygon`] : g.coordinates.flatMap((p, i) => polygonProblems(p, `${where} polygon ${i}`));
    case 'GeometryCollection':
      return g.geometries.flatMap((x, i) => geometryProblems(x, `${where} geometry ${i}`));
  }
}

/**
 * Every way a FeatureCollection breaks RFC 7946 §3.1 as footprint's outputs could: rings not closed
 * or under 4 positions, zero-area rings, winding (exterior counter-clockwise, holes clockwise),
 * coordinates that are not finite numbers, and more than one polygonal type in one file.
 */
export function rfc7946Problems(collection: FeatureCollection): string[] {
  const out: string[] = [];
  if (collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) return ['not a FeatureCollection'];
  const polygonal = new Set<string>();
  collection.features.forEach((f, i) => {
    if (f.type !== 'Feature') out.push(`feature ${i}: not a Feature`);
    if (f.geometry === null) return;
    if (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon') polygonal.add(f.geometry.type);
    out.push(...geometryProblems(f.geometry, `feature ${i}`));
  });
  if (polygonal.size > 1) out.push('the file mixes Polygon and MultiPolygon features (GIS layers want one type)');
  return out;
}
