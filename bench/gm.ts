/**
 * Greater Manchester from public data (a benchmark, not a test): the ten boroughs' 1,702 LSOAs
 * (Census 2021 usual residents), May 2023 wards and 2021 MSOAs, nested in the boroughs, `k: auto`,
 * objective S(wards|F) + S(msoa|F) — the real-data counterpart of bench/region.ts, to see whether
 * `footprint optimise --bound-nodes` proves every borough optimal in one run.
 *
 * The data never enters the repository (licences, and the project's rule). It is read from two
 * public GitHub repositories mirrored as bare git folders under --mirror (default ../.mirror beside
 * the repository, as `fetch github:owner/name` leaves them), at pinned commits:
 *   - traffordDataLab/spatial_data (OGL v3): ONS boundaries clipped to Greater Manchester, and the
 *     ONS OA → LSOA → MSOA → local authority lookup;
 *   - nhsx/nhs_time_of_travel: the Nomis download of Census 2021 table TS001 (usual residents) for
 *     every LSOA of England and Wales (ONS, OGL v3), filtered here to Greater Manchester.
 * The built inputs and scenario go to --out (default .scratch/gm, git-ignored); the run to <out>/run.
 * Without the mirrors it says so and skips (exit 0).
 *
 *   npx tsx bench/gm.ts [--mirror DIR] [--out DIR] [--min 30000] [--max 55000] [--time-limit 600]
 *                       [--bound-nodes 1000000000] [--oldham DIR] [--build-only]
 *
 * prints the residents and LSOAs per borough (and, when ../shared/data/oldham is there, how Oldham's
 * populations agree with it), then runs `footprint optimise` on the built scenario and prints per
 * borough its units, k, status, objective, bound and gap, the number proven, wall time and peak RSS.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { formatCsv } from '../src/io/csv.js';
import { stringifyFeatureCollection } from '../src/geometry/rfc7946.js';
import { timedNode } from './timed.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Boundaries and the statistical lookup: Trafford Data Lab's extracts of the ONS Open Geography Portal. */
export const BOUNDARIES = {
  repo: 'traffordDataLab/spatial_data',
  mirror: 'traffordDataLab+spatial_data',
  commit: '7fa4f03c29745aa4ca0f17f30e0dd1b31563202c',
  lsoa: 'lsoa/2021/gm_lsoa_generalised.geojson',
  msoa: 'msoa/2021/gm_msoa_generalised.geojson',
  wards: 'ward/2023/gm_ward_generalised.geojson',
  lookup: 'lookups/2021/statistical_lookup.csv',
  licence: 'Open Government Licence v3.0: contains National Statistics and OS data © Crown copyright and database right',
} as const;

/**
 * Census 2021 TS001 per LSOA as downloaded from Nomis on 2022-11-25 (England and Wales, 35,672
 * LSOAs), committed by nhsx/nhs_time_of_travel in b5c16ca; later commits rewrote the file's header,
 * and the newest one no longer has it, so the commit is pinned.
 */
export const POPULATION = {
  repo: 'nhsx/nhs_time_of_travel',
  mirror: 'nhsx+nhs_time_of_travel',
  commit: 'b5c16ca7f017db13045d24b830d9bafa835c2f90',
  file: 'data/lsoa_global_number_residents_2021.csv',
  licence: 'Office for National Statistics, Census 2021, licensed under the Open Government Licence v3.0',
} as const;

const args = process.argv.slice(2);
function text(name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) fail(`${name} needs a value`);
  return value;
}
function whole(name: string, fallback: number): number {
  const given = text(name);
  if (given === undefined) return fallback;
  const n = Number(given);
  if (!Number.isInteger(n) || n <= 0) fail(`${name} must be a whole number above 0, got ${given}`);
  return n;
}
function fail(message: string): never {
  console.error(`gm: ${message}`);
  process.exit(2);
}

/** One file of a mirrored repository at a commit (`git show`: bare or checked-out folders alike). */
function gitFile(gitDir: string, commit: string, path: string): string {
  const probe = spawnSync('git', ['-C', gitDir, 'cat-file', '-e', `${commit}:${path}`], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(`${gitDir} has no ${path} at commit ${commit.slice(0, 7)} (${probe.stderr.trim() || 'git failed'}): fetch the repository again`);
  }
  return execFileSync('git', ['-C', gitDir, 'show', `${commit}:${path}`], { encoding: 'utf8', maxBuffer: 256 << 20 });
}

/** The Nomis CSV: a title block, then `"name","code",residents` per LSOA, then notes. */
export function parseNomisPopulation(csv: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of csv.split(/\r?\n/)) {
    const m = /^"[^"]*","([EW]01\d{6})",(\d+)$/.exec(line);
    if (!m) continue;
    if (out.has(m[1])) throw new Error(`population: LSOA ${m[1]} appears twice`);
    out.set(m[1], Number(m[2]));
  }
  return out;
}

interface LsoaRow {
  name: string;
  msoa: string;
  lad: string;
  ladName: string;
}

/** statistical_lookup.csv (one row per OA): LSOA → its MSOA and local authority. No field holds a comma or quote. */
export function parseLookup(csv: string): Map<string, LsoaRow> {
  const lines = csv.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0].split(',');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`lookup: no column ${name} in ${header.join(',')}`);
    return i;
  };
  const [lsoa, lsoaName, msoa, lad, ladName] = ['lsoa21cd', 'lsoa21nm', 'msoa21cd', 'lad22cd', 'lad22nm'].map(col);
  const out = new Map<string, LsoaRow>();
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    if (f.length !== header.length) throw new Error(`lookup: a row has ${f.length} fields, not ${header.length}: ${line}`);
    const row = { name: f[lsoaName], msoa: f[msoa], lad: f[lad], ladName: f[ladName] };
    const seen = out.get(f[lsoa]);
    if (seen && (seen.msoa !== row.msoa || seen.lad !== row.lad)) throw new Error(`lookup: LSOA ${f[lsoa]} is in two MSOAs or authorities`);
    out.set(f[lsoa], row);
  }
  return out;
}

/** A feature with only the given properties (the source's `crs` member and area columns dropped). */
function feature(geometry: Geometry, properties: Record<string, string | number>): Feature {
  return { type: 'Feature', properties, geometry };
}

export interface Borough {
  code: string;
  name: string;
  lsoas: number;
  residents: number;
}

export interface GmInputs {
  units: FeatureCollection;
  wards: FeatureCollection;
  msoa: FeatureCollection;
  /** lsoa_code, lad_code, lad_name: the nesting layer. */
  boroughs: { header: string[]; rows: string[][] };
  byBorough: Borough[];
  population: Map<string, number>;
}

/** The inputs from the two mirrored repositories; throws on any LSOA without a borough or residents. */
export function buildInputs(mirror: string): GmInputs {
  const geo = join(mirror, BOUNDARIES.mirror, 'repo');
  const pop = join(mirror, POPULATION.mirror, 'repo');
  const read = (path: string) => JSON.parse(gitFile(geo, BOUNDARIES.commit, path)) as FeatureCollection;
  const lookup = parseLookup(gitFile(geo, BOUNDARIES.commit, BOUNDARIES.lookup));
  const population = parseNomisPopulation(gitFile(pop, POPULATION.commit, POPULATION.file));

  const lsoa = read(BOUNDARIES.lsoa);
  const boroughs = new Map<string, Borough>();
  const rows: string[][] = [];
  const units = lsoa.features.map((f) => {
    const code = String(f.properties?.area_code);
    const row = lookup.get(code);
    const residents = population.get(code);
    if (!row) throw new Error(`LSOA ${code} is not in ${BOUNDARIES.lookup}`);
    if (residents === undefined) throw new Error(`LSOA ${code} has no residents in ${POPULATION.file}`);
    if (f.geometry === null) throw new Error(`LSOA ${code} has no geometry`);
    const b = boroughs.get(row.lad) ?? { code: row.lad, name: row.ladName, lsoas: 0, residents: 0 };
    b.lsoas++;
    b.residents += residents;
    boroughs.set(row.lad, b);
    rows.push([code, row.lad, row.ladName]);
    return feature(f.geometry, { code, name: String(f.properties?.area_name), population: residents, msoa_code: row.msoa, lad_code: row.lad, lad_name: row.ladName });
  });
  if (units.length !== lookup.size) throw new Error(`${BOUNDARIES.lsoa} has ${units.length} LSOAs, ${BOUNDARIES.lookup} ${lookup.size}`);
  const polygons = (path: string, extra: (p: Record<string, unknown>) => Record<string, string> = () => ({})) =>
    read(path).features.map((f) => {
      const p = f.properties ?? {};
      if (f.geometry === null) throw new Error(`${path}: ${String(p.area_code)} has no geometry`);
      return feature(f.geometry, { code: String(p.area_code), name: String(p.area_name), ...extra(p) });
    });
  return {
    units: { type: 'FeatureCollection', features: units },
    wards: { type: 'FeatureCollection', features: polygons(BOUNDARIES.wards, (p) => ({ lad_code: String(p.local_authority_area_code) })) },
    msoa: { type: 'FeatureCollection', features: polygons(BOUNDARIES.msoa) },
    boroughs: { header: ['lsoa_code', 'lad_code', 'lad_name'], rows },
    byBorough: [...boroughs.values()].sort((a, b) => a.code.localeCompare(b.code)),
    population,
  };
}

/** The benchmark's scenario: nested in the boroughs, k auto, wards and MSOAs at weight 1. */
export function gmScenario(options: { min: number; max: number; timeLimit: number; boundNodes: number }): string {
  return [
    '# Greater Manchester from public data (bench/gm.ts): the ten boroughs\' 1,702 LSOAs (Census 2021',
    '# usual residents), footprints nested in the boroughs, aligned with May 2023 wards and 2021 MSOAs.',
    '# Contains National Statistics and OS data © Crown copyright and database right (OGL v3).',
    'name: Greater Manchester, nested in its ten boroughs',
    'units: {file: lsoa.geojson, id: code, population: population}',
    'layers:',
    '  - {name: wards, file: wards.geojson, id: code, areaName: name, weight: 1}',
    '  - {name: msoa, file: msoa.geojson, id: code, areaName: name, weight: 1}',
    // Weight 0: under nesting S(boroughs|F) is the same for every plan.
    '  - {name: boroughs, lookup: boroughs.csv, key: lsoa_code, area: lad_code, areaName: lad_name, weight: 0}',
    'within: boroughs',
    'k: auto',
    `min: ${options.min}`,
    `max: ${options.max}`,
    'seed: 1',
    `timeLimit: ${options.timeLimit}`,
    `boundNodes: ${options.boundNodes}`,
    '',
  ].join('\n');
}

function sources(): string {
  return [
    '# Sources of these files (built by bench/gm.ts; not for the repository)',
    '',
    `- LSOA (Dec 2021, generalised clipped), MSOA (Dec 2021) and ward (May 2023) boundaries, and the OA → LSOA → MSOA → LAD lookup: github.com/${BOUNDARIES.repo} at ${BOUNDARIES.commit}, files ${BOUNDARIES.lsoa}, ${BOUNDARIES.msoa}, ${BOUNDARIES.wards}, ${BOUNDARIES.lookup}. ${BOUNDARIES.licence}.`,
    `- Usual residents per LSOA: Census 2021 table TS001 (Nomis, downloaded 2022-11-25), github.com/${POPULATION.repo} at ${POPULATION.commit}, ${POPULATION.file}. ${POPULATION.licence}.`,
    '',
  ].join('\n');
}

const integer = (n: number) => n.toLocaleString('en-GB');

/** Oldham's populations in ../shared/data/oldham/lsoa.geojson against the TS001 figures used here. */
function oldhamCheck(dir: string, population: Map<string, number>): void {
  const file = join(dir, 'lsoa.geojson');
  if (!existsSync(file)) {
    console.log(`Oldham cross-check: ${file} not found; skipped`);
    return;
  }
  const oldham = JSON.parse(readFileSync(file, 'utf8')) as FeatureCollection;
  let same = 0;
  let missing = 0;
  let worst = 0;
  let theirs = 0;
  let ours = 0;
  for (const f of oldham.features) {
    const p = Number(f.properties?.population);
    const q = population.get(String(f.properties?.code));
    theirs += p;
    if (q === undefined) {
      missing++;
      continue;
    }
    ours += q;
    if (p === q) same++;
    else worst = Math.max(worst, Math.abs(p - q));
  }
  const n = oldham.features.length;
  console.log(
    `Oldham cross-check (${relative(root, file)}): ${n} LSOAs, ${same} identical, ${n - same - missing} differ by at most ${worst}${missing ? `, ${missing} missing here` : ''}; ` +
      `${integer(ours)} here against ${integer(theirs)} there (${ours - theirs >= 0 ? '+' : ''}${ours - theirs}, ${((100 * (ours - theirs)) / theirs).toFixed(3)}%)`,
  );
}

interface AreaSummary {
  code: string;
  name: string;
  units: number;
  population: number;
  k: number;
  kSource: string;
  status: string;
  objective: number | null;
  bound: number | null;
  gap: number | null;
  reason?: string;
  elapsedMs: number;
  timeLimitHit: boolean;
}

function runOptimise(scenario: string, out: string, timeLimit: number, boundNodes: number): void {
  const bin = resolve(root, 'bin', 'footprint.js');
  if (!existsSync(resolve(root, 'dist', 'cli', 'main.js'))) fail('dist/ is missing: run npm run build first (npm run bench does)');
  const argv = [bin, 'optimise', scenario, '--bound-nodes', String(boundNodes), '--time-limit', String(timeLimit), '--out', out, '--json', '--quiet'];
  console.log(`\nrun: node ${[relative(root, bin), ...argv.slice(1).map((a) => (a.startsWith('/') ? relative(root, a) : a))].join(' ')}`);
  const result = timedNode(argv);
  const { seconds, rssMiB: rss } = result;
  let summary: { status: string; objective: number; planned: number; proven: number; areas: AreaSummary[]; elapsedMs: number };
  try {
    summary = JSON.parse(result.stdout) as typeof summary;
  } catch {
    console.error(result.stdout, result.stderr);
    console.error(`gm: the CLI exited with ${result.code ?? result.signal} and printed no JSON summary`);
    process.exitCode = 1;
    return;
  }
  writeFileSync(join(dirname(out), 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const f4 = (x: number | null) => (x === null ? '–' : x.toFixed(4));
  console.log('| borough | code | units | residents | k | status | objective | bound | gap | area s |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const a of summary.areas) {
    const status = a.status === 'failed' ? `no plan: ${a.reason ?? ''}` : `${a.status}${a.timeLimitHit ? ' (cut by the limit)' : ''}`;
    const gap = a.status === 'optimal' ? '0%' : a.gap === null ? '–' : `${a.gap.toFixed(1)}%`;
    console.log(`| ${a.name} | ${a.code} | ${a.units} | ${integer(a.population)} | ${a.k}${a.kSource === 'auto' ? ' (auto)' : ''} | ${status} | ${f4(a.objective)} | ${f4(a.bound)} | ${gap} | ${(a.elapsedMs / 1000).toFixed(1)} |`);
  }
  console.log(
    `proven optimal: ${summary.proven} of ${summary.areas.length} boroughs (${summary.planned} planned); objective ${summary.objective.toFixed(4)}; ` +
      `wall time ${seconds.toFixed(1)} s (search ${(summary.elapsedMs / 1000).toFixed(1)} s); peak RSS ${rss === null ? 'n/a' : `${rss.toFixed(0)} MiB`}; CLI exit ${result.code}`,
  );
  console.log(`outputs: ${relative(root, out)}/, summary: ${relative(root, join(dirname(out), 'summary.json'))}`);
}

function main(): void {
  const mirror = resolve(text('--mirror') ?? resolve(root, '..', '.mirror'));
  const out = resolve(text('--out') ?? resolve(root, '.scratch', 'gm'));
  const min = whole('--min', 30_000);
  const max = whole('--max', 55_000);
  const timeLimit = whole('--time-limit', 600);
  const boundNodes = whole('--bound-nodes', 1_000_000_000);
  const oldham = resolve(text('--oldham') ?? resolve(root, '..', 'shared', 'data', 'oldham'));
  if (min > max) fail(`--min (${min}) is above --max (${max})`);

  const absent = [BOUNDARIES, POPULATION].filter((s) => !existsSync(join(mirror, s.mirror, 'repo')));
  if (absent.length > 0) {
    console.log(`gm: skipped: no mirror of ${absent.map((s) => `${s.repo} (${join(mirror, s.mirror, 'repo')})`).join(' or ')}; fetch ${absent.map((s) => `github:${s.repo}`).join(' and ')} or pass --mirror DIR`);
    return;
  }
  console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; min ${integer(min)}, max ${integer(max)}, time limit ${timeLimit} s, bound nodes ${boundNodes}`);
  const t = performance.now();
  const gm = buildInputs(mirror);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'lsoa.geojson'), stringifyFeatureCollection(gm.units));
  writeFileSync(join(out, 'wards.geojson'), stringifyFeatureCollection(gm.wards));
  writeFileSync(join(out, 'msoa.geojson'), stringifyFeatureCollection(gm.msoa));
  writeFileSync(join(out, 'boroughs.csv'), formatCsv(gm.boroughs.header, gm.boroughs.rows));
  writeFileSync(join(out, 'SOURCES.md'), sources());
  const scenario = join(out, 'gm.yaml');
  writeFileSync(scenario, gmScenario({ min, max, timeLimit, boundNodes }));
  const total = gm.byBorough.reduce((s, b) => s + b.residents, 0);
  console.log(
    `built ${relative(root, out) || out}/ in ${((performance.now() - t) / 1000).toFixed(1)} s: ${gm.units.features.length} LSOAs, ${gm.wards.features.length} wards (May 2023), ` +
      `${gm.msoa.features.length} MSOAs, ${gm.byBorough.length} boroughs, ${integer(total)} residents (Census 2021)`,
  );
  console.log('| borough | code | LSOAs | residents | k auto |');
  console.log('|---|---|---|---|---|');
  for (const b of gm.byBorough) console.log(`| ${b.name} | ${b.code} | ${b.lsoas} | ${integer(b.residents)} | ${Math.ceil(b.residents / max)} |`);
  oldhamCheck(oldham, gm.population);
  if (args.includes('--build-only')) {
    console.log(`\n--build-only: run it with node bin/footprint.js optimise ${relative(root, scenario)} --bound-nodes ${boundNodes} --time-limit ${timeLimit} --out ${relative(root, join(out, 'run'))} --json`);
    return;
  }
  runOptimise(scenario, join(out, 'run'), timeLimit, boundNodes);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) main();
