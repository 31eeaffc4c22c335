import { z } from 'zod';

/**
 * The `evidence.cohorts` and `evidence.services` sections of a scenario: tiers of need per unit,
 * and the services whose demand, capacity and today's posts say what each footprint needs. Kept
 * apart from config.ts so the service model can grow without touching the rest of the evidence.
 * The maths is in cohorts.ts and services.ts; docs/metrics.md states it with a worked example.
 */

const name = z.string().regex(/^[A-Za-z][\w-]*$/, 'a name is letters, digits, "_" or "-", starting with a letter');
const weights = z.record(z.string().min(1), z.number().nonnegative());
/** Checked in cohorts.ts and services.ts, whose messages name the cohort or service. */
const range = z.tuple([z.number(), z.number()]);

/**
 * A cohort (a tier of need) is one of:
 * - a rule: residents (or another count) of units whose indicators lie in ranges, at a rate;
 * - a territory total shared among units by need (`total` with `by` weights);
 * - the rest: residents in no other cohort (at most one).
 */
const cohortSchema = z
  .strictObject({
    name,
    /** Indicator field → [lo, hi]: the unit matches when every value lies in its range. */
    where: z.record(z.string().min(1), range).optional(),
    /** Share of the counted people in the tier (default 1). */
    rate: z.number().min(0).max(1).optional(),
    /** Count column the rule's rate applies to (default `population`). */
    of: z.string().min(1).optional(),
    /** A territory total of people in the tier, shared among units by need. */
    total: z.number().nonnegative().optional(),
    /** Need weights the total is shared by (default: the evidence section's need). */
    by: weights.optional(),
    /** Residents in no other cohort. */
    rest: z.literal(true).optional(),
  })
  .superRefine((c, ctx) => {
    const forms = [c.where !== undefined, c.total !== undefined, c.rest === true].filter(Boolean).length;
    if (forms !== 1) ctx.addIssue({ code: 'custom', message: `cohort "${c.name}" needs exactly one of "where" (a rule), "total" (shared by need) or "rest: true"` });
    if (c.where === undefined && (c.rate !== undefined || c.of !== undefined)) ctx.addIssue({ code: 'custom', message: `cohort "${c.name}": "rate" and "of" go with a rule ("where")` });
    if (c.total === undefined && c.by !== undefined) ctx.addIssue({ code: 'custom', message: `cohort "${c.name}": "by" goes with "total"` });
  });

/** Today's posts: per area of a layer, per site of an asset layer, or per footprint (by its id). */
const currentSchema = z
  .strictObject({
    file: z.string().min(1).optional(),
    layer: z.string().min(1).optional(),
    asset: z.string().min(1).optional(),
    /** Column naming the footprint (or area, with --areas) the row is about. */
    footprint: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    match: z.string().min(1).optional(),
    amount: z.string().min(1),
  })
  .superRefine((c, ctx) => {
    const forms = [c.layer, c.asset, c.footprint].filter((x) => x !== undefined).length;
    if (forms !== 1) ctx.addIssue({ code: 'custom', message: 'current needs exactly one of "layer" (posts per area), "asset" (per site) or "footprint" (per footprint id)' });
    if ((c.layer !== undefined || c.footprint !== undefined) && c.file === undefined) ctx.addIssue({ code: 'custom', message: 'current per area or per footprint needs "file"' });
    if (c.layer !== undefined && c.key === undefined) ctx.addIssue({ code: 'custom', message: 'current per area needs "key" (the column naming the area)' });
  });

/** `{cases: N}` or `{per: N}`, parsed by hand so a mistake gets a message saying what is allowed. */
const capacitySchema = z.unknown().transform((value, ctx): { kind: 'cases' | 'per'; value: number } => {
  const keys = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
  const v = keys.length === 1 ? (value as Record<string, unknown>)[keys[0]] : undefined;
  if ((keys[0] === 'cases' || keys[0] === 'per') && typeof v === 'number') return { kind: keys[0], value: v };
  ctx.addIssue({ code: 'custom', message: `capacity is {cases: N} (cases per post a year) or {per: N} (one post per N of demand), got ${JSON.stringify(value)}` });
  return { kind: 'per', value: Number.NaN };
});

const serviceSchema = z.strictObject({
  name,
  /** Who provides it: "GMP neighbourhood officers", "health visitors". */
  team: z.string().min(1),
  /** Demand per unit as a weighted sum of count columns: unit properties, table columns, cohorts. */
  demand: z.record(z.string().min(1), z.number()),
  /** Cases per post per year (`cases`) or people per post (`per`). */
  capacity: capacitySchema,
  /** Multipliers for a low and a high estimate of required posts. */
  range: z.tuple([z.number(), z.number()]).optional(),
  /** Posts each footprint gets at least. */
  minimum: z.number().nonnegative().optional(),
  /** Posts come in steps of this (e.g. 0.5 FTE; default 0.1). */
  step: z.number().optional(),
  current: currentSchema.optional(),
});

export const cohortsSchema = z.array(cohortSchema);
export const servicesSchema = z.array(serviceSchema);

export interface CohortSpec {
  name: string;
  where?: Record<string, [number, number]>;
  rate?: number;
  of?: string;
  total?: number;
  by?: Record<string, number>;
  rest?: true;
}

export interface CurrentSpec {
  file?: string;
  layer?: string;
  asset?: string;
  footprint?: string;
  key?: string;
  match?: string;
  amount: string;
}

export interface ServiceSpec {
  name: string;
  team: string;
  demand: Record<string, number>;
  capacity: { kind: 'cases' | 'per'; value: number };
  range?: [number, number];
  minimum?: number;
  step?: number;
  current?: CurrentSpec;
}

/** Default step: posts to a tenth of a full-time post. */
export const DEFAULT_STEP = 0.1;
