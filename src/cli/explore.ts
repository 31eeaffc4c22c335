import { Command, type Option } from 'commander';
import { relative } from 'node:path';
import { EXIT, FootprintError } from '../errors.js';
import type { FlagOverrides } from '../scenario/config.js';
import { addCommonOptions, numberOption, reportNotes, resolvePath, setExitCode, type CommonOptions } from './common.js';
import type { CliIo } from './io.js';
import { showProgress } from './io.js';
import { addRunOptions } from './optimise.js';
import { reproduceLine, typedArgs } from './reproduce.js';
import { terminalText } from '../report/escape.js';

interface ExploreFlags extends CommonOptions, Omit<FlagOverrides, 'timeLimit' | 'within' | 'points'> {
  between?: string;
  points?: number;
  alternatives?: number;
  within?: string;
  timeLimit?: number;
  iterations?: number;
}

/** "10%", "10" or "0.1" → 0.1: a share of the best objective; "%" or a number above 1 is in percent. */
export function parseShare(value: string): number {
  const trimmed = value.trim();
  const percent = trimmed.endsWith('%');
  const x = Number(percent ? trimmed.slice(0, -1) : trimmed);
  if (trimmed === '' || !Number.isFinite(x) || x < 0) throw new FootprintError(`--within takes a share of the best objective such as 10% (got "${value}")`);
  return percent || x > 1 ? x / 100 : x;
}

export function exploreCommand(io: CliIo): Command {
  const command = new Command('explore')
    .description('show the trade-offs between two or three objective terms: a proven frontier, alternatives of nearly equal merit, and the units the plans disagree on')
    .argument('[scenario]', 'scenario file (YAML or JSON); flags override its values');
  addRunOptions(command);
  // --within names nesting for optimise; here it is the share for alternatives, so the option is
  // redefined; --area belongs to nesting, which explore does not do.
  for (const long of ['--within', '--area']) {
    const at = command.options.findIndex((o) => o.long === long);
    if (at >= 0) (command.options as Option[]).splice(at, 1);
  }
  command
    .requiredOption('--between <terms>', 'two or three terms, comma-separated: layer names of the run, or "compactness" (e.g. gp_clusters,police)')
    .addOption(numberOption('--points <n>', 'at most this many frontier points, both ends kept (default: every point when the plans can be listed, else 5)', { integer: true, min: 2 }))
    .addOption(numberOption('--alternatives <n>', 'also choose n plans within --within of the best objective, as different from each other as possible', { integer: true, min: 1 }))
    .option('--within <share>', 'with --alternatives: how far above the best objective an alternative may be, e.g. 10% (default 10%)')
    .addOption(numberOption('--compactness <w>', 'weight of the compactness term, cut edges / all edges (default 0)', { min: 0 }))
    .addOption(numberOption('--seed <n>', 'random seed: the same inputs and seed give identical files (default 1)', { integer: true }))
    .addOption(numberOption('--time-limit <seconds>', 'time for the whole run, more than 0 (default: the scenario\'s, else 20)', { min: 0 }))
    .addOption(numberOption('--restarts <n>', 'search restarts per point when the plans are too many to list (default 16)', { integer: true, min: 1 }))
    .addOption(numberOption('--iterations <n>', 'annealing moves per restart when searching', { integer: true, min: 1 }))
    .addOption(numberOption('--bound-nodes <n>', 'with weighted sums: prove lower bounds with HiGHS, up to n branch-and-bound nodes each (default 0: off)', { integer: true, min: 0 }))
    .option('--out <dir>', 'output folder (default: the scenario\'s "out" with "-explore" added, else ./footprint-explore)');
  // No evidence flags: their --points (the older name of --asset) would clash; the scenario's evidence section is used.
  addCommonOptions(command);
  command.addHelpText(
    'after',
    `
Writes frontier.csv, frontier.json, frontier.svg, contested.svg, explore.md, maps/plan-<i>.svg and
each plan's outputs under plans/<i>/ (as optimise writes them: check, compare and workshop read
them) into the output folder, replaced as a whole. When every plan can be listed (small problems,
e.g. wards kept whole) every point and every count of alternatives is proven.
Exit codes: 0 written, 2 unreadable input, unknown term or usage error, 3 no plan can meet the
constraints, 4 no plan found within the time limit.

Examples:
  footprint explore examples/oldham/scenario.yaml --between gp_clusters,police
  footprint explore examples/oldham/scenario.yaml --between gp_clusters,police --alternatives 3 --within 10%`,
  );
  command.action(async (scenario: string | undefined, flags: ExploreFlags) => {
    const [{ runExplore, checkTermNames }, { prepareOutputFolder }, { configInputs }, { writeExploreOutputs, frontierJson }, { configFromCommandLine }] = await Promise.all([
      import('../pipeline/explore.js'),
      import('../io/output-folder.js'),
      import('../report/write-plan.js'),
      import('../report/write-explore.js'),
      import('./run-config.js'),
    ]);
    const between = (flags.between ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const share = flags.within === undefined ? undefined : parseShare(flags.within);
    if (share !== undefined && !flags.alternatives) throw new FootprintError('--within needs --alternatives N');
    const config = configFromCommandLine(io, scenario, { ...flags, within: undefined, points: undefined });
    if (!(config.timeLimit > 0)) throw new FootprintError(`--time-limit must be more than 0 seconds (got ${config.timeLimit})`);
    if (config.within !== undefined) throw new FootprintError(`the scenario nests its footprints in ${config.within} (within:); explore takes one area at a time: make a scenario of that area's units without "within"`);
    if (between.length < 2 || between.length > 3) throw new FootprintError(`--between takes two or three terms separated by commas (got "${flags.between ?? ''}")`);
    checkTermNames(config, between);
    const outDir = flags.out ? resolvePath(io, flags.out) : config.out ? `${config.out}-explore` : resolvePath(io, 'footprint-explore');
    const folder = prepareOutputFolder(outDir, { inputs: [...configInputs(config), ...(scenario ? [resolvePath(io, scenario)] : [])], label: '--out', cwd: io.cwd });
    try {
      const progress = showProgress(io, flags.quiet) && !flags.json;
      const note = (text: string) => {
        if (progress) io.stderr.write(`${text}\n`);
      };
      const run = await runExplore(
        config,
        { between, points: flags.points, alternatives: flags.alternatives, within: share, iterations: flags.iterations, onProgress: note },
        { onStage: (stage) => note(`${stage}…`) },
      );
      reportNotes(io, run.workspace.notes, { quiet: flags.quiet || flags.json, progress });
      note('writing the plans, maps and explore.md…');
      writeExploreOutputs(run, folder, { title: config.name ? `Trade-offs: ${config.name}` : 'Trade-offs', command: reproduceLine(typedArgs(command)) });
      const files = folder.commit().map((f) => relative(io.cwd, f));
      if (flags.json) io.stdout.write(`${JSON.stringify({ ...(frontierJson(run) as object), elapsedMs: Math.round(run.elapsedMs), out: relative(io.cwd, folder.path) || '.', files }, null, 2)}\n`);
      else io.stdout.write(terminalText(summary(run, relative(io.cwd, folder.path) || '.')));
      setExitCode(command, EXIT.ok);
    } finally {
      folder.abort();
    }
  });
  return command;
}

function summary(run: import('../pipeline/explore.js').ExploreRun, out: string): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const lines: string[] = [];
  const listed = run.enumeration?.complete ? `all ${run.enumeration.plans.toLocaleString('en-GB')} plans listed` : run.method === 'exact search' ? `exact search${run.frontier.complete ? ', complete' : ', cut short'}` : 'weighted sums';
  lines.push(`frontier between ${run.terms.map((t) => t.name).join(' and ')}: ${run.frontier.shown} point(s)${run.frontier.found > run.frontier.shown ? ` of ${run.frontier.found}` : ''} (${listed})`);
  for (const p of run.plans.filter((q) => q.point !== null)) {
    lines.push(`  point ${p.point} (plan ${p.id}): ${run.terms.map((t, i) => `${t.name} ${pct(p.terms[i])}`).join(', ')}, objective ${p.objective.toFixed(4)}, ${p.status}${p.gap !== null && p.gap > 0 ? `, gap ${p.gap.toFixed(1)}%` : ''}`);
  }
  if (run.frontier.dropped > 0) lines.push(`  ${run.frontier.dropped} dominated or repeated point(s) dropped`);
  const alt = run.alternatives;
  if (alt) {
    const share = `${Math.round(alt.within * 1000) / 10}%`;
    lines.push(
      `alternatives within ${share} of the best (${alt.best.toFixed(4)}): ${alt.found} of ${alt.asked} asked; ${alt.proven ? `exactly ${alt.candidates} plan(s) exist within ${share} (proven: every plan listed)` : `${alt.candidates} distinct plan(s) found within ${share} (not proven: others may exist)`}`,
    );
    for (const p of run.plans.filter((q) => q.alternative !== null).sort((x, y) => x.alternative! - y.alternative!)) lines.push(`  alternative ${p.alternative} (plan ${p.id}): objective ${p.objective.toFixed(4)}, ${Math.round(p.changedFromFirst).toLocaleString('en-GB')} residents moved from plan 1`);
  }
  const contested = Array.from(run.contested.settled).filter((s) => s < 1).length;
  lines.push(`contested units: ${contested} of ${run.workspace.units.areas.length} (settled in every plan: ${run.workspace.units.areas.length - contested})`);
  lines.push(`wrote ${out}/explore.md and ${run.plans.length} plan folder(s) under ${out}/plans/`);
  if (run.timeLimitHit) lines.push('note: the time limit cut the search short; results may differ between machines');
  return `${lines.join('\n')}\n`;
}
