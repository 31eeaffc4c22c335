import { loadHighs } from './highs.js';

import type { Problem } from '../../plan/problem.js';

/**
 * A proven lower bound on the objective, for instances too large for the exact search: the plan
 * problem without contiguity, as a mixed-integer programme solved by HiGHS. Every contiguous plan
 * is a plan of this relaxation, so its optimum — and any dual bound HiGHS proves on the way — is
 * at or below the best contiguous plan. When the bound reaches the heuristic's objective, that
 * plan is optimal.
 *
 * Formulation (maximising the residents each area keeps in its home footprint):
 *   x(v,f) ∈ {0,1}, Σ_f x(v,f) = 1;  min ≤ Σ_v pop(v) x(v,f) ≤ max;
 *   per area a of layer L with pieces in two or more nodes: h(a,f) ∈ {0,1}, Σ_f h(a,f) = 1,
 *   0 ≤ y(a,f) ≤ Σ_v p(v,a) x(v,f),  y(a,f) ≤ N_a h(a,f);
 *   compactness: cut(u,v) ≥ |x(u,f) − x(v,f)| for every f;
 *   maximise Σ_L (w_L/N_L) Σ y − c Σ e(u,v) cut(u,v) / E.
 * Areas held by one node are always whole and enter as constants. Footprints are unlabelled, so
 * without locks they are ordered by their first node (footprint f may only start after f−1 has),
 * which removes the k! copies of every plan.
 */
export interface BoundOptions {
  /** Branch-and-bound nodes HiGHS may explore: a deterministic budget, so results repeat. */
  nodes: number;
  /** Safety cap in milliseconds (the bound is still valid when it stops the solver, but may vary between machines). */
  timeLimitMs?: number;
  /** A node-level plan to start from (the heuristic's best), so HiGHS prunes against it. */
  incumbent?: Int32Array;
}

export interface BoundResult {
  /** Proven lower bound on the objective (0 when nothing better could be proven). */
  bound: number;
  /** True when HiGHS solved the relaxation to optimality: the bound is the relaxation's optimum. */
  solved: boolean;
  /** Branch-and-bound nodes explored. */
  nodes: number;
  ms: number;
  timeLimitHit: boolean;
}

/** The objective is scaled so coefficients are near 1 (HiGHS tolerances are absolute). */
const SCALE = 1e4;

interface Model {
  text: string;
  /** Σ_L w_L (N_L − residents in single-node areas) / N_L: the objective when nothing is kept. */
  offset: number;
  /** Column values of a plan, by name, for the warm start. */
  startValues: (assignment: Int32Array) => Map<string, number>;
}

function term(coefficient: number, name: string): string {
  return `${coefficient < 0 ? '-' : '+'} ${Math.abs(coefficient)} ${name}`;
}

function relaxationModel(problem: Problem): Model {
  const { n, k, min, max } = problem;
  const x = (v: number, f: number) => `x${v}_${f}`;
  const rows: string[] = [];
  const objective: string[] = [];
  const binaries: string[] = [];
  const continuous: Array<[string, number]> = [];
  const hasLocks = problem.locked.some((f) => f >= 0);

  for (let v = 0; v < n; v++) {
    const vars = Array.from({ length: k }, (_, f) => x(v, f));
    binaries.push(...vars);
    rows.push(`one${v}: ${vars.join(' + ')} = 1`);
    if (problem.locked[v] >= 0) rows.push(`lock${v}: ${x(v, problem.locked[v])} = 1`);
  }
  for (let f = 0; f < k; f++) {
    const sum = Array.from({ length: n }, (_, v) => term(problem.population[v], x(v, f))).join(' ');
    rows.push(`min${f}: ${sum} >= ${min}`);
    rows.push(`max${f}: ${sum} <= ${max}`);
  }
  if (!hasLocks) {
    // started(v,f) = Σ_{u ≤ v} x(u,f); footprint f ≥ 1 may hold v only if f−1 started before v.
    const started = (v: number, f: number) => `s${v}_${f}`;
    for (let f = 0; f < k - 1; f++) {
      for (let v = 0; v < n; v++) {
        continuous.push([started(v, f), v + 1]);
        rows.push(`cum${v}_${f}: ${started(v, f)} - ${x(v, f)}${v > 0 ? ` - ${started(v - 1, f)}` : ''} = 0`);
      }
    }
    for (let f = 1; f < k; f++) {
      rows.push(`first${f}: ${x(0, f)} = 0`);
      for (let v = 1; v < n; v++) rows.push(`order${v}_${f}: ${x(v, f)} - ${started(v - 1, f - 1)} <= 0`);
    }
  }

  let offset = 0;
  const areaTerms: Array<{ layer: number; area: number; pieces: Array<[number, number]> }> = [];
  problem.layers.forEach((layer, li) => {
    const pieces = new Map<number, Array<[number, number]>>();
    for (let v = 0; v < n; v++) {
      for (let p = layer.start[v]; p < layer.start[v + 1]; p++) {
        const list = pieces.get(layer.area[p]) ?? [];
        list.push([v, layer.pop[p]]);
        pieces.set(layer.area[p], list);
      }
    }
    let singleKept = 0;
    const coefficient = (layer.weight * SCALE) / layer.total;
    for (const [area, list] of [...pieces].sort((a, b) => a[0] - b[0])) {
      if (list.length < 2) {
        singleKept += list[0][1];
        continue;
      }
      const total = list.reduce((s, [, q]) => s + q, 0);
      const homes: string[] = [];
      for (let f = 0; f < k; f++) {
        const y = `y${li}_${area}_${f}`;
        const h = `h${li}_${area}_${f}`;
        homes.push(h);
        binaries.push(h);
        continuous.push([y, total]);
        objective.push(term(coefficient, y));
        rows.push(`held${li}_${area}_${f}: ${y} ${list.map(([v, q]) => term(-q, x(v, f))).join(' ')} <= 0`);
        rows.push(`home${li}_${area}_${f}: ${y} ${term(-total, h)} <= 0`);
      }
      rows.push(`onehome${li}_${area}: ${homes.join(' + ')} = 1`);
      areaTerms.push({ layer: li, area, pieces: list });
    }
    if (layer.total > 0) offset += (layer.weight * (layer.total - singleKept)) / layer.total;
  });

  const edges: Array<[number, number, number]> = [];
  if (problem.compactnessWeight > 0 && problem.unitEdges > 0) {
    for (let u = 0; u < n; u++) {
      for (let e = problem.adjStart[u]; e < problem.adjStart[u + 1]; e++) {
        const v = problem.adjList[e];
        if (v <= u) continue;
        const cut = `c${u}_${v}`;
        edges.push([u, v, e]);
        continuous.push([cut, 1]);
        objective.push(term((-problem.compactnessWeight * problem.adjEdges[e] * SCALE) / problem.unitEdges, cut));
        for (let f = 0; f < k; f++) {
          rows.push(`cutA${u}_${v}_${f}: ${cut} - ${x(u, f)} + ${x(v, f)} >= 0`);
          rows.push(`cutB${u}_${v}_${f}: ${cut} + ${x(u, f)} - ${x(v, f)} >= 0`);
        }
      }
    }
  }

  const text = [
    'Maximize',
    ` obj: ${objective.length > 0 ? objective.join(' ') : `0 ${x(0, 0)}`}`,
    'Subject To',
    ...rows.map((r) => ` ${r}`),
    'Bounds',
    ...continuous.map(([name, upper]) => ` 0 <= ${name} <= ${upper}`),
    'Binary',
    ...binaries.map((b) => ` ${b}`),
    'End',
    '',
  ].join('\n');

  const startValues = (assignment: Int32Array) => labelStartValues(problem, hasLocks, areaTerms, edges, assignment);

  return { text, offset, startValues };
}

/**
 * The model's variables at a plan (the solver's start): x, the ordering rows' running counts s
 * (without locks, footprints relabelled by their first node), homes h and held residents y, cut edges c.
 */
function labelStartValues(
  problem: Problem,
  hasLocks: boolean,
  areaTerms: Array<{ layer: number; area: number; pieces: Array<[number, number]> }>,
  edges: Array<[number, number, number]>,
  assignment: Int32Array,
): Map<string, number> {
  const { n, k } = problem;
  const x = (v: number, f: number) => `x${v}_${f}`;
  let label = assignment;
  if (!hasLocks) {
    // Relabel footprints by their first node, as the ordering rows require.
    const order = new Map<number, number>();
    label = assignment.map((f) => {
      if (!order.has(f)) order.set(f, order.size);
      return order.get(f)!;
    });
  }
  const values = new Map<string, number>();
  for (let v = 0; v < n; v++) for (let f = 0; f < k; f++) values.set(x(v, f), label[v] === f ? 1 : 0);
  if (!hasLocks) {
    for (let f = 0; f < k - 1; f++) {
      let count = 0;
      for (let v = 0; v < n; v++) {
        if (label[v] === f) count++;
        values.set(`s${v}_${f}`, count);
      }
    }
  }
  for (const { layer, area, pieces } of areaTerms) {
    const held = new Array<number>(k).fill(0);
    for (const [v, q] of pieces) held[label[v]] += q;
    let home = 0;
    for (let f = 1; f < k; f++) if (held[f] > held[home]) home = f;
    for (let f = 0; f < k; f++) {
      values.set(`h${layer}_${area}_${f}`, f === home ? 1 : 0);
      values.set(`y${layer}_${area}_${f}`, f === home ? held[f] : 0);
    }
  }
  for (const [u, v] of edges) values.set(`c${u}_${v}`, label[u] === label[v] ? 0 : 1);
  return values;
}

/** Taken off the dual bound so that solver round-off never lifts it above the true optimum. */
const SAFETY = 1e-9;

export async function relaxationBound(problem: Problem, options: BoundOptions): Promise<BoundResult> {
  const began = performance.now();
  const model = relaxationModel(problem);
  const highs = await loadHighs();
  const instance = highs.createModel({ format: 'lp', data: model.text });
  try {
    instance.options.set({
      output_flag: false,
      mip_max_nodes: Math.max(0, Math.floor(options.nodes)),
      mip_rel_gap: 0,
      mip_abs_gap: 1e-6,
      random_seed: 0,
      ...(options.timeLimitMs !== undefined ? { time_limit: Math.max(0.001, options.timeLimitMs / 1000) } : {}),
    });
    if (options.incumbent) {
      const values = model.startValues(options.incumbent);
      const columns = instance.getDimensions().numCols;
      const start = new Float64Array(columns);
      for (let c = 0; c < columns; c++) start[c] = values.get(instance.getColName(c)) ?? 0;
      instance.setSolution({ colValue: start });
    }
    instance.run();
    const status = instance.getModelStatus();
    const dual = Number(instance.info.get('mip_dual_bound'));
    const nodes = Number(instance.info.get('mip_node_count'));
    const solved = status === highs.constants.modelStatus.optimal;
    const bound = Number.isFinite(dual) ? Math.max(0, model.offset - dual / SCALE - SAFETY) : 0;
    return { bound, solved, nodes, ms: performance.now() - began, timeLimitHit: status === highs.constants.modelStatus.timeLimit };
  } finally {
    instance.dispose();
  }
}
