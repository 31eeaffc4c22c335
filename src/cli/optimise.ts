import { Command, Option } from 'commander';
import { addEvidenceOptions } from './evidence-options.js';
import { addCommonOptions, collectList, collectPair, numberOption, parseNumberOption, setExitCode } from './common.js';
import type { CliIo } from './io.js';
import type { OptimiseFlags } from './optimise-run.js';
import { reproduceLine, typedArgs } from './reproduce.js';


/** Options shared by the commands that read units and layers (optimise, check, compare). */
export function addRunOptions(command: Command): Command {
  return command
    .option('--units <file>', 'unit layer with populations (GeoJSON, TopoJSON, or through GDAL a .shp, .gpkg#layer, .tab, .kml, .gdb or PG:"…" table)')
    .option('--id <field>', 'unit id field (default: auto-detected)')
    .option('--population <field>', 'unit population field (default: auto-detected)')
    .option('--layer <name=file>', 'a service layer of polygons (GeoJSON, TopoJSON, or through GDAL a .shp, .gpkg#layer, .tab, .kml, .gdb or PG:"…" table) to align with (repeatable)', collectPair)
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
    const { optimiseAction } = await import('./optimise-run.js');
    setExitCode(command, await optimiseAction(io, scenario, flags, reproduceLine(typedArgs(command))));
  });
  return command;
}
