import { Command, CommanderError } from 'commander';
import { EXIT, FootprintError } from '../errors.js';
import type { CliIo } from './io.js';
import { processIo } from './io.js';
import type { CommandFactory } from './common.js';
import { COMMANDS } from './commands.js';
import { VERSION } from '../version.js';

/**
 * Run the CLI with the given arguments (without "node" and the script) and return the exit
 * code. Errors never escape: a FootprintError is one clear line, anything else is a bug
 * and shows its stack under --debug.
 */
export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  const debug = argv.includes('--debug');
  const program = buildProgram(io, COMMANDS);
  let exitCode: number = EXIT.ok;
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
    if (error instanceof FootprintError) {
      io.stderr.write(`footprint: ${error.message}\n`);
      if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`footprint: internal error: ${message}${debug ? '' : ' (run again with --debug for details)'}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT.internal;
  }
}

export function buildProgram(io: CliIo, commands: CommandFactory[]): Command {
  const program = new Command('footprint');
  program
    .description('Align public-service geographies: validate boundary layers, score how they cut across each other, and find common footprints of whole units.')
    .version(VERSION, '-V, --version')
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
    command.configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`footprint ${command.name()}: ${s.replace(/^error: /, '')}`),
    });
    program.addCommand(command);
  }
  return program;
}
