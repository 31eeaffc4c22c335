import { Command } from 'commander';
import { join, relative } from 'node:path';
import { compareMarkdown, comparePlans, type ComparedPlan } from '../check/compare.js';
import { evidenceJson } from '../check/compare-evidence.js';
import { dissolve } from '../geometry/dissolve.js';
import type { Workspace } from '../pipeline/types.js';
import { differenceMap, type AreaFeature } from '../report/map.js';
import { EXIT, FootprintError } from '../errors.js';
import { writeFileAtomic, writeJson } from '../layers/write.js';
import { buildWorkspace } from '../pipeline/workspace.js';
import type { FlagOverrides } from '../scenario/config.js';
import { addCommonOptions, resolvePath, setExitCode, type CommonOptions } from './common.js';
import type { CliIo } from './io.js';
import { addEvidenceOptions } from './evidence-options.js';
import { addRunOptions, configFromCommandLine } from './optimise.js';

interface CompareFlags extends CommonOptions, FlagOverrides {
  scenario?: string;
}

/** The footprints of a plan as polygons, for drawing. */
function dissolvePlan(workspace: Workspace, plan: ComparedPlan): AreaFeature[] {
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
    .option('--out <dir>', 'write compare.md and compare.json into this folder');
  addEvidenceOptions(command);
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
    const evidence = compared.map((p, i) => evidenceJson(p, i === 0 ? null : compared[0]));
    const json = compared.map((p, i) => ({
      plan: plans[i],
      objective: p.objective,
      terms: p.terms,
      compactness: p.compactness,
      footprints: p.footprintIds.map((id, f) => ({ id, population: p.populations[f], matchedTo: i === 0 ? id : p.matchedTo[f], ...evidence[i][f] })),
      changedUnits: i === 0 ? [] : p.changedUnits,
      changedPopulation: i === 0 ? 0 : p.changedPopulation,
    }));
    const dir = flags.out ? resolvePath(io, flags.out) : null;
    const maps = compared.map((p, i) => (i === 0 || !dir ? null : `changes-${i}.svg`));
    const markdown = compareMarkdown(compared, plans, { maps });
    if (dir) {
      const reference = dissolvePlan(workspace, compared[0]);
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
        writeFileAtomic(join(dir, maps[i]!), svg);
      });
      writeFileAtomic(join(dir, 'compare.md'), markdown);
      writeJson(join(dir, 'compare.json'), json);
      if (!flags.quiet && !flags.json) io.stderr.write(`wrote ${relative(io.cwd, join(dir, 'compare.md'))}, ${relative(io.cwd, join(dir, 'compare.json'))}\n`);
    }
    io.stdout.write(flags.json ? `${JSON.stringify(json, null, 2)}\n` : markdown);
    setExitCode(command, EXIT.ok);
  });
  return command;
}
