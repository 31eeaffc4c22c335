import { FootprintError } from '../errors.js';
import { applyFlags, configFromScenario, defaultConfig, type FlagOverrides, type RunConfig } from '../scenario/config.js';
import { readScenario } from '../scenario/read.js';
import { resolvePath, type CommonOptions } from './common.js';
import type { CliIo } from './io.js';

/**
 * The run configuration from a scenario file and command-line flags. Kept apart from the command
 * definitions, which only commander needs, so that `--help` loads neither zod nor YAML.
 */
export interface RunFlags extends CommonOptions, Omit<FlagOverrides, 'timeLimit'> {
  timeLimit?: number;
}

/** Flags as written on the command line, with their paths resolved against the working directory. */
export function configFromCommandLine(io: CliIo, scenarioFile: string | undefined, flags: RunFlags): RunConfig {
  const resolveFlagPath = (p: string) => resolvePath(io, p);
  let base: RunConfig;
  if (scenarioFile) {
    const loaded = readScenario(resolvePath(io, scenarioFile));
    base = configFromScenario(loaded.scenario, loaded.resolvePath);
  } else {
    if (!flags.units) throw new FootprintError('give a scenario file or --units FILE (see footprint optimise --help)');
    base = defaultConfig(resolveFlagPath(flags.units));
  }
  return applyFlags(base, {
    ...flags,
    units: flags.units ? resolveFlagPath(flags.units) : undefined,
    layer: flags.layer?.map(([name, file]) => [name, resolveFlagPath(file)]),
    sites: flags.sites?.map(([name, file]) => [name, resolveFlagPath(file)]),
    lookup: flags.lookup?.map(([name, file]) => [name, resolveFlagPath(file)]),
    membership: flags.membership?.map(([name, file]) => [name, resolveFlagPath(file)]),
    points: flags.points?.map(([name, file]) => [name, resolveFlagPath(file)]),
    asset: flags.asset?.map(([name, file]) => [name, resolveFlagPath(file)]),
    table: flags.table?.map(([key, file]) => [key, resolveFlagPath(file)]),
    out: flags.out ? resolveFlagPath(flags.out) : undefined,
  });
}

