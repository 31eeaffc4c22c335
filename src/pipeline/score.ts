import { uncoveredNote } from '../align/crosswalk.js';
import type { OverlayCrosswalk } from '../align/crosswalk.js';
import { scoreLayers, type ScoreResult } from '../align/score.js';
import { loadServiceLayers, nameAreas } from '../align/source/index.js';
import { loadLayer } from '../layers/load.js';
import type { Crs, Layer } from '../layers/types.js';
import { applyFlags, defaultConfig, type FlagOverrides } from '../scenario/config.js';

export interface ScoreRunOptions {
  /** The unit layer (GeoJSON or TopoJSON) with a population field. */
  units: string;
  /** Its id and population fields (auto-detected when absent). */
  id?: string;
  population?: string;
  /** Service layers by kind, as name and file pairs, and their options (as `--layer-option`). */
  layers: Pick<FlagOverrides, 'layer' | 'sites' | 'lookup' | 'membership' | 'layerOption'>;
  /** CRS of every input, overriding detection. */
  crs?: Crs;
  sliverTolerance?: number;
  coterminosityTolerance?: number;
  boundaryDistance?: number;
  boundaryCoincidence?: boolean;
  mostSplit?: number;
  /** Progress of the overlay and the measures: a stage name and how far it is. */
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Notes of the loaders (a detected field, a CRS), as they come. */
  onNote?: (note: string) => void;
}

export interface ScoreRun {
  units: Layer;
  layers: Layer[];
  result: ScoreResult;
  /** One per layer that leaves units uncovered (they are left out of its measures). */
  warnings: string[];
}

/**
 * `footprint score` as a library call: load the units and the service layers (every kind through
 * the loader optimise uses: polygon layers are overlaid with progress, the others arrive with the
 * crosswalk their source states) and score them against each other and the units.
 */
export function runScore(options: ScoreRunOptions): ScoreRun {
  const note = options.onNote ?? (() => {});
  const units = loadLayer(options.units, {
    name: 'units',
    idField: options.id,
    populationField: options.population,
    requirePopulation: true,
    crs: options.crs,
  });
  for (const n of units.notes) note(`units: ${n}`);
  nameAreas(units);
  const specs = applyFlags(defaultConfig(options.units), options.layers).layers;
  const services = loadServiceLayers(units, specs, { crs: options.crs, sliverTolerance: options.sliverTolerance, onProgress: options.onProgress });
  for (const service of services) for (const n of service.notes) note(`${service.name}: ${n}`);
  const layers: Layer[] = services.map((s) => s.layer);
  const crosswalks: OverlayCrosswalk[] = services.map((s) => s.crosswalk);
  const result = scoreLayers(units, layers, {
    sliverTolerance: options.sliverTolerance,
    coterminosityTolerance: options.coterminosityTolerance,
    boundaryDistance: options.boundaryDistance,
    boundaryCoincidence: options.boundaryCoincidence,
    mostSplit: options.mostSplit,
    crosswalks,
    onProgress: options.onProgress,
  });
  const warnings = result.layers
    .filter((layer) => layer.uncovered.length > 0)
    .map((layer) =>
      uncoveredNote(
        layer.name,
        layer.uncovered.map((u) => u.id),
        result.units.count,
        'left out',
      ),
    );
  return { units, layers, result, warnings };
}
