/**
 * What a command needs from the outside world, passed in so that commands can run
 * in-process under tests exactly as they do from the shell.
 */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** True when stderr is a terminal: progress bars are only drawn then. */
  stderrIsTTY: boolean;
  /** Environment, for NO_COLOR. */
  env: Record<string, string | undefined>;
  /** Working directory relative paths are resolved against. */
  cwd: string;
}

export function processIo(): CliIo {
  quietOnClosedPipes();
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Colour only on a terminal and never when NO_COLOR is set (https://no-color.org). */
export function useColor(io: CliIo): boolean {
  const noColor = io.env.NO_COLOR;
  return io.stderrIsTTY && (noColor === undefined || noColor === '');
}

export interface Style {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

export function style(enabled: boolean): Style {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    bold: wrap(1, 22),
    dim: wrap(2, 22),
  };
}

/** Progress is shown on stderr only for a terminal, and never with --quiet. */
export function showProgress(io: CliIo, quiet: boolean | undefined): boolean {
  return io.stderrIsTTY && !quiet;
}

let pipesWatched = false;

/**
 * Writing to a closed pipe (`footprint compare --help | head -1`, `… | true`) ends quietly: the
 * reader has gone, so what is left to write is dropped, and the command ends with the status it
 * would have had. Node ignores SIGPIPE and reports the closed pipe as an EPIPE 'error' event on the
 * stream, which would otherwise be an uncaught exception with a stack trace; writes after it fail
 * with ERR_STREAM_DESTROYED, dropped the same way. Any other stream error still surfaces.
 */
export function quietOnClosedPipes(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  if (pipesWatched) return;
  pipesWatched = true;
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      throw error;
    });
  }
}
