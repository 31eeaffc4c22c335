import { InfeasibleError } from '../errors.js';
import type { Problem } from './problem.js';
import { formatInteger as fmt } from '../format.js';
import { connectedComponents } from '../geometry/components.js';
import { forEachNodeNeighbour } from './evaluate.js';


/**
 * The residents each of k footprints of an area of `population` can hold when every other footprint
 * is within min–max: at least population − (k − 1)·max and at most population − (k − 1)·min,
 * within min–max itself. With k = ⌈population / max⌉ (`k: auto`) the lower end can come within a
 * few hundred residents of max (Wigan, 329,323 residents in 6 footprints of 30,000–55,000: each
 * 54,323–55,000), and a plan must then split areas to balance that it would otherwise keep whole.
 *
 * @example
 *   footprintWindow(329_323, 6, 30_000, 55_000); // { low: 54_323, high: 55_000 }
 */
export function footprintWindow(population: number, k: number, min: number, max: number): { low: number; high: number } {
  return { low: Math.max(min, population - (k - 1) * max), high: Math.min(max, population - (k - 1) * min) };
}

/** A window narrower than this share of max − min is called tight in reports. */
export const TIGHT_WINDOW_SHARE = 0.1;

/** Whether k footprints leave each so little room (footprintWindow) that reports should say so. */
export function tightWindow(population: number, k: number, min: number, max: number): boolean {
  if (k < 2 || !(max > min)) return false;
  const { low, high } = footprintWindow(population, k, min, max);
  return high >= low && high - low < TIGHT_WINDOW_SHARE * (max - min);
}

/** Connected components of the node graph, as node lists. */
export function graphComponents(problem: Problem): number[][] {
  return connectedComponents(problem.n, (v, visit) => forEachNodeNeighbour(problem, v, visit));
}

/**
 * Reasons no plan can exist, in sentences a planner understands, checked before any search so an
 * impossible brief fails at once instead of after minutes of searching. Each is a proof: exit 3
 * is kept for these (and for an exhaustive search that finds nothing, exhaustedReason). Empty
 * when none is found, which does not prove a plan exists; a search that then finds none exits 4.
 */
export function infeasibilityReasons(problem: Problem): string[] {
  const reasons: string[] = [];
  const unitName = (u: number) => problem.unitLabels?.[u] ?? problem.unitIds[u];
  const unitNameOfId = new Map(problem.unitIds.map((id, u) => [id, unitName(u)]));
  const some = (names: string[]) => `${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''}`;
  const { k, min, max } = problem;
  const total = problem.population.reduce((s, p) => s + p, 0);
  if (problem.unknownLocks.length > 0) reasons.push(`Locked unit(s) ${problem.unknownLocks.join(', ')} are not among the units.`);
  if (total < k * min) reasons.push(`The units hold ${fmt(total)} residents, fewer than the ${fmt(k * min)} that ${k} footprints of at least ${fmt(min)} need: lower --min or --k.`);
  if (total > k * max) reasons.push(`The units hold ${fmt(total)} residents, more than the ${fmt(k * max)} that ${k} footprints of at most ${fmt(max)} can hold: raise --max or --k.`);
  if (problem.n < k) reasons.push(`There are only ${problem.n} units (or kept-whole groups) for ${k} footprints.`);
  for (let v = 0; v < problem.n; v++) {
    if (problem.population[v] > max) {
      const units = problem.nodeUnits[v].map(unitName);
      const area = problem.nodeLabels?.[v];
      reasons.push(
        units.length === 1
          ? `Unit ${units[0]} alone has ${fmt(problem.population[v])} residents, above the maximum of ${fmt(max)}.`
          : `${area && !area.startsWith('a kept-whole group') ? `The kept-whole area ${area}` : 'A kept-whole area'} (${units.length} units: ${some(units)}) has ${fmt(problem.population[v])} residents, above the maximum of ${fmt(max)}.`,
      );
    }
  }
  for (const group of problem.disconnectedGroups) {
    const names = group.map((id) => unitNameOfId.get(id) ?? id);
    reasons.push(`A kept-whole area's units (${some(names)}) do not form one connected piece, so no contiguous footprint can hold it whole.`);
  }
  const components = graphComponents(problem);
  if (components.length > 1) {
    // Each component must hold a whole number j of footprints with j·min ≤ P ≤ j·max, and the j's must add up to k.
    const ranges = components.map((c) => {
      const p = c.reduce((s, v) => s + problem.population[v], 0);
      // A part cannot hold more footprints than it has nodes, whatever its population.
      return { p, lo: Math.ceil(p / max), hi: Math.min(c.length, Math.floor(p / min)), units: c.flatMap((v) => problem.nodeUnits[v].map(unitName)) };
    });
    for (const r of ranges) {
      if (r.lo > r.hi) {
        reasons.push(
          `A part of the area cut off from the rest (${r.units.length} unit(s): ${some(r.units)}) has ${fmt(r.p)} residents, which cannot make a whole number of footprints of ${fmt(min)}–${fmt(max)}; connect it (--connect-islands nearest) or change the bounds.`,
        );
      }
    }
    const lo = ranges.reduce((s, r) => s + Math.max(r.lo, 0), 0);
    const hi = ranges.reduce((s, r) => s + r.hi, 0);
    if (ranges.every((r) => r.lo <= r.hi) && (k < lo || k > hi)) {
      reasons.push(`The units form ${components.length} separate parts that need between ${lo} and ${hi} footprints in all, not ${k}.`);
    }
  }
  const labels = new Set<number>();
  for (let v = 0; v < problem.n; v++) if (problem.locked[v] >= 0) labels.add(problem.locked[v]);
  for (const label of labels) if (label < 0 || label >= k) reasons.push(`A unit is locked to footprint ${label + 1}, but there are only ${k} footprints.`);
  for (const conflict of problem.lockConflicts) {
    reasons.push(`Units ${conflict.units.map((id) => unitNameOfId.get(id) ?? id).join(' and ')} must stay together (a kept-whole area) but are locked to different footprints (${conflict.footprints.map((f) => f + 1).join(' and ')}).`);
  }
  // Locked populations: every footprint with locks must fit what is locked to it.
  const lockedPopulation = new Map<number, number>();
  for (let v = 0; v < problem.n; v++) if (problem.locked[v] >= 0) lockedPopulation.set(problem.locked[v], (lockedPopulation.get(problem.locked[v]) ?? 0) + problem.population[v]);
  for (const [f, p] of lockedPopulation) {
    if (p > max) reasons.push(`The units locked to footprint ${f + 1} hold ${fmt(p)} residents, above the maximum of ${fmt(max)}.`);
  }
  return reasons;
}

/** The proof an exact search gives when it explored every contiguous split and none fitted. */
export function exhaustedReason(problem: Problem): string {
  return `An exhaustive search of every way to cut the ${problem.n} units (or kept-whole groups) into ${problem.k} contiguous footprints found none with every footprint within ${fmt(problem.min)}–${fmt(problem.max)} residents${problem.locked.some((f) => f >= 0) ? ' and the locks kept' : ''}: change --k or the bounds.`;
}

export function assertFeasible(problem: Problem): void {
  const reasons = infeasibilityReasons(problem);
  if (reasons.length > 0) throw new InfeasibleError(reasons);
}
