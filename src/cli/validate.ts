import { Command, Option } from 'commander';
import type { Crs } from '../layers/types.js';
import { EXIT } from '../errors.js';
import type { LayerReport } from '../validate/types.js';
import { DEFAULT_GAP_TOLERANCE_M2 } from '../validate/types.js';
import { addCommonOptions, numberOption, resolvePath, setExitCode, type CommonOptions } from './common.js';
import type { CliIo } from './io.js';
import { style, useColor } from './io.js';
import { terminalText } from '../report/escape.js';

interface ValidateFlags extends CommonOptions {
  id?: string;
  population?: string;
  crs?: Crs;
  tolerance: number;
  out?: string;
  maxListed: number;
}

function humanReport(reports: LayerReport[], io: CliIo, maxListed: number): string {
  const s = style(useColor(io));
  const lines: string[] = [];
  for (const r of reports) {
    const fields = [
      `${r.features} features`,
      r.idField ? `id "${r.idField}" (${r.idReason})` : 'no id field',
      r.populationField ? `population "${r.populationField}" (${r.populationReason})` : 'no population',
      r.crsReason,
    ];
    lines.push(s.bold(terminalText(r.source)));
    lines.push(`  ${fields.join('; ')}`);
    const counts = new Map<string, number>();
    for (const f of r.findings) if (f.severity !== 'info') counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
    for (const f of r.findings.filter((x) => x.severity === 'info')) lines.push(`  ${s.dim('note')}  ${terminalText(f.message)}`);
    if (r.errors === 0 && r.warnings === 0) {
      lines.push(`  ${s.green('ok')}  no problems found`);
      continue;
    }
    lines.push(`  ${[...counts.entries()].map(([kind, n]) => `${n} ${kind}`).join(', ')}`);
    for (const severity of ['error', 'warning'] as const) {
      const list = r.findings.filter((f) => f.severity === severity);
      for (const f of list.slice(0, maxListed)) {
        const tag = severity === 'error' ? s.red('error') : s.yellow('warning');
        const where = f.location ? ` at ${f.location[0].toFixed(5)}, ${f.location[1].toFixed(5)}` : '';
        lines.push(`  ${tag}  ${f.kind}: ${terminalText(f.message)}${where}`);
      }
      if (list.length > maxListed) lines.push(`  … and ${list.length - maxListed} more ${severity}s (see --json or --out)`);
    }
  }
  const errors = reports.reduce((n, r) => n + r.errors, 0);
  const warnings = reports.reduce((n, r) => n + r.warnings, 0);
  const bad = reports.filter((r) => r.errors > 0).length;
  lines.push(errors > 0 ? s.red(`${errors} error(s) in ${bad} of ${reports.length} layer(s), ${warnings} warning(s)`) : s.green(`no errors in ${reports.length} layer(s), ${warnings} warning(s)`));
  return `${lines.join('\n')}\n`;
}

export function validateCommand(io: CliIo): Command {
  const command = new Command('validate')
    .description('check boundary layers for GIS problems: invalid geometry, gaps and overlaps, duplicate or missing ids, bad populations, wrong CRS')
    .argument('<files...>', 'GeoJSON or TopoJSON layers (file.topojson#object for one object; a file whose own name holds "#" is read whole), or through GDAL a .shp, .gpkg#layer, .tab, .kml, .gdb or PG:"…" table')
    .option('--id <field>', 'id field (default: auto-detected, e.g. LSOA21CD, WD23CD, code)')
    .option('--population <field>', 'population field (default: auto-detected, e.g. population)')
    .addOption(new Option('--crs <crs>', 'coordinates of the input, overriding detection').choices(['EPSG:4326', 'EPSG:27700']))
    .addOption(numberOption('--tolerance <m2>', 'gaps and overlaps at least this large are errors; smaller ones are warnings', { min: 0 }).default(DEFAULT_GAP_TOLERANCE_M2))
    .option('--out <file>', 'write every problem with a location as GeoJSON (overlap and gap polygons, bad vertices)')
    .addOption(numberOption('--max-listed <n>', 'problems listed per layer and severity in the summary', { integer: true, min: 0 }).default(20));
  addCommonOptions(command);
  command.addHelpText(
    'after',
    `
Exit codes: 0 no errors, 1 errors found, 2 input unreadable or usage error. Warnings do not fail.

Example:
  footprint validate fixtures/example/units.geojson fixtures/example/wards.geojson --out problems.geojson`,
  );
  command.action(async (files: string[], flags: ValidateFlags) => {
    // Loaded here, not at the top: `footprint --help` must not pay for geometry and validation.
    const [{ readRawLayer }, { prepareOutputFile }, { stringifyFeatureCollection }, { validateLayer }, { problemFeatures }] = await Promise.all([
      import('../layers/load.js'),
      import('../io/output-folder.js'),
      import('../geometry/rfc7946.js'),
      import('../validate/validate.js'),
      import('../validate/problem-features.js'),
    ]);
    // Checked before any layer is read: not an input, not a folder, somewhere writable.
    const out = flags.out ? prepareOutputFile(resolvePath(io, flags.out), { inputs: files.map((file) => resolvePath(io, file)), label: '--out' }) : null;
    const reports = files.map((file) => {
      // Resolved whole: a "#object" suffix survives resolve(), and a real file named with "#" stays whole.
      const raw = readRawLayer(resolvePath(io, file), { crs: flags.crs, idField: flags.id });
      const report = validateLayer(raw, { idField: flags.id, populationField: flags.population, tolerance: flags.tolerance });
      return { ...report, source: file };
    });
    const problems = stringifyFeatureCollection({ type: 'FeatureCollection', features: problemFeatures(reports) });
    // A .gpkg name gets a GeoPackage (layer "problems", through GDAL's ogr2ogr), anything else GeoJSON.
    if (out && /\.gpkg$/i.test(out.path)) out.write((await import('../report/gpkg.js')).geopackageBytes([{ name: 'problems', geojson: problems }]));
    else out?.write(problems);
    if (flags.json) io.stdout.write(`${JSON.stringify({ ok: reports.every((r) => r.errors === 0), layers: reports.map((r) => ({ ...r, findings: r.findings.map(({ geometry: _g, ...rest }) => rest) })) }, null, 2)}\n`);
    else io.stdout.write(humanReport(reports, io, flags.maxListed));
    setExitCode(command, reports.some((r) => r.errors > 0) ? EXIT.findings : EXIT.ok);
  });
  return command;
}
