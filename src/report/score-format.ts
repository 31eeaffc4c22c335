import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Layer } from '../layers/types.js';
import { formatInteger, formatPercent, table } from './format.js';
import { mdText } from './escape.js';
import { unprojectMultiPolygon } from '../geometry/project.js';
import type { PlanarMultiPolygon } from '../geometry/planar.js';
import { planarOf } from '../align/crosswalk.js';
import type { PairScore, ScoreResult } from '../align/score.js';
import { UNITS_NAME, findPair, oriented, sideNames } from '../align/score.js';

type Cell = (pair: PairScore, forward: boolean) => string;

interface MatrixSpec {
  key: string;
  title: string;
  explain: string;
  cell: Cell;
  /** Machine value, for JSON. */
  value: (pair: PairScore, forward: boolean) => number | null;
}

function share(value: number | null): string {
  return value === null ? '—' : formatPercent(value);
}

function matrices(result: ScoreResult): MatrixSpec[] {
  const tau = formatPercent(result.options.coterminosityTolerance, 0);
  const specs: MatrixSpec[] = [
    {
      key: 'splitPopulation',
      title: 'Split population S(row | column)',
      explain: "share of residents not in the part of their row area that holds most of it (0 = every row area lies inside one column area)",
      cell: (p, f) => formatPercent(oriented(p.measures.splitPopulation, f)),
      value: (p, f) => oriented(p.measures.splitPopulation, f),
    },
    {
      key: 'coterminosity',
      title: `Coterminosity of row in column (τ = ${tau})`,
      explain: `share of residents living in row areas with at least ${formatPercent(1 - result.options.coterminosityTolerance, 0)} of their residents in one column area`,
      cell: (p, f) => formatPercent(oriented(p.measures.coterminosity, f)),
      value: (p, f) => oriented(p.measures.coterminosity, f),
    },
    {
      key: 'splitCount',
      title: 'Split count: row areas cut by column',
      explain: `row areas with at least ${formatPercent(result.options.sliverTolerance, 0)} of their residents in each of two or more column areas, out of the row areas with residents`,
      cell: (p, f) => `${oriented(p.measures.splitCount, f)}/${oriented(p.measures.populatedAreas, f)}`,
      value: (p, f) => oriented(p.measures.splitCount, f),
    },
    {
      key: 'variationOfInformation',
      title: 'Variation of information VI(row, column), bits',
      explain: 'H(row|column) + H(column|row): 0 when the two layers group residents identically; symmetric',
      cell: (p) => p.measures.variationOfInformation.toFixed(3),
      value: (p) => p.measures.variationOfInformation,
    },
  ];
  if (result.options.boundaryDistance !== null) {
    specs.push({
      key: 'boundaryCoincidence',
      title: `Boundary coincidence: row's internal boundary within ${result.options.boundaryDistance} m of column's boundary`,
      explain: "share of the length of the row layer's internal boundaries (not its outline); — when the row layer has a single area",
      cell: (p, f) => share(p.boundary ? oriented(p.boundary, f).share : null),
      value: (p, f) => (p.boundary ? oriented(p.boundary, f).share : null),
    });
  }
  return specs;
}

function matrixRows(result: ScoreResult, cell: (pair: PairScore, forward: boolean) => string): string[][] {
  const names = sideNames(result);
  return names.map((row) => [
    row,
    ...names.map((col) => {
      if (row === col) return '·';
      const found = findPair(result, row, col);
      return found ? cell(found.pair, found.forward) : '—';
    }),
  ]);
}

function matrixTable(result: ScoreResult, spec: MatrixSpec): string {
  return table(['', ...sideNames(result)], matrixRows(result, spec.cell));
}

function coverageLines(result: ScoreResult): string[] {
  const lines: string[] = [];
  for (const layer of result.layers) {
    const cw = layer.crosswalk;
    const parts = [
      `${layer.areaCount} areas`,
      `${layer.uncovered.length === 0 ? 'covers every unit' : `${layer.uncovered.length} of ${result.units.count} units not covered (${formatInteger(layer.uncovered.reduce((s, u) => s + u.population, 0))} residents)`}`,
      `${cw.sliversDropped} sliver${cw.sliversDropped === 1 ? '' : 's'} under ${formatPercent(cw.sliverTolerance, 0)} dropped`,
    ];
    if (layer.partial.length > 0) parts.push(`${layer.partial.length} units less than 99% covered`);
    if (layer.emptyAreas.length > 0) parts.push(`${layer.emptyAreas.length} areas hold no unit`);
    lines.push(`- ${mdText(layer.name)} (${mdText(layer.source)}): ${parts.join('; ')}`);
    if (layer.uncovered.length > 0) lines.push(`  - not covered: ${mdText(listIds(layer.uncovered.map((u) => u.id)))}`);
    if (layer.partial.length > 0) {
      lines.push(`  - partly covered: ${mdText(listIds(layer.partial.map((u) => `${u.id} (${formatPercent(u.coveredShare)})`)))}`);
    }
    if (layer.emptyAreas.length > 0) lines.push(`  - areas with no unit: ${mdText(listIds(layer.emptyAreas))}`);
  }
  return lines;
}

function listIds(ids: string[], max = 20): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}

function header(result: ScoreResult): string {
  const o = result.options;
  return (
    `Units: ${result.units.count} from ${mdText(result.units.source)}, ${formatInteger(result.units.population)} residents (${mdText(`"${result.units.populationField}"`)}). ` +
    `Sliver tolerance ${formatPercent(o.sliverTolerance, 1)} of a unit; coterminosity τ = ${formatPercent(o.coterminosityTolerance, 1)}` +
    (o.boundaryDistance !== null ? `; boundary distance ${o.boundaryDistance} m.` : '.')
  );
}

/** The human summary for stdout: every matrix, then coverage. */
export function scoreText(result: ScoreResult): string {
  const out: string[] = [header(result), ''];
  for (const spec of matrices(result)) {
    out.push(`${spec.title}: ${spec.explain}.`, '', matrixTable(result, spec));
  }
  out.push('Coverage:', ...coverageLines(result), '');
  return out.join('\n');
}

/** score.md: the matrices, coverage, then per pair the most split areas with their pieces. */
export function scoreMarkdown(result: ScoreResult): string {
  const out: string[] = ['# Alignment score', '', header(result), '', 'Formulas and how to read each measure: docs/metrics.md.', ''];
  for (const spec of matrices(result)) {
    out.push(`## ${spec.title}`, '', `${capitalise(spec.explain)}.`, '', matrixTable(result, spec));
  }
  out.push('## Coverage', '', ...coverageLines(result), '');
  out.push('## Most split areas', '');
  out.push(
    'For each pair, the areas with most residents outside their largest piece, with the residents of each piece ' +
      '(through the units, spread evenly over each unit\'s area).',
    '',
  );
  for (const pair of result.pairs) {
    for (const forward of [true, false]) {
      const [row, col] = forward ? [pair.x, pair.y] : [pair.y, pair.x];
      // Every area is made of several units; listing areas "split by the units" tells nobody anything.
      if (col === UNITS_NAME) continue;
      const list = oriented(pair.mostSplit, forward);
      const S = oriented(pair.measures.splitPopulation, forward);
      out.push(`### ${mdText(row)} split by ${mdText(col)}`, '', `S(${mdText(row)} | ${mdText(col)}) = ${formatPercent(S)}.`, '');
      if (list.length === 0) {
        out.push(`No ${row === UNITS_NAME ? 'unit' : `${mdText(row)} area`} is split.`, '');
        continue;
      }
      out.push(
        table(
          [row === UNITS_NAME ? 'unit' : row, 'residents', 'outside largest piece', `pieces (${col}: residents)`],
          list.map((a) => [
            a.id,
            formatInteger(a.population),
            `${formatInteger(a.splitPopulation)} (${formatPercent(a.splitPopulation / a.population)})`,
            a.pieces.map((p) => `${p.id}: ${formatInteger(p.population)}`).join('; '),
          ]),
          ['l', 'r', 'r', 'l'],
        ),
      );
    }
  }
  return out.join('\n');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function round(value: number, digits = 12): number {
  return Number(value.toPrecision(digits));
}

/** score.json: everything in the report, numbers as numbers, no geometry. */
export function scoreJson(result: ScoreResult): unknown {
  const names = sideNames(result);
  const specs = matrices(result);
  return {
    units: result.units,
    options: result.options,
    layers: result.layers.map((l) => ({
      name: l.name,
      source: l.source,
      areas: l.areaCount,
      coveredPopulation: l.coveredPopulation,
      uncovered: l.uncovered,
      partiallyCovered: l.partial.map((p) => ({ id: p.id, coveredShare: round(p.coveredShare, 6) })),
      emptyAreas: l.emptyAreas,
      pieces: l.crosswalk.area.length,
      sliversDropped: l.crosswalk.sliversDropped,
      overlay: { clippedPairs: l.crosswalk.stats.clipped, containmentPairs: l.crosswalk.stats.settledByContainment },
    })),
    matrices: Object.fromEntries(
      specs.map((spec) => [
        spec.key,
        {
          title: spec.title,
          rows: names,
          columns: names,
          values: names.map((row) =>
            names.map((col) => {
              if (row === col) return null;
              const found = findPair(result, row, col);
              if (!found) return null;
              const v = spec.value(found.pair, found.forward);
              return v === null ? null : round(v);
            }),
          ),
        },
      ]),
    ),
    pairs: result.pairs.map((p) => ({
      x: p.x,
      y: p.y,
      population: round(p.measures.population),
      excludedPopulation: round(p.measures.excludedPopulation),
      splitPopulation: { xy: round(p.measures.splitPopulation.xy), yx: round(p.measures.splitPopulation.yx) },
      coterminosity: { xy: round(p.measures.coterminosity.xy), yx: round(p.measures.coterminosity.yx) },
      splitCount: p.measures.splitCount,
      populatedAreas: p.measures.populatedAreas,
      entropyBits: { x: round(p.measures.entropy.xy), y: round(p.measures.entropy.yx) },
      conditionalEntropyBits: { xGivenY: round(p.measures.conditionalEntropy.xy), yGivenX: round(p.measures.conditionalEntropy.yx) },
      variationOfInformationBits: round(p.measures.variationOfInformation),
      boundaryCoincidence: p.boundary
        ? {
            distanceM: p.boundary.xy.distance,
            xy: { share: p.boundary.xy.share === null ? null : round(p.boundary.xy.share), internalM: round(p.boundary.xy.internalM, 9), coincidentM: round(p.boundary.xy.coincidentM, 9) },
            yx: { share: p.boundary.yx.share === null ? null : round(p.boundary.yx.share), internalM: round(p.boundary.yx.internalM, 9), coincidentM: round(p.boundary.yx.coincidentM, 9) },
          }
        : null,
      unitsSplitByBoth: p.unitsSplitByBoth,
      mostSplit: {
        xy: p.mostSplit.xy.map(roundSplit),
        yx: p.mostSplit.yx.map(roundSplit),
      },
    })),
  };
}

function roundSplit(a: { id: string; population: number; splitPopulation: number; pieces: Array<{ id: string; population: number }> }) {
  return {
    id: a.id,
    population: round(a.population, 9),
    splitPopulation: round(a.splitPopulation, 9),
    pieces: a.pieces.map((p) => ({ id: p.id, population: round(p.population, 9) })),
  };
}

/**
 * fragments.geojson: every unit ∩ area piece of every layer, with the unit id, area id, layer, area
 * and population, for mapping in QGIS. Pieces dropped as slivers are included, flagged, with no
 * population, so GIS staff can see where two sources' boundaries disagree. Every geometry is a
 * MultiPolygon; the writer (geometry/rfc7946.ts) makes the rings RFC 7946-valid.
 */
export function fragmentsCollection(result: ScoreResult, units: Layer, layers: Layer[]): FeatureCollection {
  const features: Feature[] = [];
  const byName = new Map(layers.map((l) => [l.name, l]));
  for (const scored of result.layers) {
    const cw = scored.crosswalk;
    const layer = byName.get(scored.name);
    if (!layer || cw.pieceGeometry === null) continue;
    const unitPlane = planarOf(units, cw.projection);
    const areaPlane = planarOf(layer, cw.projection);
    // Every piece a MultiPolygon: one geometry type per layer, as GeoPackage and shapefile want.
    const multi = (g: Polygon | MultiPolygon): MultiPolygon => (g.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [g.coordinates] } : g);
    const wgs84 = (shape: PlanarMultiPolygon, u: number, a: number): MultiPolygon => {
      // Whole-unit and whole-area pieces share the projected arrays: write the source geometry as is.
      if (shape === unitPlane.polygons[u]) return multi(units.areas[u].geometry);
      if (shape === areaPlane.polygons[a]) return multi(layer.areas[a].geometry);
      return { type: 'MultiPolygon', coordinates: unprojectMultiPolygon(shape, cw.projection) };
    };
    const piece = (u: number, a: number, m2: number, share: number, population: number, sliver: boolean, shape: PlanarMultiPolygon): Feature => ({
      type: 'Feature',
      properties: { layer: scored.name, unit_id: cw.unitIds[u], area_id: cw.areaIds[a], area_m2: Math.round(m2 * 10) / 10, share_of_unit: share, population, sliver },
      geometry: wgs84(shape, u, a),
    });
    for (let u = 0; u < cw.unitIds.length; u++) {
      const population = units.areas[u].population ?? 0;
      for (let k = cw.start[u]; k < cw.start[u + 1]; k++) {
        features.push(piece(u, cw.area[k], cw.pieceM2[k], cw.weight[k], population * cw.weight[k], false, cw.pieceGeometry[k]));
      }
    }
    const slivers = cw.slivers;
    if (slivers.geometry === null) continue;
    for (let k = 0; k < slivers.unit.length; k++) {
      const u = slivers.unit[k];
      features.push(piece(u, slivers.area[k], slivers.m2[k], slivers.m2[k] / cw.unitM2[u], 0, true, slivers.geometry[k]));
    }
  }
  return { type: 'FeatureCollection', features };
}
