import { basename } from 'node:path';
import type { ColumnKind, EvidenceColumn, EvidenceInputs, PlanEvidence } from '../evidence/evidence.js';
import { needFormula } from '../evidence/need.js';
import { coverageNote } from '../evidence/tables.js';
import { formatInteger, formatPercent, formatSigned, table } from './format.js';
import { mdCode, mdLink, mdText } from './escape.js';

/** A figure as people read it in a report: counts whole, shares as percentages, gaps signed. */
export function formatEvidence(kind: ColumnKind, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  switch (kind) {
    case 'population':
    case 'need':
    case 'sites':
    case 'sum':
    case 'distance':
      return formatInteger(value);
    case 'per10k':
    case 'mean':
      return value.toFixed(2);
    case 'share':
      return formatPercent(value);
    // Staff in tens get a decimal; budgets and pupils in thousands do not need one.
    case 'current':
    case 'fair':
      return Math.abs(value) >= 100 ? formatInteger(value) : value.toFixed(1);
    case 'gap':
      return formatSigned(value, Math.abs(value) >= 100 ? 0 : 1);
  }
}

/** `F1 Chadderton North`: how a footprint is headed in tables. */
export function footprintHeading(id: string, name: string): string {
  return name === id ? id : `${id} ${name}`;
}

const GROUPS: Array<{ title: string; kinds: ColumnKind[] }> = [
  { title: 'Residents and need', kinds: ['population', 'need'] },
  { title: 'Assets', kinds: ['sites', 'per10k', 'distance'] },
  { title: 'Need and demand indicators', kinds: ['sum', 'mean', 'share'] },
  { title: 'Resources', kinds: ['current', 'fair', 'gap'] },
];

/**
 * The evidence section of report.md: per group of measures a table with the measures as rows and
 * the footprints (then the whole territory) as columns, the notes on coverage and method under it,
 * then what each footprint is made of.
 */
export function evidenceMarkdown(evidence: PlanEvidence, inputs: EvidenceInputs, options: { chart?: string; layerNames: string[]; intro?: string; what?: string }): string {
  const what = options.what ?? 'footprint';
  const out: string[] = ['## Evidence', ''];
  const headings = evidence.footprintIds.map((id, f) => footprintHeading(id, evidence.names[f]));
  const given = Object.keys(inputs.names).length > 0;
  const namedBy = evidence.namingLayer >= 0 ? options.layerNames[evidence.namingLayer] : null;
  if (options.intro) out.push(options.intro, '');
  else out.push(
    `Per footprint and for the whole territory. ${given ? 'Names as given in the scenario' : namedBy ? `Footprints are named after the area of layer ${mdCode(namedBy)} holding most of their residents` : 'Footprints are shown by id'}${given && namedBy ? `; others after the area of layer ${mdCode(namedBy)} holding most of their residents` : ''}. The same figures are in \`evidence.csv\`; formulas in docs/metrics.md.`,
    '',
  );
  if (options.chart) out.push(`![Evidence per footprint](${mdLink(options.chart)})`, '');
  for (const group of GROUPS) {
    const columns = evidence.columns.map((c, j) => ({ c, j })).filter(({ c }) => group.kinds.includes(c.kind));
    if (columns.length === 0) continue;
    out.push(`### ${group.title}`, '');
    out.push(
      table(
        ['measure', ...headings, 'total'],
        columns.map(({ c, j }) => [label(c, inputs), ...evidence.rows.map((row) => formatEvidence(c.kind, row[j])), formatEvidence(c.kind, evidence.total[j])]),
      ),
    );
    out.push(...groupNotes(group.title, evidence, inputs, headings), '');
  }
  out.push(`### What each ${what} is made of`, '');
  if (evidence.composition.length === 0) out.push('No service layers were given, so there is nothing to list.', '');
  else {
    out.push(`Every area with residents in the ${what}, with the share of the area's residents inside it (most residents first).`, '');
    evidence.footprintIds.forEach((_, f) => {
      out.push(`- **${mdText(headings[f])}**`);
      for (const layer of evidence.composition) {
        const parts = layer.footprints[f];
        const shown = parts.filter((p) => p.share >= 0.01);
        const hidden = parts.length - shown.length;
        out.push(`  - ${mdText(layer.layer)}: ${shown.map((p) => `${mdText(p.name)} ${sharePercent(p.share)}`).join(', ') || 'none'}${hidden > 0 ? `, and ${hidden} more with under 1% of their residents here` : ''}`);
      }
    });
    out.push('');
  }
  return out.join('\n');
}

function sharePercent(share: number): string {
  const pct = share * 100;
  // 99.6% is not the same as whole: round down near 100 so "100%" always means all of it.
  return pct >= 99.95 ? '100%' : `${Math.min(99, Math.round(pct))}%`;
}

function label(c: EvidenceColumn, inputs: EvidenceInputs): string {
  if (c.kind === 'need') return `need (${needFormula(inputs.needWeights)})`;
  return c.label;
}

function groupNotes(title: string, evidence: PlanEvidence, inputs: EvidenceInputs, headings: string[]): string[] {
  const notes: string[] = [];
  if (title === 'Residents and need' && evidence.columns.some((c) => c.kind === 'need')) {
    notes.push(`Need is a weighted count of people: ${mdText(needFormula(inputs.needWeights))}${inputs.needStated ? '' : ' (no weights given)'}.`);
  }
  if (title === 'Assets') {
    for (const a of inputs.assets) {
      const polygons = a.features.some((f) => f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon');
      notes.push(
        `${mdText(a.name)}: ${a.sites.length} site(s) from ${a.features.length} feature(s)${polygons ? ` (buildings within ${a.siteDistance} m of each other are one site)` : ''}${a.outside > 0 ? `; ${a.outside} outside every unit, not counted` : ''}. Distances are straight lines from each unit's centre to the nearest site, averaged over residents.`,
      );
    }
  }
  if (title === 'Need and demand indicators') {
    notes.push('Counts are summed; means are population-weighted; shares are the percentage of residents living in units whose value is in the range.');
    for (const [column, list] of evidence.covered) {
      const gaps = list.map((share, i) => ({ share, i })).filter((x) => x.share < 1);
      if (gaps.length === 0) continue;
      const total = list[list.length - 1];
      const per = gaps.filter((g) => g.i < headings.length).map((g) => `${mdText(headings[g.i])} ${formatPercent(g.share)}`);
      notes.push(`${mdCode(column)} uses only units with a value: ${formatPercent(total)} of residents overall${per.length > 0 ? ` (${per.join(', ')})` : ''}.`);
    }
    for (const c of inputs.coverage) {
      const note = coverageNote({ ...c, file: basename(c.file) });
      notes.push(note ? `Coverage: ${mdText(note)}.` : `Coverage: ${mdText(basename(c.file))} has a row for every unit.`);
    }
  }
  if (title === 'Resources') {
    notes.push("Current: each area's amount shared among its units by residents (a site's amount stays where the site is). Fair: the total times the footprint's share of need. Gap = current − fair; gaps add up to zero.");
    for (const r of inputs.resources) {
      const own = r.need !== inputs.needWeights ? `; need for its fair share: ${mdText(needFormula(r.need))}` : '';
      notes.push(`${mdText(r.name)}: from ${mdCode(r.source)}, total ${r.total.toFixed(1)}${own}.${r.notes.map((n) => ` ${mdText(n)}.`).join('')}`);
    }
  }
  return notes.length > 0 ? ['', ...notes.map((n) => `- ${n}`)] : [];
}
