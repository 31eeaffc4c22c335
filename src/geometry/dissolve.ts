import polygonClipping from 'polygon-clipping';
import type { Geom, MultiPolygon as ClipMultiPolygon, Pair } from 'polygon-clipping';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { area as turfArea } from '@turf/turf';
import type { AreaGeometry } from '../layers/types.js';

function toClip(geometry: AreaGeometry): Geom {
  return geometry.coordinates as unknown as Geom;
}

/**
 * Union of polygons (a footprint from its units). Units from real sources rarely share edges to
 * the last digit, so the union can keep hairline holes along internal borders; holes smaller than
 * `dropHolesUnderM2` (default 100 m², the validator's gap tolerance) are removed here because they
 * are artefacts, not territory: real gaps are the validator's business.
 */
export function dissolve(geometries: AreaGeometry[], { dropHolesUnderM2 = 100 }: { dropHolesUnderM2?: number } = {}): Polygon | MultiPolygon {
  if (geometries.length === 0) throw new Error('dissolve needs at least one geometry');
  const [first, ...rest] = geometries.map(toClip);
  const merged: ClipMultiPolygon = polygonClipping.union(first, ...rest);
  const polygons: Position[][][] = merged.map((polygon) =>
    polygon.filter((ring, i) => i === 0 || ringAreaM2(ring) >= dropHolesUnderM2).map((ring) => ring.map(([x, y]) => [x, y])),
  );
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

function ringAreaM2(ring: Pair[]): number {
  return turfArea({ type: 'Polygon', coordinates: [ring] });
}
