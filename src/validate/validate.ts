import type { Position } from 'geojson';
import { projectGeometry, projectionForGeometries } from '../geometry/project.js';
import type { PlanarMultiPolygon } from '../geometry/planar.js';
import { ringSignedArea } from '../geometry/planar.js';
import { detectIdField, detectPopulationField, featureIdValue, populationProblem } from '../layers/load.js';
import type { AreaGeometry, RawLayer } from '../layers/types.js';
import { multipartFindings, polygonsOf, ringStructureFindings, validityFindings, zeroAreaFindings } from './geometry.js';
import { gapFindings, overlapFindings } from './topology.js';
import type { Finding, LayerReport, ValidateOptions } from './types.js';
import { DEFAULT_GAP_TOLERANCE_M2 } from './types.js';

/**
 * Every problem of one layer, for GIS staff: ids, populations, each feature's geometry, then gaps
 * and overlaps between neighbours. Features whose own geometry is broken are left out of the
 * gap/overlap pass (their problem is reported already, and clipping them would only add noise).
 */
export function validateLayer(raw: RawLayer, options: ValidateOptions = {}): LayerReport {
  const tolerance = options.tolerance ?? DEFAULT_GAP_TOLERANCE_M2;
  const findings: Finding[] = [];
  const idChoice = detectIdField(raw.features, options.idField);
  const populationChoice = detectPopulationField(raw.features, options.populationField);

  if (raw.sourceCrs === 'EPSG:27700') {
    findings.push({ kind: 'reprojected', severity: 'info', ids: [], message: `British National Grid coordinates (${raw.crsReason}) reprojected to WGS84` });
  }

  // Ids: every feature needs one, and no two may share it.
  const ids = raw.features.map((f) => (idChoice ? featureIdValue(f, idChoice.field) : null));
  const label = (i: number) => ids[i] ?? `#${raw.features[i].index}`;
  if (!idChoice) {
    findings.push({ kind: 'no-id-field', severity: 'error', ids: [], message: 'no id field found (looked for ONS code fields such as LSOA21CD and common names such as code or id); name one with --id' });
  } else {
    const missing = raw.features.filter((_, i) => ids[i] === null).map((f) => `#${f.index}`);
    if (missing.length > 0) {
      findings.push({ kind: 'missing-id', severity: 'error', ids: missing, message: `${missing.length} feature(s) have no "${idChoice.field}"` });
    }
    const byId = new Map<string, number[]>();
    ids.forEach((id, i) => {
      if (id === null) return;
      const list = byId.get(id);
      if (list) list.push(i);
      else byId.set(id, [i]);
    });
    for (const [id, features] of byId) {
      if (features.length > 1) {
        findings.push({ kind: 'duplicate-id', severity: 'error', ids: [id], message: `id ${id} is used by ${features.length} features (${features.map((i) => `#${raw.features[i].index}`).join(', ')})` });
      }
    }
  }

  // Populations: finite, non-negative numbers wherever the field is used.
  if (populationChoice) {
    raw.features.forEach((f, i) => {
      const problem = populationProblem(f.properties[populationChoice.field]);
      if (problem) {
        findings.push({
          kind: problem === 'is missing' ? 'missing-population' : 'bad-population',
          severity: 'error',
          ids: [label(i)],
          message: `${label(i)}: "${populationChoice.field}" ${problem}`,
        });
      }
    });
  } else {
    findings.push({ kind: 'no-population-field', severity: 'info', ids: [], message: 'no population field (fine for a service layer; units need one: name it with --population)' });
  }

  // Geometry, feature by feature.
  const polygonal = raw.features.map((f) => f.geometry).filter((g): g is AreaGeometry => g !== null && (g.type === 'Polygon' || g.type === 'MultiPolygon'));
  const projection = projectionForGeometries(polygonal);
  const metre = 1 / 111_320 / Math.max(0.2, Math.cos((projection.lat0 * Math.PI) / 180));
  const ringAreaM2 = (ring: Position[]) => {
    const planar = ring.map((p) => projection.forward(p[0], p[1]));
    return Math.abs(ringSignedArea(planar));
  };
  // Self-intersecting features stay in the gap pass (the territory they cover is not a gap) but
  // leave the overlap pass, where their crossing rings would show as phantom overlaps.
  const gapShapes: Array<PlanarMultiPolygon | null> = [];
  const shapes: Array<PlanarMultiPolygon | null> = raw.features.map((f, i) => {
    const ctx = { ids: [label(i)], metre };
    gapShapes.push(null);
    if (!f.geometry) {
      findings.push({ kind: 'no-geometry', severity: 'error', ids: [label(i)], message: `${label(i)} has no geometry` });
      return null;
    }
    const structure = ringStructureFindings(f.geometry, ctx);
    for (const x of structure) findings.push({ ...x, message: `${label(i)}: ${x.message}` });
    if (structure.length > 0 || !polygonsOf(f.geometry)) return null;
    const own = [...validityFindings(f.geometry, ctx), ...zeroAreaFindings(f.geometry, ctx, ringAreaM2), ...multipartFindings(f.geometry, ctx)];
    for (const x of own) findings.push({ ...x, message: `${label(i)}: ${x.message}` });
    const planar = projectGeometry(f.geometry as AreaGeometry, projection);
    gapShapes[i] = planar;
    if (own.some((x) => x.kind === 'self-intersection' || x.kind === 'invalid-geometry' || x.kind === 'zero-area')) return null;
    return planar;
  });

  const labels = raw.features.map((_, i) => label(i));
  // Loops, not push(...list): a spread of 200,000 findings would overflow the call stack.
  for (const x of overlapFindings({ ids: labels, shapes, projection, tolerance })) findings.push(x);
  for (const x of gapFindings({ ids: labels, shapes: gapShapes, projection, tolerance })) findings.push(x);

  return {
    source: raw.source,
    features: raw.features.length,
    idField: idChoice?.field ?? null,
    idReason: idChoice?.reason ?? null,
    populationField: populationChoice?.field ?? null,
    populationReason: populationChoice?.reason ?? null,
    sourceCrs: raw.sourceCrs,
    crsReason: raw.crsReason,
    findings,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
  };
}
