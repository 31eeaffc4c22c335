import { existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Feature, Geometry, Position } from 'geojson';
import { feature as topoFeature } from 'topojson-client';
import type { Topology, GeometryObject } from 'topojson-specification';
import { FootprintError } from '../errors.js';
import { CRS_NAMES, crsFromExtent, crsFromMember, describeExtent, extentOf, forEachPosition, fromBng, inCrsRange, looksLike, mapPositions } from './crs.js';
import { gdalSource, isDatabaseSource, readGdalLayer } from './gdal.js';
import { GEOMETRY_TYPES, geometryShapeProblem } from './geometry-shape.js';
import { parseJsonText, readInputText } from '../io/input.js';
import { topoGeometryProblem, topologyProblem } from './topology-shape.js';
import type { Area, AreaGeometry, Crs, Layer, RawFeature, RawLayer } from './types.js';

/*
 * Reading a layer: GeoJSON or TopoJSON text to checked features (readRawLayer), the id and
 * population fields found (detectIdField, detectPopulationField), and the Layer (loadLayer). Over
 * 400 lines because every check names the file, feature and field in its message, and those checks
 * sit beside the reading they guard; the shape and CRS checks live in geometry-shape.ts,
 * topology-shape.ts and crs.ts.
 */
export interface ReadOptions {
  /** Override CRS detection. */
  crs?: Crs;
  /** Field holding the id, used to name features in error messages; auto-detected when absent. */
  idField?: string;
}

export interface LoadOptions extends ReadOptions {
  /** Name of the layer; defaults to the file name without extension. */
  name?: string;
  /** Field holding the population; auto-detected when absent, or `false` to ignore populations. */
  populationField?: string | false;
  /** Fail when no population field is found (units need populations). */
  requirePopulation?: boolean;
}

/**
 * Split `file.topojson#object` into the file and the object name. A path that exists as it is
 * stays whole, so a file whose name holds "#" (`area #2.geojson`) is read, not split.
 */
export function splitSource(source: string): { file: string; object: string | null } {
  const hash = source.lastIndexOf('#');
  if (hash > 0 && hash < source.length - 1 && !existsSync(source)) {
    const file = source.slice(0, hash);
    return { file, object: source.slice(hash + 1) };
  }
  return { file: source, object: null };
}

/** Layer name from a path: `data/wards_2023.geojson` → `wards_2023`, `b.topojson#gp` → `gp`. */
export function layerNameFromSource(source: string): string {
  if (isDatabaseSource(source)) return gdalSource(source)?.layer ?? 'postgis';
  const { file, object } = splitSource(source);
  if (object) return object;
  const base = basename(file);
  return base.slice(0, base.length - extname(base).length) || base;
}

function readText(source: string, file: string): string {
  // Neither `a#b` nor `a` exists: name the path as the user gave it, not its split-off part.
  if (file !== source && !existsSync(file)) throw new FootprintError('cannot read file: no such file', { location: { file: source } });
  return readInputText(file);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A feature before its geometry is checked: enough to find the id field and name it in messages. */
interface PendingFeature extends RawFeature {
  /** The geometry as found in the file (GeoJSON), or the TopoJSON geometry object. */
  unchecked: unknown;
  /** Path of the unchecked geometry in the file, for messages. */
  path: string;
}

function featuresFromGeoJson(json: Record<string, unknown>, file: string): PendingFeature[] {
  const toPending = (value: unknown, index: number): PendingFeature => {
    if (!isObject(value) || value.type !== 'Feature') {
      throw new FootprintError('is not a GeoJSON Feature', { location: { file, feature: index } });
    }
    const properties = value.properties;
    if (properties !== null && properties !== undefined && !isObject(properties)) {
      throw new FootprintError('"properties" is not an object', { location: { file, feature: index, field: 'properties' } });
    }
    const pending: PendingFeature = {
      index,
      properties: (properties as Record<string, unknown> | null | undefined) ?? {},
      geometry: null,
      unchecked: value.geometry,
      path: 'geometry',
    };
    if (typeof value.id === 'string' || typeof value.id === 'number') pending.featureId = value.id;
    return pending;
  };
  switch (json.type) {
    case 'FeatureCollection': {
      if (!Array.isArray(json.features)) {
        throw new FootprintError('FeatureCollection has no "features" array', { location: { file, field: 'features' } });
      }
      const out: PendingFeature[] = new Array(json.features.length);
      for (let i = 0; i < json.features.length; i++) out[i] = toPending(json.features[i], i);
      return out;
    }
    case 'Feature':
      return [toPending(json, 0)];
    default:
      if (typeof json.type === 'string' && GEOMETRY_TYPES.has(json.type)) {
        return [{ index: 0, properties: {}, geometry: null, unchecked: json, path: '(top level)' }];
      }
      throw new FootprintError(
        `not GeoJSON or TopoJSON: expected "type" to be FeatureCollection, Feature, a geometry or Topology, found ${json.type === undefined ? 'no "type"' : JSON.stringify(json.type)}`,
        { location: { file } },
      );
  }
}

/** One pending feature per member of each chosen object's collection, as topojson-client makes them. */
function featuresFromTopoJson(json: Record<string, unknown>, file: string, object: string | null): PendingFeature[] {
  if (!isObject(json.objects)) {
    throw new FootprintError('TopoJSON has no "objects"', { location: { file, field: 'objects' } });
  }
  const objects = json.objects;
  const names = Object.keys(objects);
  if (object !== null && !Object.hasOwn(objects, object)) {
    throw new FootprintError(`TopoJSON has no object "${object}" (it has: ${names.join(', ') || 'none'})`, { location: { file } });
  }
  const topology = topologyProblem(json);
  if (topology) throw new FootprintError(topology.message, { location: { file, field: topology.field } });
  const chosen = object === null ? names : [object];
  const features: PendingFeature[] = [];
  for (const name of chosen) {
    const value = objects[name];
    const path = `objects.${name}`;
    const members = isObject(value) && value.type === 'GeometryCollection' && Array.isArray(value.geometries) ? (value.geometries as unknown[]) : null;
    const list = members ? members.map((m, i) => ({ m, path: `${path}.geometries[${i}]` })) : [{ m: value as unknown, path }];
    for (const { m, path: at } of list) {
      const properties = isObject(m) && isObject(m.properties) ? m.properties : {};
      const pending: PendingFeature = { index: features.length, properties, geometry: null, unchecked: m, path: at };
      if (isObject(m) && (typeof m.id === 'string' || typeof m.id === 'number')) pending.featureId = m.id;
      features.push(pending);
    }
  }
  return features;
}

/** Convert checked TopoJSON objects with topojson-client, in the order featuresFromTopoJson listed them. */
function convertTopoJson(json: Record<string, unknown>, object: string | null, pending: PendingFeature[]): void {
  const topology = json as unknown as Topology;
  const names = object === null ? Object.keys(topology.objects) : [object];
  let k = 0;
  for (const name of names) {
    const converted = topoFeature(topology, topology.objects[name] as GeometryObject) as Feature | { type: 'FeatureCollection'; features: Feature[] };
    const list = converted.type === 'FeatureCollection' ? converted.features : [converted];
    for (const f of list) pending[k++].geometry = f.geometry ?? null;
  }
}

/** How a feature is named in a message: its index, and its id when it has one. */
function featureLabel(feature: RawFeature, idField: string | null): string | number {
  const id = idField ? featureIdValue(feature, idField) : null;
  return id === null ? feature.index : `${feature.index} (id ${id})`;
}

/**
 * Refuse coordinates outside the declared CRS's range: BNG metres read as degrees (or the other
 * way round) would otherwise be scored as nonsense, or sent to the projection far off the globe.
 */
function checkCrsRange(features: RawFeature[], crs: Crs, reason: string, file: string, label: (f: RawFeature) => string | number): void {
  const extent = extentOf(features.map((f) => f.geometry));
  if (extent.count === 0) return;
  for (const f of features) {
    if (!f.geometry) continue;
    let bad: Position | null = null;
    forEachPosition(f.geometry, (p) => {
      if (bad === null && !inCrsRange(crs, p[0], p[1])) bad = p;
    });
    if (bad !== null) {
      const [x, y] = bad as Position;
      throw new FootprintError(
        `coordinate ${x}, ${y} is outside the range of ${CRS_NAMES[crs]}, which ${reason} declared; the layer's coordinates span ${describeExtent(extent)}, ${looksLike(extent)}. Reproject the file, or give the right --crs`,
        { location: { file, feature: label(f), field: 'geometry' } },
      );
    }
  }
  // Every BNG coordinate within ±180, ±90 would put the whole layer in the sea off the Scilly Isles:
  // it is longitude/latitude with the wrong CRS declared.
  if (crs === 'EPSG:27700' && crsFromExtent(extent) === 'EPSG:4326') {
    throw new FootprintError(
      `${reason} declared ${CRS_NAMES[crs]}, but every coordinate lies within ${describeExtent(extent)}, which looks like ${CRS_NAMES['EPSG:4326']}. Reproject the file, or give the right --crs`,
      { location: { file, field: 'geometry' } },
    );
  }
}

/**
 * Read every feature of a GeoJSON or TopoJSON file, in WGS84, without judging its polygons:
 * `validate` wants every problem, not the first. Input that cannot be read as geometry at all
 * (malformed coordinates, broken TopoJSON, coordinates outside the CRS) throws a FootprintError
 * (exit 2) naming the file, the feature (index and id) and the field.
 */
export function readRawLayer(source: string, options: ReadOptions = {}): RawLayer {
  // Shapefile, GeoPackage, MapInfo, KML, file geodatabase, PostGIS: converted to GeoJSON by GDAL
  // (by extension or `PG:`, before the text reader would refuse a binary file).
  const gdal = gdalSource(source);
  const viaGdal = gdal ? readGdalLayer(gdal, { keepCoordinates: options.crs !== undefined }) : null;
  const { file, object } = gdal ? { file: gdal.label, object: null } : splitSource(source);
  const json = parseJsonText(viaGdal ? viaGdal.text : readText(source, file), file);
  if (!isObject(json)) {
    throw new FootprintError('not GeoJSON or TopoJSON: the file holds JSON but not an object', { location: { file } });
  }
  const isTopology = json.type === 'Topology';
  if (object !== null && !isTopology) {
    throw new FootprintError(`"#${object}" names a TopoJSON object, but the file is not TopoJSON`, { location: { file } });
  }
  const pending = isTopology ? featuresFromTopoJson(json, file, object) : featuresFromGeoJson(json, file);
  if (pending.length === 0) {
    throw new FootprintError('the layer has no features', { location: { file } });
  }
  // The id field is found before geometry is checked, so a geometry problem names the feature's id.
  const idField = detectIdField(pending, options.idField)?.field ?? null;
  const label = (f: RawFeature) => featureLabel(f, idField);
  const arcCount = Array.isArray(json.arcs) ? json.arcs.length : 0;
  for (const f of pending) {
    if (!isTopology && (f.unchecked === null || f.unchecked === undefined)) continue;
    const problem = isTopology ? topoGeometryProblem(f.unchecked, f.path, arcCount) : geometryShapeProblem(f.unchecked, f.path);
    if (problem) throw new FootprintError(problem.message, { location: { file, feature: label(f), field: problem.field } });
    if (!isTopology) f.geometry = f.unchecked as Geometry;
  }
  if (isTopology) convertTopoJson(json, object, pending);
  const features: RawFeature[] = pending.map(({ unchecked: _u, path: _p, ...raw }) => raw);

  let sourceCrs: Crs;
  let crsReason: string;
  let declared: string | null = null;
  const member = crsFromMember(json.crs);
  if (options.crs) {
    sourceCrs = options.crs;
    crsReason = '--crs';
    declared = `--crs ${options.crs}`;
  } else if (viaGdal?.reprojected) {
    // GDAL read the source's own CRS definition and reprojected to WGS84.
    sourceCrs = 'EPSG:4326';
    crsReason = `the ${gdal!.format}'s own CRS, reprojected to WGS84 by GDAL`;
  } else if (member) {
    if (member.crs === null) {
      throw new FootprintError(
        `unsupported CRS "${member.name}": footprint reads WGS84 (EPSG:4326) or British National Grid (EPSG:27700); reproject the file, or pass --crs if the crs member is wrong`,
        { location: { file, field: 'crs' } },
      );
    }
    sourceCrs = member.crs;
    crsReason = `crs member "${member.name}"`;
    declared = `the file's crs member "${member.name}"`;
  } else {
    const extent = extentOf(features.map((f) => f.geometry));
    const guessed = crsFromExtent(extent);
    if (guessed === null) {
      throw new FootprintError(
        `coordinates are neither longitude/latitude nor British National Grid (${describeExtent(extent)}); reproject to EPSG:4326 or EPSG:27700, or pass --crs`,
        { location: { file } },
      );
    }
    sourceCrs = guessed;
    crsReason = guessed === 'EPSG:27700' ? 'coordinates in the British National Grid range' : 'coordinates in the longitude/latitude range';
  }
  if (declared !== null) checkCrsRange(features, sourceCrs, declared, file, label);

  if (sourceCrs === 'EPSG:27700') {
    for (const f of features) if (f.geometry) f.geometry = mapPositions(f.geometry, fromBng);
  }
  // A database source is named with any password masked, wherever the layer's source is shown.
  return { source: gdal ? gdal.label : source, sourceCrs, crsReason, features };
}

/** Names the ONS and common GIS exports use for codes, most specific first. */
const ONS_CODE = /^(OA|LSOA|MSOA|WD|LAD|LTLA|UTLA|CTY|PCON|CCG|SICBL|ICB|LOC|NHSER|PCN|CSP|PFA|CAUTH|RGN|CTRY|TTWA|BUA|PAR)\d{2}CD$/i;
/**
 * Code-like id names, most specific first. `name` is not among them: names repeat (two "St Mary's"
 * schools) and change, so a name is the id only when nothing code-like is there (see detectIdField).
 */
const ID_NAMES = ['code', 'urn', 'id', 'gss_code', 'geo_code', 'areacode', 'area_code', 'ods_code', 'org_code', 'practice_code', 'uprn', 'ukprn', 'fid', 'objectid'];
/** GIS exports name code fields like LSOA21CD, PCNCD, ODS_CD: upper case ending in CD. */
const CD_FIELD = /^[A-Z][A-Z0-9_]*CD$/;
/** Other code-like names (`school_code`, `site_id`, `pcncode`), used when their values are all present and distinct. */
const CODE_SUFFIX = /(_code|code|_id)$/i;
const POPULATION_NAMES = ['population', 'pop', 'usual_residents', 'usualres', 'residents', 'total_population', 'all_ages', 'pop_total', 'population_total', 'persons'];

export interface FieldChoice {
  field: string;
  reason: string;
}

function fieldsOf(features: RawFeature[]): string[] {
  const seen = new Set<string>();
  for (const f of features) for (const key of Object.keys(f.properties)) seen.add(key);
  return [...seen];
}

function presentIn(features: RawFeature[], field: string): number {
  let count = 0;
  for (const f of features) {
    const v = f.properties[field];
    if (v !== null && v !== undefined && v !== '') count++;
  }
  return count;
}

function distinctIn(features: RawFeature[], field: string): boolean {
  const seen = new Set<string>();
  for (const f of features) {
    const key = String(f.properties[field]);
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}

/**
 * Pick the id field: an explicit choice, else an ONS code field, else any …CD field, else a
 * code-like name (`code`, `urn`, `id`, …; then `*_code`/`*_id` with distinct values), else the
 * features' own GeoJSON id, and `name` only when there is nothing code-like.
 */
export function detectIdField(features: RawFeature[], explicit?: string): FieldChoice | null {
  if (explicit) return { field: explicit, reason: 'given with --id' };
  const fields = fieldsOf(features);
  const ons = fields.filter((f) => ONS_CODE.test(f)).sort((a, b) => presentIn(features, b) - presentIn(features, a) || a.localeCompare(b));
  if (ons.length > 0) return { field: ons[0], reason: 'ONS code field' };
  const cd = fields.filter((f) => CD_FIELD.test(f) && presentIn(features, f) > 0).sort((a, b) => presentIn(features, b) - presentIn(features, a) || a.localeCompare(b));
  if (cd.length > 0) return { field: cd[0], reason: 'code field (…CD)' };
  for (const name of ID_NAMES) {
    const match = fields.find((f) => f.toLowerCase() === name);
    if (match && presentIn(features, match) > 0) return { field: match, reason: `common id name "${match}"` };
  }
  const suffixed = fields.filter((f) => CODE_SUFFIX.test(f) && presentIn(features, f) === features.length && distinctIn(features, f)).sort();
  if (suffixed.length > 0) return { field: suffixed[0], reason: `code-like name "${suffixed[0]}" with a distinct value on every feature` };
  if (features.some((f) => f.featureId !== undefined)) return { field: '#id', reason: 'the features\' GeoJSON "id" member' };
  const name = fields.find((f) => f.toLowerCase() === 'name');
  if (name && presentIn(features, name) > 0) return { field: name, reason: `no code-like field, so the names in "${name}"` };
  return null;
}

/** Pick the population field: an explicit choice, else the first common name holding numbers. */
export function detectPopulationField(features: RawFeature[], explicit?: string): FieldChoice | null {
  if (explicit) return { field: explicit, reason: 'given with --population' };
  const fields = fieldsOf(features);
  for (const name of POPULATION_NAMES) {
    const match = fields.find((f) => f.toLowerCase() === name);
    if (match && features.some((f) => typeof f.properties[match] === 'number')) return { field: match, reason: `common population name "${match}"` };
  }
  return null;
}

/** The id of a raw feature under the chosen field, or null when it has none. */
export function featureIdValue(feature: RawFeature, idField: string): string | null {
  const value = idField === '#id' ? feature.featureId : feature.properties[idField];
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** Check a population value: finite and not negative. Returns a reason when it is bad. */
export function populationProblem(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return 'is missing';
  if (typeof value !== 'number') return `is not a number (${JSON.stringify(value)})`;
  if (!Number.isFinite(value)) return `is not finite (${value})`;
  if (value < 0) return `is negative (${value})`;
  return null;
}

const describeFeature = featureLabel;

/**
 * Load a polygon layer strictly, for scoring and optimising: every feature a Polygon or
 * MultiPolygon with a unique id, populations finite and non-negative where a population field
 * is used. The first problem throws a FootprintError naming the file, feature and field;
 * `footprint validate` lists them all.
 */
export function loadLayer(source: string, options: LoadOptions = {}): Layer {
  const raw = readRawLayer(source, options);
  const file = gdalSource(source)?.label ?? splitSource(source).file;
  const notes: string[] = [];
  if (raw.sourceCrs === 'EPSG:27700') notes.push(`reprojected from British National Grid (${raw.crsReason})`);

  const idChoice = detectIdField(raw.features, options.idField);
  if (!idChoice) {
    throw new FootprintError(`no id field found (looked for ONS code fields such as LSOA21CD or WD23CD, other …CD fields, ${ID_NAMES.join(', ')}, *_code and *_id, and name); name one with --id`, {
      location: { file },
    });
  }
  if (!options.idField) notes.push(`id field "${idChoice.field}" (${idChoice.reason})`);

  let populationField: string | null = null;
  if (options.populationField !== false) {
    const choice = detectPopulationField(raw.features, options.populationField);
    if (choice) {
      populationField = choice.field;
      if (!options.populationField) notes.push(`population field "${choice.field}" (${choice.reason})`);
    } else if (options.requirePopulation) {
      throw new FootprintError(`no population field found (looked for ${POPULATION_NAMES.join(', ')}); name one with --population`, {
        location: { file },
      });
    }
  }

  const seen = new Map<string, number>();
  const areas: Area[] = raw.features.map((feature) => {
    const id = featureIdValue(feature, idChoice.field);
    if (id === null) {
      throw new FootprintError('has no id', { location: { file, feature: feature.index, field: idChoice.field } });
    }
    const previous = seen.get(id);
    if (previous !== undefined) {
      throw new FootprintError(`duplicate id "${id}" (also feature ${previous})`, { location: { file, feature: feature.index, field: idChoice.field } });
    }
    seen.set(id, feature.index);
    const geometry = feature.geometry;
    if (!geometry) {
      throw new FootprintError('has no geometry', { location: { file, feature: describeFeature(feature, idChoice.field), field: 'geometry' } });
    }
    if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
      throw new FootprintError(`is a ${geometry.type}; layers must be polygons (Polygon or MultiPolygon)`, {
        location: { file, feature: describeFeature(feature, idChoice.field), field: 'geometry' },
      });
    }
    let population: number | null = null;
    if (populationField !== null) {
      const value = feature.properties[populationField];
      const problem = populationProblem(value);
      if (problem) {
        throw new FootprintError(`population ${problem}; populations must be finite non-negative numbers`, {
          location: { file, feature: describeFeature(feature, idChoice.field), field: populationField },
        });
      }
      population = value as number;
    }
    return { id, population, properties: feature.properties, geometry: geometry as AreaGeometry, index: feature.index };
  });

  return {
    name: options.name ?? layerNameFromSource(source),
    source: raw.source,
    idField: idChoice.field,
    populationField,
    sourceCrs: raw.sourceCrs,
    crsReason: raw.crsReason,
    areas,
    notes,
  };
}
