import type { Position } from 'geojson';
import type { AreaGeometry } from '../geometry/types.js';

export type { AreaGeometry };

/** One polygon area of a layer (a unit, a ward, a GP cluster...). Geometry is WGS84 lon/lat. */
export interface Area {
  /** Value of the layer's id field, as a string. */
  id: string;
  /** Population if the layer has a population field, else null. */
  population: number | null;
  /**
   * A readable name for reports and maps ("Chadderton North", "Oldham South PCN"): the layer's
   * `areaName` field or column when given, else a `name` property, else absent (the id stands in).
   */
  name?: string;
  /** Every property of the source feature, untouched. */
  properties: Record<string, unknown>;
  /** WGS84 geometry (reprojected if the source was in British National Grid). */
  geometry: AreaGeometry;
  /** Zero-based position of the feature in its source, for error messages. */
  index: number;
}

export type Crs = 'EPSG:4326' | 'EPSG:27700';

export interface Layer {
  /** Short name given on the command line (`--layer gp=FILE`) or derived from the file name. */
  name: string;
  /** Path the layer was read from (with `#object` for TopoJSON when one object was named). */
  source: string;
  /** Field the ids came from. */
  idField: string;
  /** Field the populations came from, or null when the layer has none. */
  populationField: string | null;
  /** CRS of the source coordinates (output is always WGS84). */
  sourceCrs: Crs;
  /** How the source CRS was decided, for the user ("crs member", "coordinate range", "--crs"). */
  crsReason: string;
  areas: Area[];
  /** Notes for the user about choices made while loading (auto-detected fields, reprojection). */
  notes: string[];
}

/**
 * A feature exactly as read from the file, before ids, populations and geometry types are
 * checked. `validate` works on these so it can report every problem rather than stop at the first.
 */
export interface RawFeature {
  index: number;
  /** The feature's own GeoJSON `id` member, when it has one. */
  featureId?: string | number;
  properties: Record<string, unknown>;
  /** Geometry in WGS84, or null when the feature had none. Any GeoJSON geometry type. */
  geometry: import('geojson').Geometry | null;
}

export interface RawLayer {
  source: string;
  sourceCrs: Crs;
  crsReason: string;
  features: RawFeature[];
}

export type Ring = Position[];

/** How an area is shown to people: "Coldhurst (E05014650)", or the id alone when it has no name. */
export function areaLabel(area: Pick<Area, 'id' | 'name'>): string {
  return area.name && area.name !== area.id ? `${area.name} (${area.id})` : area.id;
}
