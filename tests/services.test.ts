import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { FootprintError } from '../src/errors.js';
import { cohortMeasures } from '../src/evidence/cohorts.js';
import type { EvidenceConfig } from '../src/evidence/config.js';
import { loadEvidence, planEvidence, type EvidenceContext } from '../src/evidence/evidence.js';
import { crosswalkMembership } from '../src/evidence/membership.js';
import { roundPosts } from '../src/evidence/services.js';
import { servicesCsv } from '../src/evidence/services-csv.js';
import type { ServiceSpec } from '../src/evidence/services-config.js';
import { servicesMarkdown } from '../src/report/services-markdown.js';
import { servicesChart } from '../src/report/services-chart.js';
import { crosswalkOf, districtLayer, squareUnit, unitLayer } from './helpers/evidence-units.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-services-'));
const baseConfig: EvidenceConfig = { mean: [], exclude: [], points: {} };

/** A territory of `rows` units with children, a decile and a district each. */
function territory(rows: Array<{ population: number; children: number; decile: number }>, areas = 2) {
  const units = rows.map((r, i) => squareUnit(i, { age_0_15: r.children, imd_decile: r.decile }, r.population));
  const populations = Float64Array.from(rows, (r) => r.population);
  const cw = crosswalkOf(rows.length, areas, rows.map((_, i) => i % areas), rows.map(() => 0));
  const ctx: EvidenceContext = { units: unitLayer(units), populations, layers: [{ name: 'districts', layer: districtLayer(areas), crosswalk: cw }], skip: ['id', 'population'] };
  return { ctx, cw, populations };
}

const unitRow = fc.record({ population: fc.integer({ min: 0, max: 3000 }), children: fc.integer({ min: 0, max: 800 }), decile: fc.integer({ min: 1, max: 10 }) });

describe('roundPosts: whole steps that keep the total', () => {
  it('keeps the rounded total, stays within a step of each quota, and honours minimums (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 60, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(0.1, 0.5, 1),
        fc.constantFrom(0, 0.5, 1, 2),
        (raw, step, minimum) => {
          const { posts, total, minimumsRaised } = roundPosts(raw, step, minimum);
          const sum = raw.reduce((s, r) => s + r, 0);
          const rounded = Math.floor(sum / step + 0.5 + 1e-9) * step;
          const given = posts.reduce((s, p) => s + p, 0);
          expect(total).toBeCloseTo(given, 6);
          for (const p of posts) expect(Math.abs(p / step - Math.round(p / step))).toBeLessThan(1e-6);
          for (const p of posts) expect(p).toBeGreaterThanOrEqual(Math.ceil(minimum / step - 1e-9) * step - 1e-9);
          if (!minimumsRaised) expect(given).toBeCloseTo(rounded, 6);
          else expect(given).toBeGreaterThan(rounded);
          if (minimum === 0) {
            // Hamilton: each share within one step of its quota r·T/R.
            raw.forEach((r, f) => expect(Math.abs(posts[f] - (sum > 0 ? (r * rounded) / sum : rounded / raw.length))).toBeLessThan(step + 1e-6));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('works the example of docs/metrics.md', () => {
    // r = 2.35, 1.2, 0.3, step 0.5, minimum 1: total 3.85 → 4; F3 is fixed at 1; 3 left for F1, F2.
    expect(roundPosts([2.35, 1.2, 0.3], 0.5, 1)).toEqual({ posts: [2, 1, 1], total: 4, minimumsRaised: false });
    expect(roundPosts([2.35, 1.2, 0.3], 0.5)).toEqual({ posts: [2.5, 1, 0.5], total: 4, minimumsRaised: false });
    // Minimums above the total: every footprint gets its minimum and the total rises.
    expect(roundPosts([0.2, 0.2, 0.2], 1, 1)).toEqual({ posts: [1, 1, 1], total: 3, minimumsRaised: true });
  });
});

describe('services over footprints', () => {
  it('a one-indicator service at ratio r gives indicator / r per footprint, and rounding keeps the total (property over random plans)', () => {
    fc.assert(
      fc.property(fc.array(unitRow, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 6 }), fc.integer(), fc.integer({ min: 50, max: 2000 }), fc.constantFrom(0.1, 0.5, 1), (rows, k, salt, ratio, step) => {
        const { ctx, populations } = territory(rows);
        const service: ServiceSpec = { name: 'hv', team: 'health visitors', demand: { age_0_15: 1 }, capacity: { kind: 'per', value: ratio }, step, range: [0.8, 1.2] };
        const inputs = loadEvidence({ ...baseConfig, services: [service] }, ctx);
        const assignment = rows.map((_, i) => Math.abs((i * 7919 + salt) % k));
        const ids = Array.from({ length: k }, (_, f) => `F${f + 1}`);
        const ev = planEvidence(inputs, ctx, assignment, ids);
        const [s] = ev.services;
        ids.forEach((_, f) => {
          const children = rows.reduce((t, r, u) => t + (assignment[u] === f ? r.children : 0), 0);
          expect(s.rows[f].demand).toBe(children);
          expect(s.rows[f].exact).toBeCloseTo(children / ratio, 9);
          expect(s.rows[f].low).toBeLessThanOrEqual(s.rows[f].required + 1e-9);
          expect(s.rows[f].high).toBeGreaterThanOrEqual(s.rows[f].required - 1e-9);
        });
        const allChildren = rows.reduce((t, r) => t + r.children, 0);
        // Before rounding: Σ_f r(f) = territory demand / capacity.
        expect(s.rows.reduce((t, r) => t + r.exact, 0)).toBeCloseTo(allChildren / ratio, 9);
        // After rounding: the rounded total is kept.
        expect(s.rows.reduce((t, r) => t + r.required, 0)).toBeCloseTo(s.total.required, 9);
        expect(s.total.required).toBeCloseTo(Math.floor(allChildren / ratio / step + 0.5 + 1e-9) * step, 9);
        expect(populations.length).toBe(rows.length);
      }),
      { numRuns: 80 },
    );
  });

  it('cohorts add up to residents in every unit and footprint (property)', () => {
    fc.assert(
      fc.property(fc.array(unitRow, { minLength: 1, maxLength: 25 }), fc.double({ min: 0, max: 0.6, noNaN: true }), fc.integer({ min: 0, max: 2000 }), (rows, rate, total) => {
        fc.pre(rows.some((r) => r.decile <= 4) && rows.some((r) => r.population > 0));
        const { ctx, populations } = territory(rows);
        const all = rows.reduce((t, r) => t + r.population, 0);
        fc.pre(total <= all * 0.3);
        const inputs = loadEvidence(
          {
            ...baseConfig,
            cohorts: [
              { name: 'specialist', total: Math.min(total, all * 0.3) },
              { name: 'targeted', where: { imd_decile: [1, 4] }, rate },
              { name: 'universal', rest: true },
            ],
          },
          ctx,
        );
        const tiers = inputs.measures.filter((m) => m.source === 'cohort');
        expect(tiers.map((t) => t.column)).toEqual(['specialist', 'targeted', 'universal']);
        for (let u = 0; u < rows.length; u++) expect(tiers.reduce((t, m) => t + m.values[u], 0)).toBeCloseTo(populations[u], 6);
        const ev = planEvidence(inputs, ctx, rows.map((_, i) => i % 3), ['F1', 'F2', 'F3']);
        const col = (name: string) => ev.columns.findIndex((c) => c.name === name);
        ev.rows.forEach((row) => expect(row[col('specialist')]! + row[col('targeted')]! + row[col('universal')]!).toBeCloseTo(row[col('population')]!, 6));
      }),
      { numRuns: 60 },
    );
  });

  it('the areas of a layer read as footprints get fractional residents that add up to the territory', () => {
    const rows = [
      { population: 1000, children: 200, decile: 1 },
      { population: 2000, children: 300, decile: 5 },
      { population: 1500, children: 400, decile: 2 },
    ];
    const { ctx } = territory(rows);
    const cw = crosswalkOf(3, 2, [0, 0, 0], [0, 0.25, 0.5]);
    ctx.layers[0].crosswalk = cw;
    const inputs = loadEvidence({ ...baseConfig, services: [{ name: 'hv', team: 'hv', demand: { age_0_15: 1 }, capacity: { kind: 'per', value: 100 }, step: 0.5 }] }, ctx);
    const ev = planEvidence(inputs, ctx, crosswalkMembership(cw), ['D0', 'D1']);
    const pop = ev.columns.findIndex((c) => c.kind === 'population');
    expect(ev.rows.map((r) => r[pop])).toEqual([1000 + 1500 + 750, 500 + 750]);
    expect(ev.services[0].rows.map((r) => r.demand)).toEqual([200 + 225 + 200, 75 + 200]);
    expect(ev.services[0].total.required).toBe(9);
  });
});

describe('today\'s posts', () => {
  it('per footprint: the row of the footprint\'s id, 0 and a note for a footprint without one', () => {
    const { ctx } = territory([
      { population: 1000, children: 250, decile: 1 },
      { population: 2000, children: 500, decile: 5 },
    ]);
    const posts = join(dir, 'posts.csv');
    writeFileSync(posts, 'footprint,fte\nF1,1.5\nF9,4\n');
    const inputs = loadEvidence({ ...baseConfig, services: [{ name: 'hv', team: 'hv', demand: { age_0_15: 1 }, capacity: { kind: 'per', value: 250 }, step: 0.5, current: { file: posts, footprint: 'footprint', amount: 'fte' } }] }, ctx);
    const [s] = planEvidence(inputs, ctx, [0, 1], ['F1', 'F2']).services;
    expect(s.rows.map((r) => [r.required, r.current, r.gap])).toEqual([
      [1, 1.5, 0.5],
      [2, 0, -2],
    ]);
    expect(s.total.current).toBe(1.5);
    expect(s.notes.join(' ')).toMatch(/1 of 2 have no row in .*posts\.csv and count as 0 \(F2\)/);
  });
});

describe('service model: bad input names the service (or cohort) and the field', () => {
  const rows = [
    { population: 1000, children: 200, decile: 1 },
    { population: 2000, children: 300, decile: 5 },
  ];
  const service = (over: Partial<ServiceSpec>): ServiceSpec => ({ name: 'hv', team: 'health visitors', demand: { age_0_15: 1 }, capacity: { kind: 'per', value: 250 }, ...over });
  const staff = join(dir, 'staff.csv');
  writeFileSync(staff, 'district,staff\nD0,3\nD1,4\n');
  const cases: Array<[string, Partial<EvidenceConfig>, RegExp]> = [
    ['an unknown indicator', { services: [service({ demand: { children_0_4: 1 } })] }, /service "hv", demand: no count column "children_0_4"/],
    ['zero capacity', { services: [service({ capacity: { kind: 'cases', value: 0 } })] }, /service "hv", capacity\.cases: must be more than 0/],
    ['negative capacity', { services: [service({ capacity: { kind: 'per', value: -5 } })] }, /service "hv", capacity\.per: must be more than 0/],
    ['a range whose low exceeds its high', { services: [service({ range: [1.2, 0.8] })] }, /service "hv", range: \[low, high\] needs 0 ≤ low ≤ high, got \[1\.2, 0\.8\]/],
    ['a cohort rule matching no unit', { cohorts: [{ name: 'targeted', where: { imd_decile: [9, 10] } }] }, /cohort "targeted", where: the rule imd_decile in \[9, 10\] matches no unit/],
    ['a cohort rule on an unknown indicator', { cohorts: [{ name: 'targeted', where: { imd_rank: [1, 4] } }] }, /cohort "targeted", where: no indicator "imd_rank"/],
    ['current naming a missing layer', { services: [service({ current: { file: staff, layer: 'pcns', key: 'district', amount: 'staff' } })] }, /service "hv", current: .*no layer named "pcns"/],
    ['current naming a missing column', { services: [service({ current: { file: staff, layer: 'districts', key: 'district', amount: 'posts' } })] }, /service "hv", current: .*no column "posts"/],
  ];
  for (const [what, config, message] of cases) {
    it(`refuses ${what}`, () => {
      const { ctx } = territory(rows);
      let error: unknown;
      try {
        loadEvidence({ ...baseConfig, ...config }, ctx);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FootprintError);
      expect((error as FootprintError).exitCode).toBe(2);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('refuses cohorts that hold more people than a unit has', () => {
    const populations = [100, 100];
    const measures = [{ column: 'imd_decile', field: 'imd_decile', aggregation: { kind: 'mean' as const }, source: 'units', values: Float64Array.from([1, 2]) }];
    expect(() => cohortMeasures([{ name: 'a', where: { imd_decile: [1, 2] }, rate: 0.7 }, { name: 'b', where: { imd_decile: [1, 1] }, rate: 0.7 }, { name: 'rest', rest: true }], measures, populations, { population: 1 }, ['U0', 'U1'])).toThrow(
      /cohort "rest" \(the rest\): the other cohorts hold 140\.0 people in unit U0/,
    );
  });
});

describe('names from data stay text', () => {
  it('in services.csv, the report section and the chart', () => {
    const rows = [
      { population: 1000, children: 200, decile: 1 },
      { population: 2000, children: 300, decile: 5 },
    ];
    const { ctx } = territory(rows);
    const inputs = loadEvidence({ ...baseConfig, names: { F1: '<b>x</b>', F2: '=1+1' }, services: [{ name: 'hv', team: '<i>team</i> =SUM(A1)', demand: { age_0_15: 1 }, capacity: { kind: 'per', value: 250 }, step: 0.5 }] }, ctx);
    const ev = planEvidence(inputs, ctx, [0, 1], ['F1', 'F2']);
    const csv = servicesCsv(ev);
    const cells = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(cells.map((r) => r.name)).toEqual(['<b>x</b>', "'=1+1", 'total']);
    expect(cells[0].team).toBe('<i>team</i> =SUM(A1)');
    for (const row of cells) for (const value of Object.values(row)) expect(value).not.toMatch(/^[=+\-@\t\r]/);
    const markdown = servicesMarkdown(ev, inputs);
    expect(markdown).not.toMatch(/<b>|<i>/);
    expect(markdown).toContain('&lt;b&gt;x&lt;/b&gt;');
    const svg = servicesChart(ev);
    expect(svg).not.toMatch(/<b>|<i>/);
    expect(svg).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(readFileSync(join(dir, 'staff.csv'), 'utf8')).toContain('district');
  });
});
