import type { Command } from 'commander';
import { maskCredentials } from '../layers/gdal.js';

/** Options that change where or how output is shown, never the plan: left out of "Reproduce with". */
const PRESENTATION_FLAGS = new Set(['--quiet', '-q', '--json', '--debug', '--no-color']);
const PRESENTATION_VALUES = new Set(['--out']);

/** An argument as a POSIX shell reads it back: bare when safe, else single-quoted. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./=:,@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command line that reproduces a run: every argument as typed (scenario and overrides), less
 * --out and the presentation flags, which change where and how results appear but not what they
 * are. Leaving --out out also keeps the report byte-identical wherever it is written. Passwords in
 * connection strings are masked (`password=***`).
 */
export function reproduceLine(args: readonly string[]): string {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [name] = arg.split('=', 1);
    if (PRESENTATION_FLAGS.has(arg)) continue;
    if (PRESENTATION_VALUES.has(name)) {
      if (!arg.includes('=')) i++;
      continue;
    }
    // A PostGIS password typed into a PG: string never reaches the report.
    kept.push(shellWord(maskCredentials(arg)));
  }
  return ['footprint', ...kept].join(' ');
}

/** The arguments the program was run with, as the user typed them (commander keeps them on the root). */
export function typedArgs(command: Command): string[] {
  let root: Command = command;
  while (root.parent) root = root.parent;
  return [...((root as Command & { rawArgs?: string[] }).rawArgs ?? [])];
}
