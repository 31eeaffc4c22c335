import { FootprintError } from '../errors.js';
import type { UnitMeasure } from './measures.js';
import { needFormula, unitNeed } from './need.js';
import { loadResource, readAmounts, type ResourceContext } from './resources.js';
import { setSum, type Membership } from './membership.js';
import { DEFAULT_STEP, type ServiceSpec } from './services-config.js';
import { listIds } from './tables.js';

/**
 * What each footprint needs: per service, demand → required posts → today's posts → gap.
 *
 *   demand(u)      = Σ_k weight_k · count_k(u)          (counts: population, summed columns, shares, cohorts)
 *   D(f)           = Σ_u m(u,f) · demand(u)             (m: whole units of a plan, or crosswalk shares of areas)
 *   r(f)           = D(f) / capacity                    (cases per post, or people per post)
 *   low, high      = range[0] · r(f), range[1] · r(f), rounded outward to a step (rangeBound)
 *   required(f)    = r(f) rounded to steps by largest remainder, keeping the total (roundPosts)
 *   current(f)     = Σ_u m(u,f) · current(u)            (an area's posts shared by residents, a site's where it is)
 *                    or the row of a per-footprint table
 *   gap(f)         = current(f) − required(f)
 *
 * Before rounding Σ_f r(f) = Σ_u demand(u) / capacity over the units in footprints; after it the
 * rounded total is kept (see roundPosts for minimums). docs/metrics.md has a worked example.
 */
export interface ServiceInput {
  name: string;
  team: string;
  capacity: { kind: 'cases' | 'per'; value: number };
  range: [number, number];
  minimum: number;
  step: number;
  /** The demand weights, as stated. */
  weights: Record<string, number>;
  /** Demand per unit. */
  demand: Float64Array;
  /** Today's posts: per unit (from an area or site resource), per footprint id, or none. */
  current: { kind: 'units'; perUnit: Float64Array; source: string; notes: string[] } | { kind: 'footprints'; amounts: Record<string, number>; source: string } | null;
}

export function loadServices(specs: ServiceSpec[], measures: UnitMeasure[], populations: ArrayLike<number>, resources: ResourceContext): ServiceInput[] {
  const names = new Set<string>();
  return specs.map((spec) => {
    if (names.has(spec.name)) throw new FootprintError(`service "${spec.name}": the name is used twice`);
    names.add(spec.name);
    const what = (field: string) => `service "${spec.name}", ${field}`;
    if (!(spec.capacity.value > 0)) throw new FootprintError(`${what(`capacity.${spec.capacity.kind}`)}: must be more than 0 (got ${spec.capacity.value})`);
    const range = spec.range ?? [1, 1];
    if (!(range[0] >= 0) || range[0] > range[1]) throw new FootprintError(`${what('range')}: [low, high] needs 0 ≤ low ≤ high, got [${range.join(', ')}]`);
    const step = spec.step ?? DEFAULT_STEP;
    if (!(step > 0)) throw new FootprintError(`${what('step')}: must be more than 0 (got ${step})`);
    if (Object.keys(spec.demand).length === 0) throw new FootprintError(`${what('demand')}: name at least one count column and its weight`);
    const demand = unitNeed(spec.demand, measures, populations, what('demand'));
    return {
      name: spec.name,
      team: spec.team,
      capacity: spec.capacity,
      range,
      minimum: spec.minimum ?? 0,
      step,
      weights: spec.demand,
      demand,
      current: spec.current ? loadCurrent(spec, resources) : null,
    };
  });
}

function loadCurrent(spec: ServiceSpec, ctx: ResourceContext): ServiceInput['current'] {
  const current = spec.current!;
  try {
    if (current.footprint !== undefined) {
      const amounts = readAmounts({ name: spec.name, amount: current.amount }, current.file!, current.footprint, `column naming the footprint of service "${spec.name}"`);
      return { kind: 'footprints', amounts: Object.fromEntries([...amounts].map(([id, a]) => [id, a.amount])), source: current.file! };
    }
    const resource = loadResource({ name: spec.name, file: current.file, layer: current.layer, asset: current.asset, key: current.key, match: current.match, amount: current.amount }, ctx);
    return { kind: 'units', perUnit: resource.perUnit, source: resource.source, notes: resource.notes };
  } catch (error) {
    if (error instanceof FootprintError) throw new FootprintError(`service "${spec.name}", current: ${error.message}`, { exitCode: error.exitCode, cause: error });
    throw error;
  }
}

export interface ServiceRow {
  demand: number;
  /** r(f) = D(f) / capacity, before rounding. */
  exact: number;
  low: number;
  required: number;
  high: number;
  current: number | null;
  gap: number | null;
}

export interface ServiceResult {
  name: string;
  team: string;
  /** Per footprint (or area). */
  rows: ServiceRow[];
  /** The sum of the rows. */
  total: ServiceRow;
  /** True when the minimums took the total above the demand's (see roundPosts). */
  minimumsRaised: boolean;
  notes: string[];
}

/** Every service over the sets of a membership (footprints of a plan, or areas of a layer). */
export function planServices(services: ServiceInput[], membership: Membership, ids: string[]): ServiceResult[] {
  return services.map((s) => {
    const demand = membership.units.map((units, f) => setSum(s.demand, units, membership.weights[f]));
    const exact = demand.map((d) => d / s.capacity.value);
    const central = roundPosts(exact, s.step, s.minimum);
    const low = exact.map((r, f) => rangeBound(r * s.range[0], central.posts[f], s, 'low'));
    const high = exact.map((r, f) => rangeBound(r * s.range[1], central.posts[f], s, 'high'));
    const notes: string[] = [];
    let current: Array<number | null> = ids.map(() => null);
    if (s.current?.kind === 'units') {
      const perUnit = s.current.perUnit;
      current = membership.units.map((units, f) => setSum(perUnit, units, membership.weights[f]));
    } else if (s.current?.kind === 'footprints') {
      const amounts = s.current.amounts;
      current = ids.map((id) => amounts[id] ?? 0);
      const missing = ids.filter((id) => amounts[id] === undefined);
      if (missing.length > 0) notes.push(`${missing.length} of ${ids.length} have no row in ${s.current.source} and count as 0 (${listIds(missing)})`);
    }
    const rows = ids.map((_, f): ServiceRow => ({
      demand: demand[f],
      exact: exact[f],
      low: low[f],
      required: central.posts[f],
      high: high[f],
      current: current[f],
      gap: current[f] === null ? null : current[f]! - central.posts[f],
    }));
    const sum = (pick: (r: ServiceRow) => number) => rows.reduce((t, r) => t + pick(r), 0);
    const currentTotal = s.current === null ? null : sum((r) => r.current ?? 0);
    const total: ServiceRow = {
      demand: sum((r) => r.demand),
      exact: sum((r) => r.exact),
      low: tidy(sum((r) => r.low)),
      required: central.total,
      high: tidy(sum((r) => r.high)),
      current: currentTotal,
      gap: currentTotal === null ? null : currentTotal - central.total,
    };
    return { name: s.name, team: s.team, rows, total, minimumsRaised: central.minimumsRaised, notes };
  });
}

/**
 * A footprint's low or high estimate: range · r(f) rounded outward to a step (low down, high up),
 * at least the minimum, and never past the central figure, so low ≤ required ≤ high holds in every
 * footprint. Only the central figure is shared to keep a rounded total; the totals of low and high
 * are the sums of the footprints'.
 */
function rangeBound(value: number, required: number, s: Pick<ServiceInput, 'step' | 'minimum' | 'range'>, side: 'low' | 'high'): number {
  const which = side === 'low' ? s.range[0] : s.range[1];
  if (which === 1) return required;
  const steps = side === 'low' ? Math.floor(value / s.step + 1e-9) : Math.ceil(value / s.step - 1e-9);
  const floor = s.minimum > 0 ? Math.ceil(s.minimum / s.step - 1e-9) : 0;
  const bound = tidy(Math.max(steps, floor) * s.step);
  return side === 'low' ? Math.min(bound, required) : Math.max(bound, required);
}

/** How demand is worked out, for reports: `0.31 × age_0_15 ÷ 250 per post`. */
export function serviceFormula(s: Pick<ServiceInput, 'weights' | 'capacity'>): string {
  const per = s.capacity.kind === 'cases' ? `${s.capacity.value} cases per post` : `one post per ${s.capacity.value}`;
  return `demand ${needFormula(s.weights)}; ${per}`;
}

/**
 * Posts in whole steps that keep the total (Hamilton's largest-remainder method, with minimums):
 *
 * 1. The total is rounded to the step: T = step · round(Σ r / step) (halves round up).
 * 2. A minimum m is raised to a whole number of steps, m' = step · ⌈m / step⌉. Footprints whose
 *    share would fall below m' are fixed at m', and the rest of the total, T − m'·|fixed|, is shared
 *    among the others in proportion to r: q(f) = r(f) · T_rest / Σ_rest r (equal shares when Σ_rest r
 *    is 0). This repeats until no share falls below m'.
 * 3. Each footprint gets q(f) rounded down to a step, and the steps left over go one each to the
 *    largest remainders q(f) − ⌊q(f)⌋ (ties: the earlier footprint).
 *
 * So Σ posts = T whenever k · m' ≤ T. When the minimums exceed the total (k · m' > T) every footprint
 * gets m' and the total rises to k · m' (`minimumsRaised`): a minimum is a floor a service has
 * chosen to staff whatever the demand.
 */
export function roundPosts(raw: number[], step: number, minimum = 0): { posts: number[]; total: number; minimumsRaised: boolean } {
  const k = raw.length;
  if (k === 0) return { posts: [], total: 0, minimumsRaised: false };
  const rawTotal = raw.reduce((s, r) => s + r, 0);
  // Work in whole steps; the epsilon keeps 2.9999999 from rounding the wrong way.
  const total = Math.floor(rawTotal / step + 0.5 + 1e-9);
  const floor = minimum > 0 ? Math.ceil(minimum / step - 1e-9) : 0;
  const fixed = new Array<boolean>(k).fill(false);
  let quota: number[] = [];
  let rest = total;
  for (;;) {
    const open = raw.map((_, f) => f).filter((f) => !fixed[f]);
    rest = total - floor * (k - open.length);
    if (open.length === 0) break;
    const openRaw = open.reduce((s, f) => s + raw[f], 0);
    quota = raw.map((r, f) => (fixed[f] ? floor : openRaw > 0 ? (r * rest) / openRaw : rest / open.length));
    const below = open.filter((f) => quota[f] < floor);
    if (below.length === 0) break;
    for (const f of below) fixed[f] = true;
  }
  const steps = raw.map((_, f) => (fixed[f] ? floor : Math.floor(quota[f] + 1e-9)));
  const open = raw.map((_, f) => f).filter((f) => !fixed[f]);
  let left = rest - open.reduce((s, f) => s + steps[f], 0);
  const order = [...open].sort((a, b) => quota[b] - steps[b] - (quota[a] - steps[a]) || a - b);
  for (let i = 0; left > 0 && i < order.length; i++, left--) steps[order[i]]++;
  const posts = steps.map((s) => tidy(s * step));
  const given = steps.reduce((s, x) => s + x, 0);
  return { posts, total: tidy(given * step), minimumsRaised: given > total };
}

/** A multiple of a step as people read it: 2.5, not 2.4999999999999996. */
function tidy(value: number): number {
  const rounded = Math.round(value * 1e6) / 1e6;
  return rounded === 0 ? 0 : rounded;
}
