/// <reference lib="dom" />
/**
 * The workshop page's live panel: footprints (residents against the bounds, contiguity), the
 * objective term by term, the constraints that fail, the posts each footprint requires per service
 * (team.ts), and the evidence per footprint, redrawn from
 * the session's figures after every change.
 */
import { formatEvidence, footprintHeading } from '../../report/evidence-markdown.js';
import { formatInteger as fmt } from '../../report/format.js';
import type { WorkshopData } from '../data.js';
import { el } from './dom.js';
import type { Figures } from '../session.js';
import { teamTable } from './team.js';

export function renderPanel(panel: HTMLElement, data: WorkshopData, figures: Figures, ms: number, colour: (f: number) => string): void {
  const team = teamTable(figures.evidence);
  panel.replaceChildren(
    el('h2', {}, 'Footprints'),
    footprintsTable(data, figures, colour),
    el('h2', {}, 'Objective'),
    objectiveTable(data, figures),
    el('h2', {}, 'Constraints'),
    findingsList(figures),
    ...(team ? [el('h2', {}, 'Team: posts required'), team] : []),
    el('h2', {}, 'Evidence'),
    evidenceTable(data, figures),
    el('p', { class: 'muted', id: 'timing' }, `updated in ${ms.toFixed(1)} ms`),
  );
}

/** One row per footprint: residents, against the bounds, and how many pieces it is in. */
function footprintsTable(data: WorkshopData, figures: Figures, colour: (f: number) => string): HTMLTableElement {
  const names = figures.evidence.names;
  const rows = data.footprintIds.map((id, f) => {
    const p = figures.populations[f];
    const inBounds = p >= data.min && p <= data.max;
    const tr = el('tr', { 'data-footprint': id });
    const sw = el('td');
    sw.append(el('span', { class: 'swatch', style: `background:${colour(f)}` }), ` ${footprintHeading(id, names[f])}`);
    tr.append(
      sw,
      el('td', { class: 'num population' }, fmt(p)),
      el('td', { class: inBounds ? 'ok' : 'bad' }, inBounds ? 'in bounds' : p < data.min ? `${fmt(data.min - p)} short` : `${fmt(p - data.max)} over`),
      el('td', { class: figures.pieces[f] === 1 ? 'ok' : 'bad' }, figures.pieces[f] === 1 ? 'contiguous' : figures.pieces[f] === 0 ? 'empty' : `${figures.pieces[f]} pieces`),
    );
    return tr;
  });
  const footprints = el('table', { id: 'footprints' });
  footprints.append(el('tr', {}, ''), ...rows);
  footprints.rows[0].append(el('th', {}, 'footprint'), el('th', {}, 'residents'), el('th', {}, `${fmt(data.min)}–${fmt(data.max)}`), el('th', {}, 'contiguity'));
  return footprints;
}

/** The objective: each weighted split term, compactness, and the total. */
function objectiveTable(data: WorkshopData, figures: Figures): HTMLTableElement {
  const objective = el('table', { id: 'objective' });
  objective.append(el('tr'));
  objective.rows[0].append(el('th', {}, 'term'), el('th', {}, 'weight'), el('th', {}, 'S(layer|plan)'), el('th', {}, 'weighted'));
  for (const s of figures.splits) {
    const tr = el('tr', { 'data-layer': s.layer });
    tr.append(el('td', {}, s.layer), el('td', { class: 'num' }, String(s.weight)), el('td', { class: 'num split' }, s.value.toFixed(4)), el('td', { class: 'num' }, (s.weight * s.value).toFixed(4)));
    objective.append(tr);
  }
  if (data.compactnessWeight > 0) {
    const tr = el('tr');
    tr.append(el('td', {}, 'compactness'), el('td', { class: 'num' }, String(data.compactnessWeight)), el('td', { class: 'num' }, figures.compactness.toFixed(4)), el('td', { class: 'num' }, (data.compactnessWeight * figures.compactness).toFixed(4)));
    objective.append(tr);
  }
  const total = el('tr');
  total.append(el('th', {}, 'objective'), el('td'), el('td'), el('th', { class: 'num', id: 'objective-value' }, figures.objective.toFixed(4)));
  objective.append(total);
  return objective;
}

/** The constraints that fail (or one line saying every one holds). */
function findingsList(figures: Figures): HTMLUListElement {
  const problems = el('ul', { id: 'findings' });
  for (const f of figures.findings) problems.append(el('li', { class: 'bad', 'data-constraint': f.constraint }, f.message));
  for (const b of figures.breaches) problems.append(el('li', { class: 'bad', 'data-constraint': 'keep-whole' }, `${b.layer} ${b.area} is kept whole but split between ${b.footprints.join(' and ')}`));
  if (problems.children.length === 0) problems.append(el('li', { class: 'ok' }, 'every constraint holds'));
  return problems;
}

/** Evidence columns by footprint, and for the whole map. */
function evidenceTable(data: WorkshopData, figures: Figures): HTMLTableElement {
  const evidence = el('table', { id: 'evidence' });
  evidence.append(el('tr'));
  evidence.rows[0].append(el('th', {}, 'evidence'), ...data.footprintIds.map((id) => el('th', {}, id)), el('th', {}, 'all'));
  figures.evidence.columns.forEach((c, j) => {
    const tr = el('tr', { 'data-column': c.name });
    tr.append(el('td', {}, c.label), ...figures.evidence.rows.map((row) => el('td', { class: 'num' }, formatEvidence(c.kind, row[j]))), el('td', { class: 'num' }, formatEvidence(c.kind, figures.evidence.total[j])));
    evidence.append(tr);
  });
  return evidence;
}
