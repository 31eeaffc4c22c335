import type { Crosswalk } from '../../src/align/types.js';
import type { Area, Layer } from '../../src/layers/types.js';

/** Small synthetic units and crosswalks for the evidence and service-model tests. */

export function squareUnit(i: number, properties: Record<string, unknown>, population: number): Area {
  const x = i * 0.01;
  return {
    id: `U${i}`,
    population,
    properties: { population, ...properties },
    index: i,
    geometry: { type: 'Polygon', coordinates: [[[x, 53], [x + 0.01, 53], [x + 0.01, 53.01], [x, 53.01], [x, 53]]] },
  };
}

export function unitLayer(areas: Area[]): Layer {
  return { name: 'units', source: 'units.geojson', idField: 'id', populationField: 'population', sourceCrs: 'EPSG:4326', crsReason: 'test', areas, notes: [] };
}

/** A crosswalk where unit u lies in area home[u], with `share` of it in area home[u]+1 as well. */
export function crosswalkOf(units: number, areas: number, home: number[], share: number[]): Crosswalk {
  const start = new Int32Array(units + 1);
  const area: number[] = [];
  const weight: number[] = [];
  for (let u = 0; u < units; u++) {
    area.push(home[u]);
    if (share[u] > 0 && home[u] + 1 < areas) {
      weight.push(1 - share[u]);
      area.push(home[u] + 1);
      weight.push(share[u]);
    } else weight.push(1);
    start[u + 1] = area.length;
  }
  return {
    layer: 'districts',
    unitIds: Array.from({ length: units }, (_, u) => `U${u}`),
    areaIds: Array.from({ length: areas }, (_, a) => `D${a}`),
    start,
    area: Int32Array.from(area),
    weight: Float64Array.from(weight),
    pieceM2: new Float64Array(area.length),
    unitM2: new Float64Array(units),
    coveredShare: new Float64Array(units).fill(1),
    uncovered: [],
    sliversDropped: 0,
    sliverTolerance: 0.01,
  };
}

export function districtLayer(areas: number): Layer {
  return { ...unitLayer([]), name: 'districts', areas: Array.from({ length: areas }, (_, a) => ({ ...squareUnit(a, {}, 0), id: `D${a}`, name: `District ${a}` })) };
}
