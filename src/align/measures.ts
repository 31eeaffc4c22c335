import { FootprintError } from '../errors.js';
import type { PlanarMultiPolygon } from '../geometry/planar.js';
import { boxOf, boxesOverlap, multiPolygonArea } from '../geometry/planar.js';
import { intersect } from '../geometry/overlay.js';
import type { Crosswalk } from './types.js';
import { DEFAULT_SLIVER_TOLERANCE } from './crosswalk.js';

export const DEFAULT_COTERMINOSITY_TOLERANCE = 0.05;

/**
 * A partition of the territory seen through the units: each unit's share in each class (an area of
 * a layer, a footprint of a plan, or the unit itself), in the same CSR form as a crosswalk.
 */
export interface Partition {
  /** Class ids (area ids, footprint names, unit ids). */
  ids: string[];
  /** Length units + 1: the classes of unit u are cls[start[u] .. start[u+1]-1]. */
  start: Int32Array;
  cls: Int32Array;
  /** Share of the unit in each class; a unit's shares sum to 1 (or it has none: uncovered). */
  weight: Float64Array;
  /** Planar geometry of each piece, aligned with `cls`, when known (crosswalks keep it). */
  shapes: PlanarMultiPolygon[] | null;
  /** Area of each unit in m², needed to compare piece intersections with the sliver tolerance. */
  unitM2: Float64Array | null;
}

/** The units as a partition of themselves: unit u is wholly in class u. */
export function unitPartition(unitIds: string[]): Partition {
  const n = unitIds.length;
  const start = new Int32Array(n + 1);
  const cls = new Int32Array(n);
  for (let u = 0; u <= n; u++) start[u] = u;
  for (let u = 0; u < n; u++) cls[u] = u;
  return { ids: unitIds, start, cls, weight: new Float64Array(n).fill(1), shapes: null, unitM2: null };
}

/** A layer through its crosswalk; piece geometries come along when the crosswalk kept them. */
export function layerPartition(cw: Crosswalk & { pieceGeometry?: PlanarMultiPolygon[] | null }): Partition {
  return { ids: cw.areaIds, start: cw.start, cls: cw.area, weight: cw.weight, shapes: cw.pieceGeometry ?? null, unitM2: cw.unitM2 };
}

/**
 * A plan: unit u wholly in footprint assignment[u]. A negative entry leaves the unit unassigned
 * (it then counts as excluded population, like a unit a layer does not cover).
 */
export function planPartition(assignment: ArrayLike<number>, footprintIds: string[]): Partition {
  const n = assignment.length;
  const start = new Int32Array(n + 1);
  const cls: number[] = [];
  for (let u = 0; u < n; u++) {
    start[u] = cls.length;
    const f = assignment[u];
    if (f >= 0) {
      if (!Number.isInteger(f) || f >= footprintIds.length) {
        throw new RangeError(`assignment of unit ${u} is ${f}, but there are ${footprintIds.length} footprints`);
      }
      cls.push(f);
    }
  }
  start[n] = cls.length;
  return { ids: footprintIds, start, cls: Int32Array.from(cls), weight: new Float64Array(cls.length).fill(1), shapes: null, unitM2: null };
}

/**
 * The joint population table N(x,y) of two partitions, through the units, sparse: entries sorted
 * by x then y, only non-zero cells. Units outside either partition are excluded (and counted).
 */
export interface JointTable {
  xIds: string[];
  yIds: string[];
  x: Int32Array;
  y: Int32Array;
  n: Float64Array;
  /** N(x) and N(y): row and column sums of the table. */
  rowTotal: Float64Array;
  colTotal: Float64Array;
  /** N: the population both partitions cover. */
  total: number;
  /** Population of units one partition (or both) does not cover. */
  excludedPopulation: number;
  /** Units split by both partitions, whose pieces were intersected to share out their residents. */
  unitsSplitByBoth: number;
  /** Of those, units where piece geometry was missing and the two splits were taken as independent. */
  unitsAssumedIndependent: number;
}

/**
 * N(x,y) = Σ_u pop(u) · share of u in x ∩ y, residents spread evenly over each unit's area.
 *
 * When either partition leaves the unit whole, that share is exactly w(u,x)·w(u,y). When both
 * split the unit, the product would assume the two splits independent, which is wrong for
 * boundaries they share (a layer against itself would look misaligned), so the pieces are
 * intersected: share = area(piece_x ∩ piece_y) / Σ over both partitions' pieces, with
 * intersections under the sliver tolerance dropped as the crosswalk drops pieces. Only without
 * piece geometry does the product stand in, and the table says how often that happened.
 */
export function jointTable(X: Partition, Y: Partition, populations: ArrayLike<number>, { sliverTolerance = DEFAULT_SLIVER_TOLERANCE }: { sliverTolerance?: number } = {}): JointTable {
  const nUnits = X.start.length - 1;
  if (Y.start.length - 1 !== nUnits || populations.length !== nUnits) {
    throw new RangeError(`partitions and populations disagree on the number of units (${nUnits}, ${Y.start.length - 1}, ${populations.length})`);
  }
  const nY = Y.ids.length;
  const cells = new Map<number, number>();
  const add = (x: number, y: number, value: number): void => {
    if (value <= 0) return;
    const key = x * nY + y;
    cells.set(key, (cells.get(key) ?? 0) + value);
  };
  let excluded = 0;
  let splitByBoth = 0;
  let independent = 0;

  for (let u = 0; u < nUnits; u++) {
    const pop = populations[u];
    if (!(pop > 0)) continue;
    const x0 = X.start[u];
    const x1 = X.start[u + 1];
    const y0 = Y.start[u];
    const y1 = Y.start[u + 1];
    if (x0 === x1 || y0 === y1) {
      excluded += pop;
      continue;
    }
    if (x1 - x0 === 1 || y1 - y0 === 1) {
      for (let i = x0; i < x1; i++) for (let j = y0; j < y1; j++) add(X.cls[i], Y.cls[j], pop * X.weight[i] * Y.weight[j]);
      continue;
    }
    splitByBoth++;
    const shared = X.shapes && Y.shapes ? sharesOfPieces(X, Y, u, sliverTolerance) : null;
    if (shared === null) {
      independent++;
      for (let i = x0; i < x1; i++) for (let j = y0; j < y1; j++) add(X.cls[i], Y.cls[j], pop * X.weight[i] * Y.weight[j]);
      continue;
    }
    for (const [i, j, share] of shared) add(X.cls[i], Y.cls[j], pop * share);
  }

  const keys = [...cells.keys()].sort((a, b) => a - b);
  const x = new Int32Array(keys.length);
  const y = new Int32Array(keys.length);
  const n = new Float64Array(keys.length);
  const rowTotal = new Float64Array(X.ids.length);
  const colTotal = new Float64Array(nY);
  let total = 0;
  for (let k = 0; k < keys.length; k++) {
    x[k] = Math.floor(keys[k] / nY);
    y[k] = keys[k] - x[k] * nY;
    n[k] = cells.get(keys[k])!;
    rowTotal[x[k]] += n[k];
    colTotal[y[k]] += n[k];
    total += n[k];
  }
  return { xIds: X.ids, yIds: Y.ids, x, y, n, rowTotal, colTotal, total, excludedPopulation: excluded, unitsSplitByBoth: splitByBoth, unitsAssumedIndependent: independent };
}

/** Shares of unit u in each (x piece, y piece) pair, from their intersections; null when none is usable. */
function sharesOfPieces(X: Partition, Y: Partition, u: number, sliverTolerance: number): Array<[number, number, number]> | null {
  const unitArea = X.unitM2?.[u] ?? Y.unitM2?.[u];
  if (unitArea === undefined || !(unitArea > 0)) return null;
  const threshold = sliverTolerance * unitArea;
  const found: Array<[number, number, number]> = [];
  let sum = 0;
  const yBoxes = [];
  for (let j = Y.start[u]; j < Y.start[u + 1]; j++) yBoxes.push(boxOf(Y.shapes![j]));
  for (let i = X.start[u]; i < X.start[u + 1]; i++) {
    const xShape = X.shapes![i];
    const xBox = boxOf(xShape);
    for (let j = Y.start[u]; j < Y.start[u + 1]; j++) {
      if (!boxesOverlap(xBox, yBoxes[j - Y.start[u]])) continue;
      const m2 = multiPolygonArea(intersect(xShape, Y.shapes![j]));
      if (m2 < threshold || !(m2 > 0)) continue;
      found.push([i, j, m2]);
      sum += m2;
    }
  }
  if (!(sum > 0)) return null;
  for (const f of found) f[2] /= sum;
  return found;
}

export interface PairMeasureOptions {
  /** τ for coterminosity (default 0.05). */
  coterminosityTolerance?: number;
  /** Share of an area's population a piece needs to count towards the split count (default 0.01). */
  sliverTolerance?: number;
}

/** Both directions of a measure: `xy` is "X by Y" (or "X in Y"), `yx` the other way. */
export interface Both<T> {
  xy: T;
  yx: T;
}

export interface PairMeasures {
  /** N: population in both partitions. */
  population: number;
  excludedPopulation: number;
  /** S(X|Y) and S(Y|X), in [0, 1). */
  splitPopulation: Both<number>;
  /** Share of population in X-areas with at least (1 − τ) of their residents in one Y-area, and vice versa. */
  coterminosity: Both<number>;
  /** X-areas with residents in two or more Y-areas (each piece at least the sliver tolerance of the area's population). */
  splitCount: Both<number>;
  /** X-areas (Y-areas) with residents in the table. */
  populatedAreas: Both<number>;
  /** H(X|Y), H(Y|X) in bits. */
  conditionalEntropy: Both<number>;
  /** H(X), H(Y) in bits. */
  entropy: Both<number>;
  /** VI(X,Y) = H(X|Y) + H(Y|X), bits. */
  variationOfInformation: number;
}

export function pairMeasures(table: JointTable, options: PairMeasureOptions = {}): PairMeasures {
  const tau = options.coterminosityTolerance ?? DEFAULT_COTERMINOSITY_TOLERANCE;
  const sliver = options.sliverTolerance ?? DEFAULT_SLIVER_TOLERANCE;
  if (!(tau >= 0 && tau < 1)) throw new FootprintError(`coterminosity tolerance must be in [0, 1), got ${tau}`);
  const N = table.total;
  if (!(N > 0)) {
    throw new FootprintError('the two partitions share no population: no unit with residents lies in both');
  }
  const xSide = sideMeasures(table.x, table.y, table.n, table.rowTotal, table.colTotal, N, tau, sliver);
  const ySide = sideMeasures(table.y, table.x, table.n, table.colTotal, table.rowTotal, N, tau, sliver);
  return {
    population: N,
    excludedPopulation: table.excludedPopulation,
    splitPopulation: { xy: xSide.split, yx: ySide.split },
    coterminosity: { xy: xSide.coterminous, yx: ySide.coterminous },
    splitCount: { xy: xSide.splitCount, yx: ySide.splitCount },
    populatedAreas: { xy: xSide.populated, yx: ySide.populated },
    conditionalEntropy: { xy: xSide.conditionalEntropy, yx: ySide.conditionalEntropy },
    entropy: { xy: xSide.entropy, yx: ySide.entropy },
    variationOfInformation: xSide.conditionalEntropy + ySide.conditionalEntropy,
  };
}

/** Measures of the "row" side of a table (pass columns as rows for the other side). */
function sideMeasures(
  row: Int32Array, col: Int32Array, n: Float64Array,
  rowTotal: Float64Array, colTotal: Float64Array, N: number,
  tau: number, sliver: number,
) {
  const largest = new Float64Array(rowTotal.length);
  const pieces = new Int32Array(rowTotal.length);
  let conditionalEntropy = 0;
  for (let k = 0; k < n.length; k++) {
    const r = row[k];
    if (n[k] > largest[r]) largest[r] = n[k];
    if (n[k] >= sliver * rowTotal[r]) pieces[r]++;
    // H(row|col) = Σ n/N · log2(N(col)/n); each term ≥ 0 because n ≤ N(col).
    conditionalEntropy += (n[k] / N) * Math.log2(colTotal[col[k]] / n[k]);
  }
  let splitPopulation = 0;
  let coterminous = 0;
  let splitCount = 0;
  let populated = 0;
  let entropy = 0;
  for (let r = 0; r < rowTotal.length; r++) {
    const total = rowTotal[r];
    if (!(total > 0)) continue;
    populated++;
    // A sum of non-negative terms is never below its largest term in IEEE arithmetic; the clamp
    // only guards against a future change of summation order.
    splitPopulation += Math.max(0, total - largest[r]);
    if (largest[r] >= (1 - tau) * total) coterminous += total;
    if (pieces[r] >= 2) splitCount++;
    entropy += (total / N) * Math.log2(N / total);
  }
  return {
    split: splitPopulation / N,
    coterminous: coterminous / N,
    splitCount,
    populated,
    conditionalEntropy: Math.max(0, conditionalEntropy),
    entropy,
  };
}

/** An area cut by the other partition, with the population of each piece, largest first. */
export interface SplitArea {
  id: string;
  population: number;
  /** Residents not in the area's largest piece: its contribution to S, times N. */
  splitPopulation: number;
  pieces: Array<{ id: string; population: number }>;
}

/** The areas of one side with the most residents outside their largest piece. */
export function mostSplit(table: JointTable, side: 'x' | 'y', limit = 10): SplitArea[] {
  const [row, col, rowIds, colIds, rowTotal] =
    side === 'x' ? [table.x, table.y, table.xIds, table.yIds, table.rowTotal] : [table.y, table.x, table.yIds, table.xIds, table.colTotal];
  const byRow = new Map<number, Array<{ id: string; population: number }>>();
  for (let k = 0; k < table.n.length; k++) {
    let list = byRow.get(row[k]);
    if (!list) byRow.set(row[k], (list = []));
    list.push({ id: colIds[col[k]], population: table.n[k] });
  }
  const out: SplitArea[] = [];
  for (const [r, pieces] of byRow) {
    if (pieces.length < 2) continue;
    pieces.sort((a, b) => b.population - a.population || a.id.localeCompare(b.id));
    const splitPopulation = Math.max(0, rowTotal[r] - pieces[0].population);
    if (splitPopulation > 0) out.push({ id: rowIds[r], population: rowTotal[r], splitPopulation, pieces });
  }
  out.sort((a, b) => b.splitPopulation - a.splitPopulation || a.id.localeCompare(b.id));
  return out.slice(0, limit);
}

export interface PlanMisalignment {
  layer: string;
  /** S(L|F): the plan's misalignment with the layer, the term of the objective. */
  splitPopulation: number;
  /** S(F|L): how far footprints are cut by the layer's areas. */
  planSplitPopulation: number;
  /** Coterminosity of L in F at τ. */
  coterminosity: number;
  /** L-areas with residents in two or more footprints. */
  splitCount: number;
  variationOfInformation: number;
  /** Population in the table: units the layer covers and the plan assigns. */
  population: number;
  excludedPopulation: number;
  /** L-areas cut by the plan, most split first. */
  mostSplit: SplitArea[];
}

/**
 * How a plan F (unit → footprint) cuts a layer, from the layer's crosswalk: N(a,f) = Σ_{u in f}
 * pop(u)·w(u,a), exact because footprints are made of whole units. No overlay is re-run, so the
 * optimiser can call this for every plan it reports.
 *
 * `assignment[u]` is the footprint index of unit u (negative: unassigned); `footprintIds` names
 * them (default F1, F2, ...).
 */
export function misalignment(
  cw: Crosswalk,
  populations: ArrayLike<number>,
  assignment: ArrayLike<number>,
  options: PairMeasureOptions & { footprintIds?: string[]; mostSplit?: number } = {},
): PlanMisalignment {
  let k = 0;
  for (let u = 0; u < assignment.length; u++) if (assignment[u] + 1 > k) k = assignment[u] + 1;
  const ids = options.footprintIds ?? Array.from({ length: k }, (_, i) => `F${i + 1}`);
  const table = jointTable(layerPartition(cw), planPartition(assignment, ids), populations, { sliverTolerance: options.sliverTolerance ?? cw.sliverTolerance });
  if (!(table.total > 0)) {
    throw new FootprintError(`layer "${cw.layer}" and the plan share no population: no assigned unit with residents lies in the layer`);
  }
  const measures = pairMeasures(table, { ...options, sliverTolerance: options.sliverTolerance ?? cw.sliverTolerance });
  return {
    layer: cw.layer,
    splitPopulation: measures.splitPopulation.xy,
    planSplitPopulation: measures.splitPopulation.yx,
    coterminosity: measures.coterminosity.xy,
    splitCount: measures.splitCount.xy,
    variationOfInformation: measures.variationOfInformation,
    population: measures.population,
    excludedPopulation: measures.excludedPopulation,
    mostSplit: mostSplit(table, 'x', options.mostSplit ?? 10),
  };
}
