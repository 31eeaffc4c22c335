import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FootprintError } from '../errors.js';
import { checkRecord, type AreaRecord, type NestedRunParts } from './area-record.js';
import { identityDifference, runIdentity } from './fingerprint.js';
import { runAreas } from './nest.js';
import { combineShards, parseShardManifest, SHARD_FILE, type ShardManifest } from './shard.js';
import { buildWorkspace, type WorkspaceHooks } from './workspace.js';

/**
 * `footprint merge`: the shards of one nested run (pipeline/shard.ts) put back together. The shards
 * must be of one run (same fingerprint: inputs, options, seed, version) and complete; the inputs,
 * read again here, must still be what the shards read. No search runs: the areas' records are
 * assembled by the same code as a one-machine run's (pipeline/area-record.ts assembleNested), so
 * the outputs written from them are the same bytes.
 */
export function readShards(dirs: string[]): Array<{ dir: string; manifest: ShardManifest }> {
  if (dirs.length === 0) throw new FootprintError('give the output folders of the shards to merge: footprint merge DIR... --out DIR');
  return dirs.map((dir) => {
    const file = join(dir, SHARD_FILE);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new FootprintError(`${dir} holds no ${SHARD_FILE}${code === 'ENOENT' ? '' : ` (${code})`}: give output folders of footprint optimise --shard i/n`);
    }
    return { dir, manifest: parseShardManifest(text, file) };
  });
}

/**
 * The merged run's parts, ready to assemble: the inputs (paths as the first shard recorded them)
 * checked against the shards' hashes, then loaded once. `inputs` lists the files the configuration
 * reads (report/write-plan.ts configInputs).
 */
export function mergedParts(shards: Array<{ dir: string; manifest: ShardManifest }>, inputsOf: (m: ShardManifest) => string[], hooks: WorkspaceHooks = {}): { manifest: ShardManifest; parts: NestedRunParts } {
  const { first, records } = combineShards(shards);
  const now = runIdentity(first.config, inputsOf(first));
  const changed = identityDifference(first.identity, now);
  if (changed !== null) throw new FootprintError(`the inputs are not what the shards read: ${changed}; merge where the shards' inputs are, unchanged`);
  const workspace = buildWorkspace(first.config, hooks);
  const areas = runAreas(workspace);
  const ordered = areas.map((area): AreaRecord => {
    const record = records.get(area.code);
    if (!record) throw new FootprintError(`no shard holds area ${area.code}: the shards do not cover the run`);
    const checked = checkRecord(record, area);
    if (!checked) throw new FootprintError(`the shard record of area ${area.code} does not fit the inputs (k or its units differ)`);
    return checked;
  });
  return { manifest: first, parts: { workspace, areas, records: ordered, searchMs: 0, workers: 0 } };
}
