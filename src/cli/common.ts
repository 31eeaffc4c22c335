import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { FootprintError } from '../errors.js';
import type { CliIo } from './io.js';

/** Options every command accepts. */
export interface CommonOptions {
  quiet?: boolean;
  debug?: boolean;
  json?: boolean;
}

/** A command: a thin shell over a library function, given the I/O it may use. */
export type CommandFactory = (io: CliIo) => Command;

/**
 * A command's action records its exit code on the command rather than on `process.exitCode`,
 * so `run()` can return it to tests as well as to the shell.
 */
export function setExitCode(command: Command, code: number): void {
  (command as Command & { exitCodeResult?: number }).exitCodeResult = code;
}

export function addCommonOptions(command: Command, { json = true }: { json?: boolean } = {}): Command {
  command.option('-q, --quiet', 'no progress or summary on stderr');
  command.option('--debug', 'show stack traces for errors');
  if (json) command.option('--json', 'print machine-readable JSON on stdout instead of the human summary');
  return command;
}

/** `name=value` pairs (`--layer gp=gp.geojson`, `--weight gp=2`), collected into a list. */
export function collectPair(value: string, previous: Array<[string, string]> = []): Array<[string, string]> {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) {
    throw new FootprintError(`expected NAME=VALUE, got "${value}"`);
  }
  return [...previous, [value.slice(0, eq), value.slice(eq + 1)]];
}

export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter((s) => s.length > 0)];
}

export function parseNumberOption(name: string, value: string, { integer = false, min }: { integer?: boolean; min?: number } = {}): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || (min !== undefined && n < min)) {
    const what = integer ? 'an integer' : 'a number';
    throw new FootprintError(`option ${name} must be ${what}${min !== undefined ? ` ≥ ${min}` : ''}, got "${value}"`);
  }
  return n;
}

export function numberOption(flags: string, description: string, opts: { integer?: boolean; min?: number } = {}): Option {
  const name = flags.split(/[ ,]+/).find((f) => f.startsWith('--')) ?? flags;
  return new Option(flags, description).argParser((v: string) => parseNumberOption(name, v, opts));
}

export function resolvePath(io: CliIo, path: string): string {
  // Keep a TopoJSON "#object" suffix attached to the resolved file; a PostGIS connection string
  // (`PG:…`) is not a path.
  if (/^PG:/i.test(path)) return path;
  return resolve(io.cwd, path);
}

/**
 * Warnings among a run's notes (a site far outside the units, an area with no units) go to stderr
 * unless --quiet, terminal or not: a CI log should show them. Other notes are progress-like and are
 * shown only with progress.
 */
export function reportNotes(io: CliIo, notes: string[], { quiet, progress }: { quiet?: boolean; progress: boolean }): void {
  for (const note of notes) {
    if (note.includes('warning:')) {
      if (!quiet) io.stderr.write(`${note}\n`);
    } else if (progress) io.stderr.write(`note: ${note}\n`);
  }
}
