import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { WorkshopSession } from '../src/workshop/session.js';
import { runCli } from './helpers/cli.js';
import { fixture } from './helpers/data.js';
import { loadScenarioRun } from './helpers/workshop.js';

/**
 * The workshop's team after moves equals `footprint evidence --plan` on the plan it exports: the
 * page computes posts with the library's own planServices, on data built once in Node.
 */
describe('workshop team', async () => {
  const scenario = fixture('example', 'scenario.yaml');
  const data = await loadScenarioRun(scenario, fixture('example', 'plan', 'assignment.csv'));

  it('carries the service model and, after moves, equals footprint evidence --plan on the exported plan', async () => {
    expect(data.evidence.services.map((s) => s.name)).toEqual(['health_visiting', 'neighbourhood_policing', 'early_help']);
    const session = new WorkshopSession(data);
    const before = session.figures().evidence.services;
    // Move a block of units of the first footprint to the second: its team must change.
    const from = session.assignment[0];
    const to = (from + 1) % data.k;
    const moving = data.units.map((_, u) => u).filter((u) => session.assignment[u] === from).slice(0, 8);
    expect(session.move(moving, to)).toHaveLength(8);
    const after = session.figures().evidence.services;
    expect(after[0].rows[from].demand).toBeLessThan(before[0].rows[from].demand);
    const dir = mkdtempSync(join(tmpdir(), 'footprint-workshop-team-'));
    const plan = join(dir, 'assignment.csv');
    writeFileSync(plan, session.csv());
    const result = await runCli(['evidence', scenario, '--plan', plan, '--out', join(dir, 'out'), '-q']);
    expect(result.code).toBe(0);
    const rows = parse(readFileSync(join(dir, 'out', 'services.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    for (const s of after) {
      data.footprintIds.forEach((id, f) => {
        const row = rows.find((r) => r.service === s.name && r.footprint === id)!;
        expect(Number(row.required)).toBe(s.rows[f].required);
        expect(Number(row.required_low)).toBe(s.rows[f].low);
        expect(Number(row.required_high)).toBe(s.rows[f].high);
        expect(Number(row.demand)).toBeCloseTo(s.rows[f].demand, 2);
        if (s.rows[f].current !== null) expect(Number(row.current)).toBeCloseTo(s.rows[f].current!, 2);
      });
    }
  });
});
