import type { Area } from '../layers/types.js';
import type { OutputWriter } from '../io/output-folder.js';
import { jsonText, stringifyFeatureCollection } from '../geometry/rfc7946.js';
import type { ScoreRun } from '../pipeline/score.js';
import { layersMap, type AreaFeature } from './map.js';
import { fragmentsCollection, scoreJson, scoreMarkdown } from './score-format.js';

/** The files of `footprint score --out`: score.md (with the layers map), layers.svg, score.json, fragments.geojson. */
export function writeScoreOutputs(run: ScoreRun, folder: OutputWriter): void {
  const { units, layers, result } = run;
  const asFeature = (a: Area): AreaFeature => ({ type: 'Feature', properties: { id: a.id }, geometry: a.geometry });
  folder.write(
    'layers.svg',
    layersMap({ title: 'Service layers over the units', units: units.areas.map(asFeature), overlays: layers.map((l) => ({ name: l.name, features: l.areas.map(asFeature) })) }),
  );
  folder.write('score.md', scoreMarkdown(result).replace('\n\n', '\n\n![Service layers over the units](layers.svg)\n\n'));
  folder.write('score.json', jsonText(scoreJson(result)));
  folder.write('fragments.geojson', stringifyFeatureCollection(fragmentsCollection(result, units, layers)));
}
