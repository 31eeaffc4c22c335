import { Command } from 'commander';
import { relative } from 'node:path';
import { EXIT } from '../errors.js';
import { formatInteger } from '../format.js';
import type { FlagOverrides } from '../scenario/config.js';
import { addCommonOptions, reportNotes, resolvePath, setExitCode, type CommonOptions } from './common.js';
import { addEvidenceOptions } from './evidence-options.js';
import type { CliIo } from './io.js';
import { showProgress } from './io.js';
import { addRunOptions } from './optimise.js';
import { reproduceLine, typedArgs } from './reproduce.js';
import { terminalText } from '../report/escape.js';

interface EvidenceFlags extends CommonOptions, FlagOverrides {
  areas?: string;
  plan?: string;
  allowPartial?: boolean;
}

/** Where `evidence` writes when no --out is given: beside the working directory, never the scenario's plan folder. */
export const DEFAULT_EVIDENCE_OUT = 'footprint-evidence';

export function evidenceCommand(io: CliIo): Command {
  const command = new Command('evidence')
    .description("write the evidence, cohorts and services (what each area needs) for the areas of a layer or the footprints of any plan")
    .argument('[scenario]', 'scenario file (YAML or JSON); flags override its values');
  addRunOptions(command)
    .option('--areas <layer>', "the areas of this layer of the scenario, read as if they were footprints (units counted by their share of each area)")
    .option('--plan <file>', 'the footprints of this plan (assignment CSV/GeoJSON or footprint polygons); it need not meet the constraints')
    .option('--allow-partial', 'with --plan: accept a plan that leaves units out (they count in no footprint)')
    .option('--out <dir>', `output folder (default ./${DEFAULT_EVIDENCE_OUT})`);
  addEvidenceOptions(command);
  addCommonOptions(command);
  command.addHelpText(
    'after',
    `
Writes evidence.csv, services.csv (when the scenario declares services), report.md, evidence.svg and
services.svg into the output folder, replaced as a whole. Give exactly one of --areas and --plan.
Exit codes: 0 written, 2 unreadable input or usage error.

Examples:
  footprint evidence examples/oldham/scenario.yaml --areas districts --out out/oldham-districts
  footprint evidence fixtures/example/scenario.yaml --plan out/example/assignment.csv --json`,
  );
  command.action(async (scenario: string | undefined, flags: EvidenceFlags) => {
    // Loaded here, not at the top: `footprint --help` must not pay for the library.
    const [{ runEvidence }, { prepareOutputFolder }, { configInputs }, { writeEvidenceOutputs }, { servicesJson }, { configFromCommandLine }] = await Promise.all([
      import('../check/evidence.js'),
      import('../io/output-folder.js'),
      import('../report/write-plan.js'),
      import('../report/write-evidence.js'),
      import('../evidence/services-csv.js'),
      import('./run-config.js'),
    ]);
    const config = configFromCommandLine(io, scenario, { ...flags, out: undefined });
    const plan = flags.plan === undefined ? undefined : resolvePath(io, flags.plan);
    const outDir = resolvePath(io, flags.out ?? DEFAULT_EVIDENCE_OUT);
    // Checked before any data is read: a bad --out must not cost the overlay.
    const folder = prepareOutputFolder(outDir, { inputs: [...configInputs(config), ...(scenario ? [resolvePath(io, scenario)] : []), ...(plan ? [plan] : [])], label: '--out', cwd: io.cwd });
    try {
      const progress = showProgress(io, flags.quiet) && !flags.json;
      const run = runEvidence(config, {
        areas: flags.areas,
        plan,
        planDisplayName: flags.plan,
        allowPartial: flags.allowPartial,
        hooks: { onStage: (stage) => progress && io.stderr.write(`${stage}…\n`) },
      });
      reportNotes(io, run.workspace.notes, { quiet: flags.quiet || flags.json, progress });
      writeEvidenceOutputs(run, folder, { command: reproduceLine(typedArgs(command)) });
      const files = folder.commit().map((f) => relative(io.cwd, f));
      const { evidence } = run;
      const population = evidence.columns.findIndex((c) => c.kind === 'population');
      if (flags.json) {
        const summary = {
          what: run.what,
          source: run.source,
          coveredShare: run.coveredShare,
          partial: run.partial,
          sets: evidence.footprintIds.map((id, f) => ({ id, name: evidence.names[f], population: evidence.rows[f][population] })),
          population: evidence.total[population],
          services: servicesJson(evidence),
          files,
        };
        io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      } else {
        const fmt = (x: number | null) => formatInteger(x ?? 0);
        io.stdout.write(
          terminalText([
            `${evidence.footprintIds.length} ${run.what}s of ${run.source}: ${evidence.footprintIds.map((id, f) => `${id} ${fmt(evidence.rows[f][population])}`).join(', ')} (of ${fmt(evidence.total[population])} residents)`,
            ...evidence.services.map((s) => `${s.name}: ${s.total.required} posts required${s.total.current === null ? '' : `, ${Math.round(s.total.current * 10) / 10} today`}`),
            `wrote ${files.join(', ')}`,
          ].join('\n') + '\n'),
        );
      }
      setExitCode(command, EXIT.ok);
    } finally {
      folder.abort();
    }
  });
  return command;
}
