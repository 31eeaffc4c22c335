import { homeCrosswalk, loadServiceLayers, nameAreas } from '../align/source/index.js';
import { FootprintError } from '../errors.js';
import { adjacency } from '../geometry/adjacency.js';
import { uncoveredNote } from '../align/crosswalk.js';
import { loadEvidence } from '../evidence/evidence.js';
import { loadLayer } from '../layers/load.js';
import type { RunConfig } from '../scenario/config.js';
import type { RunLayer, Workspace } from './types.js';

export interface WorkspaceHooks {
  /** Called as each stage starts, for progress on stderr. */
  onStage?: (stage: string) => void;
}

/**
 * Load the units and layers of a run and derive what every later step needs: populations, the
 * crosswalk of each layer with the units (overlay done once), and the units' rook adjacency.
 */
export function buildWorkspace(config: RunConfig, hooks: WorkspaceHooks = {}): Workspace {
  const notes: string[] = [];
  hooks.onStage?.('loading units');
  const units = loadLayer(config.units.file, {
    name: 'units',
    idField: config.units.id,
    populationField: config.units.population,
    requirePopulation: true,
  });
  nameAreas(units);
  notes.push(...units.notes.map((n) => `units: ${n}`));
  const populations = Float64Array.from(units.areas, (a) => a.population ?? 0);

  const loaded = loadServiceLayers(units, config.layers, { sliverTolerance: config.sliverTolerance, onStage: hooks.onStage });
  const layers: RunLayer[] = loaded.map((service, i) => {
    const spec = config.layers[i];
    notes.push(...service.notes.map((n) => `${spec.name}: ${n}`));
    const cw = service.crosswalk;
    if (cw.uncovered.length > 0) notes.push(uncoveredNote(spec.name, cw.uncovered.map((u) => units.areas[u].id), units.areas.length, 'outside'));
    return {
      name: spec.name,
      kind: service.kind,
      weight: spec.weight,
      keepWhole: spec.keepWhole,
      layer: service.layer,
      crosswalk: spec.keepWhole ? homeCrosswalk(units, cw) : cw,
      homeRule: service.homeRule,
      areaFacts: service.areaFacts,
    };
  });

  hooks.onStage?.('building adjacency');
  const graph = adjacency(units.areas, { connectIslands: config.connectIslands });
  if (graph.islands.length > 0) {
    const ids = graph.islands.map((u) => units.areas[u].id);
    notes.push(
      config.connectIslands === 'nearest'
        ? `${ids.length} island unit(s) with no neighbour linked to their nearest unit: ${ids.join(', ')}`
        : `${ids.length} island unit(s) with no neighbour: ${ids.join(', ')} (use --connect-islands nearest to link them)`,
    );
  }

  for (const unitId of Object.keys(config.locked)) {
    if (!units.areas.some((a) => a.id === unitId)) {
      throw new FootprintError(`locked unit "${unitId}" is not in the units (${config.units.file})`);
    }
  }
  const evidence = loadEvidence(config.evidence, { units, populations, layers, skip: [units.idField, units.populationField ?? 'population'] }, hooks.onStage);
  notes.push(...evidence.notes.map((n) => `evidence: ${n}`));
  return { config, units, populations, layers, adjacency: graph, evidence, notes };
}
