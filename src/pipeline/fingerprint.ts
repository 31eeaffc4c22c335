import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { FootprintError } from '../errors.js';
import type { RunConfig } from '../scenario/config.js';
import { VERSION } from '../version.js';

/**
 * What makes two runs the same run: the version, every option that can change a plan, and the
 * bytes of every input file (SHA-256). A run's fingerprint is the SHA-256 of those, so a resumed run
 * (pipeline/resume.ts) only takes up results of the same run, and `footprint merge` only puts
 * together shards of one run. Where the run writes (`out`) is not part of it, nor where the inputs
 * lie: options name input files by their base name, and the inputs are compared by content, so
 * shards on machines with different checkouts still match.
 */
export interface RunIdentity {
  fingerprint: string;
  version: string;
  /** The run's options, input paths as base names, keys sorted. */
  options: Record<string, unknown>;
  /** Input files in the order the configuration lists them, with their content hashes. */
  inputs: Array<{ path: string; sha256: string }>;
}

/** A TopoJSON input may be "file#object": the file is what is hashed. */
function inputFile(input: string): string {
  return existsSync(input) ? input : input.replace(/#[^#/\\]*$/, '');
}

export function sha256File(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(inputFile(path))).digest('hex');
  } catch (error) {
    throw new FootprintError(`cannot read input ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The run's identity; `inputs` are the files it reads (report/write-plan.ts configInputs). */
export function runIdentity(config: RunConfig, inputs: string[]): RunIdentity {
  const paths = new Set(inputs);
  const strip = (value: unknown): unknown => {
    if (typeof value === 'string') return paths.has(value) ? basename(value) : value;
    if (Array.isArray(value)) return value.map(strip);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strip(v)]));
    return value;
  };
  const { out: _out, ...rest } = config;
  const options = JSON.parse(canonicalJson(strip(rest))) as Record<string, unknown>;
  const hashed = inputs.map((path) => ({ path, sha256: sha256File(path) }));
  const fingerprint = createHash('sha256')
    .update(canonicalJson({ version: VERSION, options, inputs: hashed.map((i) => [basename(i.path), i.sha256]) }))
    .digest('hex');
  return { fingerprint, version: VERSION, options, inputs: hashed };
}

/**
 * How two identities differ, in words (the seed, an option, an input file's content), or null when
 * they are the same run.
 */
export function identityDifference(a: RunIdentity, b: RunIdentity): string | null {
  if (a.fingerprint === b.fingerprint) return null;
  const out: string[] = [];
  if (a.version !== b.version) out.push(`footprint version ${a.version} vs ${b.version}`);
  const keys = [...new Set([...Object.keys(a.options), ...Object.keys(b.options)])].sort();
  for (const key of keys) {
    const x = canonicalJson(a.options[key]);
    const y = canonicalJson(b.options[key]);
    if (x !== y) out.push(`${key} ${short(x)} vs ${short(y)}`);
  }
  if (a.inputs.length !== b.inputs.length) out.push(`${a.inputs.length} vs ${b.inputs.length} input files`);
  else {
    a.inputs.forEach((input, i) => {
      if (input.sha256 !== b.inputs[i].sha256) out.push(`input ${basename(input.path)} has other content (sha256 ${input.sha256.slice(0, 12)}… vs ${b.inputs[i].sha256.slice(0, 12)}…)`);
    });
  }
  return out.length > 0 ? out.join('; ') : 'fingerprints differ';
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
