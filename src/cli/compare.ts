import { Command } from 'commander';
import { join, relative } from 'node:path';
import { compareMarkdown, comparePlans } from '../check/compare.js';
import { EXIT, FootprintError } from '../errors.js';
import { writeFileAtomic, writeJson } from '../layers/write.js';
import { buildWorkspace } from '../pipeline/workspace.js';
import type { FlagOverrides } from '../scenario/config.js';
import { addCommonOptions, resolvePath, setExitCode, type CommonOptions } from './common.js';
import type { CliIo } from './io.js';
import { addRunOptions, configFromCommandLine } from './optimise.js';

interface CompareFlags extends CommonOptions, FlagOverrides {
  scenario?: string;
}

export function compareCommand(io: CliIo): Command {
  const command = new Command('compare')
    .description('compare two or more plans side by side: objective terms, populations, misalignment per layer, units that change footprint')
    .argument('<plans...>', 'plans: footprints GeoJSON or assignment CSV/GeoJSON (the first is the reference)');
  addRunOptions(command)
    .option('--scenario <file>', 'read units, layers and weights from a scenario file (flags override)')
    .option('--out <dir>', 'write compare.md and compare.json into this folder');
  addCommonOptions(command);
  command.addHelpText(
    'after',
    `
Example:
  footprint compare out/a/assignment.csv out/b/footprints.geojson --scenario fixtures/example/scenario.yaml --out out/compare`,
  );
  command.action((plans: string[], flags: CompareFlags) => {
    if (plans.length < 2) throw new FootprintError('compare needs at least two plans');
    const config = configFromCommandLine(io, flags.scenario, { ...flags, out: undefined });
    const workspace = buildWorkspace(config);
    const compared = comparePlans(
      workspace,
      plans.map((p) => resolvePath(io, p)),
    );
    const json = compared.map((p, i) => ({
      plan: plans[i],
      objective: p.objective,
      terms: p.terms,
      compactness: p.compactness,
      footprints: p.footprintIds.map((id, f) => ({ id, population: p.populations[f], matchedTo: i === 0 ? id : p.matchedTo[f] })),
      changedUnits: i === 0 ? [] : p.changedUnits,
      changedPopulation: i === 0 ? 0 : p.changedPopulation,
    }));
    const markdown = compareMarkdown(compared, plans);
    if (flags.out) {
      const dir = resolvePath(io, flags.out);
      writeFileAtomic(join(dir, 'compare.md'), markdown);
      writeJson(join(dir, 'compare.json'), json);
      if (!flags.quiet && !flags.json) io.stderr.write(`wrote ${relative(io.cwd, join(dir, 'compare.md'))}, ${relative(io.cwd, join(dir, 'compare.json'))}\n`);
    }
    io.stdout.write(flags.json ? `${JSON.stringify(json, null, 2)}\n` : markdown);
    setExitCode(command, EXIT.ok);
  });
  return command;
}
