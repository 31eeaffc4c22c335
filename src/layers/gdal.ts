import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { FootprintError } from '../errors.js';
import { detectBinaryFormat } from '../io/formats.js';
import { inputLimitBytes } from '../io/input.js';

/**
 * Reading GIS formats other than GeoJSON/TopoJSON through GDAL's command-line tools (ogr2ogr from
 * Debian's gdal-bin): Shapefile (or a .zip holding one), GeoPackage, MapInfo TAB/MIF, KML/KMZ, an Esri
 * file geodatabase (a .gdb folder) and PostGIS tables (`PG:` connection strings).
 *
 * GDAL converts the layer to GeoJSON on its standard output, which the GeoJSON reader then checks
 * like any file: nothing downstream knows where a layer came from. The CRS comes from the source's
 * own definition (.prj, the GeoPackage's SRS, the database's SRID) and GDAL reprojects to WGS84
 * (`-t_srs EPSG:4326`, longitude/latitude order); a source with no CRS at all is passed through in
 * its own coordinates, so the GeoJSON reader's range test tells British National Grid from degrees
 * as it does for a GeoJSON file. The tools are spawned only when such a source is given: `--help`
 * and GeoJSON runs never start GDAL.
 *
 * Credentials: a `PG:` string may hold `password=…`; libpq's environment variables (PGHOST, PGUSER,
 * PGPASSWORD, …) are the intended place. Every name this module gives a source, and every message
 * it passes on from GDAL, has passwords masked.
 */

/** File extensions read through GDAL, and the format each is. */
const GDAL_EXTENSIONS: Record<string, string> = {
  '.shp': 'Shapefile',
  '.zip': 'zipped Shapefile',
  '.gpkg': 'GeoPackage',
  '.tab': 'MapInfo TAB',
  '.mif': 'MapInfo MIF',
  '.kml': 'KML',
  '.kmz': 'KMZ',
  '.gdb': 'file geodatabase',
  '.fgb': 'FlatGeobuf',
  '.gml': 'GML',
};

export interface GdalSource {
  /** What ogr2ogr opens: a path, `/vsizip/…`, or a `PG:` connection string. */
  dataset: string;
  /** The layer (table) to read, or null for a source's only layer. */
  layer: string | null;
  /** How messages name the source: the path or connection string with any password masked. */
  label: string;
  /** The format, for messages. */
  format: string;
}

/** A `PG:` connection string: read from the database, not the file system. */
export function isDatabaseSource(source: string): boolean {
  return /^PG:/i.test(source);
}

/** Hide passwords in a connection string or message: `password=secret` → `password=***`. */
export function maskCredentials(text: string): string {
  let out = text.replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|"[^"]*"|[^\s"']+)/gi, '$1***').replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/gi, '$1***@');
  const secret = process.env.PGPASSWORD;
  if (secret && secret.length >= 3) out = out.split(secret).join('***');
  return out;
}

/** Strip a trailing slash so that `data.gdb/` is seen as `.gdb`. */
function extensionOf(path: string): string {
  return extname(path.replace(/[/\\]+$/, '')).toLowerCase();
}

/**
 * The GDAL source a layer argument names, or null when it is GeoJSON/TopoJSON (read as text).
 * `file.gpkg#layer` and `PG:dbname=x#table` name a layer with the existing `#` syntax; `PG:"dbname=x
 * host=y" table` (the form ogr2ogr users know) is accepted too. A `.zip` is opened through /vsizip/.
 */
export function gdalSource(source: string): GdalSource | null {
  if (isDatabaseSource(source)) {
    let connection: string;
    let layer: string | null;
    const quoted = /^PG:\s*"([^"]*)"\s*(.*)$/i.exec(source) ?? /^PG:\s*'([^']*)'\s*(.*)$/i.exec(source);
    if (quoted) {
      connection = `PG:${quoted[1]}`;
      layer = quoted[2].trim().replace(/^#/, '') || null;
    } else {
      const hash = source.lastIndexOf('#');
      connection = hash > 0 ? source.slice(0, hash) : source;
      layer = hash > 0 ? source.slice(hash + 1).trim() || null : null;
    }
    return { dataset: connection, layer, label: `${maskCredentials(connection)}${layer ? `#${layer}` : ''}`, format: 'PostGIS' };
  }
  if (source.startsWith('/vsi')) {
    const hash = source.lastIndexOf('#');
    return hash > 0 ? { dataset: source.slice(0, hash), layer: source.slice(hash + 1), label: source, format: 'GDAL virtual file' } : { dataset: source, layer: null, label: source, format: 'GDAL virtual file' };
  }
  let file = source;
  let layer: string | null = null;
  const hash = source.lastIndexOf('#');
  if (hash > 0 && hash < source.length - 1 && !existsSync(source)) {
    file = source.slice(0, hash);
    layer = source.slice(hash + 1);
  }
  const format = GDAL_EXTENSIONS[extensionOf(file)];
  if (!format) return null;
  const dataset = extensionOf(file) === '.zip' ? `/vsizip/${file}` : file;
  return { dataset, layer, label: source, format };
}

const INSTALL_HINT = 'GDAL is needed to read Shapefile, GeoPackage, MapInfo, KML, file geodatabase and PostGIS sources: install it (Debian/Ubuntu: apt-get install gdal-bin; macOS: brew install gdal), or convert the layer to GeoJSON';

/** GDAL's own words from its standard error: ERROR lines, without the list of drivers it tried. */
function gdalMessage(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('->') && !/^Warning 1: .*(RFC 7946|ignored)/.test(l));
  const failed = lines.findIndex((l) => /^FAILURE:/.test(l));
  // What GDAL said before giving up (a database's connection error), else a plain "cannot open".
  const said = failed >= 0 ? lines.slice(0, failed) : lines;
  if (failed >= 0 && said.length === 0) return 'GDAL cannot open it (no such file or database, or not a format GDAL reads)';
  const text = said
    .map((l) => l.replace(/^(ERROR \d+|FAILURE):\s*/, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return maskCredentials(text.length > 400 ? `${text.slice(0, 400)}…` : text) || 'GDAL failed without saying why';
}

interface Run {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

function runTool(tool: string, args: string[], label: string): Run {
  const result = spawnSync(tool, args, { maxBuffer: inputLimitBytes() + 1, encoding: 'buffer', windowsHide: true });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FootprintError(`${tool} not found. ${INSTALL_HINT}`, { location: { file: label } });
    if (code === 'ENOBUFS') {
      throw new FootprintError(`the layer converted to GeoJSON is over the ${Math.round(inputLimitBytes() / (1024 * 1024))} MB input limit; raise it with --max-input-mb or FOOTPRINT_MAX_INPUT_MB if the layer is meant to be this large`, {
        location: { file: label },
      });
    }
    throw new FootprintError(`cannot run ${tool}: ${maskCredentials(result.error.message)}`, { location: { file: label } });
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

/** The layer names of a multi-layer source, for the message asking the user to pick one. */
function layerNames(source: GdalSource): string[] {
  const run = runTool('ogrinfo', ['-ro', '-q', source.dataset], source.label);
  if (run.status !== 0) return [];
  return run.stdout
    .toString('utf8')
    .split(/\r?\n/)
    .map((l) => /^\d+:\s+(.*?)(\s+\([^()]*\))?$/.exec(l.trim())?.[1])
    .filter((n): n is string => !!n);
}

export interface GdalRead {
  /** The layer as GeoJSON text. */
  text: string;
  /** True when GDAL reprojected from the source's own CRS to WGS84; false when it had none (or --crs was given). */
  reprojected: boolean;
}

/**
 * Convert one layer of a GDAL source to GeoJSON text in WGS84. `keepCoordinates` (when the user gave
 * --crs) passes the coordinates through untouched for the GeoJSON reader to interpret.
 */
export function readGdalLayer(source: GdalSource, options: { keepCoordinates?: boolean } = {}): GdalRead {
  if (!isDatabaseSource(source.dataset) && !source.dataset.startsWith('/vsi') && !existsSync(source.dataset)) {
    throw new FootprintError('cannot read file: no such file', { location: { file: source.label } });
  }
  if (extensionOf(source.dataset) !== '.gdb' && !isDatabaseSource(source.dataset) && existsSync(source.dataset) && statSync(source.dataset).isFile() && statSync(source.dataset).size > inputLimitBytes()) {
    throw new FootprintError(`file is over the ${Math.round(inputLimitBytes() / (1024 * 1024))} MB input limit; raise it with --max-input-mb or FOOTPRINT_MAX_INPUT_MB if the file is meant to be this large`, {
      location: { file: source.label },
    });
  }
  const base = ['-f', 'GeoJSON', '/vsistdout/', source.dataset, ...(source.layer ? [source.layer] : [])];
  // Full double precision: GeoJSON's default of 15 significant digits keeps a Shapefile's coordinates as stored.
  const attempt = (reproject: boolean) => runTool('ogr2ogr', [...base, ...(reproject ? ['-t_srs', 'EPSG:4326'] : [])], source.label);
  let reprojected = !options.keepCoordinates;
  let run = attempt(reprojected);
  if (run.status !== 0 && reprojected && /has no\s+coordinate system/i.test(run.stderr)) {
    reprojected = false;
    run = attempt(false);
  }
  if (run.status !== 0) {
    if (!source.layer && /cannot be created by the output driver/.test(run.stderr)) {
      const names = layerNames(source);
      throw new FootprintError(`${source.format} holds ${names.length > 0 ? `${names.length} layers (${names.join(', ')})` : 'several layers'}; name one as ${isDatabaseSource(source.dataset) ? 'PG:"…" table' : 'file#layer'}`, {
        location: { file: source.label },
      });
    }
    throw new FootprintError(`cannot read ${source.format}: ${gdalMessage(run.stderr)}${whatTheFileIs(source)}`, { location: { file: source.label } });
  }
  return { text: run.stdout.toString('utf8'), reprojected };
}

/**
 * When GDAL cannot open a local file, what its first bytes say it is (io/formats.ts), with how to
 * convert it: a truncated Shapefile or a zip of something else is named, not just refused.
 */
function whatTheFileIs(source: GdalSource): string {
  const path = source.dataset.replace(/^\/vsizip\//, '');
  if (isDatabaseSource(path) || !existsSync(path) || !statSync(path).isFile()) return '';
  const head = Buffer.alloc(512);
  let read = 0;
  const fd = openSync(path, 'r');
  try {
    read = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const format = detectBinaryFormat(head.subarray(0, read));
  return format ? `; the file starts like ${format.name}, but GDAL could not read it (is it complete, with its .shx, .dbf and .prj beside it?): ${format.hint}` : '';
}

/** True when `ogr2ogr` runs here (for tests and `--gpkg`, which writes through it). */
export function gdalAvailable(): boolean {
  const result = spawnSync('ogr2ogr', ['--version'], { encoding: 'utf8' });
  return !result.error && result.status === 0;
}
