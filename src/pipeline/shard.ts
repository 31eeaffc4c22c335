import { EXIT, FootprintError } from '../errors.js';
import type { RunConfig } from '../scenario/config.js';
import type { AreaRecord, AreaShape } from './area-record.js';
import { identityDifference, type RunIdentity } from './fingerprint.js';

/**
 * Shards (`--shard i/n`): a nested run's areas shared out over n machines, each running the same
 * command with its own i, and put back together by `footprint merge` (pipeline/merge.ts).
 *
 * The share is deterministic and balanced: areas in order of size (units searched: an area with no
 * k fitting costs nothing), largest first, ties by code, each to the shard with least so far (ties to
 * the lowest shard) — the greedy "longest processing time first" rule, within 4/3 of the best
 * balance (Graham 1969, "Bounds on multiprocessing timing anomalies", SIAM J. Appl. Math. 17). It
 * depends only on the inputs, so every shard computes the same share without talking to the others.
 *
 * A shard writes shard.json: the run's identity (pipeline/fingerprint.ts), its configuration and
 * command line, and the record of each of its areas (pipeline/area-record.ts) — the plan of every
 * unit and how each area's search ended. Merge checks the shards are of one run and complete,
 * loads the inputs once, and writes the outputs with the same code as a one-machine run.
 */
export const SHARD_FILE = 'shard.json';
/** Bumped when shard.json changes shape. */
export const SHARD_FORMAT = 1;

export interface ShardSpec {
  index: number;
  count: number;
}

export interface ShardManifest {
  format: number;
  identity: RunIdentity;
  config: RunConfig;
  /** The command line of the equivalent one-machine run (reproduce line, less --shard). */
  command: string;
  title: string;
  shard: ShardSpec;
  /** Codes of the shard's areas. */
  areas: string[];
  records: AreaRecord[];
}

/** "i/n" with 1 ≤ i ≤ n; anything else is a usage error (exit 2). */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d{1,6})\s*\/\s*(\d{1,6})\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new FootprintError(`option --shard must be i/n with whole numbers 1 ≤ i ≤ n (the i-th of n shards), got "${text}"`, { exitCode: EXIT.input });
  }
  return { index, count };
}

/** The codes of the areas shard `index` of `count` searches. */
export function shardShare(areas: AreaShape[], spec: ShardSpec): Set<string> {
  const size = (a: AreaShape) => (a.k === null ? 0 : a.units.length);
  const order = [...areas].sort((a, b) => size(b) - size(a) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const load = new Array<number>(spec.count).fill(0);
  const mine = new Set<string>();
  for (const area of order) {
    let bin = 0;
    for (let i = 1; i < spec.count; i++) if (load[i] < load[bin]) bin = i;
    load[bin] += size(area);
    if (bin === spec.index - 1) mine.add(area.code);
  }
  return mine;
}

/** shard.json's text. */
export function shardManifestText(manifest: Omit<ShardManifest, 'format'>): string {
  return `${JSON.stringify({ format: SHARD_FORMAT, ...manifest })}\n`;
}

/**
 * Shards checked to be one whole run: readable, of one identity (else the difference, named), of
 * one count, each index once, all present. Returns the records of every area, by code.
 */
export function combineShards(shards: Array<{ dir: string; manifest: ShardManifest }>): { first: ShardManifest; records: Map<string, AreaRecord> } {
  const first = shards[0].manifest;
  for (const { dir, manifest } of shards.slice(1)) {
    const difference = identityDifference(first.identity, manifest.identity);
    if (difference !== null) throw new FootprintError(`${dir} is a shard of another run than ${shards[0].dir}: ${difference}`);
    if (manifest.shard.count !== first.shard.count) throw new FootprintError(`${dir} is shard ${manifest.shard.index}/${manifest.shard.count}, ${shards[0].dir} is ${first.shard.index}/${first.shard.count}: shards of one run share n`);
  }
  const seen = new Map<number, string>();
  for (const { dir, manifest } of shards) {
    const other = seen.get(manifest.shard.index);
    if (other !== undefined) throw new FootprintError(`${dir} and ${other} are both shard ${manifest.shard.index}/${first.shard.count}`);
    seen.set(manifest.shard.index, dir);
  }
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new FootprintError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${first.shard.count}`).join(', ')} missing: merge needs every shard of the run`);
  const records = new Map<string, AreaRecord>();
  for (const { manifest } of shards) for (const r of manifest.records) records.set(r.code, r);
  return { first, records };
}

/** shard.json read and checked for shape (exit 2 naming the file otherwise). */
export function parseShardManifest(text: string, file: string): ShardManifest {
  let value: Partial<ShardManifest>;
  try {
    value = JSON.parse(text) as Partial<ShardManifest>;
  } catch (error) {
    throw new FootprintError(`${file}: not JSON (${(error as Error).message})`);
  }
  if (value?.format !== SHARD_FORMAT) throw new FootprintError(`${file}: not a shard manifest of this footprint version (format ${String(value?.format)}, expected ${SHARD_FORMAT})`);
  const ok =
    typeof value.identity?.fingerprint === 'string' &&
    value.config !== undefined &&
    typeof value.command === 'string' &&
    typeof value.title === 'string' &&
    Number.isInteger(value.shard?.index) &&
    Number.isInteger(value.shard?.count) &&
    Array.isArray(value.areas) &&
    Array.isArray(value.records);
  if (!ok) throw new FootprintError(`${file}: a shard manifest must have identity, config, command, title, shard, areas and records`);
  return value as ShardManifest;
}
