import type { Problem } from '../plan/problem.js';
import type { Random } from './random.js';

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
