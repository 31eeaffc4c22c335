import type { MultiPolygon, Polygon, Position } from 'geojson';
import { area as turfArea } from '@turf/turf';
import type { AreaGeometry } from './types.js';
import { union } from './overlay.js';
import type { PlanarMultiPolygon, PlanarRing } from './planar.js';

/**
 * Grids in degrees (1e-9° is about 0.1 mm). Vertices that two neighbours share but that differ in
 * the last digits, as reprojected or computed corners can, otherwise make polygon-clipping answer
 * wrongly without an error (see geometry/overlay, whose snapped union this uses on lon/lat).
 */
const DEGREE_GRIDS = [1e-9, 1e-8];

/** The rings as they are: snapping reads x and y only and copies, so no copy is needed here. */
function asMultiPolygon(geometry: AreaGeometry): PlanarMultiPolygon {
  return (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as unknown as PlanarMultiPolygon;
}

/**
 * Union of polygons (a footprint from its units). Units from real sources rarely share edges to
 * the last digit, so the union can keep hairline holes along internal borders; holes smaller than
 * `dropHolesUnderM2` (default 100 m², the validator's gap tolerance) are removed here because they
 * are artefacts, not territory: real gaps are the validator's business.
 */
export function dissolve(geometries: AreaGeometry[], { dropHolesUnderM2 = 100 }: { dropHolesUnderM2?: number } = {}): Polygon | MultiPolygon {
  if (geometries.length === 0) throw new Error('dissolve needs at least one geometry');
  const merged = union(geometries.map(asMultiPolygon), DEGREE_GRIDS);
  const polygons: Position[][][] = merged.map((polygon) =>
    polygon.filter((ring, i) => i === 0 || ringAreaM2(ring) >= dropHolesUnderM2).map((ring) => ring.map(([x, y]) => [x, y])),
  );
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

function ringAreaM2(ring: PlanarRing): number {
  return turfArea({ type: 'Polygon', coordinates: [ring] });
}
