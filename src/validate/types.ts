import type { Geometry } from 'geojson';

export type Severity = 'error' | 'warning' | 'info';

export type FindingKind =
  | 'no-geometry'
  | 'not-polygon'
  | 'unclosed-ring'
  | 'too-few-points'
  | 'self-intersection'
  | 'invalid-geometry'
  | 'zero-area'
  | 'multipart-apart'
  | 'missing-id'
  | 'duplicate-id'
  | 'no-id-field'
  | 'missing-population'
  | 'bad-population'
  | 'no-population-field'
  | 'overlap'
  | 'gap'
  | 'sliver-overlap'
  | 'sliver-gap'
  | 'reprojected';

/** One problem found in a layer, with where it is so GIS staff can go and look. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** Ids of the features involved (feature indices as "#N" where a feature has no id). */
  ids: string[];
  message: string;
  /** Square metres, for gaps, overlaps and zero-area rings. */
  areaM2?: number;
  /** A point to look at, [lon, lat]. */
  location?: [number, number];
  /** The problem's shape for the problems file: the overlap or gap polygon, or the bad vertex. */
  geometry?: Geometry;
}

export interface LayerReport {
  source: string;
  features: number;
  idField: string | null;
  idReason: string | null;
  populationField: string | null;
  populationReason: string | null;
  sourceCrs: string;
  crsReason: string;
  findings: Finding[];
  errors: number;
  warnings: number;
}

export interface ValidateOptions {
  idField?: string;
  populationField?: string;
  /** Gaps and overlaps at least this large (m²) are errors; smaller ones are warnings. */
  tolerance?: number;
}

export const DEFAULT_GAP_TOLERANCE_M2 = 100;
/** Below this a gap or overlap is floating-point noise from coordinate rounding, not a sliver. */
export const NOISE_M2 = 1;
