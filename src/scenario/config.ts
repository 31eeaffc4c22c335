import { applyEvidenceFlags, evidenceConfig, type EvidenceConfig } from '../evidence/config.js';
import { FootprintError } from '../errors.js';
import type { Scenario } from './schema.js';
import { scenarioSchema } from './schema.js';

/**
 * Everything a run needs, with file paths resolved: what a scenario file and command-line flags
 * both turn into. Flags given on the command line override the scenario's values.
 */
export interface RunConfig {
  name?: string;
  units: { file: string; id?: string; population?: string };
  layers: Array<{ name: string; file: string; id?: string; weight: number; keepWhole: boolean }>;
  k: number;
  min: number;
  max: number;
  compactness: number;
  /** Unit id → footprint number 1…k. */
  locked: Record<string, number>;
  seed: number;
  /** Seconds. */
  timeLimit: number;
  restarts?: number;
  /** Branch-and-bound nodes for a proven lower bound (search/bound.ts); 0 or absent: none. */
  boundNodes?: number;
  connectIslands: 'none' | 'nearest';
  sliverTolerance: number;
  evidence: EvidenceConfig;
  out?: string;
}

export function configFromScenario(scenario: Scenario, resolvePath: (path: string) => string): RunConfig {
  return {
    name: scenario.name,
    units: { ...scenario.units, file: resolvePath(scenario.units.file) },
    layers: scenario.layers.map((layer) => ({ ...layer, file: resolvePath(layer.file) })),
    k: scenario.k,
    min: scenario.min,
    max: scenario.max,
    compactness: scenario.compactness,
    locked: scenario.locked,
    seed: scenario.seed,
    timeLimit: scenario.timeLimit,
    restarts: scenario.restarts,
    boundNodes: scenario.boundNodes,
    connectIslands: scenario.connectIslands,
    sliverTolerance: scenario.sliverTolerance,
    evidence: evidenceConfig(scenario.evidence, resolvePath),
    out: scenario.out === undefined ? undefined : resolvePath(scenario.out),
  };
}

/** Defaults for a run without a scenario file, from the same schema so they cannot drift. */
export function defaultConfig(unitsFile: string): RunConfig {
  return configFromScenario(scenarioSchema.parse({ units: unitsFile }), (p) => p);
}

export interface FlagOverrides {
  units?: string;
  id?: string;
  population?: string;
  layer?: Array<[string, string]>;
  weight?: Array<[string, string]>;
  keepWhole?: string[];
  k?: number;
  min?: number;
  max?: number;
  compactness?: number;
  lock?: Array<[string, string]>;
  seed?: number;
  timeLimit?: number;
  restarts?: number;
  boundNodes?: number;
  connectIslands?: 'none' | 'nearest';
  sliverTolerance?: number;
  mean?: string[];
  exclude?: string[];
  points?: Array<[string, string]>;
  asset?: Array<[string, string]>;
  /** Tables as [key column, file]. */
  table?: Array<[string, string]>;
  need?: Array<[string, string]>;
  name?: Array<[string, string]>;
  out?: string;
}

/** Apply command-line flags over a config (paths in flags are resolved by the caller). */
export function applyFlags(base: RunConfig, flags: FlagOverrides): RunConfig {
  const config: RunConfig = structuredClone(base);
  if (flags.units) config.units = { file: flags.units };
  if (flags.id) config.units.id = flags.id;
  if (flags.population) config.units.population = flags.population;
  for (const [name, file] of flags.layer ?? []) {
    const existing = config.layers.find((l) => l.name === name);
    if (existing) existing.file = file;
    else config.layers.push({ name, file, weight: 1, keepWhole: false });
  }
  for (const [name, value] of flags.weight ?? []) {
    const layer = config.layers.find((l) => l.name === name);
    if (!layer) throw new FootprintError(`--weight ${name}=${value}: no layer named "${name}" (layers: ${config.layers.map((l) => l.name).join(', ') || 'none'})`);
    const weight = Number(value);
    if (!Number.isFinite(weight) || weight < 0) throw new FootprintError(`--weight ${name}=${value}: the weight must be a number ≥ 0`);
    layer.weight = weight;
  }
  for (const name of flags.keepWhole ?? []) {
    const layer = config.layers.find((l) => l.name === name);
    if (!layer) throw new FootprintError(`--keep-whole ${name}: no layer named "${name}"; add it with --layer ${name}=FILE (and --weight ${name}=0 to keep it out of the objective)`);
    layer.keepWhole = true;
  }
  for (const [unit, value] of flags.lock ?? []) {
    const footprint = Number(String(value).replace(/^F/i, ''));
    if (!Number.isInteger(footprint) || footprint < 1) throw new FootprintError(`--lock ${unit}=${value}: the footprint must be a number 1…k (or F1…Fk)`);
    config.locked[unit] = footprint;
  }
  if (flags.k !== undefined) config.k = flags.k;
  if (flags.min !== undefined) config.min = flags.min;
  if (flags.max !== undefined) config.max = flags.max;
  if (flags.compactness !== undefined) config.compactness = flags.compactness;
  if (flags.seed !== undefined) config.seed = flags.seed;
  if (flags.timeLimit !== undefined) config.timeLimit = flags.timeLimit;
  if (flags.restarts !== undefined) config.restarts = flags.restarts;
  if (flags.boundNodes !== undefined) config.boundNodes = flags.boundNodes;
  if (flags.connectIslands !== undefined) config.connectIslands = flags.connectIslands;
  if (flags.sliverTolerance !== undefined) config.sliverTolerance = flags.sliverTolerance;
  if (flags.mean) config.evidence.mean = [...new Set([...config.evidence.mean, ...flags.mean])];
  if (flags.exclude) config.evidence.exclude = [...new Set([...config.evidence.exclude, ...flags.exclude])];
  for (const [name, file] of flags.points ?? []) config.evidence.points[name] = file;
  applyEvidenceFlags(config.evidence, flags);
  if (flags.out) config.out = flags.out;
  if (config.min > config.max) throw new FootprintError(`--min ${config.min} is above --max ${config.max}`);
  for (const [unit, footprint] of Object.entries(config.locked)) {
    if (footprint > config.k) throw new FootprintError(`unit ${unit} is locked to footprint ${footprint}, but k is ${config.k}`);
  }
  return config;
}
