import type { EvidenceRun } from '../pipeline/evidence.js';
import { evidenceCsv } from '../evidence/csv.js';
import { servicesCsv } from '../evidence/services-csv.js';
import { prepareOutputFolder, writeOutputFolder, type OutputWriter } from '../io/output-folder.js';
import { evidenceChart } from './evidence-chart.js';
import { evidenceMarkdown } from './evidence-markdown.js';
import { formatInteger, formatPercent } from './format.js';
import { servicesChart } from './services-chart.js';
import { servicesMarkdown } from './services-markdown.js';
import { mdCode, mdFence, mdText } from './escape.js';
import { configInputs } from './write-plan.js';

/**
 * The outputs of `footprint evidence`: evidence.csv, services.csv (when services are declared),
 * report.md and its charts, for the areas of a layer or the footprints of a plan. Given a folder
 * path, it is checked, staged and swapped in as one unit; given a writer, the caller commits.
 */
export function writeEvidenceOutputs(run: EvidenceRun, out: string | OutputWriter, options: { title?: string; command?: string; inputs?: string[] } = {}): { files: string[] } {
  if (typeof out === 'string') {
    const folder = prepareOutputFolder(out, { inputs: [...configInputs(run.workspace.config), ...(options.inputs ?? [])], label: 'output folder' });
    return writeOutputFolder(folder, (writer) => writeEvidenceOutputs(run, writer, options)).result;
  }
  const { evidence } = run;
  const files: string[] = [];
  const services = evidence.services.length > 0;
  files.push(out.write('evidence.csv', evidenceCsv(evidence)));
  if (services) files.push(out.write('services.csv', servicesCsv(evidence)));
  files.push(out.write('report.md', evidenceReport(run, { ...options, charts: { evidence: 'evidence.svg', services: services ? 'services.svg' : undefined } })));
  const title = run.what === 'area' ? `per area of ${run.source}` : `per footprint of ${run.source}`;
  files.push(out.write('evidence.svg', evidenceChart(evidence, { title: `Evidence ${title}` })));
  if (services) files.push(out.write('services.svg', servicesChart(evidence, { title: `Posts required (bar, range line) and today (tick) ${title}` })));
  return { files };
}

export function evidenceReport(run: EvidenceRun, options: { title?: string; command?: string; charts?: { evidence?: string; services?: string } }): string {
  const { evidence, workspace, what } = run;
  const j = evidence.columns.findIndex((c) => c.kind === 'population');
  const residents = evidence.rows.reduce((s, row) => s + (row[j] ?? 0), 0);
  const total = evidence.total[j] ?? 0;
  const sets = evidence.footprintIds.length;
  const heading = options.title ?? (what === 'area' ? `Evidence for the areas of ${run.source}` : `Evidence for the plan ${run.source}`);
  const out: string[] = [`# ${mdText(heading)}`, ''];
  out.push(
    what === 'area'
      ? `${sets} areas of layer ${mdCode(run.source)}, read as if they were footprints: each unit counts in an area by its share w(u,a) of the layer's crosswalk, so an area cut through a unit gets that fraction of its residents and figures. The areas hold ${formatInteger(residents)} of the ${formatInteger(total)} residents of the ${workspace.units.areas.length} units (${formatPercent(run.coveredShare)}).`
      : `${sets} footprints of the plan ${mdText(run.source)} (whole units; the plan is not checked against the run's bounds, contiguity or k). They hold ${formatInteger(residents)} of the ${formatInteger(total)} residents (${formatPercent(run.coveredShare)})${run.partial ? `; the plan is partial: ${mdText(run.partial)}` : ''}.`,
    '',
  );
  const layerNames = workspace.layers.map((l) => l.name);
  const intro = what === 'area' ? `Per area of ${mdCode(run.source)} and for the whole territory (all units). Areas are named as in the layer. The same figures are in \`evidence.csv\`; formulas in docs/metrics.md.` : undefined;
  out.push(evidenceMarkdown(evidence, workspace.evidence, { chart: options.charts?.evidence, layerNames, intro, what }));
  const services = servicesMarkdown(evidence, workspace.evidence, { chart: options.charts?.services, what });
  if (services) out.push('', services);
  const notes = workspace.notes.filter((n) => n.startsWith('evidence: '));
  if (notes.length > 0) out.push('', '## Notes', '', ...notes.map((n) => `- ${mdText(n.slice('evidence: '.length))}`));
  if (options.command) out.push('', 'Reproduce with:', '', mdFence(options.command, 'sh'));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
