import { Command, CommanderError, Option } from 'commander';
import { EXIT, FootprintError } from '../errors.js';
import type { CliIo } from './io.js';
import { processIo } from './io.js';
import type { CommandFactory } from './common.js';
import { COMMANDS } from './commands.js';
import { VERSION } from '../version.js';
import { terminalText } from '../report/escape.js';
import { listenForInputNotices } from '../io/notices.js';
import { DEFAULT_MAX_INPUT_MB, MAX_INPUT_ENV, parseLimitMb, setInputLimitMb } from '../io/input.js';

/**
 * Run the CLI with the given arguments (without "node" and the script) and return the exit
 * code. Errors never escape: a FootprintError is one clear line, anything else is a bug
 * and shows its stack under --debug.
 */
export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  const debug = argv.includes('--debug');
  const program = buildProgram(io, COMMANDS);
  let exitCode: number = EXIT.ok;
  let previousLimit: number | null = null;
  // Warnings found while reading input (a file read as Windows-1252, a table's delimiter) reach the user on stderr, even with --quiet.
  const stopNotices = listenForInputNotices((message) => io.stderr.write(`footprint: ${terminalText(message)}\n`));
  program.hook('preAction', () => {
    // The flag wins over the environment; both are read per run so in-process runs do not leak.
    const flag = program.opts<{ maxInputMb?: number }>().maxInputMb;
    const env = io.env[MAX_INPUT_ENV];
    const mb = flag ?? (env !== undefined && env !== '' ? parseLimitMb(env, MAX_INPUT_ENV) : DEFAULT_MAX_INPUT_MB);
    previousLimit = setInputLimitMb(mb);
  });
  program.hook('postAction', (_this, actionCommand) => {
    const code = (actionCommand as Command & { exitCodeResult?: number }).exitCodeResult;
    if (typeof code === 'number') exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other commander error is a usage error.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.input;
    }
    if (isStackOverflow(error)) {
      // Whatever overflowed, it was the input's size or shape that drove it there: say so, and
      // keep the 70 for a bug, since size limits are meant to stop this first.
      io.stderr.write(`footprint: internal error: the input is too large or too deeply nested for the call stack (${(error as Error).message}); please report it${debug ? '' : ' (run again with --debug for details)'}\n`);
      if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
      return EXIT.internal;
    }
    if (error instanceof FootprintError) {
      io.stderr.write(`footprint: ${terminalText(error.message)}\n`);
      if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`footprint: internal error: ${message}${debug ? '' : ' (run again with --debug for details)'}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT.internal;
  } finally {
    stopNotices();
    if (previousLimit !== null) setInputLimitMb(previousLimit);
  }
}

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

export function buildProgram(io: CliIo, commands: CommandFactory[]): Command {
  const program = new Command('footprint');
  program
    .description('Align public-service geographies: validate boundary layers, score how they cut across each other, and find common footprints of whole units.')
    .version(VERSION, '-V, --version')
    .addOption(
      new Option('--max-input-mb <mb>', `largest input file read, in MB (default ${DEFAULT_MAX_INPUT_MB}, or $${MAX_INPUT_ENV})`).argParser((v: string) =>
        parseLimitMb(v, 'option --max-input-mb'),
      ),
    )
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`footprint: ${s.replace(/^error: /, '')}`),
    })
    .showSuggestionAfterError(true)
    .addHelpText('after', `
Exit codes: 0 success, 1 findings or failed constraints, 2 unreadable input or usage error,
3 no plan can satisfy the constraints, 4 no plan found within the time limit, 70 internal error.

Run "footprint <command> --help" for a command's options and an example.`);
  for (const factory of commands) {
    const command = factory(io);
    command.exitOverride();
    command.configureHelp({ ...command.configureHelp(), showGlobalOptions: true });
    command.configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`footprint ${command.name()}: ${s.replace(/^error: /, '')}`),
    });
    program.addCommand(command);
  }
  return program;
}
