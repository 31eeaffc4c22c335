/// <reference lib="dom" />
import type { PlanEvidence } from '../../evidence/evidence.js';
import { posts } from '../../report/services-markdown.js';
import { el as make } from './dom.js';

/**
 * The workshop panel's team table: per service (rows) and footprint (columns), the posts required,
 * with the range and today's posts beneath, and the territory's total. The figures are the
 * library's (planServices through planEvidence), so they equal services.csv of `footprint evidence
 * --plan` on the exported plan. Text from data goes in as textContent, never as markup.
 */
export function teamTable(evidence: PlanEvidence): HTMLTableElement | null {
  if (evidence.services.length === 0) return null;
  const table = make('table', { id: 'team' });
  const head = make('tr');
  head.append(make('th', {}, 'posts required'), ...evidence.footprintIds.map((id) => make('th', {}, id)), make('th', {}, 'all'));
  table.append(head);
  for (const s of evidence.services) {
    const tr = make('tr', { 'data-service': s.name });
    const label = make('td');
    label.append(make('div', {}, s.name), make('div', { class: 'muted' }, s.team));
    tr.append(label);
    const cells = [...s.rows.map((row, f) => ({ row, id: evidence.footprintIds[f] })), { row: s.total, id: 'total' }];
    for (const { row, id } of cells) {
      const td = make('td', { class: 'num', 'data-footprint': id });
      const short = row.gap !== null && row.gap < 0;
      td.append(make('div', { class: `required${short ? ' bad' : ''}` }, posts(row.required)));
      const detail = [row.low === row.high ? null : `${posts(row.low)}–${posts(row.high)}`, row.current === null ? null : `today ${(Math.round(row.current * 10) / 10).toFixed(1)}`].filter((x): x is string => x !== null);
      if (detail.length > 0) td.append(make('div', { class: 'muted', style: 'white-space:nowrap;font-size:85%' }, detail.join(' · ')));
      tr.append(td);
    }
    table.append(tr);
  }
  return table;
}
