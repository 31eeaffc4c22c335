import { Command } from 'commander';
import { relative } from 'node:path';
import type { ComparedPlan } from '../check/compare.js';
import type { Workspace } from '../pipeline/types.js';
import type { AreaFeature } from '../report/map.js';
import { EXIT, FootprintError } from '../errors.js';
import type { FlagOverrides } from '../scenario/config.js';
import { addCommonOptions, reportNotes, resolvePath, setExitCode, type CommonOptions } from './common.js';
import type { CliIo } from './io.js';
import { addEvidenceOptions } from './evidence-options.js';
import { addRunOptions } from './optimise.js';

interface CompareFlags extends CommonOptions, FlagOverrides {
  scenario?: string;
  allowPartial?: boolean;
}

/** The footprints of a plan as polygons, for drawing. */
function dissolvePlan(dissolve: typeof import('../geometry/dissolve.js').dissolve, workspace: Workspace, plan: ComparedPlan): AreaFeature[] {
  return plan.footprintIds.map((id, f) => ({
    type: 'Feature',
    properties: { footprint: id },
    geometry: dissolve(workspace.units.areas.filter((_, u) => plan.assignment[u] === f).map((a) => a.geometry)),
  }));
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
    const [
      { compareMarkdown, comparePlans },
      { evidenceJson },
      { servicesCompareJson },
      { dissolve },
      { differenceMap },
      { prepareOutputFolder },
      { jsonText },
      { configInputs },
      { buildWorkspace },
      { configFromCommandLine },
    ] = await Promise.all([
      import('../check/compare.js'),
      import('../check/compare-evidence.js'),
      import('../check/compare-services.js'),
      import('../geometry/dissolve.js'),
      import('../report/map.js'),
      import('../io/output-folder.js'),
      import('../geometry/rfc7946.js'),
      import('../report/write-plan.js'),
      import('../pipeline/workspace.js'),
      import('./run-config.js'),
    ]);
    const config = configFromCommandLine(io, flags.scenario, { ...flags, out: undefined });
    const planPaths = plans.map((p) => resolvePath(io, p));
    // Checked before any data is read.
    const folder = flags.out
      ? prepareOutputFolder(resolvePath(io, flags.out), { inputs: [...configInputs(config), ...planPaths, ...(flags.scenario ? [resolvePath(io, flags.scenario)] : [])], label: '--out', cwd: io.cwd })
      : null;
    try {
      const workspace = buildWorkspace(config);
      reportNotes(io, workspace.notes, { quiet: flags.quiet || flags.json, progress: false });
      const compared = comparePlans(workspace, planPaths, { allowPartial: flags.allowPartial, names: plans });
      for (const [i, p] of compared.entries()) {
        if (p.partial && !flags.quiet) io.stderr.write(`footprint compare: warning: ${plans[i]} is a partial plan (${p.partial.summary}); its measures are not comparable with a complete plan's\n`);
      }
      const evidence = compared.map((p, i) => evidenceJson(p, i === 0 ? null : compared[0]));
      const services = compared.map((p, i) => servicesCompareJson(p, i === 0 ? null : compared[0]));
      const json = compared.map((p, i) => ({
        plan: plans[i],
        objective: p.objective,
        terms: p.terms,
        compactness: p.compactness,
        footprints: p.footprintIds.map((id, f) => ({ id, population: p.populations[f], matchedTo: i === 0 ? id : p.matchedTo[f], ...evidence[i][f], ...(p.evidence.services.length > 0 ? services[i][f] : {}) })),
        changedUnits: i === 0 ? [] : p.changedUnits,
        changedPopulation: i === 0 ? 0 : p.changedPopulation,
        partial: p.partial !== null,
        ...(p.partial ? { missingUnits: p.partial.missingUnits, unknownUnits: p.partial.unknownUnits } : {}),
      }));
      const maps = compared.map((p, i) => (i === 0 || !folder ? null : `changes-${i}.svg`));
      const markdown = compareMarkdown(compared, plans, { maps });
      if (folder) {
        const reference = dissolvePlan(dissolve, workspace, compared[0]);
        compared.forEach((p, i) => {
          if (i === 0) return;
          const svg = differenceMap({
            title: `Units that change footprint (plan ${i + 1} against plan 1)`,
            footprints: reference,
            // Footprints of plan i in the reference's numbering, so unchanged units read "from F2 to F2".
            units: workspace.units.areas.map((a, u): AreaFeature => ({
              type: 'Feature',
              properties: { id: a.id, from: compared[0].footprintIds[compared[0].assignment[u]] ?? '–', to: p.assignment[u] >= 0 ? p.matchedTo[p.assignment[u]] : '–' },
              geometry: a.geometry,
            })),
          });
          folder.write(maps[i]!, svg);
        });
        const md = folder.write('compare.md', markdown);
        const js = folder.write('compare.json', jsonText(json));
        folder.commit();
        if (!flags.quiet && !flags.json) io.stderr.write(`wrote ${relative(io.cwd, md)}, ${relative(io.cwd, js)}\n`);
      }
      io.stdout.write(flags.json ? `${JSON.stringify(json, null, 2)}\n` : markdown);
      setExitCode(command, EXIT.ok);
    } finally {
      folder?.abort();
    }
  });
  return command;
}
