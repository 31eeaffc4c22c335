import type { EvidenceInputs, PlanEvidence } from '../evidence/evidence.js';
import { serviceFormula, type ServiceResult, type ServiceRow } from '../evidence/services.js';
import { footprintHeading, formatEvidence } from './evidence-markdown.js';
import { mdLink, mdText } from './escape.js';
import { formatSigned, table } from './format.js';

/**
 * The section of report.md that says what each footprint needs: the cohorts (tiers of need) per
 * footprint, then per footprint its team (every service's required posts with the range, against
 * today's posts), then the whole territory, and how each figure was made. `what` names the sets:
 * "footprint" for a plan, "area" for `evidence --areas`.
 */
export function servicesMarkdown(evidence: PlanEvidence, inputs: EvidenceInputs, options: { chart?: string; what?: string } = {}): string {
  const what = options.what ?? 'footprint';
  const cohortColumns = evidence.columns.map((c, j) => ({ c, j })).filter(({ c }) => inputs.cohorts.includes(c.name));
  if (evidence.services.length === 0 && cohortColumns.length === 0) return '';
  const out: string[] = [`## What each ${what} needs`, ''];
  // Plain text: table() escapes every text cell; headings outside tables go through mdText.
  const headings = evidence.footprintIds.map((id, f) => footprintHeading(id, evidence.names[f]));
  if (cohortColumns.length > 0) {
    out.push('### Cohorts', '');
    out.push(`Residents per tier of need in each ${what} (people; tiers from the scenario's \`evidence.cohorts\`).`, '');
    out.push(table(['tier', ...headings, 'total'], cohortColumns.map(({ c, j }) => [c.name, ...evidence.rows.map((row) => formatEvidence('sum', row[j])), formatEvidence('sum', evidence.total[j])])));
  }
  if (evidence.services.length === 0) return out.join('\n');
  out.push(
    `Required posts per service: demand (a weighted count of people or cases per year) divided by the capacity of one post, rounded to the service's step so that the ${what}s' posts add up to the rounded total (largest remainder; docs/metrics.md). Low and high apply the service's range. Gap = current − required: negative means fewer posts today than the demand calls for. The same figures are in \`services.csv\`.`,
    '',
  );
  if (options.chart) out.push(`![Required and current posts per ${what}](${mdLink(options.chart)})`, '');
  evidence.footprintIds.forEach((_, f) => {
    out.push(`### ${mdText(headings[f])}`, '');
    out.push(teamTable(evidence.services, (s) => s.rows[f]));
  });
  out.push(`### Whole territory (sum of the ${what}s)`, '');
  out.push(teamTable(evidence.services, (s) => s.total));
  out.push('', ...serviceNotes(evidence.services, inputs, what).map((n) => `- ${n}`), '');
  return out.join('\n');
}

function teamTable(services: ServiceResult[], rowOf: (s: ServiceResult) => ServiceRow): string {
  return table(
    ['service', 'team', 'demand', 'required', 'range', 'current', 'gap'],
    services.map((s) => {
      const row = rowOf(s);
      return [s.name, s.team, formatEvidence('sum', row.demand), posts(row.required), row.low === row.high ? '–' : `${posts(row.low)}–${posts(row.high)}`, row.current === null ? '–' : formatCurrent(row.current), row.gap === null ? '–' : formatSigned(row.gap, 1)];
    }),
    ['l', 'l', 'r', 'r', 'r', 'r', 'r'],
  );
}

function serviceNotes(services: ServiceResult[], inputs: EvidenceInputs, what: string): string[] {
  return services.map((result) => {
    const s = inputs.services.find((x) => x.name === result.name)!;
    const parts = [`${mdText(s.name)} (${mdText(s.team)}): ${mdText(serviceFormula(s))}`];
    if (s.range[0] !== 1 || s.range[1] !== 1) parts.push(`range × ${s.range[0]}–${s.range[1]}`);
    parts.push(`steps of ${s.step}`);
    if (s.minimum > 0) parts.push(`at least ${s.minimum} per ${what}`);
    parts.push(
      s.current === null
        ? 'no figure for today\'s posts'
        : s.current.kind === 'units'
          ? `today's posts from ${mdText(base(s.current.source))} (an area's posts shared among its units by residents; a site's counted where it is)`
          : `today's posts per ${what} from ${mdText(base(s.current.source))}`,
    );
    let note = `${parts.join('; ')}.`;
    if (result.minimumsRaised) note += ` The minimums exceed the demand's total, so every ${what} gets the minimum and the total rises above the demand.`;
    for (const n of result.notes) note += ` ${mdText(n)}.`;
    return note;
  });
}

function base(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Posts as people read them: one decimal unless whole. */
export function posts(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value * 10 - Math.round(value * 10)) < 1e-9 ? 1 : 2);
}

/** Today's posts, shared out by residents, to one decimal. */
function formatCurrent(value: number): string {
  return (Math.round(value * 10) / 10).toFixed(1);
}
