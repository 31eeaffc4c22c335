import type { Problem } from '../../plan/problem.js';
import { evaluatePlan } from '../../plan/evaluate.js';
import { pathPopulations, type BoundaryBounds } from './boundary.js';
import { CARVED, certainCut, CutScratch, FREE, MEMBER, OUT, reachCut, ReachScratch, restCanHold, RestScratch } from './cuts.js';
import { pastDeadline } from '../race.js';
import { FreeTally } from './free-tally.js';
import { searchOrder } from './order.js';
import { SplitTally } from './split-tally.js';
import { restComponents } from './rest-components.js';
import type { ExactOptions } from './types.js';
import { createShare, ShareView } from './share.js';

/** Dead-end free sets remembered at most (about 100 bytes each). */
const DEAD_END_LIMIT = 2_000_000;

/** A term within this of its limit meets it (sums of the same residents in another order differ in the last bits). */
const LIMIT_TOLERANCE = 1e-12;

/**
 * The search is shared out over threads by subtrees (share.ts): the branches of the footprint
 * split at with this many members, and its closings with fewer. Few enough members that the top
 * every thread walks is a sliver of the search; enough tasks to keep the threads evenly busy.
 */
export const SPLIT_MEMBERS = 6;

/**
 * The tasks are split at the first footprint, unless it can be closed in fewer than this many ways
 * and its whole tree takes fewer than SPLIT_FIRST_STEPS branches: then (on Oklahoma one way holds
 * nearly all the search) at the second, every thread walking the first footprint's tree whole.
 */
export const SPLIT_FIRST_FOOTPRINTS = 32;
export const SPLIT_FIRST_STEPS = 20_000;

/** Edge counts are integers, so a bound on the cut rounds up. */
const whole = (cut: number): number => Math.ceil(cut - 1e-9);

/** The footprint being grown by carve(f): the state of one branch of tryMembers. */
interface Growing {
  f: number;
  members: number[];
  /** Residents of the members. */
  pop: number;
  /** Footprints still owed after this one. */
  owed: number;
  /**
   * near[d][x]: the fewest residents on a path to x from any of the first d members (reachCost),
   * for d ≤ nearValid; each level is the one above it and one member more, so a step computes
   * only the levels its branch added. Members are a stack: popping one invalidates its level.
   */
  near: Float64Array[];
  nearValid: number;
}

/**
 * The state of one exact search (the maths is in solve.ts's header): the footprints carved so far
 * (label), the tallies the bounds read, the best plan known; `carve` closes footprints one at a
 * time, `tryMembers` grows the open one, each step a method below.
 */
export class ExactSearch {
  readonly n: number;
  readonly k: number;
  readonly min: number;
  readonly max: number;
  readonly pop: ArrayLike<number>;
  /** The cost of one edge-length unit cut, in the objective (0 without a compactness term). */
  readonly edgeCost: number;
  readonly beta: Int32Array;
  readonly order: number[];
  readonly rank: Int32Array;
  /** Carved footprint index (0.. in carving order), −1 unassigned. */
  readonly label: Int32Array;
  /**
   * What each node is to the footprint growing now (cuts.ts): MEMBER, CARVED (an earlier footprint),
   * OUT (excluded by its branch) or FREE; read by certainCut, reachCut and restCanHold.
   */
  readonly state: Uint8Array;
  readonly split: SplitTally;
  readonly free: FreeTally;
  /**
   * reachCost[u·n + w]: the fewest residents on a path from u to w, w counted and u not. A node
   * joining a footprint brings a connected path from it to the footprint, so one whose cost from
   * every member exceeds the room left never joins.
   */
  readonly reachCost: Float64Array;
  /** The shortest edge: each of the j − 1 edges a component cut into j footprints needs at least. */
  readonly minEdge: number;
  readonly scratch: CutScratch;
  readonly restScratch: RestScratch;
  readonly reachScratch: ReachScratch;
  /**
   * Dead ends remembered: with cut edges the only term and no locks, what the owed footprints can
   * still cost depends only on the free nodes, not on how the carved ones were cut up. When the
   * search below a set of free nodes ends without a better plan, every way of cutting it costs at
   * least (the best plan's cut − the cut carved so far); the same free set met again, carved
   * differently, starts from that bound. Keyed by the free set and the footprints owed.
   */
  readonly remember: boolean;
  readonly deadEnds = new Map<string, number>();
  /**
   * The reach cut's flows on the current branch of the growing footprint, innermost last
   * (flows[flowFloor..flowTop)): a descendant augments the innermost rather than starting from zero
   * (reachCut's `warm`). Below flowFloor they belong to footprints already closed, whose flows are
   * no flows for this one.
   */
  private readonly flows: Int32Array[] = [];
  private flowTop = 0;
  private flowFloor = 0;
  /** Growing.near's arrays, per footprint index (one growing footprint per index at a time). */
  private readonly nearLevels: Float64Array[][] = [];
  /** Locks of the carved footprints, in carving order (−1 for none). */
  readonly carvedLocks: number[] = [];

  /** The objective of the plan the search started from (Infinity without one): plans must beat it. */
  readonly incumbentValue: number;
  /** This thread's best objective: the incumbent's, or of the first plan it met that beat it. */
  bestValue: number;
  bestAssignment: Int32Array | null;
  /** The task bestAssignment came from (−1: the incumbent). */
  bestTask = -1;
  /** The share this thread searches part of (share.ts), and the least objective its threads had found when last read. */
  private readonly view: ShareView;
  private sharedFound = Infinity;
  /** Tasks met so far on the walk, the one this thread drew next, and whether it is inside one now. */
  private taskCount = 0;
  private ticket: number;
  private currentTask = -1;
  private working = false;
  /** The footprint whose branches are the tasks (0 or 1: chooseSplit). */
  private splitFootprint = 0;
  /** While counting first footprints (chooseSplit): how many more, and branches, before stopping. */
  private countLeft = 0;
  private countSteps = 0;
  private counting = false;
  leaves = 0;
  pruned = 0;
  timedOut = false;
  steps = 0;
  /** Edge-length units cut so far by carved footprints. */
  carvedCut = 0;
  /**
   * Edge units between carved footprints and the nodes not carved (the members of the growing one
   * included): the part of the owed footprints' boundaries already paid for in carvedCut.
   */
  openCut = 0;

  constructor(
    readonly problem: Problem,
    readonly options: ExactOptions,
    edgeCost: number,
    bounds: Pick<BoundaryBounds, 'beta' | 'reached'>,
  ) {
    const { n, k, min, max } = problem;
    this.n = n;
    this.k = k;
    this.min = min;
    this.max = max;
    this.pop = problem.population;
    this.edgeCost = edgeCost;
    this.beta = bounds.beta;
    ({ order: this.order, rank: this.rank } = searchOrder(problem, bounds.beta, bounds.reached));
    this.label = new Int32Array(n).fill(-1);
    this.state = new Uint8Array(n).fill(FREE);
    this.split = new SplitTally(problem);
    this.incumbentValue = options.incumbent ?? Infinity;
    this.bestValue = this.incumbentValue;
    this.view = new ShareView(options.share ?? createShare(1, n));
    this.ticket = this.view.draw();
    this.bestAssignment = options.incumbentAssignment ? Int32Array.from(options.incumbentAssignment) : null;
    let minEdge = Infinity;
    for (let j = 0; j < problem.adjStart[n]; j++) minEdge = Math.min(minEdge, problem.adjEdges[j]);
    this.minEdge = !Number.isFinite(minEdge) || minEdge < 0 ? 0 : minEdge;
    this.free = new FreeTally(n, this.beta, this.pop);
    this.reachCost = edgeCost > 0 ? pathPopulations(problem) : new Float64Array(0);
    this.scratch = new CutScratch(n);
    this.restScratch = new RestScratch(n);
    this.reachScratch = new ReachScratch(problem);
    // Limits on split terms depend on how the carved footprints cut the areas: no dead ends then.
    this.remember = edgeCost > 0 && !problem.layers.some((l) => l.weight > 0 && l.total > 0) && !problem.locked.some((l) => l >= 0) && !(options.limits?.length);
  }

  /** Labels node v with footprint f (−1: unassigned), keeping the free tally. */
  assign(v: number, f: number): void {
    const { label } = this;
    if (label[v] < 0 && f >= 0) this.free.take(v);
    else if (label[v] >= 0 && f < 0) this.free.release(v);
    label[v] = f;
    this.state[v] = f >= 0 ? MEMBER : FREE;
  }

  /**
   * True when a partial plan whose bound is `value` is pruned. On the top every thread walks, only
   * against the incumbent, which every thread knows (so all number the same tasks). Inside a task,
   * also when no better than this thread's best (it keeps the first plan it met of that objective),
   * or worse than another thread's: a tie with another thread's plan may be the first optimal plan
   * in the search's order, so it is searched (share.ts).
   */
  private noBetter(value: number): boolean {
    if (!this.working) return value >= this.incumbentValue - 1e-12;
    return value >= this.bestValue - 1e-12 || value > this.sharedFound + 1e-12;
  }

  /** The least whole cut whose objective is not below `value` less the pruning tolerance. */
  private cutReaching(value: number): number {
    return Math.ceil((value - 1e-12) / this.edgeCost - 1e-9);
  }

  /** The least whole cut that noBetter prunes (cut edges alone, so the objective is edgeCost × cut). */
  private pruningCut(): number {
    let cut = this.cutReaching(this.working ? Math.min(this.bestValue, this.sharedFound) : this.incumbentValue);
    if (!Number.isFinite(cut)) return Infinity;
    while (cut > 0 && this.noBetter(this.edgeCost * (cut - 1))) cut--;
    while (!this.noBetter(this.edgeCost * cut)) cut++;
    return cut;
  }

  /**
   * Counts a task met on the walk (share.ts) and runs it when this thread drew it, then draws the next.
   * Inside a task there are no tasks: `body` runs as it is.
   */
  private task(body: () => void): void {
    if (this.working) {
      body();
      return;
    }
    const index = this.taskCount++;
    if (index !== this.ticket) return;
    this.currentTask = index;
    this.working = true;
    body();
    this.working = false;
    this.ticket = this.view.draw();
  }

  /**
   * Chooses the footprint the tasks split at, the same in every thread: the second when the first
   * footprint's tree is small (fewer than SPLIT_FIRST_FOOTPRINTS ways to close it, SPLIT_FIRST_STEPS
   * branches; walked on the top's own terms, pruned against the incumbent alone), else the first.
   * Call before carve(0).
   */
  chooseSplit(): void {
    if (this.k < 2) return;
    const pruned = this.pruned;
    this.counting = true;
    this.countLeft = SPLIT_FIRST_FOOTPRINTS;
    this.countSteps = SPLIT_FIRST_STEPS;
    this.carve(0);
    this.counting = false;
    this.pruned = pruned;
    const small = this.countLeft > 0 && this.countSteps > 0;
    // A deadline met while counting stands; the count's own stop does not.
    if (!small) this.timedOut = pastDeadline(this.options.deadline, this.options.race);
    this.splitFootprint = small ? 1 : 0;
  }

  /** Reads the least objective the share's threads have found. */
  private readShared(): void {
    this.sharedFound = this.view.found();
  }

  /** This thread is done: true when it is the last of the share's threads to finish. */
  finishShare(): boolean {
    return this.view.finish();
  }

  /** A lower bound on every completion of the carved footprints, `cut` edge units certainly cut. */
  lowerBound(cut: number): number {
    return this.split.addBound(this.edgeCost * cut);
  }

  /**
   * The number of components of the unassigned nodes when they can hold exactly `owed` footprints
   * between them, −1 when they cannot.
   */
  restComponents(owed: number): number {
    return restComponents(this.problem, this.order, this.label, owed);
  }

  /** The one lock among the nodes (−1 for none), null when they hold two different ones. */
  lockOf(nodes: number[]): number | null {
    let lock = -1;
    for (const v of nodes) {
      const l = this.problem.locked[v];
      if (l < 0) continue;
      if (lock >= 0 && lock !== l) return null;
      lock = l;
    }
    return lock;
  }

  /** Every footprint is carved: labels them (locked ones take their number) and keeps the plan if better. */
  finish(): void {
    const { k } = this;
    this.leaves++;
    const mapping = new Int32Array(k).fill(-1);
    const taken = new Set<number>();
    this.carvedLocks.forEach((lock, f) => {
      if (lock >= 0) {
        mapping[f] = lock;
        taken.add(lock);
      }
    });
    let next = 0;
    for (let f = 0; f < k; f++) {
      if (mapping[f] >= 0) continue;
      while (taken.has(next)) next++;
      mapping[f] = next;
      taken.add(next);
    }
    const assignment = Int32Array.from(this.label, (f) => mapping[f]);
    const evaluation = evaluatePlan(this.problem, assignment);
    if (this.options.limits?.some(({ layer, value }) => evaluation.splits[layer] > value + LIMIT_TOLERANCE)) return;
    const value = evaluation.objective;
    if (value < this.bestValue - 1e-12) {
      this.bestValue = value;
      this.bestAssignment = assignment;
      this.bestTask = this.currentTask;
      this.view.offer(value);
      this.readShared();
    }
  }

  /** Carves footprint f (and, below it, the rest): every connected set within bounds holding the first free node. */
  carve(f: number): void {
    if (this.timedOut) return;
    if (f === this.k) {
      this.finish();
      return;
    }
    const { label } = this;
    let v = -1;
    for (const x of this.order) {
      if (label[x] < 0) {
        v = x;
        break;
      }
    }
    if (v < 0) return;
    this.assign(v, f);
    const growing: Growing = {
      f,
      members: [v],
      pop: this.pop[v],
      owed: this.k - f - 1,
      near: (this.nearLevels[f] ??= []),
      nearValid: 0,
    };
    const floor = this.flowFloor;
    this.flowFloor = this.flowTop;
    this.tryMembers(growing);
    this.flowFloor = floor;
    this.assign(v, -1);
  }

  /** One branch of the growing footprint: prune it, close it if it may be closed, or grow it by one node. */
  tryMembers(g: Growing): void {
    if ((++this.steps & 4095) === 0) {
      if (pastDeadline(this.options.deadline, this.options.race)) this.timedOut = true;
      this.readShared();
    }
    if (this.counting && --this.countSteps === 0) this.timedOut = true;
    if (this.timedOut) return;
    if (!this.working && !this.counting && g.f === this.splitFootprint && g.members.length >= SPLIT_MEMBERS) {
      this.task(() => this.tryMembers(g));
      return;
    }
    // The reach cut's flows this branch keeps are for the branches below it alone.
    const flowTop = this.flowTop;
    this.branch(g);
    this.flowTop = flowTop;
  }

  /** tryMembers' work on the branch. */
  private branch(g: Growing): void {
    if (this.edgeCost > 0 && this.cutPrunes(g)) {
      this.pruned++;
      return;
    }
    // The free nodes left outside must still be able to form the footprints owed (restCanHold):
    // on the counties a pocket between the growing footprint and the map's edge often cannot.
    if (g.owed > 0 && !restCanHold(this.problem, g.owed, this.max - g.pop, this.state, this.restScratch)) {
      this.pruned++;
      return;
    }
    if (g.pop >= this.min && g.pop <= this.max) {
      if (this.counting) this.countFirstFootprint();
      else if (!this.working && g.f === this.splitFootprint) this.task(() => this.close(g));
      else this.close(g);
    }
    if (g.pop >= this.max) return;
    this.grow(g);
  }

  /**
   * The cut bound on a branch: carvedCut + ½(|δ(D)| + Σ_i |δ(R_i)| − openCut) for the growing
   * footprint D and the owed ones R_i (each edge between them is on two boundaries, each edge to a
   * carved footprint on one, already counted in carvedCut). True when it prunes the branch.
   */
  private cutPrunes(g: Growing): boolean {
    const { problem, label, beta, max, carvedCut, openCut } = this;
    const { f, members, owed: j } = g;
    // Every extension of this branch keeps these members, so an edge to a node it excludes, or to
    // one too populous to join them, is cut.
    const toRest = certainCut(problem, members, members.length, max - g.pop, this.state, this.scratch);
    let toCarved = 0;
    let leaving = 0;
    let rootBeta = 0;
    for (const x of members) {
      rootBeta = Math.max(rootBeta, beta[x]);
      for (let e = problem.adjStart[x]; e < problem.adjStart[x + 1]; e++) {
        const l = label[problem.adjList[e]];
        if (l !== f) leaving += problem.adjEdges[e];
        if (l >= 0 && l !== f) toCarved += problem.adjEdges[e];
      }
    }
    const room = max - g.pop;
    const own = Math.max(rootBeta, toCarved + toRest);
    let cut = whole(carvedCut + toRest);
    // The owed footprints' bound with nothing more joining D is at least the true one: only when
    // that could prune is it worth finding which nodes D can still reach (O(members · n)).
    let owedJoining = -1;
    const owed = (): number => {
      if (owedJoining < 0) {
        this.tallyJoinable(g, room);
        owedJoining = this.free.owedBoundary(j, room, max);
      }
      return owedJoining;
    };
    const owedNoneJoining = this.free.owedBoundary(j, 0, max);
    if (this.noBetter(this.lowerBound(Math.max(cut, whole(carvedCut + 0.5 * (own + owedNoneJoining - openCut)))))) {
      cut = Math.max(cut, whole(carvedCut + 0.5 * (own + owed() - openCut)));
    }
    if (this.noBetter(this.lowerBound(cut))) return true;
    // D's own boundary is at least the maximum flow to the nodes it can no longer take in
    // (reachCut): dearer than the counts above, so only for branches they did not prune.
    // The flow is at most D's boundary now (δ(D) is one such cut), the bound one more: skipped when even that would not prune.
    if (leaving + 1 > own && this.noBetter(this.lowerBound(whole(carvedCut + 0.5 * (leaving + 1 + owedNoneJoining - openCut))))) {
      // With cut edges alone the flow may stop once it prunes (a flow is a bound however far it got):
      // ⌈carvedCut + ½(fenced + owed − openCut)⌉ reaches the cut R that prunes once the flow passes
      // 2(R − 1 − carvedCut) − owed + openCut.
      const enough = this.remember ? 2 * (this.pruningCut() - 1 - carvedCut) - owed() + openCut : Infinity;
      const fenced = this.fencedCut(g, room, enough);
      if (fenced > own && this.noBetter(this.lowerBound(whole(carvedCut + 0.5 * (fenced + owedNoneJoining - openCut))))) {
        cut = Math.max(cut, whole(carvedCut + 0.5 * (fenced + owed() - openCut)));
        if (this.noBetter(this.lowerBound(cut))) return true;
      }
    }
    return false;
  }

  /** reachCut for the growing footprint, augmenting the flow found higher up its branch; the flow it ends with is kept for the branches below. */
  private fencedCut(g: Growing, room: number, enough: number): number {
    const scratch = this.reachScratch;
    const warm = this.flowTop > this.flowFloor;
    if (warm) scratch.flow.set(this.flows[this.flowTop - 1]);
    const fenced = reachCut(this.problem, g.members.length, g.members, this.state, room, this.min - g.pop, enough, scratch, warm);
    if (this.flows.length === this.flowTop) this.flows.push(new Int32Array(scratch.flow.length));
    this.flows[this.flowTop++].set(scratch.flow);
    return fenced;
  }

  /** Tallies by β the residents of the free nodes the growing footprint can still reach within `room`. */
  private tallyJoinable(g: Growing, room: number): void {
    const { n, state, pop, beta, reachCost } = this;
    const { joinPop } = this.free;
    const { members, near } = g;
    for (let d = g.nearValid + 1; d <= members.length; d++) {
      const row = reachCost.subarray(members[d - 1] * n, members[d - 1] * n + n);
      if (d === 1) near[1] = row;
      else {
        const level = (near[d] ??= new Float64Array(n));
        const above = near[d - 1];
        for (let x = 0; x < n; x++) level[x] = Math.min(above[x], row[x]);
      }
    }
    g.nearValid = members.length;
    const reach = near[members.length];
    joinPop.fill(0);
    for (let x = 0; x < n; x++) {
      // Not free: in a footprint (this one or one carved) or excluded by this branch.
      if (state[x] !== FREE || pop[x] > room) continue;
      if (reach[x] <= room) joinPop[beta[x]] += pop[x];
    }
  }

  /** One more way to close the first footprint (chooseSplit); the count stops the walk once it is enough. */
  private countFirstFootprint(): void {
    if (--this.countLeft === 0) this.timedOut = true;
  }

  /** The growing footprint is within bounds: close it here and carve the next, when locks and the rest allow. */
  private close(g: Growing): void {
    const { f, members, owed: j } = g;
    const lock = this.lockOf(members);
    const components = lock !== null && (lock < 0 || !this.carvedLocks.includes(lock)) ? this.restComponents(this.k - f - 1) : -1;
    if (lock === null || components < 0) return;
    const saved = this.split.takePieces(members);
    const { leaving, toCarved } = this.closedEdges(g);
    this.carvedCut += leaving;
    const openBefore = this.openCut;
    this.openCut += leaving - toCarved;
    // A connected set cut into j connected footprints has at least j − 1 edges between them;
    // and the cut among the owed footprints is half their boundaries less what carved ones pay.
    // Not on the top every thread walks: what a thread remembers depends on the tasks it drew.
    const key = this.remember && this.working && j > 0 ? this.free.key(j) : '';
    const known = key ? (this.deadEnds.get(key) ?? 0) : 0;
    const restCut = Math.max(this.minEdge * Math.max(0, j - components), 0.5 * (this.free.owedBoundary(j, 0, this.max) - this.openCut), known);
    if (!this.pastLimit() && !this.noBetter(this.lowerBound(whole(this.carvedCut + restCut)))) {
      this.carvedLocks.push(lock);
      // For the next footprint these members are carved, and this branch's exclusions no longer apply.
      const { state } = this;
      for (const x of members) state[x] = CARVED;
      const excluded: number[] = [];
      for (let x = 0; x < this.n; x++) {
        if (state[x] === OUT) {
          state[x] = FREE;
          excluded.push(x);
        }
      }
      this.carve(f + 1);
      for (const x of members) state[x] = MEMBER;
      for (const x of excluded) state[x] = OUT;
      this.carvedLocks.pop();
      // Every completion below was pruned against, or is no better than, the least of this
      // thread's best and the share's: a bound on the free set's cut, however it was carved.
      const least = Math.min(this.bestValue, this.sharedFound);
      if (key && !this.timedOut && Number.isFinite(least)) {
        const learnt = this.cutReaching(least) - this.carvedCut;
        if (learnt > known && (this.deadEnds.size < DEAD_END_LIMIT || this.deadEnds.has(key))) this.deadEnds.set(key, learnt);
      }
    } else this.pruned++;
    this.carvedCut -= leaving;
    this.openCut = openBefore;
    this.split.restore(saved);
  }

  /** True when the carved footprints already force a limited split term past its limit (ExactOptions.limits). */
  private pastLimit(): boolean {
    return this.options.limits?.some(({ layer, value }) => this.split.layerBound(layer) > value + LIMIT_TOLERANCE) ?? false;
  }

  /**
   * Edge units of the footprint being closed: members are labelled f, so edges to nodes still
   * unlabelled leave the footprint (leaving); edges to earlier footprints (toCarved) were counted
   * when those were carved.
   */
  private closedEdges(g: Growing): { leaving: number; toCarved: number } {
    const { problem, label } = this;
    let leaving = 0;
    let toCarved = 0;
    if (this.edgeCost > 0) {
      for (const x of g.members) {
        for (let e = problem.adjStart[x]; e < problem.adjStart[x + 1]; e++) {
          const l = label[problem.adjList[e]];
          if (l < 0) leaving += problem.adjEdges[e];
          else if (l !== g.f) toCarved += problem.adjEdges[e];
        }
      }
    }
    return { leaving, toCarved };
  }

  /**
   * Grows by frontier nodes in order; each sibling branch excludes those tried before it, so every
   * connected set containing the first member is generated exactly once.
   */
  private grow(g: Growing): void {
    const { problem, pop, max } = this;
    const frontier: number[] = [];
    for (const x of g.members) {
      for (let j = problem.adjStart[x]; j < problem.adjStart[x + 1]; j++) {
        const w = problem.adjList[j];
        // Neither in a footprint nor excluded by this branch (a sibling branch took it in).
        if (this.state[w] === FREE && !frontier.includes(w)) frontier.push(w);
      }
    }
    frontier.sort((a, b) => this.rank[a] - this.rank[b]);
    const newlyExcluded: number[] = [];
    for (const w of frontier) {
      if (g.pop + pop[w] <= max) {
        this.assign(w, g.f);
        g.members.push(w);
        g.pop += pop[w];
        this.tryMembers(g);
        g.members.pop();
        g.nearValid = Math.min(g.nearValid, g.members.length);
        g.pop -= pop[w];
        this.assign(w, -1);
      }
      this.state[w] = OUT;
      newlyExcluded.push(w);
      if (this.timedOut) break;
    }
    for (const w of newlyExcluded) this.state[w] = FREE;
  }
}
