import type { Layer } from '../../layers/types.js';
import type { OverlayCrosswalk } from '../crosswalk.js';

/**
 * The four ways services publish their areas (architecture.md, "Everything is a crosswalk"):
 * polygons; sites grouped into areas (GP practices by PCN); a lookup from unit codes, or from
 * another layer's area codes, to areas (LSOA → ward, ward → district); and membership counts per
 * unit and area (patients per LSOA per practice). Each becomes the same crosswalk w(u,a).
 */
export type LayerKind = 'polygons' | 'sites' | 'lookup' | 'membership';

export interface LayerSpec {
  name: string;
  /** Default 'polygons'. */
  kind?: LayerKind;
  /** The file the layer comes from: polygons, site points, or the lookup or membership table. */
  file: string;
  /** polygons, sites: the feature field holding area (polygons) or site (sites) ids. */
  id?: string;
  /** sites: the field grouping sites into areas (`pcn_code`); without it every site is an area. */
  group?: string;
  /** lookup, membership: the column holding unit codes (or, with `of`, that layer's area codes). */
  key?: string;
  /** lookup, membership: the column holding the area each row belongs to. */
  area?: string;
  /** lookup: the layer whose area codes the keys are (ward → district). */
  of?: string;
  /** membership: the column holding the number of members (patients, pupils). */
  count?: string;
  /** A field or column with readable area names. */
  areaName?: string;
  /** lookup: rows whose key matches no unit (or no area of `of`) are ignored instead of refused. */
  ignoreUnknown?: boolean;
}

/** A loaded service layer: its areas (geometry derived from the units where the source had none) and crosswalk. */
export interface ServiceLayer {
  name: string;
  kind: LayerKind;
  layer: Layer;
  crosswalk: OverlayCrosswalk;
  /** The rule that puts each unit in one area when the layer is kept whole, in words for reports. */
  homeRule: string;
  /** Per area, extra facts for the derived layer file (`sites` for site layers). */
  areaFacts: Array<Record<string, number>> | null;
  /** Things the user should know (ignored rows, far-away sites, areas with no units). */
  notes: string[];
}
