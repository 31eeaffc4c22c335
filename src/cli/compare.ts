import { Command } from 'commander';
import { relative } from 'node:path';
import { EXIT, FootprintError } from '../errors.js';
import type { FlagOverrides } from '../scenario/config.js';
import { addCommonOptions, reportNotes, resolvePath, setExitCode, type CommonOptions } from './common.js';
import type { CliIo } from './io.js';
import { addEvidenceOptions } from './evidence-options.js';
import { addRunOptions } from './optimise.js';
import { terminalText } from '../report/escape.js';

interface CompareFlags extends CommonOptions, FlagOverrides {
  scenario?: string;
  allowPartial?: boolean;
}

export function compareCommand(io: CliIo): Command {
  const command = new Command('compare')
    .description('compare two or more plans side by side: objective terms, populations, misalignment per layer, units that change footprint')
    .argument('<plans...>', 'plans: footprints GeoJSON or assignment CSV/GeoJSON (the first is the reference)');
  addRunOptions(command)
    .option('--scenario <file>', 'read units, layers and weights from a scenario file (flags override)')
    .option('--out <dir>', 'write compare.md and compare.json into this folder')
    .option('--allow-partial', 'compare plans that leave units out or name unknown units (marked partial everywhere) instead of refusing them');
  addEvidenceOptions(command);
  addCommonOptions(command);
  command.addHelpText(
    'after',
    `
Example:
  footprint compare out/a/assignment.csv out/b/footprints.geojson --scenario fixtures/example/scenario.yaml --out out/compare`,
  );
  command.action(async (plans: string[], flags: CompareFlags) => {
    if (plans.length < 2) throw new FootprintError('compare needs at least two plans');
    // Loaded here, not at the top: `footprint --help` must not pay for overlay and maps.
    const [{ compareMarkdown, runCompare }, { compareJson, compareMapNames, writeCompareOutputs }, { prepareOutputFolder }, { configInputs }, { configFromCommandLine }] = await Promise.all([
      import('../check/compare.js'),
      import('../check/compare-output.js'),
      import('../io/output-folder.js'),
      import('../report/write-plan.js'),
      import('./run-config.js'),
    ]);
    const config = configFromCommandLine(io, flags.scenario, { ...flags, out: undefined });
    const planPaths = plans.map((p) => resolvePath(io, p));
    // Checked before any data is read.
    const folder = flags.out
      ? prepareOutputFolder(resolvePath(io, flags.out), { inputs: [...configInputs(config), ...planPaths, ...(flags.scenario ? [resolvePath(io, flags.scenario)] : [])], label: '--out', cwd: io.cwd })
      : null;
    try {
      const { workspace, compared } = runCompare(config, planPaths, { allowPartial: flags.allowPartial, names: plans });
      reportNotes(io, workspace.notes, { quiet: flags.quiet || flags.json, progress: false });
      for (const [i, p] of compared.entries()) {
        if (p.partial && !flags.quiet) io.stderr.write(`footprint compare: warning: ${plans[i]} is a partial plan (${p.partial.summary}); its measures are not comparable with a complete plan's\n`);
      }
      const markdown = compareMarkdown(compared, plans, { maps: folder ? compareMapNames(compared) : compared.map(() => null) });
      if (folder) {
        const written = writeCompareOutputs(folder, workspace, compared, plans, markdown);
        folder.commit();
        if (!flags.quiet && !flags.json) io.stderr.write(`wrote ${relative(io.cwd, written.markdown)}, ${relative(io.cwd, written.json)}\n`);
      }
      io.stdout.write(flags.json ? `${JSON.stringify(compareJson(compared, plans), null, 2)}\n` : terminalText(markdown));
      setExitCode(command, EXIT.ok);
    } finally {
      folder?.abort();
    }
  });
  return command;
}
