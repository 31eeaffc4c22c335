import { footprintHeading } from '../report/evidence-markdown.js';
import { formatSigned, table } from '../report/format.js';
import { mdText } from '../report/escape.js';
import { posts } from '../report/services-markdown.js';
import type { EvidencePlan } from './compare-evidence.js';

/**
 * Required posts of two plans side by side: for every footprint of the reference and every
 * service, the posts it requires, those of the footprint matched to it in the other plan (by
 * shared residents), and the change; then the territory's totals, which move only by rounding
 * (and by minimums) when both plans cover every unit.
 */
export function compareServicesMarkdown(reference: EvidencePlan, plan: EvidencePlan, names: [string, string]): string {
  const services = reference.evidence.services;
  if (services.length === 0) return '';
  const ev = reference.evidence;
  const partner = ev.footprintIds.map((id) => plan.matchedTo.indexOf(id));
  // Plain text: table() escapes every text cell.
  const header = ['service', ...ev.footprintIds.map((id, f) => `${footprintHeading(id, ev.names[f])}${partner[f] >= 0 ? ` → ${plan.footprintIds[partner[f]]}` : ''}`), 'total'];
  const rows = services.map((s) => {
    const other = plan.evidence.services.find((x) => x.name === s.name);
    const change = (a: number, b: number | undefined) => (b === undefined ? `${posts(a)} → –` : a === b ? `${posts(a)} (same)` : `${posts(a)} → ${posts(b)} (${formatSigned(b - a, 1)})`);
    return [s.name, ...s.rows.map((row, f) => change(row.required, partner[f] >= 0 ? other?.rows[partner[f]].required : undefined)), change(s.total.required, other?.total.required)];
  });
  return [
    `### Required posts: ${mdText(names[1])} against ${mdText(names[0])}`,
    '',
    `Posts each service requires in each footprint of ${mdText(names[0])} → in the footprint of ${mdText(names[1])} matched to it (change).`,
    '',
    table(header, rows),
  ].join('\n');
}

/** Per footprint of a plan: required posts per service and, for a matched footprint, the change from the reference's. */
export function servicesCompareJson(plan: EvidencePlan, reference: EvidencePlan | null): Array<{ required: Record<string, number>; requiredChange?: Record<string, number | null> }> {
  return plan.footprintIds.map((_, f) => {
    const required = Object.fromEntries(plan.evidence.services.map((s) => [s.name, s.rows[f].required]));
    if (!reference) return { required };
    const fa = reference.footprintIds.indexOf(plan.matchedTo[f]);
    if (fa < 0) return { required };
    const requiredChange = Object.fromEntries(
      plan.evidence.services.map((s) => {
        const base = reference.evidence.services.find((x) => x.name === s.name);
        return [s.name, base ? Math.round((s.rows[f].required - base.rows[fa].required) * 1e6) / 1e6 : null];
      }),
    );
    return { required, requiredChange };
  });
}
