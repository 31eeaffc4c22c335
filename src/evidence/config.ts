import { z } from 'zod';
import { FootprintError } from '../errors.js';
import { cohortsSchema, servicesSchema, type CohortSpec, type ServiceSpec } from './services-config.js';

/**
 * The `evidence` section of a scenario: what a Place Board needs per footprint (need, demand,
 * assets, resources), declared so every figure says how it was made. Kept apart from the rest of
 * the scenario schema so it can grow without touching how layers are described.
 */

/** How a per-unit value becomes one figure per footprint. */
export type Aggregation = { kind: 'sum' } | { kind: 'mean' } | { kind: 'share'; lo: number; hi: number };

const name = z.string().regex(/^[A-Za-z][\w-]*$/, 'a name is letters, digits, "_" or "-", starting with a letter');

/**
 * `sum`, `mean`, `{share: [lo, hi]}`, or a list of them for one column shown several ways. Parsed
 * by hand rather than as a zod union so a mistake gets a message saying what is allowed.
 */
function parseAggregations(value: unknown, ctx: z.core.$RefinementCtx<unknown>): Aggregation[] {
  const list = Array.isArray(value) ? value : [value];
  const out: Aggregation[] = [];
  for (const item of list) {
    if (item === 'sum' || item === 'mean') out.push({ kind: item });
    else if (typeof item === 'object' && item !== null && !Array.isArray(item) && Object.keys(item).length === 1 && 'share' in item) {
      const range = (item as { share: unknown }).share;
      if (!Array.isArray(range) || range.length !== 2 || !range.every((n) => typeof n === 'number' && Number.isFinite(n))) {
        ctx.addIssue({ code: 'custom', message: 'share needs a range of two numbers, [lo, hi]' });
        return [];
      }
      if (range[0] > range[1]) {
        ctx.addIssue({ code: 'custom', message: `share: [lo, hi] needs lo ≤ hi, got [${range.join(', ')}]` });
        return [];
      }
      out.push({ kind: 'share', lo: range[0], hi: range[1] });
    } else {
      ctx.addIssue({ code: 'custom', message: `an aggregation is sum, mean or {share: [lo, hi]}, got ${JSON.stringify(item)}` });
      return [];
    }
  }
  if (out.length === 0) ctx.addIssue({ code: 'custom', message: 'give at least one aggregation' });
  return out;
}
const aggregationSchema = z.unknown().transform(parseAggregations);
/** Columns as a map (column → aggregation, empty for the default) or a plain list (each with its default). */
const columnsSchema = z.unknown().transform((value, ctx): Record<string, Aggregation[] | null> => {
  if (Array.isArray(value) && value.every((c) => typeof c === 'string' && c !== '')) return Object.fromEntries(value.map((c: string) => [c, null]));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'columns is a list of column names or a map of column → sum, mean or {share: [lo, hi]}' });
    return {};
  }
  return Object.fromEntries(Object.entries(value).map(([c, v]) => [c, v === null ? null : parseAggregations(v, ctx)]));
});

const tableSchema = z.strictObject({
  file: z.string().min(1),
  /** Column holding the unit code (matched to the units' ids). */
  key: z.string().min(1),
  /** Columns to use; absent: every numeric column with its default aggregation. */
  columns: columnsSchema.optional(),
});

const assetSchema = z.union([
  z.string().min(1).transform((file) => ({ file })),
  z.strictObject({
    file: z.string().min(1),
    /** A field naming the site a feature belongs to: features sharing it are one site. */
    site: z.string().min(1).optional(),
    /** Building polygons within this many metres of each other are one site (default 25). */
    siteDistance: z.number().nonnegative().optional(),
  }),
]);

const weightsSchema = z.record(z.string().min(1), z.number().nonnegative());

const resourceSchema = z
  .strictObject({
    name,
    /** CSV or JSON table of amounts; absent for a resource read from an asset layer's own features. */
    file: z.string().min(1).optional(),
    /** Service layer (or `units`) whose areas the table's rows are. */
    layer: z.string().min(1).optional(),
    /** Asset layer whose sites the rows are (amounts count where the site is). */
    asset: z.string().min(1).optional(),
    /** Column of the table (or field of the asset features) naming the area or site. */
    key: z.string().min(1).optional(),
    /** Field of the asset features the key is matched to (default: the asset's `site` field, else the key). */
    match: z.string().min(1).optional(),
    /** Column (or asset field) holding the amount: staff, FTE, budget. */
    amount: z.string().min(1),
    /** Need weights for this resource's fair share (default: the section's `need`). */
    need: weightsSchema.optional(),
  })
  .superRefine((r, ctx) => {
    if ((r.layer === undefined) === (r.asset === undefined)) ctx.addIssue({ code: 'custom', message: `resource "${r.name}" needs exactly one of "layer" (amounts per area) or "asset" (amounts per site)` });
    if (r.layer !== undefined && (r.file === undefined || r.key === undefined)) ctx.addIssue({ code: 'custom', message: `resource "${r.name}" per area of layer "${r.layer}" needs "file" and "key"` });
    if (r.asset !== undefined && r.file !== undefined && r.key === undefined) ctx.addIssue({ code: 'custom', message: `resource "${r.name}" read from ${r.file} needs "key" (the column naming the site)` });
  });

export const evidenceSchema = z.strictObject({
  /** Unit properties averaged (population-weighted) rather than summed: rates, scores. */
  mean: z.array(z.string().min(1)).default([]),
  /** Unit properties to leave out of the evidence. */
  exclude: z.array(z.string().min(1)).default([]),
  /** Unit properties with a stated aggregation (overrides the defaults and `mean`). */
  columns: z.record(z.string().min(1), aggregationSchema).optional(),
  /** Tables joined to the units by code. */
  tables: z.array(tableSchema).optional(),
  /** Asset layers (points or building polygons): name → file or {file, site, siteDistance}. */
  assets: z.record(name, assetSchema).optional(),
  /** The older name for assets given as points; still read. */
  points: z.record(name, z.string().min(1)).default({}),
  /** Today's resources per area of a layer or per site. */
  resources: z.array(resourceSchema).optional(),
  /** Need as a weighted population: count column → weight (default {population: 1}). */
  need: weightsSchema.optional(),
  /** Footprint id → a name people use. */
  names: z.record(z.string().min(1), z.string().min(1)).optional(),
  /** Tiers of need per unit (services-config.ts). */
  cohorts: cohortsSchema.optional(),
  /** Services: demand, capacity, today's posts (services-config.ts). */
  services: servicesSchema.optional(),
});

export type EvidenceSection = z.output<typeof evidenceSchema>;

export interface TableSpec {
  file: string;
  key: string;
  /** Column → aggregations, or null for the column's default; absent: every numeric column. */
  columns?: Record<string, Aggregation[] | null>;
}

export interface AssetSpec {
  file: string;
  site?: string;
  siteDistance?: number;
}

export interface ResourceSpec {
  name: string;
  file?: string;
  layer?: string;
  asset?: string;
  key?: string;
  match?: string;
  amount: string;
  need?: Record<string, number>;
}

/** The evidence part of a run's configuration, with paths resolved. */
export interface EvidenceConfig {
  mean: string[];
  exclude: string[];
  /** Point layers by their old name; read as assets. */
  points: Record<string, string>;
  columns?: Record<string, Aggregation[]>;
  tables?: TableSpec[];
  assets?: Record<string, AssetSpec>;
  resources?: ResourceSpec[];
  need?: Record<string, number>;
  names?: Record<string, string>;
  cohorts?: CohortSpec[];
  services?: ServiceSpec[];
}

export const DEFAULT_SITE_DISTANCE = 25;

/** The scenario's evidence section as a run uses it, file paths resolved against the scenario. */
export function evidenceConfig(section: EvidenceSection, resolvePath: (path: string) => string): EvidenceConfig {
  const config: EvidenceConfig = {
    mean: section.mean,
    exclude: section.exclude,
    points: Object.fromEntries(Object.entries(section.points).map(([n, file]) => [n, resolvePath(file)])),
  };
  if (section.columns) config.columns = section.columns;
  if (section.tables) config.tables = section.tables.map((t) => ({ ...t, file: resolvePath(t.file) }));
  if (section.assets) config.assets = Object.fromEntries(Object.entries(section.assets).map(([n, a]) => [n, { ...a, file: resolvePath(a.file) }]));
  if (section.resources) config.resources = section.resources.map((r) => (r.file === undefined ? { ...r } : { ...r, file: resolvePath(r.file) }));
  if (section.need) config.need = section.need;
  if (section.names) config.names = section.names;
  if (section.cohorts) config.cohorts = section.cohorts as CohortSpec[];
  if (section.services) {
    config.services = section.services.map((s) => {
      const spec = { ...s } as ServiceSpec;
      if (s.current) spec.current = s.current.file === undefined ? { ...s.current } : { ...s.current, file: resolvePath(s.current.file) };
      return spec;
    });
  }
  return config;
}

/** The aggregation a column gets when none is stated: ranks and deciles are never summed. */
export function defaultAggregation(column: string): Aggregation {
  return /_(decile|rank)$/i.test(column) ? { kind: 'share', lo: 1, hi: 2 } : { kind: 'sum' };
}

/** The output column a measure is written as: `x` (sum), `x_mean`, `x_share`. */
export function measureColumn(field: string, aggregation: Aggregation): string {
  return aggregation.kind === 'sum' ? field : `${field}_${aggregation.kind}`;
}

/** Evidence flags from the command line over the scenario's section (file paths already resolved). */
export function applyEvidenceFlags(
  evidence: EvidenceConfig,
  flags: { asset?: Array<[string, string]>; table?: Array<[string, string]>; need?: Array<[string, string]>; name?: Array<[string, string]> },
): void {
  for (const [assetName, file] of flags.asset ?? []) {
    if (!/^[A-Za-z][\w-]*$/.test(assetName)) throw new FootprintError(`--asset ${assetName}=${file}: a name is letters, digits, "_" or "-", starting with a letter`);
    evidence.assets = { ...evidence.assets, [assetName]: { ...evidence.assets?.[assetName], file } };
  }
  for (const [key, file] of flags.table ?? []) evidence.tables = [...(evidence.tables ?? []), { file, key }];
  if (flags.need && flags.need.length > 0) {
    const need: Record<string, number> = {};
    for (const [column, value] of flags.need) {
      const weight = Number(value);
      if (value.trim() === '' || !Number.isFinite(weight) || weight < 0) throw new FootprintError(`--need ${column}=${value}: the weight must be a number ≥ 0`);
      need[column] = weight;
    }
    evidence.need = need;
  }
  for (const [id, label] of flags.name ?? []) evidence.names = { ...evidence.names, [id]: label };
}
