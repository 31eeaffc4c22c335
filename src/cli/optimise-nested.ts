import { relative } from 'node:path';
import { EXIT, FootprintError } from '../errors.js';
import type { OutputFolder } from '../io/output-folder.js';
import { areaResults, assembleNested } from '../pipeline/area-record.js';
import { runIdentity } from '../pipeline/fingerprint.js';
import { runAreas, searchNestedAreas, type NestHooks } from '../pipeline/nest.js';
import { openAreaStore } from '../pipeline/resume.js';
import { SHARD_FILE, shardManifestText, shardShare, type ShardSpec } from '../pipeline/shard.js';
import { buildWorkspace } from '../pipeline/workspace.js';
import { nestedSummary, nestedText, shardSummary, shardText } from '../report/optimise-summary.js';
import { writeBoardOutputs } from '../report/board.js';
import type { PlanOutcome } from '../pipeline/types.js';
import { configInputs, writePlanOutputs } from '../report/write-plan.js';
import type { RunConfig } from '../scenario/config.js';
import type { CliIo } from './io.js';
import { terminalText } from '../report/escape.js';
import type { PlanEvidence } from '../evidence/evidence.js';

/**
 * `footprint optimise` of a nested run (`within:`): the whole run, or one shard of it (`--shard`),
 * keeping each finished area's record for `--resume` (pipeline/resume.ts) until the outputs are
 * committed. Returns the exit code: 0, or 1 when some areas have no plan.
 */
export interface NestedCliRun {
  io: CliIo;
  config: RunConfig;
  folder: OutputFolder;
  title: string;
  commandLine: string;
  /** The Chromium program printing report.pdf (--pdf), checked before the search. */
  chromium?: string;
  json: boolean;
  quiet: boolean;
  resume: boolean;
  shard: ShardSpec | null;
  note: (text: string) => void;
  hooks: NestHooks;
  reportNotes: (notes: string[]) => void;
}

export async function optimiseNested(run: NestedCliRun): Promise<number> {
  const { io, config, folder } = run;
  const began = performance.now();
  if (run.shard && config.area !== undefined) throw new FootprintError('--shard and --area cannot go together: --area runs one area, --shard a share of them all');
  // The scenario file is not part of the identity: what it says is, through the configuration.
  const identity = runIdentity(config, configInputs(config));
  const store = openAreaStore(folder.path, identity, run.resume);
  if (store.note && !run.quiet) io.stderr.write(`${store.note}\n`);
  const workspace = buildWorkspace(config, run.hooks);
  run.reportNotes(workspace.notes);
  const areas = runAreas(workspace);
  const done = store.load(areas);
  const only = run.shard ? shardShare(areas, run.shard) : undefined;
  const resumed = areas.filter((a) => done.has(a.code) && (!only || only.has(a.code))).length;
  if (resumed > 0) run.note(`resuming: ${resumed} area(s) already done, searching the others`);
  const parts = await searchNestedAreas(workspace, { ...run.hooks, done, only, onAreaDone: (record) => store.save(record) });
  const rel = (files: string[]) => files.map((f) => relative(io.cwd, f));
  if (run.shard) {
    folder.write(SHARD_FILE, shardManifestText({ identity, config, command: run.commandLine, title: run.title, shard: run.shard, areas: parts.areas.map((a) => a.code), records: parts.records }));
    const files = rel(folder.commit());
    store.discard();
    const areas = areaResults(parts);
    const extra = { resumed, elapsedMs: performance.now() - began };
    io.stdout.write(run.json ? `${JSON.stringify(shardSummary(run.shard, areas, extra, files), null, 2)}\n` : terminalText(shardText(run.shard, areas, extra, files)));
    return parts.records.some((r) => r.failure !== null) ? EXIT.findings : EXIT.ok;
  }
  const { outcome, results } = assembleNested(parts);
  const evidence = await writeNestedOutputs(outcome, folder, { title: run.title, command: run.commandLine, config, chromium: run.chromium });
  const files = rel(folder.commit());
  store.discard();
  const failed = results.filter((r) => r.failure !== null);
  const summaryRun = { outcome, failed, elapsedMs: performance.now() - began, resumed };
  io.stdout.write(run.json ? `${JSON.stringify(nestedSummary(summaryRun, files, evidence), null, 2)}\n` : terminalText(nestedText(summaryRun, files)));
  return failed.length > 0 ? EXIT.findings : EXIT.ok;
}

/**
 * The files of a nested plan: the plan's own (report/write-plan.ts) and the board's (report.html,
 * evidence.xlsx, with --gpkg and --pdf the GeoPackage and PDF). One function for a run and for
 * `footprint merge`, so merged shards write what one machine would.
 */
export async function writeNestedOutputs(outcome: PlanOutcome, folder: OutputFolder, options: { title: string; command: string; config: RunConfig; chromium?: string }): Promise<PlanEvidence> {
  const written = writePlanOutputs(outcome, folder, { title: options.title, command: options.command });
  await writeBoardOutputs(outcome, folder, written, { title: options.title, gpkg: options.config.outputs?.gpkg, chromium: options.chromium });
  // The plan's evidence, for the --json summary's services.
  return written.content.details.evidence;
}
