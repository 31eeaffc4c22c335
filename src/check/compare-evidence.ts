import { evidenceProperties, roundEvidence } from '../evidence/csv.js';
import type { PlanEvidence } from '../evidence/evidence.js';
import { footprintHeading, formatEvidence } from '../report/evidence-markdown.js';
import { table } from '../report/format.js';
import { mdText } from '../report/escape.js';

/**
 * The evidence of two plans side by side: for every footprint of the reference, its figures, those
 * of the footprint matched to it in the other plan (by shared residents), and the difference.
 */
export interface EvidencePlan {
  footprintIds: string[];
  /** Reference footprint id each footprint is matched to, '–' when none. */
  matchedTo: string[];
  evidence: PlanEvidence;
}

/** Per footprint of a plan: its evidence and, for a matched footprint, the difference from the reference's. */
export function evidenceJson(plan: EvidencePlan, reference: EvidencePlan | null): Array<{ name: string; evidence: Record<string, number | null>; difference?: Record<string, number | null> }> {
  return plan.footprintIds.map((_, f) => {
    const evidence = evidenceProperties(plan.evidence, f);
    const entry: { name: string; evidence: Record<string, number | null>; difference?: Record<string, number | null> } = { name: plan.evidence.names[f], evidence };
    if (reference) {
      const fa = reference.footprintIds.indexOf(plan.matchedTo[f]);
      if (fa >= 0) {
        const base = evidenceProperties(reference.evidence, fa);
        entry.difference = Object.fromEntries(
          plan.evidence.columns.map((c) => [c.name, evidence[c.name] === null || base[c.name] === null ? null : roundEvidence(c.kind, evidence[c.name]! - base[c.name]!)]),
        );
      }
    }
    return entry;
  });
}

export function compareEvidenceMarkdown(reference: EvidencePlan, plan: EvidencePlan, names: [string, string]): string {
  const ev = reference.evidence;
  if (ev.columns.length <= 1) return '';
  // For each reference footprint, the footprint of the other plan matched to it.
  const partner = ev.footprintIds.map((id) => plan.matchedTo.indexOf(id));
  const header = ['measure', ...ev.footprintIds.map((id, f) => `${footprintHeading(id, ev.names[f])}${partner[f] >= 0 ? ` → ${plan.footprintIds[partner[f]]}` : ''}`)];
  const rows = ev.columns.map((c, j) => [
    c.label,
    ...ev.footprintIds.map((_, f) => {
      const a = ev.rows[f][j];
      const fb = partner[f];
      if (fb < 0) return `${formatEvidence(c.kind, a)} → –`;
      const b = plan.evidence.rows[fb][j];
      if (a === null || b === null) return `${formatEvidence(c.kind, a)} → ${formatEvidence(c.kind, b)}`;
      if (formatEvidence(c.kind, a) === formatEvidence(c.kind, b)) return `${formatEvidence(c.kind, a)} (same)`;
      return `${formatEvidence(c.kind, a)} → ${formatEvidence(c.kind, b)} (${difference(c.kind, b - a)})`;
    }),
  ]);
  return [
    `### Evidence: ${mdText(names[1])} against ${mdText(names[0])}`,
    '',
    `Each column is a footprint of ${mdText(names[0])} and the footprint of ${mdText(names[1])} matched to it: its figure in ${mdText(names[0])} → in ${mdText(names[1])} (difference).`,
    '',
    table(header, rows),
  ].join('\n');
}

function difference(kind: Parameters<typeof formatEvidence>[0], delta: number): string {
  const sign = delta >= 0 ? '+' : '−';
  if (kind === 'share') return `${sign}${Math.abs(delta * 100).toFixed(1)} pts`;
  if (kind === 'gap') return formatEvidence('gap', delta);
  return `${sign}${formatEvidence(kind, Math.abs(delta))}`;
}
