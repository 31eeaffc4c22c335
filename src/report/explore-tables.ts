import { formatCsv } from '../io/csv.js';
import { largestArea } from '../align/largest.js';
import { areaLabel } from '../layers/types.js';
import type { ExplorePlan, ExploreRun } from '../pipeline/explore.js';

/**
 * The tables of an explore run as data: frontier.csv / frontier.json rows, and the contested units
 * with the services they sit in. Markdown and the CLI's --json both read these.
 */
export interface FrontierRow {
  plan: number;
  point: number | null;
  alternative: number | null;
  terms: Record<string, number>;
  objective: number;
  status: ExplorePlan['status'];
  bound: number | null;
  gap: number | null;
  residentsChanged: number;
  folder: string;
}

export function frontierRows(run: ExploreRun): FrontierRow[] {
  return run.plans.map((p) => ({
    plan: p.id,
    point: p.point,
    alternative: p.alternative,
    terms: Object.fromEntries(run.terms.map((t, i) => [t.name, p.terms[i]])),
    objective: p.objective,
    status: p.status,
    bound: p.bound,
    gap: p.gap,
    residentsChanged: Math.round(p.changedFromFirst),
    folder: `plans/${p.id}`,
  }));
}

/** frontier.csv: one row per plan of the run (io/csv.ts keeps names from data from being read as formulas). */
export function frontierCsv(run: ExploreRun): string {
  const header = ['plan', 'point', 'alternative', ...run.terms.map((t) => t.name), 'objective', 'status', 'bound', 'gap_percent', 'residents_changed', 'folder'];
  const rows = frontierRows(run).map((r) => [
    r.plan,
    r.point ?? '',
    r.alternative ?? '',
    ...run.terms.map((t) => r.terms[t.name].toFixed(6)),
    r.objective.toFixed(6),
    r.status,
    r.bound === null ? '' : r.bound.toFixed(6),
    r.gap === null ? '' : r.gap.toFixed(2),
    r.residentsChanged,
    r.folder,
  ]);
  return formatCsv(header, rows);
}

export interface ContestedRow {
  /** Unit index, its name and residents. */
  unit: number;
  name: string;
  residents: number;
  settled: number;
  /** Share of the plans putting the unit in the footprint most of them put it in (footprints numbered as in plan 1). */
  usualFootprint: number;
  /** Footprint (numbered as in plan 1) and the plans putting the unit there. */
  footprints: Array<{ footprint: string; plans: number[] }>;
  /** Per layer, the area holding most of the unit's residents: the services it sits between. */
  services: Array<{ layer: string; area: string }>;
}

/** Units the plans do not all treat alike (settled < 1): those the plans move between footprints most first, then the least settled. */
export function contestedRows(run: ExploreRun): ContestedRow[] {
  const { workspace } = run;
  const names = workspace.layers.map((l) => new Map(l.layer.areas.map((a) => [a.id, areaLabel(a)])));
  const rows: ContestedRow[] = [];
  workspace.units.areas.forEach((area, u) => {
    const settled = run.contested.settled[u];
    if (settled >= 1) return;
    const byFootprint = new Map<number, number[]>();
    for (const p of run.plans) byFootprint.set(p.outcome.assignment[u], [...(byFootprint.get(p.outcome.assignment[u]) ?? []), p.id]);
    const services = workspace.layers.map((layer, l) => {
      const a = largestArea(layer.crosswalk, u);
      const id = a < 0 ? null : layer.crosswalk.areaIds[a];
      return { layer: layer.name, area: id === null ? '–' : (names[l].get(id) ?? id) };
    });
    rows.push({
      unit: u,
      name: areaLabel(area),
      residents: workspace.populations[u],
      settled,
      usualFootprint: Math.max(...[...byFootprint.values()].map((plans) => plans.length)) / run.plans.length,
      footprints: [...byFootprint].sort(([a], [b]) => a - b).map(([f, plans]) => ({ footprint: `F${f + 1}`, plans })),
      services,
    });
  });
  return rows.sort((a, b) => a.usualFootprint - b.usualFootprint || a.settled - b.settled || a.name.localeCompare(b.name));
}
