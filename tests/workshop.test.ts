import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenarioRun } from './helpers/workshop.js';
import { evaluatePlan } from '../src/plan/evaluate.js';
import { WorkshopSession } from '../src/workshop/session.js';
import { workshopHtml } from '../src/workshop/page.js';
import { fixture } from './helpers/data.js';

/**
 * The page's session against the library's from-scratch evaluation: whatever units move, in
 * whatever order, with undo and redo, the live figures equal evaluatePlan of the plan shown.
 */
describe('workshop session', async () => {
  const data = await loadScenarioRun(fixture('example', 'scenario.yaml'), fixture('example', 'plan', 'assignment.csv'));

  it('keeps the objective, splits and populations equal to a fresh evaluation through moves, undo and redo', () => {
    const n = data.units.length;
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ units: fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 4 }), to: fc.nat(data.k - 1) }), fc.constantFrom('undo' as const, 'redo' as const)), { maxLength: 30 }),
        (steps) => {
          const session = new WorkshopSession(data);
          for (const step of steps) {
            if (step === 'undo') session.undo();
            else if (step === 'redo') session.redo();
            else session.move(step.units, step.to);
          }
          const figures = session.figures();
          const fresh = evaluatePlan(session.hydrated.problem, session.assignment);
          expect(figures.objective).toBeCloseTo(fresh.objective, 10);
          figures.splits.forEach((s, l) => expect(s.value).toBeCloseTo(fresh.splits[l], 10));
          figures.populations.forEach((p, f) => expect(p).toBeCloseTo(fresh.populations[f], 6));
          while (session.canUndo()) session.undo();
          expect(Array.from(session.assignment)).toEqual(data.assignment);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses to move locked units and reports a moved lock as check does', () => {
    const session = new WorkshopSession(data);
    const u = 0;
    const home = session.assignment[u];
    expect(session.toggleLock(u)).toBe(true);
    expect(session.move([u], (home + 1) % data.k)).toEqual([]);
    expect(session.assignment[u]).toBe(home);
    expect(session.figures().findings.filter((f) => f.constraint === 'locked')).toEqual([]);
  });

  it('exports assignment.csv in the shape optimise writes', () => {
    const session = new WorkshopSession(data);
    // The header assignmentCsv (report/plan.ts) writes.
    expect(session.csv().split('\n')[0]).toBe('unit_id,footprint,population');
    expect(session.csv()).toContain(`${data.units[0].id},${data.footprintIds[data.assignment[0]]},${data.units[0].population}`);
    expect(session.csv().trim().split('\n')).toHaveLength(data.units.length + 1);
  });

  it('inlines data that cannot close its script element', () => {
    const html = workshopHtml({ ...data, title: 'a </script><script>alert(1)</script>' }, 'void 0');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('a &lt;/script&gt;');
  });
});
