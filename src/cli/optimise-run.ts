/**
 * The action of `footprint optimise` (optimise.ts holds its options): check the output folder,
 * run the search (pipeline/optimise.ts, or pipeline/nest.ts with --within) with progress on a
 * terminal, write the files (report/write-plan.ts) and print the summary (report/optimise-summary.ts).
 * Loaded only when the command runs: `footprint --help` must not pay for the search and its libraries.
 */
import { SingleBar } from 'cli-progress';
import { relative } from 'node:path';
import { EXIT, FootprintError } from '../errors.js';
import { prepareOutputFolder, type OutputFolder } from '../io/output-folder.js';
import { runOptimise } from '../pipeline/optimise.js';
import { optimiseSummary, optimiseText } from '../report/optimise-summary.js';
import { writeBoardOutputs } from '../report/board.js';
import { optimiseNested } from './optimise-nested.js';
import type { ShardSpec } from '../pipeline/shard.js';
import { configInputs, writePlanOutputs } from '../report/write-plan.js';
import type { RunConfig } from '../scenario/config.js';
import { formatInteger } from '../report/format.js';
import { reportNotes, resolvePath } from './common.js';
import { showProgress, type CliIo } from './io.js';
import { configFromCommandLine } from './run-config.js';
import type { FlagOverrides } from '../scenario/config.js';
import type { CommonOptions } from './common.js';
import { terminalText } from '../report/escape.js';

export interface OptimiseFlags extends CommonOptions, Omit<FlagOverrides, 'timeLimit'> {
  timeLimit?: number;
  iterations?: number;
  /** Nested runs: take up the areas an interrupted run finished (pipeline/resume.ts). */
  resume?: boolean;
  /** Nested runs: search the i-th of n shares of the areas (pipeline/shard.ts). */
  shard?: ShardSpec;
}

interface RunContext {
  io: CliIo;
  config: RunConfig;
  flags: OptimiseFlags;
  folder: OutputFolder;
  /** Progress lines and the bar on stderr (a terminal, not --quiet, not --json). */
  progress: boolean;
  /** The command line that reproduces the run, for the report. */
  commandLine: string;
  /** The Chromium program printing report.pdf (--pdf), checked before the search. */
  chromium?: string;
}

/** Runs `footprint optimise`; returns the exit code. */
export async function optimiseAction(io: CliIo, scenario: string | undefined, flags: OptimiseFlags, commandLine: string): Promise<number> {
  const config = configFromCommandLine(io, scenario, flags);
  // The tools the extra outputs need are checked before any data is read or searched.
  const chromium = config.outputs?.pdf ? (await import('../report/pdf.js')).findChromium(process.env) : undefined;
  if (config.outputs?.gpkg) (await import('../report/gpkg.js')).checkGpkgWriter();
  // Zero would stop the search before it starts; a run with no limit at all has no place in a pipeline.
  if (!(config.timeLimit > 0)) throw new FootprintError(`--time-limit must be more than 0 seconds (got ${config.timeLimit}; the default is 20)`);
  const outDir = config.out ?? resolvePath(io, 'footprint-out');
  // Checked before any data is read: a bad --out must not cost a whole search.
  const folder = prepareOutputFolder(outDir, { inputs: [...configInputs(config), ...(scenario ? [resolvePath(io, scenario)] : [])], label: '--out', cwd: io.cwd });
  try {
    const context: RunContext = { io, config, flags, folder, progress: showProgress(io, flags.quiet) && !flags.json, commandLine, chromium };
    if (config.within === undefined && (flags.resume || flags.shard)) throw new FootprintError(`${flags.shard ? '--shard' : '--resume'} is for nested runs (within: LAYER), which search area by area`);
    return config.within !== undefined ? await nested(context) : await single(context);
  } finally {
    folder.abort();
  }
}

async function nested({ io, config, flags, folder, progress, commandLine, chromium }: RunContext): Promise<number> {
  const note = (text: string) => {
    if (progress) io.stderr.write(`${text}\n`);
  };
  return optimiseNested({
    io,
    config,
    folder,
    title: config.name ? `Footprints: ${config.name}${config.area ? ` (${config.area})` : ''}` : 'Footprints',
    commandLine,
    chromium,
    json: !!flags.json,
    quiet: !!flags.quiet,
    resume: !!flags.resume,
    shard: flags.shard ?? null,
    note,
    reportNotes: (notes) => reportNotes(io, notes, { quiet: flags.quiet || flags.json, progress }),
    hooks: {
      iterations: flags.iterations,
      onStage: (stage) => note(`${stage}…`),
      onArea: (area, i, count) =>
        note(
          `area ${i + 1}/${count}: ${area.code} ${area.name !== area.code ? `${area.name} ` : ''}(${area.units.length} units, ${formatInteger(area.population)} residents, k ${area.k ?? '–'}${area.kSource === 'auto' ? ' auto' : ''})`,
        ),
    },
  });
}

async function single({ io, config, flags, folder, progress, commandLine, chromium }: RunContext): Promise<number> {
  const bar = progress ? new SingleBar({ format: 'searching |{bar}| {value}/{total} restarts · best {best} · {duration}s', stream: process.stderr, hideCursor: true }, undefined) : null;
  let started = false;
  const run = await runOptimise(config, {
    iterations: flags.iterations,
    onStage: (stage) => {
      if (progress) io.stderr.write(`${stage}…\n`);
    },
    onProgress: (p) => {
      if (p.phase === 'bound') {
        bar?.stop();
        if (progress) io.stderr.write(`proving a lower bound (up to ${config.boundNodes} branch-and-bound nodes per relaxation; HiGHS shows no progress until it stops)…\n`);
        return;
      }
      if (!bar || p.phase !== 'heuristic') return;
      if (!started) {
        bar.start(p.total, 0, { best: '–' });
        started = true;
      }
      bar.update(p.done, { best: Number.isFinite(p.best) ? p.best.toFixed(4) : '–' });
    },
  });
  bar?.stop();
  reportNotes(io, run.outcome.workspace.notes, { quiet: flags.quiet || flags.json, progress });
  const title = config.name ? `Footprints: ${config.name}` : 'Footprints';
  const written = writePlanOutputs(run.outcome, folder, { title, command: commandLine });
  await writeBoardOutputs(run.outcome, folder, written, { title, gpkg: config.outputs?.gpkg, chromium });
  const files = folder.commit().map((f) => relative(io.cwd, f));
  io.stdout.write(flags.json ? `${JSON.stringify(optimiseSummary(run, config.seed, files, written.content.details.evidence), null, 2)}\n` : terminalText(optimiseText(run, files)));
  return EXIT.ok;
}
