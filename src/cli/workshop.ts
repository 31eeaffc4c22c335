import { Command } from 'commander';
import { statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EXIT, FootprintError } from '../errors.js';
import { addCommonOptions, resolvePath, setExitCode, type CommonOptions } from './common.js';
import type { CliIo } from './io.js';
import { showProgress } from './io.js';
import { addRunOptions } from './optimise.js';
import type { FlagOverrides } from '../scenario/config.js';

interface WorkshopFlags extends CommonOptions, FlagOverrides {
  scenario?: string;
  plan?: string;
  out?: string;
}

const isFolder = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

export function workshopCommand(io: CliIo): Command {
  const command = new Command('workshop')
    .description('write workshop.html: a self-contained page to move units between footprints and watch populations, splits and evidence change')
    .argument('<input>', 'a scenario file, or an output folder of optimise or explore (then give --scenario, or --units and layers)');
  addRunOptions(command)
    .option('--scenario <file>', 'the scenario of an output folder given as <input> (flags override)')
    .option('--plan <file>', 'start from this plan (assignment CSV/GeoJSON or footprints) instead of the output folder\'s assignment.csv')
    .option('--out <dir>', 'folder to write workshop.html into (default: the scenario\'s output folder)');
  addCommonOptions(command);
  command.addHelpText(
    'after',
    `
Starts from the plan in the output folder (assignment.csv), or, when there is none, from a fresh
optimise of the scenario (nothing else is written). From an explore output folder it starts from
plan 1 and can switch between the run's plans, showing where the plan on screen sits on the
frontier chart. The page works from a file, offline. Its
Export button downloads assignment.csv, which footprint check and compare read.
Exit codes: 0 page written, 2 unreadable input or usage error, 3 or 4 as optimise when it has to search.

Examples:
  footprint workshop fixtures/example/scenario.yaml
  footprint workshop out/example --scenario fixtures/example/scenario.yaml --out workshop/`,
  );
  command.action(async (input: string, flags: WorkshopFlags) => {
    // Loaded here, not at the top: `footprint --help` must not pay for the library.
    const [{ configFromCommandLine }, { makeWorkshop }, { writeFileAtomic }, { mkdirSync }, { isExploreFolder }] = await Promise.all([
      import('./run-config.js'),
      import('../workshop/make.js'),
      import('../geometry/rfc7946.js'),
      import('node:fs'),
      import('../workshop/explore-data.js'),
    ]);
    const inputPath = resolvePath(io, input);
    const folderInput = isFolder(inputPath);
    if (folderInput && !flags.scenario && !flags.units) {
      throw new FootprintError(`${input} is an output folder: give its scenario with --scenario FILE (or --units and the layers)`);
    }
    const scenario = folderInput ? flags.scenario : input;
    const config = configFromCommandLine(io, scenario, { ...flags, out: undefined });
    const planFolder = folderInput ? inputPath : (config.out ?? resolvePath(io, 'footprint-out'));
    const outDir = flags.out ? resolvePath(io, flags.out) : planFolder;
    // An explore run's folder: the page starts from its plan 1 and can switch to any of its plans.
    const exploreRun = folderInput && isExploreFolder(inputPath) ? inputPath : undefined;
    const plan = flags.plan ? resolvePath(io, flags.plan) : exploreRun ? join(exploreRun, 'plans', '1', 'assignment.csv') : join(planFolder, 'assignment.csv');
    if (flags.plan && !isFile(plan)) throw new FootprintError(`--plan ${flags.plan}: no such file`);
    const progress = showProgress(io, flags.quiet) && !flags.json;
    const source = ['footprint workshop', input, ...(flags.scenario ? ['--scenario', flags.scenario] : []), ...(flags.plan ? ['--plan', flags.plan] : [])].join(' ');
    const workshop = await makeWorkshop(config, {
      plan,
      planDisplayName: flags.plan ?? relative(io.cwd, plan),
      source,
      explore: exploreRun,
      hooks: { onStage: (stage) => progress && io.stderr.write(`${stage}…\n`) },
    });
    try {
      mkdirSync(outDir, { recursive: true });
    } catch (error) {
      throw new FootprintError(`--out ${relative(io.cwd, outDir) || outDir}: cannot create the folder (${(error as Error).message})`);
    }
    const file = join(outDir, 'workshop.html');
    writeFileAtomic(file, workshop.html);
    const shown = relative(io.cwd, file) || file;
    const started = workshop.start.kind === 'plan' ? `the plan ${relative(io.cwd, workshop.start.path)}` : `a fresh optimise (${workshop.start.status}, objective ${workshop.start.objective.toFixed(4)})`;
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ file: shown, start: workshop.start.kind, plan: workshop.start.kind === 'plan' ? relative(io.cwd, workshop.start.path) : null, units: workshop.data.units.length, footprints: workshop.data.footprintIds, bytes: Buffer.byteLength(workshop.html) }, null, 2)}\n`);
    } else io.stdout.write(`wrote ${shown} (${workshop.data.units.length} units, ${workshop.data.k} footprints, from ${started}); open it in a browser\n`);
    setExitCode(command, EXIT.ok);
  });
  return command;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
