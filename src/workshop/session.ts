import type { Crosswalk } from '../align/types.js';
import { planEvidence, type EvidenceInputs, type PlanEvidence } from '../evidence/evidence.js';
import type { Adjacency } from '../geometry/types.js';
import { formatCsv } from '../io/csv.js';
import type { Layer } from '../layers/types.js';
import { checkPlan, footprintComponents, type PlanFinding } from '../plan/evaluate.js';
import { buildProblem, largestArea, type Problem } from '../plan/problem.js';
import { PlanState } from '../plan/state.js';
import type { WorkshopData } from './data.js';

/**
 * A workshop's plan as people edit it: moves, locks, undo and redo, and the figures of the live
 * panel. The page runs this very module (bundled), and the tests run it in Node against
 * `footprint check`, so the figures a room sees are the ones the CLI prints.
 *
 * Units move one by one, never as kept-whole groups: a workshop must be free to try breaking an
 * area, so the problem is built without contraction and kept-whole breaches are reported instead.
 */
export interface Figures {
  populations: number[];
  /** Per footprint: number of connected pieces (1 = contiguous, 0 = empty). */
  pieces: number[];
  splits: Array<{ layer: string; weight: number; value: number }>;
  compactness: number;
  objective: number;
  /** Kept-whole areas split by the plan. */
  breaches: Array<{ layer: string; area: string; footprints: string[] }>;
  /** Constraint findings as `footprint check` counts them (count, contiguity, bounds, locks). */
  findings: PlanFinding[];
  evidence: PlanEvidence;
}

export interface Hydrated {
  problem: Problem;
  crosswalks: Crosswalk[];
  evidenceInputs: EvidenceInputs;
  evidenceLayers: Array<{ name: string; layer: Layer; crosswalk: Crosswalk; keepWhole?: boolean }>;
  populations: Float64Array;
}

const nanFromNull = (values: Array<number | null>) => Float64Array.from(values, (v) => (v === null ? Number.NaN : v));

/** The library's structures back from the page's plain arrays. */
export function hydrate(data: WorkshopData): Hydrated {
  const unitIds = data.units.map((u) => u.id);
  const populations = Float64Array.from(data.units, (u) => u.population);
  const crosswalks: Crosswalk[] = data.layers.map((l) => ({
    layer: l.name,
    unitIds,
    areaIds: l.areaIds,
    start: Int32Array.from(l.start),
    area: Int32Array.from(l.area),
    weight: Float64Array.from(l.weight_),
    // Areas in square metres are for overlay reports only; nothing the page computes reads them.
    pieceM2: new Float64Array(l.area.length),
    unitM2: new Float64Array(unitIds.length),
    coverage: new Float64Array(unitIds.length).fill(1),
    uncovered: [],
  }) as unknown as Crosswalk);
  const adjacency: Adjacency = {
    n: unitIds.length,
    start: Int32Array.from(data.adjacency.start),
    neighbour: Int32Array.from(data.adjacency.neighbour),
    length: new Float64Array(data.adjacency.neighbour.length),
    islands: [],
    linked: [],
  };
  const problem = buildProblem({
    unitIds,
    population: populations,
    adjacency,
    layers: crosswalks.map((crosswalk, l) => ({ crosswalk, weight: data.layers[l].weight })),
    k: data.k,
    min: data.min,
    max: data.max,
    compactnessWeight: data.compactnessWeight,
    locked: Object.fromEntries(data.locked.map(([u, f]) => [unitIds[u], f])),
  });
  const e = data.evidence;
  const evidenceInputs = {
    measures: e.measures.map((m) => ({ ...m, values: nanFromNull(m.values) })),
    coverage: [],
    assets: e.assets.map((a) => ({ name: a.name, count: Float64Array.from(a.count), distance: nanFromNull(a.distance) })),
    resources: e.resources.map((r) => ({ ...r, perUnit: Float64Array.from(r.perUnit), notes: [] })),
    needWeights: e.needWeights,
    needStated: e.needStated,
    need: Float64Array.from(e.need),
    resourceNeed: e.resourceNeed.map((n) => Float64Array.from(n)),
    names: e.names,
    cohorts: e.cohorts ?? [],
    services: (e.services ?? []).map((sv) => ({
      ...sv,
      demand: Float64Array.from(sv.demand),
      current: sv.current === null ? null : sv.current.kind === 'units' ? { ...sv.current, perUnit: Float64Array.from(sv.current.perUnit), notes: [] } : sv.current,
    })),
    notes: [],
  } as unknown as EvidenceInputs;
  const evidenceLayers = data.layers.map((l, i) => ({
    name: l.name,
    keepWhole: l.keepWhole,
    crosswalk: crosswalks[i],
    layer: { areas: l.areaIds.map((id, a) => ({ id, name: l.areaNames[a], properties: {} })) } as unknown as Layer,
  }));
  return { problem, crosswalks, evidenceInputs, evidenceLayers, populations };
}

interface Step {
  units: number[];
  from: number[];
  to: number;
}

export class WorkshopSession {
  readonly data: WorkshopData;
  readonly hydrated: Hydrated;
  readonly state: PlanState;
  /** Footprint each unit is locked to, or −1. */
  readonly locks: Int32Array;
  private readonly done: Step[] = [];
  private readonly undone: Step[] = [];
  /** Home area of each unit in each kept-whole layer. */
  private readonly homes: Array<{ layer: number; home: Int32Array }>;

  constructor(data: WorkshopData) {
    this.data = data;
    this.hydrated = hydrate(data);
    this.state = new PlanState(this.hydrated.problem, data.assignment);
    this.locks = Int32Array.from(this.hydrated.problem.locked);
    this.homes = data.layers
      .map((l, layer) => ({ l, layer }))
      .filter(({ l }) => l.keepWhole)
      .map(({ layer }) => ({ layer, home: Int32Array.from(data.units, (_, u) => largestArea(this.hydrated.crosswalks[layer], u)) }));
  }

  get assignment(): Int32Array {
    return this.state.assignment;
  }

  /** Move units to footprint `to`; locked units and units already there stay. Returns the units moved. */
  move(units: number[], to: number): number[] {
    const moving = [...new Set(units)].filter((u) => this.locks[u] < 0 && this.state.assignment[u] !== to);
    if (moving.length === 0) return [];
    const from = moving.map((u) => this.state.assignment[u]);
    for (const u of moving) this.state.applyMove(u, to);
    this.done.push({ units: moving, from, to });
    this.undone.length = 0;
    return moving;
  }

  /** Where a drag starts: the moves after it become one step with `merge`, undone together. */
  mark(): number {
    return this.done.length;
  }

  merge(mark: number): void {
    if (this.done.length - mark < 2) return;
    const steps = this.done.splice(mark);
    // One move per step here, all to the same footprint: a drag paints with one colour.
    this.done.push({ units: steps.flatMap((s) => s.units), from: steps.flatMap((s) => s.from), to: steps[steps.length - 1].to });
  }

  canUndo(): boolean {
    return this.done.length > 0;
  }

  canRedo(): boolean {
    return this.undone.length > 0;
  }

  undo(): number[] {
    const step = this.done.pop();
    if (!step) return [];
    step.units.forEach((u, i) => this.state.applyMove(u, step.from[i]));
    this.undone.push(step);
    return step.units;
  }

  redo(): number[] {
    const step = this.undone.pop();
    if (!step) return [];
    for (const u of step.units) this.state.applyMove(u, step.to);
    this.done.push(step);
    return step.units;
  }

  /** Lock a unit to its current footprint, or unlock it. Returns whether it is now locked. */
  toggleLock(u: number): boolean {
    this.locks[u] = this.locks[u] >= 0 ? -1 : this.state.assignment[u];
    return this.locks[u] >= 0;
  }

  figures(): Figures {
    const problem = this.hydrated.problem;
    const ids = this.data.footprintIds;
    const assignment = this.state.assignment;
    const pieces = ids.map((_, f) => footprintComponents(problem, assignment, f).length);
    const splits = problem.layers.map((layer, l) => ({ layer: layer.name, weight: layer.weight, value: this.state.split(l) }));
    const breaches: Figures['breaches'] = [];
    for (const { layer, home } of this.homes) {
      const footprintsOf = new Map<number, Set<number>>();
      home.forEach((a, u) => {
        if (a < 0) return;
        let set = footprintsOf.get(a);
        if (!set) footprintsOf.set(a, (set = new Set()));
        set.add(assignment[u]);
      });
      for (const [a, set] of [...footprintsOf].sort((x, y) => x[0] - y[0])) {
        if (set.size > 1) breaches.push({ layer: this.data.layers[layer].name, area: this.data.layers[layer].areaLabels[a], footprints: [...set].sort((x, y) => x - y).map((f) => ids[f]) });
      }
    }
    // Locks as the page holds them, so a unit locked here and moved by no one passes.
    const lockedProblem: Problem = { ...problem, locked: this.locks };
    const findings = checkPlan(lockedProblem, assignment, ids);
    const evidence = planEvidence(this.hydrated.evidenceInputs, { units: { areas: [] } as unknown as Layer, populations: this.hydrated.populations, layers: this.hydrated.evidenceLayers }, assignment, ids);
    return {
      populations: Array.from(this.state.footprintPopulation),
      pieces,
      splits,
      compactness: this.state.compactness(),
      objective: this.state.objective(),
      breaches,
      findings,
      evidence,
    };
  }

  /** assignment.csv as `footprint optimise` writes it, which `check` and `compare` read. */
  csv(): string {
    return formatCsv(
      ['unit_id', 'footprint', 'population'],
      this.data.units.map((unit, u) => [unit.id, this.data.footprintIds[this.state.assignment[u]], unit.population]),
    );
  }
}
