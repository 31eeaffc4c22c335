import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Feature, Geometry } from 'geojson';
import { feature as topoFeature } from 'topojson-client';
import type { Topology, GeometryObject } from 'topojson-specification';
import { FootprintError } from '../errors.js';
import { crsFromExtent, crsFromMember, extentOf, fromBng, mapPositions } from './crs.js';
import type { Area, AreaGeometry, Crs, Layer, RawFeature, RawLayer } from './types.js';

export interface ReadOptions {
  /** Override CRS detection. */
  crs?: Crs;
}

export interface LoadOptions extends ReadOptions {
  /** Name of the layer; defaults to the file name without extension. */
  name?: string;
  /** Field holding the id; auto-detected when absent. */
  idField?: string;
  /** Field holding the population; auto-detected when absent, or `false` to ignore populations. */
  populationField?: string | false;
  /** Fail when no population field is found (units need populations). */
  requirePopulation?: boolean;
}

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

/** Split `file.topojson#object` into the file and the object name. */
export function splitSource(source: string): { file: string; object: string | null } {
  const hash = source.lastIndexOf('#');
  if (hash > 0 && hash < source.length - 1) {
    const file = source.slice(0, hash);
    return { file, object: source.slice(hash + 1) };
  }
  return { file: source, object: null };
}

/** Layer name from a path: `data/wards_2023.geojson` → `wards_2023`, `b.topojson#gp` → `gp`. */
export function layerNameFromSource(source: string): string {
  const { file, object } = splitSource(source);
  if (object) return object;
  const base = basename(file);
  return base.slice(0, base.length - extname(base).length) || base;
}

function readText(file: string): string {
  try {
    if (statSync(file).isDirectory()) throw new FootprintError('is a folder, not a GeoJSON or TopoJSON file', { location: { file } });
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof FootprintError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new FootprintError(`cannot read file: ${why}`, { location: { file } });
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const detail = (error as Error).message.replace(/^JSON\.parse: /, '').replace(/\s+/g, ' ').trim();
    throw new FootprintError(`not valid JSON (${detail})`, { location: { file } });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkGeometryShape(geometry: unknown, file: string, index: number): Geometry | null {
  if (geometry === null || geometry === undefined) return null;
  if (!isObject(geometry) || typeof geometry.type !== 'string' || !GEOMETRY_TYPES.has(geometry.type)) {
    throw new FootprintError('geometry is not a GeoJSON geometry', { location: { file, feature: index, field: 'geometry' } });
  }
  if (geometry.type === 'GeometryCollection') {
    if (!Array.isArray(geometry.geometries)) {
      throw new FootprintError('GeometryCollection has no "geometries" array', { location: { file, feature: index, field: 'geometry' } });
    }
  } else if (!Array.isArray(geometry.coordinates)) {
    throw new FootprintError(`${geometry.type} has no "coordinates" array`, { location: { file, feature: index, field: 'geometry' } });
  }
  return geometry as unknown as Geometry;
}

function featuresFromGeoJson(json: Record<string, unknown>, file: string): RawFeature[] {
  const toRaw = (value: unknown, index: number): RawFeature => {
    if (!isObject(value) || value.type !== 'Feature') {
      throw new FootprintError('is not a GeoJSON Feature', { location: { file, feature: index } });
    }
    const properties = value.properties;
    if (properties !== null && properties !== undefined && !isObject(properties)) {
      throw new FootprintError('"properties" is not an object', { location: { file, feature: index, field: 'properties' } });
    }
    const raw: RawFeature = {
      index,
      properties: (properties as Record<string, unknown> | null | undefined) ?? {},
      geometry: checkGeometryShape(value.geometry, file, index),
    };
    if (typeof value.id === 'string' || typeof value.id === 'number') raw.featureId = value.id;
    return raw;
  };
  switch (json.type) {
    case 'FeatureCollection':
      if (!Array.isArray(json.features)) {
        throw new FootprintError('FeatureCollection has no "features" array', { location: { file, field: 'features' } });
      }
      return json.features.map(toRaw);
    case 'Feature':
      return [toRaw(json, 0)];
    default:
      if (typeof json.type === 'string' && GEOMETRY_TYPES.has(json.type)) {
        return [{ index: 0, properties: {}, geometry: checkGeometryShape(json, file, 0) }];
      }
      throw new FootprintError(
        `not GeoJSON or TopoJSON: expected "type" to be FeatureCollection, Feature, a geometry or Topology, found ${json.type === undefined ? 'no "type"' : JSON.stringify(json.type)}`,
        { location: { file } },
      );
  }
}

function featuresFromTopoJson(json: Record<string, unknown>, file: string, object: string | null): RawFeature[] {
  const topology = json as unknown as Topology;
  if (!isObject(topology.objects)) {
    throw new FootprintError('TopoJSON has no "objects"', { location: { file, field: 'objects' } });
  }
  const names = Object.keys(topology.objects);
  if (object !== null && !names.includes(object)) {
    throw new FootprintError(`TopoJSON has no object "${object}" (it has: ${names.join(', ') || 'none'})`, { location: { file } });
  }
  const chosen = object === null ? names : [object];
  const features: RawFeature[] = [];
  for (const name of chosen) {
    const converted = topoFeature(topology, topology.objects[name] as GeometryObject) as Feature | { type: 'FeatureCollection'; features: Feature[] };
    const list = converted.type === 'FeatureCollection' ? converted.features : [converted];
    for (const f of list) {
      const raw: RawFeature = { index: features.length, properties: f.properties ?? {}, geometry: f.geometry ?? null };
      if (f.id !== undefined) raw.featureId = f.id;
      features.push(raw);
    }
  }
  return features;
}

/**
 * Read every feature of a GeoJSON or TopoJSON file, in WGS84, without judging it: `validate`
 * wants every problem, not the first. Unreadable input throws a FootprintError (exit 2).
 */
export function readRawLayer(source: string, options: ReadOptions = {}): RawLayer {
  const { file, object } = splitSource(source);
  const json = parseJson(readText(file), file);
  if (!isObject(json)) {
    throw new FootprintError('not GeoJSON or TopoJSON: the file holds JSON but not an object', { location: { file } });
  }
  const isTopology = json.type === 'Topology';
  if (object !== null && !isTopology) {
    throw new FootprintError(`"#${object}" names a TopoJSON object, but the file is not TopoJSON`, { location: { file } });
  }
  const features = isTopology ? featuresFromTopoJson(json, file, object) : featuresFromGeoJson(json, file);
  if (features.length === 0) {
    throw new FootprintError('the layer has no features', { location: { file } });
  }

  let sourceCrs: Crs;
  let crsReason: string;
  const member = crsFromMember(json.crs);
  if (options.crs) {
    sourceCrs = options.crs;
    crsReason = '--crs';
  } else if (member) {
    if (member.crs === null) {
      throw new FootprintError(
        `unsupported CRS "${member.name}": footprint reads WGS84 (EPSG:4326) or British National Grid (EPSG:27700); reproject the file, or pass --crs if the crs member is wrong`,
        { location: { file, field: 'crs' } },
      );
    }
    sourceCrs = member.crs;
    crsReason = `crs member "${member.name}"`;
  } else {
    const extent = extentOf(features.map((f) => f.geometry));
    const guessed = crsFromExtent(extent);
    if (guessed === null) {
      throw new FootprintError(
        `coordinates are neither longitude/latitude nor British National Grid (x ${extent.minX.toFixed(0)}…${extent.maxX.toFixed(0)}, y ${extent.minY.toFixed(0)}…${extent.maxY.toFixed(0)}); reproject to EPSG:4326 or EPSG:27700, or pass --crs`,
        { location: { file } },
      );
    }
    sourceCrs = guessed;
    crsReason = guessed === 'EPSG:27700' ? 'coordinates in the British National Grid range' : 'coordinates in the longitude/latitude range';
  }

  if (sourceCrs === 'EPSG:27700') {
    for (const f of features) if (f.geometry) f.geometry = mapPositions(f.geometry, fromBng);
  }
  return { source, sourceCrs, crsReason, features };
}

/** Names the ONS and common GIS exports use for codes, most specific first. */
const ONS_CODE = /^(OA|LSOA|MSOA|WD|LAD|LTLA|UTLA|CTY|PCON|CCG|SICBL|ICB|LOC|NHSER|PCN|CSP|PFA|CAUTH|RGN|CTRY|TTWA|BUA|PAR)\d{2}CD$/i;
const ID_NAMES = ['code', 'id', 'gss_code', 'geo_code', 'areacode', 'area_code', 'fid', 'objectid', 'name'];
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

/** Pick the id field: an explicit choice, else an ONS code field, else a common id name. */
export function detectIdField(features: RawFeature[], explicit?: string): FieldChoice | null {
  if (explicit) return { field: explicit, reason: 'given with --id' };
  const fields = fieldsOf(features);
  const ons = fields.filter((f) => ONS_CODE.test(f)).sort((a, b) => presentIn(features, b) - presentIn(features, a) || a.localeCompare(b));
  if (ons.length > 0) return { field: ons[0], reason: 'ONS code field' };
  for (const name of ID_NAMES) {
    const match = fields.find((f) => f.toLowerCase() === name);
    if (match && presentIn(features, match) > 0) return { field: match, reason: `common id name "${match}"` };
  }
  if (features.some((f) => f.featureId !== undefined)) return { field: '#id', reason: 'the features\' GeoJSON "id" member' };
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

function describeFeature(feature: RawFeature, idField: string | null): string | number {
  const id = idField ? featureIdValue(feature, idField) : null;
  return id === null ? feature.index : `${feature.index} (id ${id})`;
}

/**
 * Load a polygon layer strictly, for scoring and optimising: every feature a Polygon or
 * MultiPolygon with a unique id, populations finite and non-negative where a population field
 * is used. The first problem throws a FootprintError naming the file, feature and field;
 * `footprint validate` lists them all.
 */
export function loadLayer(source: string, options: LoadOptions = {}): Layer {
  const raw = readRawLayer(source, options);
  const file = splitSource(source).file;
  const notes: string[] = [];
  if (raw.sourceCrs === 'EPSG:27700') notes.push(`reprojected from British National Grid (${raw.crsReason})`);

  const idChoice = detectIdField(raw.features, options.idField);
  if (!idChoice) {
    throw new FootprintError(`no id field found (looked for ONS code fields such as LSOA21CD or WD23CD, and ${ID_NAMES.join(', ')}); name one with --id`, {
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
    source,
    idField: idChoice.field,
    populationField,
    sourceCrs: raw.sourceCrs,
    crsReason: raw.crsReason,
    areas,
    notes,
  };
}
