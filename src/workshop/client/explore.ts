/// <reference lib="dom" />
/**
 * The workshop page's explore strip, shown when the page was made from an explore run: a choice of
 * the run's plans (switching is one undoable step) and the frontier chart with the plan on the
 * screen marked, redrawn after every change, with a line saying where it stands: one of the run's
 * plans, beaten by one of them (lower in both terms), or beaten by none.
 */
import { frontierChart } from '../../report/frontier-chart.js';
import type { WorkshopData } from '../data.js';
import type { WorkshopExplore } from '../explore-data.js';
import type { Figures, WorkshopSession } from '../session.js';
import { byId, el } from './dom.js';

/** Values closer than this count as equal, as in explore (src/explore/frontier.ts). */
const TOLERANCE = 1e-9;

export function setUpExplore(data: WorkshopData, session: WorkshopSession, changed: (units: number[]) => void): ((figures: Figures) => void) | null {
  const explore = data.explore;
  if (!explore || explore.plans.length === 0 || explore.terms.length < 2) return null;
  const strip = byId('explore');
  strip.hidden = false;
  const select = el('select', { id: 'explore-plan', 'aria-label': 'plan of the explore run' });
  select.append(el('option', { value: '' }, 'switch to a plan of the run…'));
  explore.plans.forEach((p, i) => select.append(el('option', { value: String(i) }, p.label)));
  select.addEventListener('change', () => {
    const plan = explore.plans[Number(select.value)];
    select.value = '';
    if (!plan) return;
    const mark = session.mark();
    const moved: number[] = [];
    for (let f = 0; f < data.k; f++) {
      const units = plan.assignment.flatMap((g, u) => (g === f && session.assignment[u] !== f ? [u] : []));
      moved.push(...session.move(units, f));
    }
    session.merge(mark);
    changed(moved);
  });
  const chart = el('div', { id: 'explore-chart' });
  const standing = el('p', { id: 'explore-standing' });
  const key = el('p', { class: 'muted', id: 'explore-key' }, `Filled: proven optimal for its limit · hollow: not proven · grey diamonds: alternatives · ring: the plan on screen.${explore.terms.length === 3 ? ` A third term, ${explore.terms[2].name}, is in the run's table.` : ' Lower is better on both; no plan reaches below and left of the dashed line.'}`);
  const side = el('div', { id: 'explore-side' });
  side.append(el('strong', {}, 'Explore run: '), select, standing, key);
  strip.replaceChildren(chart, side);

  return (figures: Figures) => {
    const values = explore.terms.map((t) => (t.layer < 0 ? figures.compactness : figures.splits[t.layer].value));
    const same = explore.plans.find((p) => p.assignment.every((f, u) => session.assignment[u] === f));
    chart.innerHTML = frontierChart({
      title: `${explore.terms[0].name} against ${explore.terms[1].name}`,
      aName: explore.terms[0].name,
      bName: explore.terms[1].name,
      points: explore.plans.map((p) => ({ id: p.id, a: p.terms[0], b: p.terms[1], frontier: p.frontier, proven: p.proven })),
      current: same?.id,
      marker: same ? undefined : { a: values[0], b: values[1] },
      width: 420,
      height: 280,
      staircase: explore.terms.length === 2,
      compact: true,
    });
    standing.textContent = standingText(explore, values, same?.label ?? null);
  };
}

function standingText(explore: WorkshopExplore, values: number[], same: string | null): string {
  const shown = explore.terms.map((t, i) => `${t.name} ${(values[i] * 100).toFixed(2)}%`).join(', ');
  if (same) return `This plan (${shown}) is ${same} of the run.`;
  const beaten = explore.plans.find((p) => p.terms.every((x, i) => x <= values[i] + TOLERANCE) && p.terms.some((x, i) => x < values[i] - TOLERANCE));
  return beaten
    ? `This plan (${shown}) is beaten in every term by ${beaten.label}.`
    : `This plan (${shown}) is beaten by no plan of the run${explore.plans.some((p) => p.proven) ? '; proven points show what no plan can beat' : ''}.`;
}
