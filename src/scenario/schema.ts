import { z } from 'zod';
import { evidenceSchema } from '../evidence/config.js';

/**
 * A scenario file: everything `footprint optimise` needs, so that a planner's run can be kept in a
 * repository, reviewed and re-run. Keys are strict: a misspelt key is an error, not a silent default.
 */
const layerSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z][\w-]*$/, 'a layer name is letters, digits, "_" or "-", starting with a letter'),
  file: z.string().min(1),
  id: z.string().min(1).optional(),
  weight: z.number().nonnegative().default(1),
  keepWhole: z.boolean().default(false),
});

const unitsSchema = z.strictObject({
  file: z.string().min(1),
  id: z.string().min(1).optional(),
  population: z.string().min(1).optional(),
});

export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    units: z.union([z.string().min(1).transform((file) => ({ file })), unitsSchema]),
    layers: z.array(layerSchema).default([]),
    k: z.number().int().min(1).default(5),
    min: z.number().nonnegative().default(30_000),
    max: z.number().positive().default(55_000),
    compactness: z.number().nonnegative().default(0),
    /** Unit id → footprint number (1…k). */
    locked: z.record(z.string(), z.number().int().min(1)).default({}),
    seed: z.number().int().default(1),
    /** Seconds. */
    timeLimit: z.number().positive().default(20),
    restarts: z.number().int().min(1).optional(),
    /** Branch-and-bound nodes HiGHS may spend proving a lower bound (0: none). */
    boundNodes: z.number().int().min(0).default(0),
    connectIslands: z.enum(['none', 'nearest']).default('none'),
    sliverTolerance: z.number().min(0).max(0.5).default(0.01),
    evidence: evidenceSchema.default({ mean: [], exclude: [], points: {} }),
    out: z.string().min(1).optional(),
  })
  .superRefine((scenario, ctx) => {
    if (scenario.min > scenario.max) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: `min (${scenario.min}) is above max (${scenario.max})` });
    }
    const names = new Set<string>();
    scenario.layers.forEach((layer, i) => {
      if (names.has(layer.name)) ctx.addIssue({ code: 'custom', path: ['layers', i, 'name'], message: `layer name "${layer.name}" is used twice` });
      names.add(layer.name);
    });
    for (const [unit, footprint] of Object.entries(scenario.locked)) {
      if (footprint > scenario.k) {
        ctx.addIssue({ code: 'custom', path: ['locked', unit], message: `footprint ${footprint} does not exist when k is ${scenario.k}` });
      }
    }
  });

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
