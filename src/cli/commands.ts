import type { CommandFactory } from './common.js';

/** Every command of the CLI, in the order `footprint --help` lists them. */
export const COMMANDS: CommandFactory[] = [];
