import { Command, Option } from 'commander';
import { relative } from 'node:path';
import { EXIT, FootprintError } from '../errors.js';
import type { NestedRun } from '../pipeline/nest.js';
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
    .option('--gpkg', 'also write footprints.gpkg (every output layer) and footprints.qgs, a QGIS project styled as the report maps (needs GDAL\'s ogr2ogr)')
    .option('--pdf', 'also print report.pdf from report.html with headless Chromium');
  addEvidenceOptions(command);
  addCommonOptions(command);
  command.addHelpText(
    'after',
    `
Writes footprints.geojson, assignment.geojson, assignment.csv, evidence.csv, report.md, its maps,
layers/<name>.geojson for layers made from sites or tables, report.html (self-contained, prints on A4)
and evidence.xlsx into the output folder, replaced as a whole; with --gpkg also footprints.gpkg and
footprints.qgs, with --pdf also report.pdf. Layers and units may be GeoJSON, TopoJSON, or through GDAL
a Shapefile (.shp, .zip), GeoPackage (file.gpkg#layer), MapInfo .tab, KML/KMZ, a .gdb folder or a
PostGIS table (PG:"dbname=… host=…" table; credentials from PGUSER, PGPASSWORD, … never printed).
Exit codes: 0 plan written, 2 unreadable input or usage error, 3 no plan can meet the constraints (the
reason is given), 4 no plan was found within the time limit though none of the checks rules one out.

Examples:
  footprint optimise fixtures/example/scenario.yaml
  footprint optimise --units fixtures/example/units.geojson --layer wards=fixtures/example/wards.geojson \\
    --layer gp=fixtures/example/gp.geojson --weight gp=2 --k 5 --min 30000 --max 55000 --seed 1 --out out/example`,
  );
  command.action(async (scenario: string | undefined, flags: OptimiseFlags) => {
    // Loaded here, not at the top: `footprint --help` must not pay for the search and its libraries.
    const [{ SingleBar }, { runOptimise }, { prepareOutputFolder }, { configInputs, writePlanOutputs }, { configFromCommandLine }, { writeBoardOutputs }] = await Promise.all([
      import('cli-progress'),
      import('../pipeline/optimise.js'),
      import('../io/output-folder.js'),
      import('../report/write-plan.js'),
      import('./run-config.js'),
      import('../report/board.js'),
    ]);
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
      const progress = showProgress(io, flags.quiet) && !flags.json;
      const bar = progress ? new SingleBar({ format: 'searching |{bar}| {value}/{total} restarts · best {best} · {duration}s', stream: process.stderr, hideCursor: true }, undefined) : null;
      let started = false;
      const note = (text: string) => {
        if (progress) io.stderr.write(`${text}\n`);
      };
      const commandLine = reproduceLine(typedArgs(command));
      if (config.within !== undefined) {
        const { runNested } = await import('../pipeline/nest.js');
        const nested = await runNested(config, {
          iterations: flags.iterations,
          onStage: (stage) => note(`${stage}…`),
          onArea: (area, i, count) =>
            note(
              `area ${i + 1}/${count}: ${area.code} ${area.name !== area.code ? `${area.name} ` : ''}(${area.units.length} units, ${Math.round(area.population).toLocaleString('en-GB')} residents, k ${area.k ?? '–'}${area.kSource === 'auto' ? ' auto' : ''})`,
            ),
        });
        reportNotes(io, nested.outcome.workspace.notes, { quiet: flags.quiet || flags.json, progress });
        const nestedTitle = config.name ? `Footprints: ${config.name}${config.area ? ` (${config.area})` : ''}` : 'Footprints';
        const nestedWritten = writePlanOutputs(nested.outcome, folder, { title: nestedTitle, command: commandLine });
        await writeBoardOutputs(nested.outcome, folder, nestedWritten, { title: nestedTitle, gpkg: config.outputs?.gpkg, chromium });
        const files = folder.commit().map((f) => relative(io.cwd, f));
        writeNestedSummary(io, nested, files, !!flags.json);
        setExitCode(command, nested.failed.length > 0 ? EXIT.findings : EXIT.ok);
        return;
      }
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
      const title = config.name ? `Footprints: ${config.name}` : 'Footprints';
      const planWritten = writePlanOutputs(outcome, folder, { title, command: commandLine });
      await writeBoardOutputs(outcome, folder, planWritten, { title, gpkg: config.outputs?.gpkg, chromium });
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

/** What a nested run prints: one line per area (k, residents, objective or why it has no plan). */
function writeNestedSummary(io: CliIo, run: NestedRun, files: string[], json: boolean): void {
  const { outcome, failed } = run;
  const areas = outcome.nesting!.areas;
  if (json) {
    const summary = {
      status: outcome.status,
      objective: outcome.objective.total,
      terms: outcome.objective.terms,
      within: outcome.nesting!.layer,
      areas: areas.map((a) => ({
        code: a.code,
        name: a.name,
        units: a.units,
        population: a.population,
        k: a.k,
        kSource: a.kSource,
        status: a.failure ? 'failed' : a.status,
        objective: a.objective,
        reason: a.failure?.reason,
        seed: a.seed,
        elapsedMs: Math.round(a.elapsedMs),
        timeLimitHit: a.timeLimitHit,
        footprints: a.footprints.map((f) => ({ id: outcome.footprintIds[f], population: outcome.populations[f] })),
      })),
      failed: failed.map((a) => a.code),
      elapsedMs: Math.round(run.elapsedMs),
      files,
    };
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const fmt = (x: number) => Math.round(x).toLocaleString('en-GB');
  const lines = areas.map((a) =>
    a.failure
      ? `  ${a.code} ${a.name}: NO PLAN (${a.failure.exitCode === EXIT.infeasible ? 'infeasible' : 'none found in time'}): ${a.failure.reason}`
      : `  ${a.code} ${a.name}: k ${a.k}${a.kSource === 'auto' ? ' (auto)' : ''}, ${fmt(a.population)} residents, objective ${a.objective!.toFixed(4)}${a.status === 'optimal' ? ' (optimal)' : ''}`,
  );
  io.stdout.write(
    [
      `nested in ${outcome.nesting!.layer}: ${areas.length - failed.length} of ${areas.length} area(s) planned, ${outcome.footprintIds.length} footprints; objective ${outcome.objective.total.toFixed(4)} (${outcome.objective.terms.map((t) => `${t.weight}×S(${t.layer})=${t.value.toFixed(4)}`).join(' + ') || 'no layers'})`,
      ...lines,
      `wrote ${files.join(', ')}`,
      failed.length > 0 ? `${failed.length} area(s) have no plan (${failed.map((a) => a.code).join(', ')}); the files hold the others` : '',
      outcome.search?.timeLimitHit ? 'note: the time limit cut some areas short; results may differ between machines' : '',
    ]
      .filter(Boolean)
      .join('\n') + '\n',
  );
}
