import { Command, Option } from 'commander';
import { relative } from 'node:path';
import { EXIT, FootprintError } from '../errors.js';
import { parseShard, type ShardSpec } from '../pipeline/shard.js';
import type { FlagOverrides } from '../scenario/config.js';
import { OPTIMAL_TOLERANCE } from '../search/index.js';
import { addEvidenceOptions } from './evidence-options.js';
import { reportNotes, addCommonOptions, collectList, collectPair, numberOption, parseNumberOption, resolvePath, setExitCode, type CommonOptions } from './common.js';
import type { CliIo } from './io.js';
import { showProgress } from './io.js';
import { reproduceLine, typedArgs } from './reproduce.js';

interface OptimiseFlags extends CommonOptions, Omit<FlagOverrides, 'timeLimit'> {
  timeLimit?: number;
  iterations?: number;
  resume?: boolean;
  shard?: ShardSpec;
}

/** Options shared by the commands that read units and layers (optimise, check, compare). */
export function addRunOptions(command: Command): Command {
  return command
    .option('--units <file>', 'unit layer with populations (GeoJSON or TopoJSON)')
    .option('--id <field>', 'unit id field (default: auto-detected)')
    .option('--population <field>', 'unit population field (default: auto-detected)')
    .option('--layer <name=file>', 'a service layer of polygons (GeoJSON or TopoJSON) to align with (repeatable)', collectPair)
    .option('--sites <name=file>', "a service layer of sites (points, e.g. GP practices): each unit joins its nearest site's group (repeatable)", collectPair)
    .option('--lookup <name=file>', "a service layer from a lookup table (CSV/JSON) of unit codes, or of another layer's area codes, to areas (repeatable)", collectPair)
    .option('--membership <name=file>', 'a service layer from a table of members (e.g. patients) per unit and area (repeatable)', collectPair)
    .option('--layer-option <layer.option=value>', 'an option of a layer: group, key, area, of, count, areaName, id, ignoreUnknown (repeatable), e.g. gp.group=pcn_code', collectPair)
    .option('--weight <name=w>', 'weight of a layer in the objective (default 1; repeatable)', collectPair)
    .option('--keep-whole <names>', 'layers whose areas must not be split (comma-separated or repeated)', collectList)
    .addOption(
      new Option('--k <n>', 'number of footprints (default 5); in a nested run, per area, or "auto" for the smallest k whose population fits the bounds').argParser((v: string) =>
        v === 'auto' ? 'auto' : parseNumberOption('--k', v, { integer: true, min: 1 }),
      ),
    )
    .option('--within <layer>', 'nest the footprints in a layer of the run: every footprint inside one of its areas (each unit counts in the area holding most of its residents)')
    .option('--area <code>', 'with nesting: run, write or check only this area of the nesting layer')
    .addOption(numberOption('--min <people>', 'minimum residents per footprint (default 30000)', { min: 0 }))
    .addOption(numberOption('--max <people>', 'maximum residents per footprint (default 55000)', { min: 0 }))
    .addOption(numberOption('--sliver-tolerance <share>', 'overlay pieces smaller than this share of a unit are dropped (default 0.01)', { min: 0 }))
    .addOption(new Option('--connect-islands <how>', 'link units with no neighbour').choices(['none', 'nearest']));
}

export function optimiseCommand(io: CliIo): Command {
  const command = new Command('optimise')
    .alias('optimize')
    .description('find k contiguous footprints of whole units, within population bounds, that cut the service layers as little as possible')
    .argument('[scenario]', 'scenario file (YAML or JSON); flags override its values');
  addRunOptions(command)
    .option('--lock <unit=footprint>', 'fix a unit to a footprint number 1…k (repeatable)', collectPair)
    .addOption(numberOption('--compactness <w>', 'weight of the compactness term, cut edges / all edges (default 0)', { min: 0 }))
    .addOption(numberOption('--seed <n>', 'random seed: the same inputs and seed give identical files (default 1)', { integer: true }))
    .addOption(numberOption('--time-limit <seconds>', 'stop searching after this long, more than 0 (default 20)', { min: 0 }))
    .addOption(numberOption('--restarts <n>', 'independent search restarts (default 16)', { integer: true, min: 1 }))
    .addOption(
      numberOption('--bound-nodes <n>', 'prove a lower bound on the objective with the HiGHS MIP solver, exploring up to n branch-and-bound nodes (default 0: off; --time-limit also caps it)', {
        integer: true,
        min: 0,
      }),
    )
    .addOption(numberOption('--iterations <n>', 'annealing moves per restart (default 400000, or 2500 per unit on larger instances)', { integer: true, min: 1 }))
    .option('--out <dir>', 'output folder (default: the scenario\'s "out", else ./footprint-out)')
    .option('--resume', 'nested runs: take up the areas an interrupted run of the same inputs, options and seed finished, and search only the others')
    .addOption(new Option('--shard <i/n>', 'nested runs: search only the i-th of n balanced shares of the areas and write shard.json, for footprint merge').argParser(parseShard));
  addEvidenceOptions(command);
  addCommonOptions(command);
  command.addHelpText(
    'after',
    `
Writes footprints.geojson, assignment.geojson, assignment.csv, evidence.csv, report.md, its maps and
layers/<name>.geojson for layers made from sites or tables into the output folder, replaced as a whole.
Exit codes: 0 plan written, 2 unreadable input or usage error, 3 no plan can meet the constraints (the
reason is given), 4 no plan was found within the time limit though none of the checks rules one out.

Examples:
  footprint optimise fixtures/example/scenario.yaml
  footprint optimise --units fixtures/example/units.geojson --layer wards=fixtures/example/wards.geojson \\
    --layer gp=fixtures/example/gp.geojson --weight gp=2 --k 5 --min 30000 --max 55000 --seed 1 --out out/example`,
  );
  command.action(async (scenario: string | undefined, flags: OptimiseFlags) => {
    // Loaded here, not at the top: `footprint --help` must not pay for the search and its libraries.
    const [{ SingleBar }, { runOptimise }, { prepareOutputFolder }, { configInputs, writePlanOutputs }, { configFromCommandLine }] = await Promise.all([
      import('cli-progress'),
      import('../pipeline/optimise.js'),
      import('../io/output-folder.js'),
      import('../report/write-plan.js'),
      import('./run-config.js'),
    ]);
    const config = configFromCommandLine(io, scenario, flags);
    // Zero would stop the search before it starts; a run with no limit at all has no place in a pipeline.
    if (!(config.timeLimit > 0)) throw new FootprintError(`--time-limit must be more than 0 seconds (got ${config.timeLimit}; the default is 20)`);
    const outDir = config.out ?? resolvePath(io, 'footprint-out');
    // Checked before any data is read: a bad --out must not cost a whole search.
    const folder = prepareOutputFolder(outDir, { inputs: [...configInputs(config), ...(scenario ? [resolvePath(io, scenario)] : [])], label: '--out', cwd: io.cwd });
    try {
      const progress = showProgress(io, flags.quiet) && !flags.json;
      const bar = progress ? new SingleBar({ format: 'searching |{bar}| {value}/{total} restarts · best {best} · {duration}s', stream: process.stderr, hideCursor: true }, undefined) : null;
      let started = false;
      const note = (text: string) => {
        if (progress) io.stderr.write(`${text}\n`);
      };
      const commandLine = reproduceLine(typedArgs(command));
      if (config.within !== undefined) {
        const { optimiseNested } = await import('./optimise-nested.js');
        const code = await optimiseNested({
          io,
          config,
          folder,
          extraInputs: scenario ? [resolvePath(io, scenario)] : [],
          title: config.name ? `Footprints: ${config.name}${config.area ? ` (${config.area})` : ''}` : 'Footprints',
          commandLine,
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
                `area ${i + 1}/${count}: ${area.code} ${area.name !== area.code ? `${area.name} ` : ''}(${area.units.length} units, ${Math.round(area.population).toLocaleString('en-GB')} residents, k ${area.k ?? '–'}${area.kSource === 'auto' ? ' auto' : ''})`,
              ),
          },
        });
        setExitCode(command, code);
        return;
      }
      if (flags.resume || flags.shard) throw new FootprintError(`${flags.shard ? '--shard' : '--resume'} is for nested runs (within: LAYER), which search area by area`);
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
      const { outcome, result } = run;
      reportNotes(io, outcome.workspace.notes, { quiet: flags.quiet || flags.json, progress });
      writePlanOutputs(outcome, folder, { title: config.name ? `Footprints: ${config.name}` : 'Footprints', command: commandLine });
      const written = { files: folder.commit() };
      const summary = {
        status: outcome.status,
        objective: outcome.objective.total,
        bound: outcome.bound,
        // Proof: the gap in percent between the plan and the proven bound, and how the bound was proven.
        gap: result.gap,
        proof: {
          optimalTolerance: OPTIMAL_TOLERANCE,
          exact: result.exact.attempted ? { proven: result.exact.proven, plansEvaluated: result.exact.leaves, pruned: result.exact.pruned, ms: Math.round(result.exact.ms), besideBound: result.exact.besideBound } : null,
          bound: result.relaxation.attempted
            ? {
                solved: result.relaxation.solved,
                homeRelaxation: result.relaxation.home
                  ? { bound: result.relaxation.home.bound, areas: result.relaxation.home.areas, solves: result.relaxation.home.rounds, contiguityCuts: result.relaxation.home.cuts, branchAndBoundNodes: result.relaxation.home.nodes, solved: result.relaxation.home.solved }
                  : null,
                homeRelaxationWholeNodes: result.relaxation.homeWhole
                  ? { bound: result.relaxation.homeWhole.bound, solves: result.relaxation.homeWhole.rounds, contiguityCuts: result.relaxation.homeWhole.cuts, branchAndBoundNodes: result.relaxation.homeWhole.nodes, solved: result.relaxation.homeWhole.solved }
                  : null,
                cutEdgeModel: result.relaxation.cutEdges
                  ? { bound: result.relaxation.cutEdges.bound, rootNodes: result.relaxation.cutEdges.roots, solves: result.relaxation.cutEdges.rounds, contiguityCuts: result.relaxation.cutEdges.cuts, branchAndBoundNodes: result.relaxation.cutEdges.nodes, solved: result.relaxation.cutEdges.solved }
                  : null,
                withoutContiguity: result.relaxation.labelBound === null ? null : { bound: result.relaxation.labelBound, branchAndBoundNodes: result.relaxation.labelNodes },
                pairWithContiguityCuts: result.relaxation.pairAttempted
                  ? {
                      cuttingRounds: result.relaxation.rounds,
                      transitivityRows: result.relaxation.triangles,
                      separatorCuts: result.relaxation.separators,
                      branchAndBoundNodes: result.relaxation.nodes,
                    }
                  : null,
                ms: Math.round(result.relaxation.ms),
              }
            : null,
        },
        terms: outcome.objective.terms,
        compactness: outcome.objective.compactness,
        footprints: outcome.footprintIds.map((id, f) => ({ id, population: outcome.populations[f] })),
        seed: config.seed,
        restarts: result.restarts.length,
        elapsedMs: Math.round(result.elapsedMs),
        timeLimitHit: result.timeLimitHit,
        files: written.files.map((f) => relative(io.cwd, f)),
      };
      if (flags.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else {
        io.stdout.write(
          [
            `${outcome.status === 'optimal' ? 'optimal' : 'best found'}: objective ${outcome.objective.total.toFixed(4)} (${outcome.objective.terms.map((t) => `${t.weight}×S(${t.layer})=${t.value.toFixed(4)}`).join(' + ') || 'no layers'})`,
            outcome.status === 'heuristic' && outcome.bound !== null
              ? `proven lower bound: ${outcome.bound.toFixed(4)}, gap ${(result.gap ?? 0).toFixed(1)}% (this plan is at most ${(outcome.objective.total - outcome.bound).toFixed(4)} above the optimum)`
              : '',
            `footprints: ${summary.footprints.map((f) => `${f.id} ${Math.round(f.population).toLocaleString('en-GB')}`).join(', ')}`,
            `wrote ${summary.files.join(', ')}`,
            result.timeLimitHit ? 'note: the time limit cut the search short; results may differ between machines' : '',
          ]
            .filter(Boolean)
            .join('\n') + '\n',
        );
      }
      setExitCode(command, EXIT.ok);
    } finally {
      folder.abort();
    }
  });
  return command;
}
