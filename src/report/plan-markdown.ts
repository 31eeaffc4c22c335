import { relative } from 'node:path';
import { jointTable, layerPartition, pairMeasures } from '../align/measures.js';
import type { LayerKind } from '../align/source/types.js';
import type { Area } from '../layers/types.js';
import type { PlanOutcome } from '../pipeline/types.js';
import { formatInteger, formatObjective, formatPercent, formatSigned, table, type TableCell } from './format.js';
import { markup, mdCode, mdFence, mdLink, mdText } from './escape.js';
import { evidenceMarkdown, footprintHeading } from './evidence-markdown.js';
import { servicesMarkdown } from './services-markdown.js';
import type { PlanDetails } from './plan.js';
import { gapPercent } from '../search/index.js';
import { footprintWindow, tightWindow } from '../plan/feasibility.js';

const SOURCE_WORDS: Record<LayerKind, string> = {
  polygons: 'polygons from',
  sites: 'catchments of the nearest site in',
  lookup: 'lookup table',
  membership: 'membership table',
};

export interface PlanMarkdownOptions {
  title: string;
  /** Relative paths of maps written beside the report: the footprint map, then one per layer. */
  maps?: { footprints?: string; layers?: Record<string, string>; evidence?: string; areas?: Record<string, string>; services?: string };
  /** The command that reproduces the run. */
  command?: string;
  /** With many footprints: the file (beside the report) holding what each footprint is made of. */
  compositionFile?: string;
  /** Said instead of the usual status line (explore's plans, whose standing is that of a trade-off). */
  statusLine?: string;
  /** The folder the report is written to: input paths are shown relative to it, so reports do not depend on where the repository lives. */
  folder?: string;
}

/**
 * How much each layer cuts across the others today, S(L|M): the "before" a planner compares the
 * common footprints with. Computed from the crosswalks, so no overlay is repeated.
 */
export function todaysMisalignment(outcome: PlanOutcome): Array<{ layer: string; against: Array<{ layer: string; split: number }> }> {
  const { workspace } = outcome;
  return workspace.layers.map((l) => ({
    layer: l.name,
    against: workspace.layers
      .filter((m) => m !== l)
      .map((m) => {
        const measures = pairMeasures(jointTable(layerPartition(l.crosswalk), layerPartition(m.crosswalk), workspace.populations, { sliverTolerance: workspace.config.sliverTolerance }), {
          sliverTolerance: workspace.config.sliverTolerance,
        });
        return { layer: m.name, split: measures.splitPopulation.xy };
      }),
  }));
}

/** An area of the nesting layer as the report names it: its code, and its name when it has one. */
function nestedAreaTitle(a: { code: string; name: string }): string {
  return a.name !== a.code ? `${a.code} ${a.name}` : a.code;
}

/** A footprint's range of residents (footprintWindow), as "54,323–55,000 (a range of 677)". */
function rangeText(w: { low: number; high: number }): string {
  return `${formatInteger(w.low)}–${formatInteger(w.high)} (a range of ${formatInteger(w.high - w.low)})`;
}

export function planMarkdown(outcome: PlanOutcome, details: PlanDetails, options: PlanMarkdownOptions): string {
  const { workspace, footprintIds, populations, objective } = outcome;
  const { config } = workspace;
  const k = footprintIds.length;
  const total = populations.reduce((s, p) => s + p, 0);
  const mean = total / k;
  const out: string[] = [];
  out.push(`# ${mdText(options.title)}\n`);

  const statusLine =
    options.statusLine ??
    (outcome.status === 'optimal'
      ? `**optimal** (proven: no plan meeting the constraints scores lower)`
      : outcome.status === 'heuristic'
        ? `**best found** by heuristic search (not proven optimal${outcome.bound !== null ? `; proven lower bound ${formatObjective(outcome.bound)}, a gap of ${gapPercent(objective.total, outcome.bound).toFixed(1)}%, so at most ${formatObjective(objective.total - outcome.bound)} above the optimum` : ''})`
        : '**given plan** (read from a file)');
  out.push(`${k} footprints of ${formatInteger(config.min)}–${formatInteger(config.max)} residents built from ${workspace.units.areas.length} units (${formatInteger(total)} residents). Status: ${statusLine}.\n`);
  if (outcome.search) {
    const s = outcome.search;
    // No timings here: the same inputs and seed must give a byte-identical report.
    out.push(`Search: ${mdText(s.method)}, seed ${s.seed}${s.timeLimitHit ? ' (cut short by the time limit, so the result may differ between machines)' : ''}.\n`);
  }

  out.push('## Objective\n');
  out.push('The objective is Σ weight × S(layer | footprints) + compactness weight × cut-edge share; S is the share of residents not in the footprint holding most of their service area (see docs/metrics.md).\n');
  const rows: TableCell[][] = objective.terms.map((t) => [t.layer, t.weight, formatObjective(t.value), formatObjective(t.weight * t.value)]);
  if (objective.compactness.weight > 0) {
    rows.push(['compactness (cut edges / all edges)', objective.compactness.weight, formatObjective(objective.compactness.value), formatObjective(objective.compactness.weight * objective.compactness.value)]);
  }
  rows.push([markup('**total**'), '', '', markup(`**${formatObjective(objective.total)}**`)]);
  out.push(table(['term', 'weight', 'value', 'weighted'], rows));

  if (options.maps?.footprints) out.push(`\n![Footprints](${mdLink(options.maps.footprints)})\n`);

  const layerNames = workspace.layers.map((l) => l.name);
  const footprintTable = (rows: number[]) =>
    table(
      ['footprint', 'population', 'vs mean', 'in bounds', 'units', ...layerNames.map((n) => `S(${n}) share`)],
      rows.map((f) => [
        footprintHeading(footprintIds[f], details.evidence.names[f]),
        formatInteger(populations[f]),
        `${formatSigned(populations[f] - mean)} (${formatSigned(((populations[f] - mean) / mean) * 100, 1)}%)`,
        populations[f] >= config.min && populations[f] <= config.max ? 'yes' : markup('**no**'),
        unitCounts[f],
        ...details.contributions.map((c) => formatObjective(c[f])),
      ]),
    );
  const unitCounts = new Array<number>(k).fill(0);
  for (const f of outcome.assignment) unitCounts[f]++;
  const boundsNote = `\nBounds ${formatInteger(config.min)}–${formatInteger(config.max)}; mean ${formatInteger(mean)}. A footprint's "S share" is the residents of that layer's areas who sit in the footprint while most of their area is elsewhere, as a share of all residents: the shares add up to the layer's term.\n`;
  if (outcome.nesting) {
    const nesting = outcome.nesting;
    out.push(`\n## Areas of ${mdText(nesting.layer)}\n`);
    out.push(`Footprints are nested in the areas of ${mdText(nesting.layer)}: each unit belongs to the area holding most of its residents, and every footprint lies inside one area. Each area was searched on its own (seed from the run's seed and the area's code); its objective below is measured within the area.\n`);
    out.push(
      table(
        ['area', 'units', 'residents', 'k', 'status', 'objective in area', 'footprints'],
        nesting.areas.map((a) => [
          nestedAreaTitle(a),
          a.units,
          formatInteger(a.population),
          a.k === null ? '–' : `${a.k}${a.kSource === 'auto' ? ' (auto)' : ''}`,
          a.failure ? markup(`**no plan**: ${mdText(a.failure.reason)}`) : a.status === 'optimal' ? 'optimal' : a.bound !== null ? `best found, gap ${(a.gap ?? 0).toFixed(1)}%` : 'best found',
          a.objective === null ? '–' : formatObjective(a.objective),
          a.footprints.length === 0 ? '–' : a.footprints.length === 1 ? footprintIds[a.footprints[0]] : `${footprintIds[a.footprints[0]]} … ${footprintIds[a.footprints[a.footprints.length - 1]]}`,
        ]),
      ),
    );
    const auto = nesting.areas.some((a) => a.kSource === 'auto');
    if (auto) out.push(`\nk (auto): the smallest number of footprints whose ${formatInteger(config.min)}–${formatInteger(config.max)} residents each can hold the area's residents.\n`);
    const tight = nesting.areas.filter((a) => a.k !== null && tightWindow(a.population, a.k, config.min, config.max));
    if (tight.length > 0) {
      out.push(`\nTight bounds: with these k, each footprint of ${tight.length === 1 ? 'this area' : 'these areas'} must hold residents within a narrow range, so a plan splits areas to balance that more room would keep whole (a higher max, or a larger k for the area, gives it):\n`);
      for (const a of tight) {
        out.push(`- ${mdText(nestedAreaTitle(a))}: ${a.k} footprints of ${formatInteger(a.population)} residents, each ${rangeText(footprintWindow(a.population, a.k!, config.min, config.max))}`);
      }
      out.push('');
    }
    out.push('\n## Footprints\n');
    out.push(boundsNote);
    for (const a of nesting.areas) {
      out.push(`\n### ${mdText(nestedAreaTitle(a))}\n`);
      if (a.failure) {
        out.push(`No plan: ${mdText(a.failure.reason)}\n`);
        continue;
      }
      const map = options.maps?.areas?.[a.code];
      if (map) out.push(`![Footprints of ${mdText(a.code)}](${mdLink(map)})\n`);
      out.push(footprintTable(a.footprints));
    }
  } else {
    out.push('\n## Footprints\n');
    out.push(footprintTable(footprintIds.map((_, f) => f)));
    out.push(boundsNote);
    if (tightWindow(total, k, config.min, config.max)) {
      out.push(`\nTight bounds: ${k} footprints of ${formatInteger(total)} residents must each hold ${rangeText(footprintWindow(total, k, config.min, config.max))}, so a plan splits areas to balance that more room would keep whole; a higher max or a larger k gives it.\n`);
    }
  }

  out.push(...alignmentSection(outcome, details, options));

  out.push('', evidenceMarkdown(details.evidence, workspace.evidence, { chart: options.maps?.evidence, layerNames: workspace.layers.map((l) => l.name), compositionFile: options.compositionFile }));
  out.push('', servicesMarkdown(details.evidence, workspace.evidence, { chart: options.maps?.services }));

  // A database source (`PG:…`, password already masked by the loader) is no path to make relative.
  const shown = (path: string) => (options.folder && !/^PG:/i.test(path) ? relative(options.folder, path) || path : path);
  out.push('\n## Inputs\n');
  out.push(`- units: ${mdCode(shown(workspace.units.source))} (id ${mdCode(workspace.units.idField)}, population ${mdCode(String(workspace.units.populationField))})`);
  for (const l of workspace.layers) out.push(`- ${mdText(l.name)}: ${SOURCE_WORDS[l.kind]} ${mdCode(shown(l.layer.source))}, ${l.layer.areas.length} areas, weight ${l.weight}${l.keepWhole ? ', kept whole' : ''}${l.kind !== 'polygons' ? ` (polygons in ${mdCode(`layers/${l.name}.geojson`)})` : ''}`);
  // Evidence notes are shown in the evidence section.
  for (const note of workspace.notes.filter((n) => !n.startsWith('evidence: '))) out.push(`- note: ${mdText(note)}`);
  out.push('');
  if (options.command) out.push(`\nReproduce with:\n\n${mdFence(options.command, 'sh')}\n`);
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/** Per service layer: how it cuts today against the others, and with these footprints (split, coterminosity, most split areas). */
function alignmentSection(outcome: PlanOutcome, details: PlanDetails, options: PlanMarkdownOptions): string[] {
  const { workspace } = outcome;
  const out: string[] = ['\n## Alignment with each service layer\n'];
  const today = todaysMisalignment(outcome);
  details.misalignment.forEach((m, j) => {
    const layer = workspace.layers[j];
    out.push(`\n### ${mdText(layer.name)}${layer.keepWhole ? ' (kept whole)' : ''}\n`);
    const before = today[j].against;
    const beforeText = before.length > 0 ? before.map((b) => `S(${mdText(layer.name)}|${mdText(b.layer)}) = ${formatObjective(b.split)}`).join(', ') : 'no other layer to compare with';
    if (layer.keepWhole) out.push(`- Kept whole: ${mdText(layer.homeRule)}, and an area is whole when all its units are in one footprint. The split figures below, the map and \`footprint check\` all count this way.`);
    out.push(`- Today, against the other service maps: ${beforeText}.`);
    out.push(`- With these footprints: S(${mdText(layer.name)}|footprints) = **${formatObjective(m.splitPopulation)}**; ${m.splitCount} of ${layer.layer.areas.length} areas split; coterminosity ${formatPercent(m.coterminosity)} of residents live in areas with at least 95% in one footprint.`);
    if (m.excludedPopulation > 0) out.push(`- ${formatInteger(m.excludedPopulation)} residents live in units the layer does not cover; they are left out of its measures.`);
    const map = options.maps?.layers?.[layer.name];
    if (map) out.push(`\n![${mdText(layer.name)} areas split by the footprints](${mdLink(map)})\n`);
    if (m.mostSplit.length > 0) {
      out.push('\nAreas split by the footprints, most residents outside their largest piece first:\n');
      out.push(
        table(
          ['area', 'residents', 'outside largest piece', 'pieces (footprint: residents)'],
          m.mostSplit.map((s) => [areaCell(layer.layer.areas.find((a) => a.id === s.id), s.id), formatInteger(s.population), formatInteger(s.splitPopulation), s.pieces.map((p) => `${p.id}: ${formatInteger(p.population)}`).join(', ')]),
        ),
      );
    } else out.push('\nNo area of this layer is split.\n');
  });
  return out;
}

function areaCell(area: Area | undefined, id: string): string {
  return area?.name && area.name !== id ? `${id} ${area.name}` : id;
}
