import { checkCommand } from './check.js';
import type { CommandFactory } from './common.js';
import { compareCommand } from './compare.js';
import { optimiseCommand } from './optimise.js';
import { scoreCommand } from './score.js';
import { validateCommand } from './validate.js';

/** Every command of the CLI, in the order `footprint --help` lists them. */
export const COMMANDS: CommandFactory[] = [validateCommand, scoreCommand, optimiseCommand, compareCommand, checkCommand];
