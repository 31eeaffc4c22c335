import type { Command } from 'commander';
import { collectList, collectPair } from './common.js';

/** Evidence flags shared by optimise and compare: the command-line side of the scenario's `evidence` section. */
export function addEvidenceOptions(command: Command): Command {
  return command
    .option('--asset <name=file>', 'asset layer, points or building polygons, counted as sites per footprint (repeatable)', collectPair)
    .option('--points <name=file>', 'the older name of --asset (repeatable)', collectPair)
    .option('--table <key=file>', 'CSV or JSON table joined to the units by the code in column "key"; every numeric column is used (repeatable)', collectPair)
    .option('--need <column=weight>', 'need as a weighted count of people, e.g. --need population=1 --need age_65_plus=1.5 (repeatable)', collectPair)
    .option('--name <footprint=name>', 'a name for a footprint, e.g. --name F1="Chadderton and Failsworth" (repeatable)', collectPair)
    .option('--mean <fields>', 'unit properties and table columns that are rates: averaged (population-weighted), not summed', collectList)
    .option('--exclude <fields>', 'unit properties left out of the evidence', collectList);
}
