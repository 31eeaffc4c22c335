/**
 * The county instances of Validi and Buchanan, 'Political districting to minimize cut edges'
 * (Mathematical Programming Computation 2022), read from their repository
 * (github.com/hamidrezavalidi/Political-Districting-to-Minimize-Cut-Edges, data/county/dual_graphs:
 * Daryl DeFord's dual graphs). The data is GPL-3.0 there, so it stays out of this repository: pass
 * the folder (or a git directory of the repository) to the benchmark.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildProblem, type Problem } from '../src/plan/problem.js';

/**
 * State, FIPS code, districts (2010 apportionment), as in their main.py, and the optimal number of
 * cut edges their Table 3 reports (the 'opt' column).
 */
export const COUNTY_INSTANCES: Array<{ state: string; fips: string; k: number; optimum: number }> = [
  { state: 'ME', fips: '23', k: 2, optimum: 16 },
  { state: 'NM', fips: '35', k: 3, optimum: 17 },
  { state: 'ID', fips: '16', k: 2, optimum: 10 },
  { state: 'WV', fips: '54', k: 3, optimum: 23 },
  { state: 'LA', fips: '22', k: 6, optimum: 49 },
  { state: 'AL', fips: '01', k: 7, optimum: 55 },
  { state: 'AR', fips: '05', k: 4, optimum: 33 },
  { state: 'OK', fips: '40', k: 5, optimum: 40 },
  { state: 'MS', fips: '28', k: 4, optimum: 34 },
  { state: 'NE', fips: '31', k: 3, optimum: 19 },
  { state: 'IA', fips: '19', k: 4, optimum: 33 },
  { state: 'KS', fips: '20', k: 4, optimum: 32 },
];

interface NodeLink {
  nodes: Array<{ TOTPOP: number; GEOID10?: string }>;
  adjacency: Array<Array<{ id: number }>>;
}

/** The dual graph JSON of a state, from a folder of county<FIPS>.json or a bare git repository. */
export function readCountyGraph(source: string, fips: string): NodeLink {
  const file = resolve(source, `county${fips}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as NodeLink;
  const text = execFileSync('git', ['--git-dir', source, 'show', `HEAD:data/county/dual_graphs/county${fips}.json`], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return JSON.parse(text) as NodeLink;
}

/** Their problem: k districts within ±0.5% of the mean (L = ⌈0.995·P/k⌉, U = ⌊1.005·P/k⌋), fewest cut edges. */
export function countyProblem(graph: NodeLink, k: number): Problem {
  const n = graph.nodes.length;
  const lists = graph.adjacency.map((l) => [...new Set(l.map((e) => e.id).filter((id) => id >= 0 && id < n))].sort((a, b) => a - b));
  // Both directions: some dual graphs list an edge on one side only.
  const sets = lists.map((l) => new Set(l));
  lists.forEach((l, u) => l.forEach((v) => sets[v].add(u)));
  const full = sets.map((s) => [...s].filter((v, _, a) => v !== a.length + 1e9).sort((a, b) => a - b));
  const start = new Int32Array(n + 1);
  full.forEach((l, i) => (start[i + 1] = start[i] + l.length));
  const population = graph.nodes.map((node) => node.TOTPOP);
  const total = population.reduce((a, b) => a + b, 0);
  return buildProblem({
    unitIds: graph.nodes.map((node, i) => node.GEOID10 ?? String(i)),
    population,
    adjacency: { n, start, neighbour: Int32Array.from(full.flat()), length: new Float64Array(start[n]).fill(1), islands: [], linked: [] },
    layers: [],
    k,
    min: Math.ceil((0.995 * total) / k),
    max: Math.floor((1.005 * total) / k),
    compactnessWeight: 1,
  });
}
