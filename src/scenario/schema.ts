import { z } from 'zod';
import { evidenceSchema } from '../evidence/config.js';

/**
 * A scenario file: everything `footprint optimise` needs, so that a planner's run can be kept in a
 * repository, reviewed and re-run. Keys are strict: a misspelt key is an error, not a silent default.
 */
const column = z.string().min(1);
const SOURCE_KEYS = ['file', 'sites', 'lookup', 'membership'] as const;
/** Keys each kind of layer accepts besides name, weight, keepWhole and areaName. */
const KIND_KEYS: Record<(typeof SOURCE_KEYS)[number], string[]> = {
  file: ['id'],
  sites: ['group', 'id'],
  lookup: ['key', 'area', 'of', 'ignoreUnknown'],
  membership: ['key', 'area', 'count'],
};
const KIND_REQUIRED: Record<(typeof SOURCE_KEYS)[number], string[]> = { file: [], sites: [], lookup: ['key', 'area'], membership: ['key', 'area', 'count'] };

/**
 * A service layer as a service publishes it: polygons (`file`), sites grouped into areas (`sites`,
 * `group`), a lookup from unit or area codes to areas (`lookup`, `key`, `area`, optional `of`), or
 * member counts per unit and area (`membership`, `key`, `area`, `count`). Exactly one source key.
 */
const layerSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z][\w-]*$/, 'a layer name is letters, digits, "_" or "-", starting with a letter'),
    file: z.string().min(1).optional(),
    sites: z.string().min(1).optional(),
    lookup: z.string().min(1).optional(),
    membership: z.string().min(1).optional(),
    id: column.optional(),
    group: column.optional(),
    key: column.optional(),
    area: column.optional(),
    of: column.optional(),
    count: column.optional(),
    areaName: column.optional(),
    ignoreUnknown: z.boolean().optional(),
    weight: z.number().nonnegative().default(1),
    keepWhole: z.boolean().default(false),
  })
  .superRefine((layer, ctx) => {
    const given = SOURCE_KEYS.filter((key) => layer[key] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: given.length > 1 ? [given[1]] : [],
        message: given.length === 0 ? 'a layer needs one source: file (polygons), sites (points), lookup (a table of codes) or membership (a table of counts)' : `a layer has one source; ${given.join(' and ')} are both given`,
      });
      return;
    }
    const kind = given[0];
    for (const key of KIND_REQUIRED[kind]) {
      if (layer[key as keyof typeof layer] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `a ${kind === 'file' ? 'polygon' : kind} layer needs \`${key}:\`` });
    }
    for (const other of SOURCE_KEYS) {
      if (other === kind) continue;
      for (const key of KIND_KEYS[other]) {
        if (KIND_KEYS[kind].includes(key) || layer[key as keyof typeof layer] === undefined) continue;
        ctx.addIssue({ code: 'custom', path: [key], message: `\`${key}:\` is for ${other === 'file' ? 'polygon' : other} layers, not ${kind === 'file' ? 'polygon' : kind} layers` });
      }
    }
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
    /**
     * Footprints: a number; or, with \`within\`, a number for every area, \`auto\` (the smallest k per
     * area whose population fits the bounds), or a number per area code.
     */
    k: z.union([z.number().int().min(1), z.literal('auto'), z.record(z.string().min(1), z.number().int().min(1))], { error: 'Invalid input: expected number (k), "auto" or a number per area code' }).default(5),
    /** Nest the footprints in a layer of the scenario: every footprint lies inside one of its areas. */
    within: z.string().min(1).optional(),
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
    /** Footprint id → the name people use (the same as `evidence.names`, which it extends). */
    names: z.record(z.string().min(1), z.string().min(1)).optional(),
    out: z.string().min(1).optional(),
    /** Extra outputs for GIS teams and Boards (also --gpkg, --pdf): footprints.gpkg with a QGIS project, report.pdf. */
    outputs: z.strictObject({ gpkg: z.boolean().default(false), pdf: z.boolean().default(false) }).optional(),
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
    if (typeof scenario.k !== 'number' && scenario.within === undefined) {
      ctx.addIssue({ code: 'custom', path: ['k'], message: `k is ${scenario.k === 'auto' ? '"auto"' : 'a number per area'}, which needs \`within:\` (the layer whose areas each get their own footprints)` });
    }
    if (scenario.within !== undefined && !scenario.layers.some((l) => l.name === scenario.within)) {
      ctx.addIssue({ code: 'custom', path: ['within'], message: `within names no layer of the scenario ("${scenario.within}"; layers: ${scenario.layers.map((l) => l.name).join(', ') || 'none'})` });
    }
    for (const [unit, footprint] of Object.entries(scenario.locked)) {
      if (typeof scenario.k === 'number' && footprint > scenario.k) {
        ctx.addIssue({ code: 'custom', path: ['locked', unit], message: `footprint ${footprint} does not exist when k is ${scenario.k}` });
      }
    }
  });

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
