import { makeWorkshop } from '../../src/workshop/make.js';
import type { WorkshopData } from '../../src/workshop/data.js';
import { configFromScenario } from '../../src/scenario/config.js';
import { readScenario } from '../../src/scenario/read.js';

/** The data of a workshop page for a scenario and a plan file. */
export async function loadScenarioRun(scenarioFile: string, plan: string): Promise<WorkshopData> {
  const loaded = readScenario(scenarioFile);
  const config = configFromScenario(loaded.scenario, loaded.resolvePath);
  return (await makeWorkshop(config, { plan, source: 'test' })).data;
}
