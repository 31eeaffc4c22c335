import type { LayerKind, LayerSpec } from '../align/source/types.js';
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
  layers: LayerConfig[];
  /** Footprints of a flat run, or per area when nested and `kPerArea` is absent. */
  k: number;
  /** Nesting: the layer (of `layers`) every footprint must lie inside (see pipeline/nest.ts). */
  within?: string;
  /** With `within`: k per area code, or 'auto' (the smallest k whose population fits the bounds). */
  kPerArea?: Record<string, number> | 'auto';
  /** With `within`: run this one area only (`--area`). */
  area?: string;
  min: number;
  max: number;
  compactness: number;
  /** Unit id → footprint number 1…k. */
  locked: Record<string, number>;
  seed: number;
  /** Seconds. */
  timeLimit: number;
  restarts?: number;
  /** Branch-and-bound nodes for a proven lower bound (search/bounds/label-model.ts); 0 or absent: none. */
  boundNodes?: number;
  connectIslands: 'none' | 'nearest';
  sliverTolerance: number;
  evidence: EvidenceConfig;
  out?: string;
  /** Extra outputs: footprints.gpkg and footprints.qgs (gpkg), report.pdf (pdf). */
  outputs?: { gpkg: boolean; pdf: boolean };
}

/** A service layer of a run: where it comes from (see align/source) and how the search treats it. */
export interface LayerConfig extends LayerSpec {
  weight: number;
  keepWhole: boolean;
}

type ScenarioLayer = Scenario['layers'][number];

function layerConfig(layer: ScenarioLayer, resolvePath: (path: string) => string): LayerConfig {
  const kind: LayerKind = layer.sites !== undefined ? 'sites' : layer.lookup !== undefined ? 'lookup' : layer.membership !== undefined ? 'membership' : 'polygons';
  const file = layer.file ?? layer.sites ?? layer.lookup ?? layer.membership!;
  const out: LayerConfig = { name: layer.name, kind, file: resolvePath(file), weight: layer.weight, keepWhole: layer.keepWhole };
  for (const key of LAYER_OPTIONS) {
    const value = layer[key];
    if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** Options a layer takes besides its source (all strings but ignoreUnknown). */
export const LAYER_OPTIONS = ['id', 'group', 'key', 'area', 'of', 'count', 'areaName', 'ignoreUnknown'] as const;

export function configFromScenario(scenario: Scenario, resolvePath: (path: string) => string): RunConfig {
  return {
    name: scenario.name,
    units: { ...scenario.units, file: resolvePath(scenario.units.file) },
    layers: scenario.layers.map((layer) => layerConfig(layer, resolvePath)),
    k: typeof scenario.k === 'number' ? scenario.k : 5,
    ...(scenario.within === undefined ? {} : { within: scenario.within }),
    ...(typeof scenario.k === 'number' ? {} : { kPerArea: scenario.k }),
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
    evidence: withNames(evidenceConfig(scenario.evidence, resolvePath), scenario.names),
    out: scenario.out === undefined ? undefined : resolvePath(scenario.out),
    ...(scenario.outputs === undefined ? {} : { outputs: scenario.outputs }),
  };
}

/** Defaults for a run without a scenario file, from the same schema so they cannot drift. */
export function defaultConfig(unitsFile: string): RunConfig {
  return configFromScenario(scenarioSchema.parse({ units: unitsFile }), (p) => p);
}

export interface FlagOverrides {
  /** Also write footprints.gpkg and a QGIS project. */
  gpkg?: boolean;
  /** Also print report.pdf. */
  pdf?: boolean;
  units?: string;
  id?: string;
  population?: string;
  layer?: Array<[string, string]>;
  sites?: Array<[string, string]>;
  lookup?: Array<[string, string]>;
  membership?: Array<[string, string]>;
  /** `name.option=value` pairs split at "=": options of a layer (group, key, area, of, count, areaName, id). */
  layerOption?: Array<[string, string]>;
  weight?: Array<[string, string]>;
  keepWhole?: string[];
  /** A number, or "auto" (nested runs). */
  k?: number | 'auto';
  within?: string;
  area?: string;
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
  const fromFlags = new Map<string, string>();
  const sources: Array<[LayerKind, string, Array<[string, string]> | undefined]> = [
    ['polygons', '--layer', flags.layer],
    ['sites', '--sites', flags.sites],
    ['lookup', '--lookup', flags.lookup],
    ['membership', '--membership', flags.membership],
  ];
  for (const [kind, flag, pairs] of sources) {
    for (const [name, file] of pairs ?? []) {
      const earlier = fromFlags.get(name);
      if (earlier !== undefined) throw new FootprintError(`${flag} ${name}=${file}: a layer named "${name}" is already given (${earlier}); layer names must differ`);
      fromFlags.set(name, `${flag} ${name}=${file}`);
      if (!/^[A-Za-z][\w-]*$/.test(name)) throw new FootprintError(`${flag} ${name}=${file}: a layer name is letters, digits, "_" or "-", starting with a letter`);
      const existing = config.layers.find((l) => l.name === name);
      // A flag naming a scenario layer replaces where it comes from; its weight and keep-whole stay.
      const layer: LayerConfig = { name, kind, file, weight: existing?.weight ?? 1, keepWhole: existing?.keepWhole ?? false };
      if (existing && (existing.kind ?? 'polygons') === kind) for (const key of LAYER_OPTIONS) if (existing[key] !== undefined) (layer as unknown as Record<string, unknown>)[key] = existing[key];
      if (existing) config.layers[config.layers.indexOf(existing)] = layer;
      else config.layers.push(layer);
    }
  }
  for (const [target, value] of flags.layerOption ?? []) {
    const dot = target.indexOf('.');
    const name = target.slice(0, dot);
    const key = target.slice(dot + 1) as (typeof LAYER_OPTIONS)[number];
    const layer = config.layers.find((l) => l.name === name);
    if (dot <= 0 || !layer) throw new FootprintError(`--layer-option ${target}=${value}: expected LAYER.OPTION=VALUE for a layer of the run (layers: ${config.layers.map((l) => l.name).join(', ') || 'none'})`);
    if (!(LAYER_OPTIONS as readonly string[]).includes(key)) throw new FootprintError(`--layer-option ${target}=${value}: unknown option "${key}" (options: ${LAYER_OPTIONS.join(', ')})`);
    if (key === 'ignoreUnknown') {
      if (value !== 'true' && value !== 'false') throw new FootprintError(`--layer-option ${target}=${value}: ignoreUnknown is true or false`);
      layer.ignoreUnknown = value === 'true';
    } else layer[key] = value;
  }
  for (const layer of config.layers) checkLayerOptions(layer);
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
    // defineProperty: a unit id such as "__proto__" is an ordinary key here, not the prototype.
    Object.defineProperty(config.locked, unit, { value: footprint, enumerable: true, writable: true, configurable: true });
  }
  if (flags.within !== undefined) {
    if (!config.layers.some((l) => l.name === flags.within)) throw new FootprintError(`--within ${flags.within}: no layer named "${flags.within}" (layers: ${config.layers.map((l) => l.name).join(', ') || 'none'})`);
    config.within = flags.within;
  }
  if (flags.k === 'auto') {
    if (config.within === undefined) throw new FootprintError('--k auto needs a nesting layer (scenario `within:` or --within LAYER)');
    config.kPerArea = 'auto';
  } else if (flags.k !== undefined) {
    // A number on the command line means that many footprints in every area of a nested run.
    config.k = flags.k;
    delete config.kPerArea;
  }
  if (flags.area !== undefined) {
    if (config.within === undefined) throw new FootprintError(`--area ${flags.area}: the run is not nested; give \`within:\` in the scenario or --within LAYER`);
    config.area = flags.area;
  }
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
  if (flags.gpkg || flags.pdf) config.outputs = { gpkg: !!flags.gpkg || !!config.outputs?.gpkg, pdf: !!flags.pdf || !!config.outputs?.pdf };
  if (config.min > config.max) throw new FootprintError(`--min ${config.min} is above --max ${config.max}`);
  for (const [unit, footprint] of Object.entries(config.locked)) {
    // Nested runs number footprints within each area; pipeline/nest.ts checks those against each area's k.
    if (config.within === undefined && footprint > config.k) throw new FootprintError(`unit ${unit} is locked to footprint ${footprint}, but k is ${config.k}`);
  }
  return config;
}

/** Options each kind of layer needs and accepts besides its name, file, weight and keepWhole. */
const KIND_OPTIONS: Record<LayerKind, { required: string[]; allowed: string[] }> = {
  polygons: { required: [], allowed: ['id', 'areaName'] },
  sites: { required: [], allowed: ['group', 'id', 'areaName'] },
  lookup: { required: ['key', 'area'], allowed: ['key', 'area', 'of', 'areaName', 'ignoreUnknown'] },
  membership: { required: ['key', 'area', 'count'], allowed: ['key', 'area', 'count', 'areaName'] },
};

/** A layer whose options do not fit its kind is a usage error, named, before anything is read. */
export function checkLayerOptions(layer: LayerConfig): void {
  const kind = layer.kind ?? 'polygons';
  const { required, allowed } = KIND_OPTIONS[kind];
  for (const key of required) {
    if (layer[key as keyof LayerConfig] === undefined) throw new FootprintError(`layer "${layer.name}" (${kind}) needs the option ${key} (scenario \`${key}:\`, or --layer-option ${layer.name}.${key}=…)`);
  }
  for (const key of LAYER_OPTIONS) {
    if (layer[key] !== undefined && !allowed.includes(key)) throw new FootprintError(`layer "${layer.name}" is a ${kind} layer; the option ${key} is not for ${kind} layers`);
  }
}

/** Top-level `names:` and `evidence.names` are one list; a footprint named in both takes the top-level name. */
function withNames(evidence: EvidenceConfig, names: Record<string, string> | undefined): EvidenceConfig {
  return names === undefined ? evidence : { ...evidence, names: { ...(evidence.names ?? {}), ...names } };
}
