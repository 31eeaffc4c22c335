import { Command } from 'commander';
import { join, relative } from 'node:path';
import { EXIT } from '../errors.js';
import { addCommonOptions, resolvePath, setExitCode, type CommonOptions } from './common.js';
import type { CliIo } from './io.js';
import { terminalText } from '../report/escape.js';

interface MergeFlags extends CommonOptions {
  out?: string;
}

export function mergeCommand(io: CliIo): Command {
  const command = new Command('merge')
    .description('put the shards of a nested run (footprint optimise --shard i/n) back together: the same output files as the run on one machine')
    .argument('<dirs...>', 'output folders of the shards, one each, every shard of the run')
    .option('--out <dir>', 'output folder (default ./footprint-out)');
  addCommonOptions(command);
  command.addHelpText(
    'after',
    `
Reads shard.json in each folder, checks the shards are of one run (same inputs, options and seed:
otherwise the difference is named, exit 2) and complete, reads the inputs again (they must be
unchanged) and writes footprints.geojson, assignment.csv, report.md, the maps… as one machine would.
No search runs. Exit codes: 0 written, 1 some areas have no plan, 2 bad or mismatched shards.

Example:
  footprint optimise nation.yaml --shard 1/3 --out shard-1   # on three machines, i = 1, 2, 3
  footprint merge shard-1 shard-2 shard-3 --out nation-out`,
  );
  command.action(async (dirs: string[], flags: MergeFlags) => {
    const [{ readShards, mergedParts }, { prepareOutputFolder }, { configInputs }, { assembleNested }, { nestedSummary, nestedText }, { SHARD_FILE }, { writeNestedOutputs }] = await Promise.all([
      import('../pipeline/merge.js'),
      import('../io/output-folder.js'),
      import('../report/write-plan.js'),
      import('../pipeline/area-record.js'),
      import('../report/optimise-summary.js'),
      import('../pipeline/shard.js'),
      import('./optimise-nested.js'),
    ]);
    const began = performance.now();
    const shardDirs = dirs.map((d) => resolvePath(io, d));
    const shards = readShards(shardDirs);
    const first = shards[0].manifest;
    // The tools the extra outputs need (--gpkg, --pdf as the shards' scenario asked) are checked first.
    const chromium = first.config.outputs?.pdf ? (await import('../report/pdf.js')).findChromium(process.env) : undefined;
    if (first.config.outputs?.gpkg) (await import('../report/gpkg.js')).checkGpkgWriter();
    const folder = prepareOutputFolder(resolvePath(io, flags.out ?? 'footprint-out'), {
      inputs: [...configInputs(first.config), ...shardDirs.map((d) => join(d, SHARD_FILE))],
      label: '--out',
      cwd: io.cwd,
    });
    try {
      const { manifest, parts } = mergedParts(shards, (m) => configInputs(m.config));
      const { outcome, results } = assembleNested(parts);
      const evidence = await writeNestedOutputs(outcome, folder, { title: manifest.title, command: manifest.command, config: manifest.config, chromium });
      const files = folder.commit().map((f) => relative(io.cwd, f));
      const failed = results.filter((r) => r.failure !== null);
      const run = { outcome, failed, elapsedMs: performance.now() - began, resumed: 0 };
      io.stdout.write(flags.json ? `${JSON.stringify(nestedSummary(run, files, evidence), null, 2)}\n` : terminalText(nestedText(run, files)));
      setExitCode(command, failed.length > 0 ? EXIT.findings : EXIT.ok);
    } finally {
      folder.abort();
    }
  });
  return command;
}
