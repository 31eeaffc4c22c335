import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { projectGeometry, projectionForGeometries } from '../geometry/project.js';
import { multiPolygonArea } from '../geometry/planar.js';
import type { LayerReport } from './types.js';

/** Area in m² of a WGS84 polygon, on an equal-area projection centred on it. */
function areaM2Of(geometry: Polygon | MultiPolygon): number {
  return multiPolygonArea(projectGeometry(geometry, projectionForGeometries([geometry])));
}

/**
 * Every finding as a feature: overlap and gap polygons, bad vertices as points; ready for QGIS.
 * `area_m2` is a number on every polygon (measured when the finding does not carry it), so the
 * column is numeric in a GIS; points have none.
 */
export function problemFeatures(reports: LayerReport[]): Feature[] {
  const features: Feature[] = [];
  for (const report of reports) {
    for (const finding of report.findings) {
      if (!finding.geometry) continue;
      const polygonal = finding.geometry.type === 'Polygon' || finding.geometry.type === 'MultiPolygon';
      const areaM2 = finding.areaM2 ?? (polygonal ? areaM2Of(finding.geometry as Polygon | MultiPolygon) : undefined);
      features.push({
        type: 'Feature',
        properties: {
          kind: finding.kind,
          severity: finding.severity,
          layer: report.source,
          ids: finding.ids.join(', '),
          area_m2: areaM2 === undefined || !Number.isFinite(areaM2) ? null : Math.round(areaM2 * 10) / 10,
          message: finding.message,
        },
        geometry: finding.geometry,
      });
    }
  }
  return features;
}

