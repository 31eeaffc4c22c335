import polygonClipping from 'polygon-clipping';
import type { Geom, MultiPolygon as ClipMultiPolygon, Pair } from 'polygon-clipping';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { area as turfArea } from '@turf/turf';
import type { AreaGeometry } from '../layers/types.js';

/**
 * Coordinates snapped to a grid of `grid` degrees (1e-9° is about 0.1 mm). Vertices that two
 * neighbours share but that differ in the last digits, as reprojected or computed corners can,
 * otherwise make polygon-clipping answer wrongly without an error (see geometry/overlay).
 */
function toClip(geometry: AreaGeometry, grid: number): Geom {
  const snapRing = (ring: Position[]): Pair[] => ring.map(([x, y]) => [Math.round(x / grid) * grid, Math.round(y / grid) * grid]);
  return geometry.type === 'Polygon' ? geometry.coordinates.map(snapRing) : geometry.coordinates.map((polygon) => polygon.map(snapRing));
}

/**
 * Union of polygons (a footprint from its units). Units from real sources rarely share edges to
 * the last digit, so the union can keep hairline holes along internal borders; holes smaller than
 * `dropHolesUnderM2` (default 100 m², the validator's gap tolerance) are removed here because they
 * are artefacts, not territory: real gaps are the validator's business.
 */
export function dissolve(geometries: AreaGeometry[], { dropHolesUnderM2 = 100 }: { dropHolesUnderM2?: number } = {}): Polygon | MultiPolygon {
  if (geometries.length === 0) throw new Error('dissolve needs at least one geometry');
  let merged: ClipMultiPolygon | undefined;
  let firstError: unknown;
  for (const grid of [1e-9, 1e-8]) {
    try {
      const [first, ...rest] = geometries.map((g) => toClip(g, grid));
      merged = polygonClipping.union(first, ...rest);
      break;
    } catch (error) {
      firstError ??= error;
    }
  }
  if (merged === undefined) throw firstError;
  const polygons: Position[][][] = merged.map((polygon) =>
    polygon.filter((ring, i) => i === 0 || ringAreaM2(ring) >= dropHolesUnderM2).map((ring) => ring.map(([x, y]) => [x, y])),
  );
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

function ringAreaM2(ring: Pair[]): number {
  return turfArea({ type: 'Polygon', coordinates: [ring] });
}
