/**
 * Exit codes are part of the CLI contract: CI pipelines branch on them.
 *   0 success / no errors, 1 findings or failed constraints,
 *   2 input unreadable or usage error, 3 no plan can exist (infeasible, with the reason),
 *   4 no plan was found in the time limit, though none of the checks rules one out,
 *   70 an internal error (a bug: please report it with the --debug output).
 */
export const EXIT = {
  ok: 0,
  findings: 1,
  input: 2,
  infeasible: 3,
  /** The search reached no plan within its limits; unlike `infeasible`, nothing proves none exists. */
  noPlan: 4,
  /** A bug in footprint itself, not in the input. */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface ErrorLocation {
  file?: string;
  feature?: number | string;
  field?: string;
  line?: number;
  /** A row of a JSON table (CSV rows are named by `line`). */
  row?: number;
  /** A column of a table (features have fields, tables have columns). */
  column?: string;
}

/**
 * An error a user can act on: its message names the file, feature and field involved,
 * and it carries the exit code the CLI should end with. Anything that is not a
 * FootprintError reaching the CLI is a bug and is reported with a stack under --debug.
 */
export class FootprintError extends Error {
  readonly exitCode: ExitCode;
  readonly location: ErrorLocation;

  constructor(message: string, options: { exitCode?: ExitCode; location?: ErrorLocation; cause?: unknown } = {}) {
    super(withLocation(message, options.location), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FootprintError';
    this.exitCode = options.exitCode ?? EXIT.input;
    this.location = options.location ?? {};
  }
}

/** Raised when no plan can satisfy the constraints; the message is for a planner. */
export class InfeasibleError extends FootprintError {
  readonly reasons: string[];
  constructor(reasons: string[]) {
    super(reasons.join(' '), { exitCode: EXIT.infeasible });
    this.name = 'InfeasibleError';
    this.reasons = reasons;
  }
}

function withLocation(message: string, location?: ErrorLocation): string {
  if (!location) return message;
  const parts: string[] = [];
  if (location.file !== undefined) parts.push(location.line !== undefined ? `${location.file}:${location.line}` : location.file);
  if (location.row !== undefined) parts.push(`row ${location.row}`);
  if (location.feature !== undefined) parts.push(`feature ${location.feature}`);
  if (location.field !== undefined) parts.push(`field "${location.field}"`);
  if (location.column !== undefined) parts.push(`column "${location.column}"`);
  return parts.length ? `${parts.join(', ')}: ${message}` : message;
}
