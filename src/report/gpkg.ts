import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FootprintError } from '../errors.js';
import { escapeXml } from './svg.js';

/**
 * footprints.gpkg: every output layer in one GeoPackage for QGIS and other GIS, written by GDAL's
 * ogr2ogr (Debian gdal-bin) from the RFC 7946 GeoJSON the run writes anyway, so the two hold the
 * same features. The file is built in a temporary folder and handed back as bytes, which the
 * caller writes into the output folder's staging area: the folder stays all-or-nothing.
 *
 * Deterministic: GDAL's OGR_CURRENT_DATE fixes the timestamps a GeoPackage records (gpkg_contents).
 */

export interface GpkgLayer {
  /** Layer (table) name in the GeoPackage. */
  name: string;
  /** The layer as GeoJSON text (WGS84). */
  geojson: string;
}

const INSTALL_HINT = '--gpkg writes the GeoPackage with GDAL\'s ogr2ogr, which was not found: install it (Debian/Ubuntu: apt-get install gdal-bin; macOS: brew install gdal)';

/** Fixed timestamp for the GeoPackage's records (GDAL config OGR_CURRENT_DATE). */
const FIXED_DATE = '2000-01-01T00:00:00.000Z';

/** Check ogr2ogr runs, before a long search: exit 2 with how to install it when it does not. */
export function checkGpkgWriter(): void {
  const result = spawnSync('ogr2ogr', ['--version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new FootprintError(INSTALL_HINT);
}

/** GeoPackage table names: letters, digits and underscores, not starting with "gpkg_". */
export function gpkgLayerName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_]+/g, '_');
  return /^gpkg_/i.test(clean) ? `layer_${clean}` : clean || 'layer';
}

/**
 * Build a GeoPackage holding the layers, in order; returns its bytes. One ogr2ogr run converts them
 * all: a VRT file lists each GeoJSON as a named layer (one process instead of one per layer, which
 * took about 0.3 s each).
 */
export function geopackageBytes(layers: GpkgLayer[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'footprint-gpkg-'));
  try {
    const target = join(dir, 'footprints.gpkg');
    const vrt = join(dir, 'layers.vrt');
    const entries = layers.map((layer, i) => {
      // GDAL names a GeoJSON file's layer after the file (our collections have no "name" member).
      const source = join(dir, `l${i}.geojson`);
      writeFileSync(source, layer.geojson);
      return `  <OGRVRTLayer name="${escapeXml(gpkgLayerName(layer.name))}"><SrcDataSource>${escapeXml(source)}</SrcDataSource><SrcLayer>l${i}</SrcLayer></OGRVRTLayer>`;
    });
    writeFileSync(vrt, `<OGRVRTDataSource>\n${entries.join('\n')}\n</OGRVRTDataSource>\n`);
    const args = [
      '--config', 'OGR_CURRENT_DATE', FIXED_DATE,
      '-f', 'GPKG', target, vrt,
      // Multi-part and single-part polygons in one table, as QGIS expects of one layer.
      '-nlt', 'PROMOTE_TO_MULTI',
      '-lco', 'SPATIAL_INDEX=YES',
    ];
    const result = spawnSync('ogr2ogr', args, { encoding: 'utf8' });
    if (result.error) {
      if ((result.error as NodeJS.ErrnoException).code === 'ENOENT') throw new FootprintError(INSTALL_HINT);
      throw new FootprintError(`could not write footprints.gpkg: ${result.error.message}`);
    }
    if (result.status !== 0) throw new FootprintError(`could not write footprints.gpkg: ${result.stderr.replace(/\s+/g, ' ').trim()}`);
    return new Uint8Array(readFileSync(target));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
