import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * GIS tools the format tests drive: GDAL's ogr2ogr/ogrinfo (Debian gdal-bin) and a throwaway
 * PostgreSQL cluster with PostGIS (Debian postgresql, postgresql-postgis). `.ci/run` installs them;
 * on a machine without them the tests skip and say why.
 */

function ok(result: SpawnSyncReturns<string>): boolean {
  return !result.error && result.status === 0;
}

export const hasGdal = ok(spawnSync('ogr2ogr', ['--version'], { encoding: 'utf8' }));
export const gdalSkipMessage = 'ogr2ogr (GDAL) not found; skipping the GIS format tests (install gdal-bin; CI does)';

/** Run ogr2ogr or ogrinfo, throwing with GDAL's message when it fails. */
export function gdal(tool: 'ogr2ogr' | 'ogrinfo', args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(tool, args, { encoding: 'utf8', env });
  if (!ok(result)) throw new Error(`${tool} ${args.join(' ')} failed: ${result.error?.message ?? result.stderr}`);
  return result.stdout;
}

/** The newest PostgreSQL server programs (initdb, pg_ctl) and whether PostGIS is installed for them. */
function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(`/usr/share/postgresql/${v}/extension/postgis.control`))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : null;
}

export const postgresBinDir = hasGdal ? postgresBin() : null;
export const postgisSkipMessage = 'PostgreSQL with PostGIS not found (/usr/lib/postgresql/*/bin/initdb and the postgis extension); skipping the PostGIS test (install postgresql postgresql-postgis; CI does)';

export interface Cluster {
  /** libpq settings for the cluster: give them as environment variables (PGHOST, PGPORT, PGUSER). */
  env: { PGHOST: string; PGPORT: string; PGUSER: string; PGDATABASE: string };
  stop(): void;
}

/**
 * Start an unprivileged PostgreSQL cluster in a temporary folder, listening only on a Unix socket
 * in that folder, with trust authentication for its own superuser. PostgreSQL refuses to run as
 * root, so as root (CI) the server runs as the `postgres` user Debian's package creates.
 */
export function startCluster(): Cluster {
  const bin = postgresBinDir;
  if (!bin) throw new Error(postgisSkipMessage);
  const folder = mkdtempSync(join(tmpdir(), 'footprint-pg-'));
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? 'postgres' : (process.env.USER ?? 'postgres');
  if (asRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(folder, Number(id.stdout.trim()), Number(gid.stdout.trim()));
  }
  const as = (program: string, args: string[]): SpawnSyncReturns<string> =>
    asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, program), ...args], { encoding: 'utf8' }) : spawnSync(join(bin, program), args, { encoding: 'utf8' });
  const data = join(folder, 'data');
  const port = String(20000 + (process.pid % 20000));
  const init = as('initdb', ['-D', data, '-A', 'trust', '-U', user, '--no-sync']);
  if (!ok(init)) throw new Error(`initdb failed: ${init.stderr}`);
  const start = as('pg_ctl', ['-D', data, '-l', join(folder, 'log'), '-w', '-o', `-k ${folder} -p ${port} -c listen_addresses='' -c fsync=off`, 'start']);
  if (!ok(start)) throw new Error(`pg_ctl start failed: ${start.stderr}${start.stdout}`);
  const env = { PGHOST: folder, PGPORT: port, PGUSER: user, PGDATABASE: 'postgres' };
  const psql = spawnSync(join(bin, 'psql'), ['-q', '-c', 'CREATE EXTENSION IF NOT EXISTS postgis'], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (!ok(psql)) {
    as('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    throw new Error(`CREATE EXTENSION postgis failed: ${psql.stderr}`);
  }
  return {
    env,
    stop() {
      as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
