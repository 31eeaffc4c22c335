import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FootprintError } from '../../src/errors.js';
import { scoreLayers } from '../../src/align/score.js';
import { gdalSource, maskCredentials } from '../../src/layers/gdal.js';
import { loadLayer, readRawLayer } from '../../src/layers/load.js';
import { reproduceLine } from '../../src/cli/reproduce.js';
import type { Layer } from '../../src/layers/types.js';
import { hasOldham, oldham, oldhamSkipMessage } from '../helpers/data.js';
import { gdal, gdalSkipMessage, hasGdal } from '../helpers/gis-tools.js';

if (!hasGdal) console.warn(gdalSkipMessage);

describe('naming GDAL sources', () => {
  it('routes GIS formats by extension and PG: strings to GDAL, and leaves GeoJSON/TopoJSON to the text reader', () => {
    expect(gdalSource('a/wards.shp')).toMatchObject({ dataset: 'a/wards.shp', layer: null, format: 'Shapefile' });
    expect(gdalSource('a/wards.zip')).toMatchObject({ dataset: '/vsizip/a/wards.zip', format: 'zipped Shapefile' });
    expect(gdalSource('a/council.gpkg#wards')).toMatchObject({ dataset: 'a/council.gpkg', layer: 'wards', format: 'GeoPackage' });
    expect(gdalSource('a/nhs.gdb/')).toMatchObject({ format: 'file geodatabase' });
    expect(gdalSource('a/WARDS.TAB')).toMatchObject({ format: 'MapInfo TAB' });
    expect(gdalSource('a/police.kmz')).toMatchObject({ format: 'KMZ' });
    expect(gdalSource('a/wards.geojson')).toBeNull();
    expect(gdalSource('a/b.topojson#gp')).toBeNull();
    expect(gdalSource('PG:"dbname=gis host=db" public.wards')).toMatchObject({ dataset: 'PG:dbname=gis host=db', layer: 'public.wards', label: 'PG:dbname=gis host=db#public.wards' });
    expect(gdalSource('PG:dbname=gis#wards')).toMatchObject({ dataset: 'PG:dbname=gis', layer: 'wards' });
  });

  it('never shows a password: in a PG string, a postgres:// URL, or the PGPASSWORD value GDAL might echo', () => {
    expect(gdalSource("PG:\"dbname=gis password='p w#1'\" wards")!.label).toBe('PG:dbname=gis password=***#wards');
    expect(maskCredentials('PG:dbname=gis password=hunter2 host=x')).toBe('PG:dbname=gis password=*** host=x');
    expect(maskCredentials('postgresql://me:hunter2@db/gis')).toBe('postgresql://me:***@db/gis');
    expect(reproduceLine(['optimise', '--layer', 'wards=PG:"dbname=gis password=hunter2" wards'])).toBe(`footprint optimise --layer 'wards=PG:"dbname=gis password=***" wards'`);
    const before = process.env.PGPASSWORD;
    process.env.PGPASSWORD = 'sekrit-value';
    try {
      expect(maskCredentials('auth failed for sekrit-value')).toBe('auth failed for ***');
    } finally {
      if (before === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = before;
    }
  });
});

describe.skipIf(!hasGdal || !hasOldham)('the Oldham layers through GDAL', () => {
  if (!hasOldham) console.warn(oldhamSkipMessage);
  let dir = '';
  let units: Layer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'footprint-formats-'));
    const wards = oldham('wards.geojson');
    gdal('ogr2ogr', ['-f', 'ESRI Shapefile', join(dir, 'wards.shp'), wards]);
    gdal('ogr2ogr', ['-f', 'GPKG', join(dir, 'council.gpkg'), wards, '-nln', 'wards']);
    gdal('ogr2ogr', ['-f', 'GPKG', '-update', join(dir, 'council.gpkg'), oldham('msoa.geojson'), '-nln', 'msoa']);
    gdal('ogr2ogr', ['-f', 'MapInfo File', join(dir, 'wards.tab'), wards]);
    gdal('ogr2ogr', ['-f', 'KML', join(dir, 'wards.kml'), wards]);
    gdal('ogr2ogr', ['-f', 'LIBKML', join(dir, 'wards.kmz'), wards]);
    gdal('ogr2ogr', ['-f', 'OpenFileGDB', join(dir, 'nhs.gdb'), wards, '-nln', 'wards']);
    // A zipped Shapefile, as councils e-mail them (GDAL writes into the zip itself).
    gdal('ogr2ogr', ['-f', 'ESRI Shapefile', join(dir, 'wards.shp.zip'), wards]);
    // British National Grid with a .prj, and the same without one (BNG told by its coordinate range).
    gdal('ogr2ogr', ['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:27700', join(dir, 'bng.shp'), wards]);
    gdal('ogr2ogr', ['-f', 'ESRI Shapefile', join(dir, 'noprj.shp'), join(dir, 'bng.shp')]);
    unlinkSync(join(dir, 'noprj.prj'));
    units = loadLayer(oldham('lsoa.geojson'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const split = (layer: Layer) => {
    const pair = scoreLayers(units, [layer], { boundaryCoincidence: false }).pairs[0];
    return pair.measures.splitPopulation;
  };

  it('Shapefile (plain and zipped), GeoPackage layer, MapInfo TAB, KML, KMZ and a file geodatabase give the crosswalk the GeoJSON gives: the same S to 1e-9', () => {
    const reference = loadLayer(oldham('wards.geojson'), { name: 'wards' });
    const expected = split(reference);
    for (const source of ['wards.shp', 'council.gpkg#wards', 'wards.tab', 'wards.kml', 'wards.kmz', 'nhs.gdb', 'wards.shp.zip']) {
      const layer = loadLayer(join(dir, source), { name: 'wards' });
      expect(layer.areas.map((a) => a.id), source).toEqual(reference.areas.map((a) => a.id));
      expect(layer.crsReason, source).toMatch(/own CRS, reprojected to WGS84 by GDAL/);
      const got = split(layer);
      expect(got.xy, source).toBeCloseTo(expected.xy, 9);
      expect(got.yx, source).toBeCloseTo(expected.yx, 9);
    }
  });

  it('reprojects from the .prj, and without one tells British National Grid by its range as for GeoJSON', () => {
    const expected = split(loadLayer(oldham('wards.geojson'), { name: 'wards' }));
    const prj = loadLayer(join(dir, 'bng.shp'), { name: 'wards' });
    const bare = loadLayer(join(dir, 'noprj.shp'), { name: 'wards' });
    expect(bare.sourceCrs).toBe('EPSG:27700');
    expect(bare.notes.join(' ')).toMatch(/reprojected from British National Grid/);
    // Two projection libraries (PROJ, proj4js) and 6-decimal source degrees: equal to about 1e-7.
    for (const layer of [prj, bare]) {
      expect(Math.abs(split(layer).xy - expected.xy)).toBeLessThan(1e-6);
      expect(Math.abs(split(layer).yx - expected.yx)).toBeLessThan(1e-6);
    }
  });

  it('refuses a multi-layer GeoPackage without #layer, naming its layers; a missing layer or file names the source (exit 2)', () => {
    const fail = (source: string) => {
      try {
        readRawLayer(source);
      } catch (error) {
        expect(error).toBeInstanceOf(FootprintError);
        expect((error as FootprintError).exitCode).toBe(2);
        return (error as Error).message;
      }
      throw new Error(`${source} was read`);
    };
    expect(fail(join(dir, 'council.gpkg'))).toMatch(/council\.gpkg: GeoPackage holds 2 layers \(wards, msoa\); name one as file#layer/);
    expect(fail(join(dir, 'council.gpkg#parishes'))).toMatch(/council\.gpkg#parishes: cannot read GeoPackage: .*parishes/);
    expect(fail(join(dir, 'nothere.shp'))).toMatch(/nothere\.shp: cannot read file: no such file/);
    writeFileSync(join(dir, 'broken.shp'), 'not a shapefile');
    expect(fail(join(dir, 'broken.shp'))).toMatch(/broken\.shp: cannot read Shapefile: GDAL cannot open it/);
  });

  it('without GDAL on the PATH: exit 2 saying how to install it', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => readRawLayer(join(dir, 'wards.shp'))).toThrow(/ogr2ogr not found\. GDAL is needed .*apt-get install gdal-bin/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('a PostGIS source that cannot connect names it with the password masked, and GDAL\'s reason', () => {
    const env = { PGHOST: process.env.PGHOST, PGPASSWORD: process.env.PGPASSWORD };
    process.env.PGHOST = join(dir, 'no-server');
    process.env.PGPASSWORD = 'sekrit-value';
    try {
      let message = '';
      try {
        readRawLayer('PG:"dbname=gis password=hunter2" wards');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^PG:dbname=gis password=\*\*\*#wards: cannot read PostGIS: .*(connect|socket)/);
      expect(message).not.toMatch(/hunter2|sekrit/);
    } finally {
      for (const [k, v] of Object.entries(env)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
