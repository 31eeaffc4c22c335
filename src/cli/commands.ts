import { checkCommand } from './check.js';
import type { CommandFactory } from './common.js';
import { compareCommand } from './compare.js';
import { mergeCommand } from './merge.js';
import { exploreCommand } from './explore.js';
import { evidenceCommand } from './evidence.js';
import { optimiseCommand } from './optimise.js';
import { scoreCommand } from './score.js';
import { validateCommand } from './validate.js';
import { workshopCommand } from './workshop.js';

/**
 * Every command of the CLI, in the order `footprint --help` lists them. These modules define
 * options and help only; each action imports the library it needs when it runs, so `--help`
 * starts in about the time node itself takes (measured in `npm run bench`).
 */
export const COMMANDS: CommandFactory[] = [validateCommand, scoreCommand, optimiseCommand, exploreCommand, mergeCommand, evidenceCommand, workshopCommand, compareCommand, checkCommand];
