import { Command, Option } from 'commander';
import { EXIT, FootprintError } from '../errors.js';
import type { Crs } from '../layers/types.js';
import type { CliIo } from './io.js';
import { showProgress, style, useColor } from './io.js';
import { addCommonOptions, collectPair, numberOption, resolvePath, setExitCode } from './common.js';
import { terminalText } from '../report/escape.js';

interface ScoreCommandOptions {
  units: string;
  layer?: Array<[string, string]>;
  sites?: Array<[string, string]>;
  lookup?: Array<[string, string]>;
  membership?: Array<[string, string]>;
  layerOption?: Array<[string, string]>;
  id?: string;
  population?: string;
  crs?: Crs;
  sliver: number;
  tau: number;
  distance: number;
  boundary: boolean;
  top: number;
  out?: string;
  gpkg?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** A share given as "0.01" or "1%". */
function shareOption(flags: string, description: string): Option {
  const name = flags.split(/[ ,]+/).find((f) => f.startsWith('--')) ?? flags;
  return new Option(flags, description).argParser((value: string) => {
    const text = value.trim();
    const percent = text.endsWith('%');
    const n = Number(percent ? text.slice(0, -1) : text);
    const share = percent ? n / 100 : n;
    if (text === '' || text === '%' || !Number.isFinite(share) || share < 0 || share >= 1) {
      throw new FootprintError(`option ${name} must be a share in [0, 1) such as 0.01 or 1%, got "${value}"`);
    }
    return share;
  });
}

export function scoreCommand(io: CliIo): Command {
  const command = new Command('score')
    .description(
      'Score how service layers cut across each other and across the units: split population, coterminosity, split counts, variation of information and boundary coincidence, weighted by the residents of the units.',
    )
    .requiredOption('--units <file>', 'unit layer (GeoJSON, TopoJSON, or through GDAL a .shp, .gpkg#layer, .tab, .kml, .gdb or PG:"…" table) with a population field')
    .option('--layer <name=file>', 'a service layer of polygons to score, repeatable', collectPair)
    .option('--sites <name=file>', "a service layer of sites (points): each unit joins its nearest site's group (repeatable)", collectPair)
    .option('--lookup <name=file>', "a service layer from a lookup table of unit (or another layer's area) codes to areas (repeatable)", collectPair)
    .option('--membership <name=file>', 'a service layer from a table of members per unit and area (repeatable)', collectPair)
    .option('--layer-option <layer.option=value>', 'an option of a layer: group, key, area, of, count, areaName, id, ignoreUnknown (repeatable)', collectPair)
    .option('--id <field>', "units' id field (auto-detected when absent)")
    .option('--population <field>', "units' population field (auto-detected when absent)")
    .addOption(new Option('--crs <crs>', 'CRS of every input, overriding detection').choices(['EPSG:4326', 'EPSG:27700']))
    .addOption(shareOption('--sliver <share>', 'drop unit ∩ area pieces smaller than this share of the unit').default(0.01, '1%'))
    .addOption(shareOption('--tau <share>', 'coterminosity tolerance τ').default(0.05, '5%'))
    .addOption(numberOption('--distance <metres>', 'distance within which two boundaries coincide', { min: 0 }).default(50))
    .option('--no-boundary', 'skip boundary coincidence (the slowest measure on very large inputs)')
    .addOption(numberOption('--top <n>', 'most split areas listed per layer pair in score.md and JSON', { integer: true, min: 0 }).default(10))
    .option('--out <dir>', 'write score.md, score.json and fragments.geojson (every unit ∩ area piece, for QGIS) to this folder')
    .option('--gpkg', "with --out, also score.gpkg: the fragments, the units and every layer in one GeoPackage (needs GDAL's ogr2ogr)");
  addCommonOptions(command);
  command.addHelpText(
    'after',
    `
Example:
  footprint score --units fixtures/example/units.geojson \\
    --layer wards=fixtures/example/wards.geojson --layer gp=fixtures/example/gp.geojson \\
    --layer police=fixtures/example/police.geojson --out out/score

Prints a matrix per measure (row layer against column layer; "units" are the units themselves).
Every measure is weighted by the units' residents; docs/metrics.md gives the formulas.`,
  );

  command.action(async (options: ScoreCommandOptions) => {
    // Loaded here, not at the top: `footprint --help` must not pay for overlay and maps.
    const [{ prepareOutputFolder }, { runScore }, { writeScoreOutputs }, { scoreJson, scoreText }] = await Promise.all([
      import('../io/output-folder.js'),
      import('../pipeline/score.js'),
      import('../report/write-score.js'),
      import('../report/score-format.js'),
    ]);
    const layerCount = [options.layer, options.sites, options.lookup, options.membership].reduce((n, list) => n + (list?.length ?? 0), 0);
    if (layerCount === 0) throw new FootprintError('give at least one layer to score with --layer NAME=FILE (or --sites, --lookup, --membership)');
    const progress = showProgress(io, options.quiet);
    const colour = style(useColor(io));
    const note = (text: string) => {
      if (progress) io.stderr.write(`${colour.dim(text)}\n`);
    };
    const resolved = (list: Array<[string, string]> | undefined) => list?.map(([name, file]): [string, string] => [name, resolvePath(io, file)]);

    if (options.gpkg && !options.out) throw new FootprintError('--gpkg writes score.gpkg into the --out folder: give --out too');
    if (options.gpkg) (await import('../report/gpkg.js')).checkGpkgWriter();
    const unitsPath = resolvePath(io, options.units);
    // Checked before any data is read: a bad --out must not cost a whole overlay.
    const folder = options.out
      ? prepareOutputFolder(resolvePath(io, options.out), {
          inputs: [unitsPath, ...[options.layer, options.sites, options.lookup, options.membership].flatMap((list) => (list ?? []).map(([, file]) => resolvePath(io, file)))],
          label: '--out',
          cwd: io.cwd,
        })
      : null;
    try {
      const run = runScore({
        units: unitsPath,
        id: options.id,
        population: options.population,
        layers: { layer: resolved(options.layer), sites: resolved(options.sites), lookup: resolved(options.lookup), membership: resolved(options.membership), layerOption: options.layerOption },
        crs: options.crs,
        sliverTolerance: options.sliver,
        coterminosityTolerance: options.tau,
        boundaryDistance: options.distance,
        boundaryCoincidence: options.boundary,
        mostSplit: options.top,
        onProgress: progress ? stageProgress(io) : undefined,
        onNote: note,
      });
      if (!options.quiet) for (const warning of run.warnings) io.stderr.write(`${colour.yellow('warning')}: ${warning}\n`);
      if (folder) {
        writeScoreOutputs(run, folder, { gpkg: !!options.gpkg });
        folder.commit();
        note(`wrote score.md, layers.svg, score.json and fragments.geojson${options.gpkg ? ' and score.gpkg' : ''} to ${folder.path}`);
      }
      const { result } = run;
      io.stdout.write(options.json ? `${JSON.stringify(scoreJson(result), null, 2)}\n` : terminalText(scoreText(result)));
      note(`crosswalk ${(result.timings.crosswalkMs / 1000).toFixed(2)} s, measures ${(result.timings.measuresMs / 1000).toFixed(2)} s, boundaries ${(result.timings.boundaryMs / 1000).toFixed(2)} s`);
      setExitCode(command, EXIT.ok);
    } finally {
      folder?.abort();
    }
  });
  return command;
}

/** A one-line progress display on stderr (redrawn at most every 100 ms, cleared when a stage ends). */
function stageProgress(io: CliIo): (stage: string, done: number, total: number) => void {
  let lastDraw = 0;
  return (stage, done, total) => {
    const now = Date.now();
    if (done < total && now - lastDraw < 100) return;
    lastDraw = now;
    io.stderr.write(`\r\u001b[2K${stage} ${done}/${total}`);
    if (done === total) io.stderr.write('\r\u001b[2K');
  };
}
