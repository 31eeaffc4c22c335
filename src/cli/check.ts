import { Command, Option } from 'commander';
import { relative } from 'node:path';
import type { CheckFormat } from '../check/format.js';
import { EXIT, FootprintError } from '../errors.js';
import { addCommonOptions, collectPair, reportNotes, resolvePath, setExitCode, type CommonOptions } from './common.js';
import type { CliIo } from './io.js';
import { useColor } from './io.js';
import { addRunOptions } from './optimise.js';
import type { FlagOverrides } from '../scenario/config.js';

interface CheckFlags extends CommonOptions, FlagOverrides {
  scenario?: string;
  format: CheckFormat;
  maxMisalignment?: Array<[string, string]>;
  allowPartial?: boolean;
}

export function checkCommand(io: CliIo): Command {
  const command = new Command('check')
    .description('check a plan (footprint polygons, or an assignment CSV/GeoJSON) against its constraints, for CI')
    .argument('<plan>', 'footprints GeoJSON, or assignment CSV (unit_id,footprint) or GeoJSON');
  addRunOptions(command)
    .option('--scenario <file>', 'read units, layers, bounds and keep-whole layers from a scenario file (flags override)')
    .option('--max-misalignment <layer=value>', 'fail when S(layer|plan) is above value (repeatable)', collectPair)
    .option('--allow-partial', 'check a plan that leaves units out or names unknown units (it then fails assigned-once) instead of refusing it')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github', 'junit']).default('text'));
  // --json is --format json, so every command takes --json the same way.
  addCommonOptions(command);
  command.addHelpText(
    'after',
    `
Exit codes: 0 every constraint passes, 1 a constraint fails, 2 unreadable input or usage error
(including a plan that leaves units out or names unknown units, unless --allow-partial).

Examples:
  footprint check out/example/assignment.csv --scenario fixtures/example/scenario.yaml
  footprint check footprints.geojson --units lsoa.geojson --layer wards=wards.geojson --keep-whole wards \\
    --k 5 --min 30000 --max 55000 --max-misalignment wards=0.05 --format github`,
  );
  command.action(async (plan: string, flags: CheckFlags) => {
    // Loaded here, not at the top: `footprint --help` must not pay for overlay and checks.
    const [{ checkPlanFile }, { failed, formatCheck }, { buildWorkspace }, { configFromCommandLine }] = await Promise.all([
      import('../check/check.js'),
      import('../check/format.js'),
      import('../pipeline/workspace.js'),
      import('./run-config.js'),
    ]);
    if (flags.json && flags.format !== 'text' && flags.format !== 'json') throw new FootprintError(`--json and --format ${flags.format} ask for two formats; give one`);
    const config = configFromCommandLine(io, flags.scenario, flags);
    const thresholds: Record<string, number> = {};
    for (const [name, value] of flags.maxMisalignment ?? []) {
      const limit = Number(value);
      if (!Number.isFinite(limit) || limit < 0 || limit > 1) throw new FootprintError(`--max-misalignment ${name}=${value}: the threshold must be a share between 0 and 1`);
      thresholds[name] = limit;
    }
    const workspace = buildWorkspace(config);
    reportNotes(io, workspace.notes, { quiet: flags.quiet, progress: false });
    const report = checkPlanFile(workspace, resolvePath(io, plan), thresholds, plan, { allowPartial: flags.allowPartial });
    report.units = relative(io.cwd, report.units) || report.units;
    const format: CheckFormat = flags.json ? 'json' : flags.format;
    io.stdout.write(formatCheck(report, format, { color: format === 'text' && useColor(io) }));
    setExitCode(command, failed(report) ? EXIT.findings : EXIT.ok);
  });
  return command;
}
