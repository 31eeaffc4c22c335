import type { PlanEvidence } from '../evidence/evidence.js';
import type { ExploreRun } from '../pipeline/explore.js';
import { formatEvidence } from './evidence-markdown.js';
import type { ContestedRow } from './explore-tables.js';
import { formatInteger, formatObjective, formatPercent, table } from './format.js';

/**
 * explore.md: the chart, the frontier and the alternatives with their standing, a small map of each
 * plan, the plans side by side (terms, residents moved, footprint sizes and names, the spread of each
 * evidence measure across footprints), and the contested units. Every name from data goes through
 * `cell` (table cells) or `text` (prose).
 */
export interface ExploreMarkdownInput {
  title: string;
  command?: string;
  run: ExploreRun;
  evidence: PlanEvidence[];
  contested: ContestedRow[];
  maps: { frontier: string; contested: string; plans: string[] };
}

/** Markdown prose from data: characters Markdown would act on are escaped. */
function text(value: string): string {
  return value.replace(/([\\`*_[\]<>|~])/g, '\\$1').replace(/^#/, '\\#');
}

const CONTESTED_ROWS = 40;

export function exploreMarkdown(input: ExploreMarkdownInput): string {
  const { run } = input;
  const { terms, problem, frontier, alternatives } = run;
  const [a, b] = terms;
  const names = terms.map((t) => text(t.name)).join(', ');
  const out: string[] = [`# ${text(input.title)}\n`];
  const listed = run.enumeration?.complete ? `every one of the ${formatInteger(run.enumeration.plans)} plans meeting the constraints was listed` : null;
  out.push(
    `${problem.k} footprints of ${formatInteger(problem.min)}–${formatInteger(problem.max)} residents from ${problem.unitIds.length} units (${problem.n} after kept-whole groups). ` +
      `Trade-off between ${names}: ${frontier.shown} frontier point${frontier.shown === 1 ? '' : 's'}${frontier.found > frontier.shown ? ` shown of the ${frontier.found} there are (--points)` : ''}. ` +
      (listed
        ? `Every point is proven: ${listed}, so each is the best plan for its limit and no other trade-off exists between them.`
        : run.method === 'exact search'
          ? frontier.complete
            ? 'Every point is proven by the exact search, and the ladder ran to its end: no other trade-off exists between them.'
            : 'Points come from the exact search, one limit at a time; the time limit or --points stopped the ladder, so more trade-offs may exist. Each says whether it is proven.'
          : `Points come from a ladder of weighted sums; each says whether it is proven and its gap.`) +
      (frontier.dropped > 0 ? ` ${frontier.dropped} point(s) the ladder found were dominated by another plan of the run, or repeated one, and were dropped.` : '') +
      '\n',
  );
  if (input.command) out.push(`Reproduce: \`${input.command.replace(/`/g, "'")}\`\n`);
  out.push(`![Frontier between ${text(a.name)} and ${text(b.name)}](${input.maps.frontier})\n`);
  out.push('## Frontier\n');
  out.push(
    terms.length === 2
      ? `Each point minimises ${text(a.name)} with ${text(b.name)} held at or below a limit, the rest of the objective breaking ties; the first is ${text(a.name)} alone, the last ${text(b.name)} alone. Bound: the least ${text(a.name)} any plan within the limit can have.\n`
      : `Each point is a plan no other plan beats in all three terms (the rest of the objective breaking ties), in order of ${text(a.name)}: for its limits on ${text(b.name)} and ${text(terms[2].name)}, no plan splits less of ${text(a.name)}.\n`,
  );
  const points = run.plans.filter((p) => p.point !== null).sort((p, q) => p.point! - q.point!);
  out.push(
    table(
      ['point', 'plan', ...terms.map((t) => t.name), 'objective', 'status', 'bound', 'gap', 'residents moved from plan 1'],
      points.map((p) => [p.point!, `[${p.id}](plans/${p.id}/report.md)`, ...p.terms.map((v) => formatPercent(v, 2)), formatObjective(p.objective), p.status, p.bound === null ? '–' : formatPercent(p.bound, 2), p.gap === null ? '–' : `${p.gap.toFixed(1)}%`, formatInteger(p.changedFromFirst)]),
    ),
  );
  if (alternatives) {
    out.push('\n## Alternatives\n');
    const share = formatPercent(alternatives.within, alternatives.within < 0.1 ? 1 : 0);
    const exist = alternatives.proven
      ? `${alternatives.candidates} plan${alternatives.candidates === 1 ? '' : 's'} in all ${alternatives.candidates === 1 ? 'is' : 'are'} within ${share} of the best objective (${formatObjective(alternatives.best)}): proven, since every plan was listed.`
      : `${alternatives.candidates} distinct plan${alternatives.candidates === 1 ? '' : 's'} the search met ${alternatives.candidates === 1 ? 'is' : 'are'} within ${share} of the best found (${formatObjective(alternatives.best)}); others may exist (not proven).`;
    const shortfall = alternatives.found < alternatives.asked ? ` Asked for ${alternatives.asked}: only ${alternatives.found} ${alternatives.proven ? 'exist' : 'were found'}.` : '';
    out.push(`${exist}${shortfall} Chosen to be as different from each other as possible (residents who change footprint, footprints matched).\n`);
    const alts = run.plans.filter((p) => p.alternative !== null).sort((p, q) => p.alternative! - q.alternative!);
    out.push(
      table(
        ['alternative', 'plan', 'objective', 'above best', ...terms.map((t) => t.name), 'residents moved from plan 1'],
        alts.map((p) => [p.alternative!, `[${p.id}](plans/${p.id}/report.md)`, formatObjective(p.objective), alternatives.best > 0 ? formatPercent(p.objective / alternatives.best - 1, 1) : '0.0%', ...p.terms.map((v) => formatPercent(v, 2)), formatInteger(p.changedFromFirst)]),
      ),
    );
  }
  out.push('\n## The plans\n');
  out.push('Footprints are numbered as in plan 1 (each plan\'s footprints matched to plan 1\'s so the most residents keep their number).\n');
  const perRow = 3;
  for (let i = 0; i < run.plans.length; i += perRow) {
    const slice = run.plans.slice(i, i + perRow);
    out.push(`| ${slice.map((p) => `plan ${p.id}`).join(' | ')} |\n|${slice.map(() => ':---:').join('|')}|\n| ${slice.map((p) => `![plan ${p.id}](${input.maps.plans[p.id - 1]})`).join(' | ')} |\n`);
  }
  out.push('\n### Side by side\n');
  out.push(sideBySide(input));
  out.push('\n## Contested units\n');
  out.push(
    `For each unit, how often it sits with its usual neighbours across the ${run.contested.plans} plans above: over plans and neighbouring units, the share of neighbours that are with it when they usually are (in at least half the plans) and apart when they usually are (docs/metrics.md). Settled cores score 100%; contested units are where the plans redraw the lines. ${input.contested.length} of ${run.workspace.units.areas.length} units are contested; the table lists first those the plans put in different footprints (footprints numbered as in plan 1), then the least settled.\n`,
  );
  out.push(`![Settled and contested units](${input.maps.contested})\n`);
  if (input.contested.length === 0) out.push('Every unit sits with its usual neighbours in every plan.\n');
  else {
    const shown = input.contested.slice(0, CONTESTED_ROWS);
    out.push(
      table(
        ['unit', 'residents', 'settled', 'in its usual footprint', 'footprints (plans)', 'services'],
        shown.map((r) => [r.name, formatInteger(r.residents), formatPercent(r.settled, 0), formatPercent(r.usualFootprint, 0), r.footprints.map((f) => `${f.footprint} (${f.plans.join(', ')})`).join('; '), r.services.map((s) => `${s.layer}: ${s.area}`).join('; ')]),
        ['l', 'r', 'r', 'r', 'l', 'l'],
      ),
    );
    if (input.contested.length > shown.length) out.push(`\n${input.contested.length - shown.length} more contested in the same way; all are in frontier.json.\n`);
  }
  out.push('\n## Method\n');
  out.push(
    run.enumeration?.complete
      ? `Every contiguous plan within the bounds was listed (${formatInteger(run.enumeration.plans)} plans); the frontier is the ε-constraint ladder over them and the alternatives the greedy max–min diverse choice among those within the share (docs/algorithms.md, "Trade-offs").\n`
      : run.method === 'exact search'
        ? `The problem has too many plans to list; each point is the exact search's optimum of ${text(a.name)} under a limit on ${text(b.name)} (then of ${text(b.name)}, then of the rest), the limit lowered past each point found (docs/algorithms.md, "Trade-offs").${run.timeLimitHit ? ' The time limit cut the ladder short.' : ''}\n`
        : `The problem has too many plans to list; each point is the optimiser's best for a weighted sum of the two terms, proven where the exact search or the bound reaches it (docs/algorithms.md, "Trade-offs").${run.timeLimitHit ? ' The time limit cut the search short, so results may differ between machines.' : ''}\n`,
  );
  return out.join('\n');
}

/** The plans as columns: terms, objective, residents moved, footprint sizes and names, evidence spreads. */
function sideBySide(input: ExploreMarkdownInput): string {
  const { run, evidence } = input;
  const header = ['', ...run.plans.map((p) => `plan ${p.id}${p.point !== null ? ` (point ${p.point})` : ''}${p.alternative !== null ? ` (alt. ${p.alternative})` : ''}`)];
  const rows: Array<Array<string | number>> = [];
  run.terms.forEach((t, i) => rows.push([`${t.name} split off`, ...run.plans.map((p) => formatPercent(p.terms[i], 2))]));
  rows.push(['objective', ...run.plans.map((p) => formatObjective(p.objective))]);
  rows.push(['residents moved from plan 1', ...run.plans.map((p) => formatInteger(p.changedFromFirst))]);
  rows.push(['smallest – largest footprint', ...run.plans.map((p) => `${formatInteger(Math.min(...p.outcome.populations))} – ${formatInteger(Math.max(...p.outcome.populations))}`)]);
  const k = run.problem.k;
  for (let f = 0; f < k; f++) rows.push([`F${f + 1}`, ...evidence.map((e, i) => `${e.names[f] ?? ''} (${formatInteger(run.plans[i].outcome.populations[f])})`)]);
  // Each evidence measure as its range across the footprints of each plan: how even the plan is.
  const columns = evidence[0]?.columns ?? [];
  columns.forEach((column, c) => {
    if (column.kind === 'population') return;
    rows.push([
      `${column.label}: lowest – highest`,
      ...evidence.map((e) => {
        const values = e.rows.map((r) => r[c]).filter((v): v is number => v !== null && Number.isFinite(v));
        return values.length === 0 ? '–' : `${formatEvidence(column.kind, Math.min(...values))} – ${formatEvidence(column.kind, Math.max(...values))}`;
      }),
    ]);
  });
  return table(header, rows, header.map((_, i) => (i === 0 ? 'l' : 'r')));
}
