import type { Area } from '../layers/types.js';
import type { OutputWriter } from '../io/output-folder.js';
import { jsonText, stringifyFeatureCollection } from '../geometry/rfc7946.js';
import type { ScoreRun } from '../pipeline/score.js';
import { layersMap, type AreaFeature } from './map.js';
import { fragmentsCollection, scoreJson, scoreMarkdown } from './score-format.js';
import { geopackageBytes } from './gpkg.js';

/**
 * The files of `footprint score --out`: score.md (with the layers map), layers.svg, score.json,
 * fragments.geojson; with `gpkg`, score.gpkg too (fragments, units and every layer, for QGIS).
 */
export function writeScoreOutputs(run: ScoreRun, folder: OutputWriter, options: { gpkg?: boolean } = {}): void {
  const { units, layers, result } = run;
  const asFeature = (a: Area): AreaFeature => ({ type: 'Feature', properties: { id: a.id }, geometry: a.geometry });
  folder.write(
    'layers.svg',
    layersMap({ title: 'Service layers over the units', units: units.areas.map(asFeature), overlays: layers.map((l) => ({ name: l.name, features: l.areas.map(asFeature) })) }),
  );
  folder.write('score.md', scoreMarkdown(result).replace('\n\n', '\n\n![Service layers over the units](layers.svg)\n\n'));
  folder.write('score.json', jsonText(scoreJson(result)));
  const fragments = stringifyFeatureCollection(fragmentsCollection(result, units, layers));
  folder.write('fragments.geojson', fragments);
  if (options.gpkg) {
    const layer = (l: typeof units) => ({
      name: `layer_${l.name}`,
      geojson: stringifyFeatureCollection({ type: 'FeatureCollection', features: l.areas.map((a) => ({ type: 'Feature', properties: { ...a.properties, id: a.id }, geometry: a.geometry })) }),
    });
    folder.write('score.gpkg', geopackageBytes([{ name: 'fragments', geojson: fragments }, { ...layer(units), name: 'units' }, ...layers.map(layer)]));
  }
}
