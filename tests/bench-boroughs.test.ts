import { describe, expect, it } from 'vitest';
import { crossing, syntheticBorough } from '../bench/boroughs.js';

describe('synthetic borough instances (bench/boroughs.ts)', () => {
  const first = syntheticBorough(60);

  it('has Oldham proportions: 60 units of about 1,700 residents, k 5, bounds 0.62–1.14 × the mean', () => {
    const { problem } = first;
    expect(problem.unitIds.length).toBe(60);
    expect(problem.k).toBe(5);
    const total = problem.population.reduce((s, p) => s + p, 0);
    expect(total).toBe(60 * 1_700);
    expect(problem.min).toBe(12_600);
    expect(problem.max).toBe(23_300);
    expect(problem.layers.map((l) => l.name)).toEqual(['wards', 'msoa']);
  });

  it('is deterministic: the same seed gives the same populations, adjacency and layers; another seed does not', () => {
    const again = syntheticBorough(60).problem;
    const { problem } = first;
    expect(Array.from(again.population)).toEqual(Array.from(problem.population));
    expect(Array.from(again.adjStart)).toEqual(Array.from(problem.adjStart));
    expect(Array.from(again.adjList)).toEqual(Array.from(problem.adjList));
    problem.layers.forEach((layer, i) => {
      expect(Array.from(again.layers[i].area)).toEqual(Array.from(layer.area));
      expect(Array.from(again.layers[i].pop)).toEqual(Array.from(layer.pop));
    });
    expect(Array.from(syntheticBorough(60, 2).problem.population)).not.toEqual(Array.from(problem.population));
  });

  it('has two layers that cross: wards split by MSOAs and MSOAs split by wards, while units nest in both', () => {
    const [wards, msoa] = first.workspace.layers.map((l) => l.crosswalk);
    const c = crossing(wards, msoa);
    expect(c.firstSplit).toBeGreaterThan(0);
    expect(c.secondSplit).toBeGreaterThan(0);
    for (const cw of [wards, msoa]) {
      for (let u = 0; u < cw.unitIds.length; u++) expect(cw.start[u + 1] - cw.start[u]).toBe(1);
    }
  });
});
