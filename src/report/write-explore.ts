import type { FeatureCollection } from 'geojson';
import { hasShape } from '../align/source/derived.js';
import type { OutputWriter } from '../io/output-folder.js';
import type { ExploreRun } from '../pipeline/explore.js';
import { exploreMarkdown } from './explore-markdown.js';
import { contestedRows, frontierCsv, frontierRows } from './explore-tables.js';
import { frontierChart } from './frontier-chart.js';
import { footprintColours, renderMap, type AreaFeature } from './map.js';
import { BOUNDARY_COLOUR } from './palette.js';
import { footprintCollection, planDetails } from './plan.js';
import { formatCount, formatShare } from './svg.js';
import { writePlanOutputs } from './write-plan.js';

/**
 * The files of an explore run (the caller's writer commits them as one folder): frontier.csv,
 * frontier.json, frontier.svg, contested.svg, explore.md, maps/plan-<i>.svg (small maps), and each
 * plan's full outputs under plans/<i>/ (the files `optimise` writes, which check, compare and
 * workshop read).
 */
export function writeExploreOutputs(run: ExploreRun, out: OutputWriter, options: { title: string; command?: string }): string[] {
  const files: string[] = [];
  const details = run.plans.map((p) => planDetails(p.outcome));
  const footprints = run.plans.map((p, i) => footprintCollection(p.outcome, details[i]));
  run.plans.forEach((p, i) => {
    const sub: OutputWriter = { write: (path, contents) => out.write(`plans/${p.id}/${path}`, contents) };
    files.push(...writePlanOutputs(p.outcome, sub, { title: `${options.title}: plan ${p.id}`, command: options.command, statusLine: statusLine(run, i) }).files);
    files.push(out.write(`maps/plan-${p.id}.svg`, smallMap(run, i, footprints[i])));
  });
  files.push(out.write('frontier.csv', frontierCsv(run)));
  files.push(out.write('frontier.json', `${JSON.stringify(frontierJson(run), null, 2)}\n`));
  files.push(out.write('frontier.svg', chartOf(run)));
  files.push(out.write('contested.svg', contestedMap(run, footprints[0])));
  const contested = contestedRows(run);
  files.push(
    out.write(
      'explore.md',
      exploreMarkdown({
        title: options.title,
        command: options.command,
        run,
        evidence: details.map((d) => d.evidence),
        contested,
        maps: { frontier: 'frontier.svg', contested: 'contested.svg', plans: run.plans.map((p) => `maps/plan-${p.id}.svg`) },
      }),
    ),
  );
  return files;
}

/** The frontier chart of a run, optionally ringing one plan (the workshop's current plan). */
export function chartOf(run: ExploreRun, current?: number): string {
  const [a, b] = run.terms;
  return frontierChart({
    title: `Trade-off: ${a.name} against ${b.name}${run.terms.length === 3 ? ` (and ${run.terms[2].name})` : ''}`,
    aName: a.name,
    bName: b.name,
    points: run.plans.map((p) => ({ id: p.id, a: p.terms[0], b: p.terms[1], frontier: p.point !== null, proven: p.status === 'proven' })),
    current,
    // With three terms a point may look beaten in two of them: it is not drawn as a staircase.
    staircase: run.terms.length === 2,
    note: run.terms.length === 3 ? `Lower is better; a point may look beaten here, but no plan beats it in all three terms (see the table).` : undefined,
  });
}

export function frontierJson(run: ExploreRun): unknown {
  return {
    between: run.terms.map((t) => t.name),
    method: run.method,
    plansListed: run.enumeration?.complete ? run.enumeration.plans : null,
    frontier: { points: run.frontier.shown, found: run.frontier.found, dropped: run.frontier.dropped, proven: run.plans.filter((p) => p.point !== null).every((p) => p.status === 'proven') },
    alternatives: run.alternatives,
    plans: frontierRows(run),
    contested: contestedRows(run).map((r) => ({ unit: run.workspace.units.areas[r.unit].id, name: r.name, residents: r.residents, settled: r.settled, usualFootprint: r.usualFootprint, footprints: r.footprints, services: r.services })),
    // No timings: the same inputs and seed must give identical files (the CLI's --json adds elapsedMs).
    timeLimitHit: run.timeLimitHit,
  };
}

function statusLine(run: ExploreRun, i: number): string {
  const p = run.plans[i];
  const [a, b] = run.terms;
  const role = [
    p.point !== null ? `frontier point ${p.point} between ${a.name} and ${b.name}${p.status === 'proven' ? ` (proven: no plan with ${b.name} at most ${(p.terms[1] * 100).toFixed(2)}% splits off less of ${a.name})` : ' (not proven)'}` : '',
    p.alternative !== null && run.alternatives ? `alternative ${p.alternative} within ${Math.round(run.alternatives.within * 100)}% of the best objective` : '',
  ]
    .filter(Boolean)
    .join('; ');
  const standing = p.outcome.status === 'optimal' ? '**optimal** for the scenario\'s objective (proven)' : p.outcome.bound !== null ? `the scenario's proven optimum is ${p.outcome.bound.toFixed(4)}` : 'not proven optimal for the scenario\'s objective';
  return `**explore plan ${p.id}**: ${role}; ${standing}`;
}

/** A small map of one plan: footprints in plan 1's colours, labelled by number only. */
function smallMap(run: ExploreRun, i: number, footprints: FeatureCollection): string {
  const p = run.plans[i];
  const features = footprints.features as AreaFeature[];
  const ids = p.outcome.footprintIds;
  const colours = footprintColours(ids);
  return renderMap({
    title: `Plan ${p.id}`,
    subtitle: run.terms.map((t, j) => `${t.name} ${formatShare(p.terms[j])}`).join(' · '),
    width: 360,
    height: 330,
    scaleBar: false,
    fills: [{ name: 'footprints', features: features.map((feature, f) => ({ feature, fill: colours.get(ids[f])!, label: [ids[f]], tooltip: `${ids[f]}: ${formatCount(p.outcome.populations[f])} residents` })), fillOpacity: 0.6, labels: { size: 11, priority: 10, optional: true } }],
    lines: [{ name: 'footprints', features, colour: BOUNDARY_COLOUR, width: 1.6 }],
  });
}

/** Classes of settled(v): settled in every plan, then three shades of contested. */
const SETTLED_CLASSES = [
  { from: 1, colour: '#d9f0d3', label: 'settled core (100%)' },
  { from: 0.9, colour: '#fdd49e', label: 'settled 90–99%' },
  { from: 0.75, colour: '#fc8d59', label: 'settled 75–89%' },
  { from: 0, colour: '#b30000', label: 'settled under 75%' },
];

function contestedMap(run: ExploreRun, firstFootprints: FeatureCollection): string {
  const { workspace } = run;
  const classOf = (s: number) => SETTLED_CLASSES.find((c) => s >= c.from - 1e-12)!;
  const units = workspace.units.areas.flatMap((a, u) => {
    if (!hasShape(a)) return [];
    const s = run.contested.settled[u];
    const feature: AreaFeature = { type: 'Feature', properties: { id: a.id, name: a.name ?? a.id }, geometry: a.geometry };
    return [{ feature, fill: classOf(s).colour, tooltip: `${a.name ?? a.id}: settled ${formatShare(s)}`, settled: s }];
  });
  const contested = units.filter((x) => x.settled < 1).length;
  return renderMap({
    title: 'Settled cores and contested units',
    subtitle: `${contested} of ${units.length} units contested across ${run.contested.plans} plans; outlines: plan 1's footprints.`,
    fills: [{ name: 'units', features: units.map(({ feature, fill, tooltip }) => ({ feature, fill, tooltip })), stroke: '#ffffff', strokeWidth: 0.4 }],
    lines: [{ name: 'footprints', features: firstFootprints.features as AreaFeature[], colour: BOUNDARY_COLOUR, width: 2.2 }],
    legend: [...SETTLED_CLASSES.map((c) => ({ kind: 'fill' as const, colour: c.colour, label: c.label })), { kind: 'line', colour: BOUNDARY_COLOUR, width: 2.2, label: "plan 1's footprints" }],
  });
}
