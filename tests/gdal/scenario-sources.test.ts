import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { hasOldham, oldham, oldhamSkipMessage, repoRoot } from '../helpers/data.js';
import { gdal, gdalSkipMessage, hasGdal, postgisSkipMessage, postgresBinDir, startCluster, type Cluster } from '../helpers/gis-tools.js';

/**
 * The Oldham scenario run unchanged but for where its 2022 wards come from: the GeoJSON, a
 * Shapefile, a GeoPackage layer and a PostGIS table must give identical outputs (the report's
 * input list names the source, and nothing else may differ).
 */

if (!hasGdal) console.warn(gdalSkipMessage);
else if (!postgresBinDir) console.warn(postgisSkipMessage);
if (!hasOldham) console.warn(oldhamSkipMessage);

/** The example scenario with absolute paths, `wards_2022` read from `source`, written to `out`. */
function scenarioWith(dir: string, name: string, source: string): string {
  const text = readFileSync(join(repoRoot, 'examples', 'oldham', 'scenario.yaml'), 'utf8').replaceAll('../../../shared/data/oldham/', `${oldham('')}/`);
  const doc = parseDocument(text);
  const layers = doc.get('layers') as { items: { get(k: string): unknown; set(k: string, v: unknown): void }[] };
  const wards = layers.items.find((l) => l.get('name') === 'wards_2022')!;
  wards.set('file', source);
  doc.set('out', join(dir, `out-${name}`));
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, doc.toString());
  return file;
}

/** Every file of an output folder, the report without its list of inputs. */
function outputs(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(folder, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.startsWith('.')) files[path] = readFileSync(join(folder, path), 'utf8');
    }
  };
  walk('');
  // report.html is report.md rendered (compared below); it names the source the same way.
  delete files['report.html'];
  files['report.md'] = files['report.md'].replace(/\n- wards_2022: polygons from `[^`]*`/, '\n- wards_2022: polygons from (source)').replace(/footprint optimise \S+\.yaml/, 'footprint optimise (scenario)');
  return files;
}

describe.skipIf(!hasGdal || !hasOldham)('the Oldham scenario with its wards from a Shapefile, a GeoPackage and PostGIS', () => {
  let dir = '';
  let cluster: Cluster | null = null;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'footprint-sources-'));
    gdal('ogr2ogr', ['-f', 'ESRI Shapefile', join(dir, 'wards_2022.shp'), oldham('wards_2022.geojson')]);
    gdal('ogr2ogr', ['-f', 'GPKG', join(dir, 'council.gpkg'), oldham('wards_2022.geojson'), '-nln', 'wards_2022']);
    if (postgresBinDir) {
      cluster = startCluster();
      gdal('ogr2ogr', ['-f', 'PostgreSQL', 'PG:', oldham('wards_2022.geojson'), '-nln', 'wards_2022'], { ...process.env, ...cluster.env });
    }
  }, 60_000);
  afterAll(() => {
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function run(name: string, source: string, env: Record<string, string> = {}): Promise<Record<string, string>> {
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const result = await runCli(['optimise', scenarioWith(dir, name, source), '--quiet']);
      expect(result.stderr, name).toBe('');
      expect(result.code, name).toBe(0);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    return outputs(join(dir, `out-${name}`));
  }

  it('gives identical plans and files from the GeoJSON, the Shapefile and the GeoPackage layer', async () => {
    const reference = await run('geojson', oldham('wards_2022.geojson'));
    expect(Object.keys(reference)).toContain('assignment.csv');
    expect(await run('shapefile', join(dir, 'wards_2022.shp'))).toEqual(reference);
    expect(await run('geopackage', `${join(dir, 'council.gpkg')}#wards_2022`)).toEqual(reference);
  }, 120_000);

  it.skipIf(!postgresBinDir)('gives the same plan and files with the wards served by PostGIS, connection from the libpq environment', async () => {
    const reference = await run('geojson2', oldham('wards_2022.geojson'));
    const fromDb = await run('postgis', 'PG:"dbname=postgres" wards_2022', cluster!.env);
    expect(fromDb).toEqual(reference);
    expect(readFileSync(join(dir, 'out-postgis', 'report.md'), 'utf8')).toContain('- wards_2022: polygons from `PG:dbname=postgres#wards_2022`');
  }, 120_000);
});
