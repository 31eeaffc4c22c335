import { find as findRoot, type Problem } from '../../plan/problem.js';
import type { Random } from '../random.js';

/**
 * Random spanning trees and balanced cuts: the recombination step of ReCom (DeFord, Duchin and
 * Solomon 2021). A random spanning tree of a connected set of nodes is cut at an edge whose two
 * sides both have acceptable populations; both sides are then connected by construction.
 */
export interface Tree {
  nodes: number[];
  /** Parent of each node of `nodes` in the tree rooted at nodes[0] (−1 for the root), by node id. */
  parent: Map<number, number>;
  /** Nodes in an order where every node comes after its parent. */
  order: number[];
}

function find(parent: Map<number, number>, i: number): number {
  let r = i;
  while (parent.get(r)! !== r) r = parent.get(r)!;
  let c = i;
  while (parent.get(c)! !== r) {
    const next = parent.get(c)!;
    parent.set(c, r);
    c = next;
  }
  return r;
}

/** Random spanning tree of the subgraph on `nodes` (random-weight Kruskal), or null if it is not connected. */
export function randomSpanningTree(problem: Problem, nodes: number[], inSet: (v: number) => boolean, random: Random): Tree | null {
  const edges: Array<[number, number, number]> = [];
  for (const v of nodes) {
    for (let i = problem.adjStart[v]; i < problem.adjStart[v + 1]; i++) {
      const w = problem.adjList[i];
      if (w > v && inSet(w)) edges.push([random.next(), v, w]);
    }
  }
  edges.sort((a, b) => a[0] - b[0]);
  const uf = new Map<number, number>(nodes.map((v) => [v, v]));
  const adjacency = new Map<number, number[]>(nodes.map((v) => [v, []]));
  let joined = 0;
  for (const [, v, w] of edges) {
    const rv = find(uf, v);
    const rw = find(uf, w);
    if (rv === rw) continue;
    uf.set(rv, rw);
    adjacency.get(v)!.push(w);
    adjacency.get(w)!.push(v);
    if (++joined === nodes.length - 1) break;
  }
  if (joined !== nodes.length - 1) return null;
  const root = nodes[0];
  const parent = new Map<number, number>([[root, -1]]);
  const order = [root];
  for (let i = 0; i < order.length; i++) {
    for (const w of adjacency.get(order[i])!) {
      if (!parent.has(w)) {
        parent.set(w, order[i]);
        order.push(w);
      }
    }
  }
  return { nodes, parent, order };
}

/** Population of the subtree under each node. */
export function subtreePopulations(problem: Problem, tree: Tree): Map<number, number> {
  const below = new Map<number, number>();
  for (const v of tree.order) below.set(v, problem.population[v]);
  for (let i = tree.order.length - 1; i > 0; i--) {
    const v = tree.order[i];
    const p = tree.parent.get(v)!;
    below.set(p, below.get(p)! + below.get(v)!);
  }
  return below;
}

/** The nodes of the subtree under `top`. */
export function subtreeNodes(tree: Tree, top: number): number[] {
  const children = new Map<number, number[]>();
  for (const v of tree.order) {
    const p = tree.parent.get(v)!;
    if (p >= 0) {
      const list = children.get(p);
      if (list) list.push(v);
      else children.set(p, [v]);
    }
  }
  const out = [top];
  for (let i = 0; i < out.length; i++) for (const c of children.get(out[i]) ?? []) out.push(c);
  return out;
}

/** Edges of one spanning tree draw are sorted as packed float keys: random bits above, edge index below. */
const INDEX_BITS = 2 ** 21;

/**
 * Random spanning trees of node subsets drawn into reusable typed arrays, for the seeding and the
 * population repair, which draw thousands of them on large problems where the Map-based tree above
 * would dominate the run. Kruskal with random edge weights, as above; the tree is rooted at the
 * first node given and listed parent-before-child.
 */
export class SpanningTrees {
  private readonly problem: Problem;
  private readonly member: Int32Array;
  private stamp = 0;
  private readonly uf: Int32Array;
  private readonly head: Int32Array;
  private readonly next: Int32Array;
  private readonly to: Int32Array;
  private readonly seen: Int32Array;
  /** Parent of each tree node (by node id; −1 for the root); valid for the nodes of the last draw. */
  readonly parent: Int32Array;
  /** The last tree's nodes, parent before child; the first `size` entries are valid. */
  readonly order: Int32Array;
  size = 0;

  constructor(problem: Problem) {
    this.problem = problem;
    const n = problem.n;
    this.member = new Int32Array(n);
    this.seen = new Int32Array(n);
    this.uf = new Int32Array(n);
    this.head = new Int32Array(n);
    this.next = new Int32Array(2 * n);
    this.to = new Int32Array(2 * n);
    this.parent = new Int32Array(n);
    this.order = new Int32Array(n);
  }

  /** Draw a random spanning tree of the subgraph on `nodes`; false if that subgraph is not connected. */
  draw(nodes: ArrayLike<number>, random: Random): boolean {
    const p = this.problem;
    const mark = ++this.stamp;
    for (let i = 0; i < nodes.length; i++) {
      const v = nodes[i];
      this.member[v] = mark;
      this.uf[v] = v;
      this.head[v] = -1;
    }
    const from: number[] = [];
    const too: number[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const v = nodes[i];
      for (let j = p.adjStart[v]; j < p.adjStart[v + 1]; j++) {
        const w = p.adjList[j];
        if (w > v && this.member[w] === mark) {
          from.push(v);
          too.push(w);
        }
      }
    }
    const m = from.length;
    let sorted: ArrayLike<number>;
    if (m < INDEX_BITS) {
      const keys = new Float64Array(m);
      for (let e = 0; e < m; e++) keys[e] = random.nextUint32() * INDEX_BITS + e;
      keys.sort();
      for (let e = 0; e < m; e++) keys[e] = keys[e] % INDEX_BITS;
      sorted = keys;
    } else {
      const weight = Float64Array.from({ length: m }, () => random.next());
      sorted = Uint32Array.from({ length: m }, (_, e) => e).sort((a, b) => weight[a] - weight[b]);
    }
    let joined = 0;
    let links = 0;
    for (let i = 0; i < m && joined < nodes.length - 1; i++) {
      const e = sorted[i];
      const v = from[e];
      const w = too[e];
      const rv = findRoot(this.uf, v);
      const rw = findRoot(this.uf, w);
      if (rv === rw) continue;
      this.uf[rv] = rw;
      joined++;
      this.to[links] = w;
      this.next[links] = this.head[v];
      this.head[v] = links++;
      this.to[links] = v;
      this.next[links] = this.head[w];
      this.head[w] = links++;
    }
    if (joined !== nodes.length - 1) return false;
    const r = nodes[0];
    this.parent[r] = -1;
    this.order[0] = r;
    this.seen[r] = mark;
    let size = 1;
    for (let i = 0; i < size; i++) {
      const v = this.order[i];
      for (let l = this.head[v]; l >= 0; l = this.next[l]) {
        const w = this.to[l];
        if (this.seen[w] === mark) continue;
        this.seen[w] = mark;
        this.parent[w] = v;
        this.order[size++] = w;
      }
    }
    this.size = size;
    return true;
  }
}
