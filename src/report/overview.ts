import { dissolve } from '../geometry/dissolve.js';
import type { NestedAreaResult } from '../pipeline/types.js';
import type { AreaFeature } from './map-geometry.js';
import { renderMap, type FilledFeature, type LegendEntry } from './map-render.js';
import { BOUNDARY_COLOUR } from './palette.js';
import { formatCount } from './svg.js';

/**
 * The overview of a nested plan with many footprints (a region or a nation): one fill per area of
 * the nesting layer, coloured by how far its plan is proven (optimal; a bound with its gap; no
 * bound), labelled with the area's name, k and status or gap where that fits inside it, else its
 * name, else its code. The footprints are thin lines inside the heavy area boundaries. Footprint
 * numbers (F1, F2…) mean nothing across areas, so they are only on each area's own map
 * (areas/<code>.svg) and in the report's table per area.
 */
export const AREA_STATUS = {
  optimal: { colour: '#009E73', label: 'proven optimal' },
  bounded: { colour: '#F0E442', label: 'best found, with a proven bound above 0 (gap shown)' },
  open: { colour: '#56B4E9', label: 'best found, no bound above 0' },
} as const;

function statusOf(area: NestedAreaResult): keyof typeof AREA_STATUS {
  // A bound of 0 proves nothing: no plan scores below 0.
  return area.status === 'optimal' ? 'optimal' : area.bound !== null && area.bound > 0 ? 'bounded' : 'open';
}

/** "k 3 · optimal", "k 3 · gap 4.2%", "k 3". */
export function areaStatusText(area: NestedAreaResult): string {
  const s = statusOf(area);
  return `k ${area.k}${s === 'optimal' ? ' · optimal' : s === 'bounded' ? ` · gap ${(area.gap ?? 0).toFixed(1)}%` : ''}`;
}

export function areaOverviewMap(options: { areas: NestedAreaResult[]; footprints: AreaFeature[]; layer: string; title: string }): string {
  const planned = options.areas.filter((a) => a.failure === null && a.footprints.length > 0);
  const fills: FilledFeature[] = planned.map((area) => {
    const feature: AreaFeature = {
      type: 'Feature',
      properties: { id: area.code, name: area.name },
      geometry: dissolve(area.footprints.map((f) => options.footprints[f].geometry)),
    };
    const status = areaStatusText(area);
    const name = area.name !== area.code ? area.name : area.code;
    return {
      feature,
      fill: AREA_STATUS[statusOf(area)].colour,
      label: [name, status],
      alternatives: [[`${name} · ${status}`], [name], [area.code]],
      tooltip: `${area.code} ${area.name}: ${status}, ${formatCount(area.population)} residents`,
    };
  });
  const failed = options.areas.length - planned.length;
  const used = new Set(planned.map(statusOf));
  return renderMap({
    title: options.title,
    subtitle: `Areas of ${options.layer}: k and proof. Thin lines: footprints.${failed > 0 ? ` Blank: ${failed} without a plan (see the report).` : ''}`,
    droppedLabelsNote: (n) => `${n} area(s) too small to label.`,
    fills: [{ name: options.layer, features: fills, fillOpacity: 0.55, labels: { size: 10, priority: 10, fit: true } }],
    lines: [
      { name: 'footprints', features: options.footprints, colour: BOUNDARY_COLOUR, width: 0.5 },
      { name: options.layer, features: fills.map((f) => f.feature), colour: BOUNDARY_COLOUR, width: 1.6 },
    ],
    legend: [
      ...(Object.keys(AREA_STATUS) as Array<keyof typeof AREA_STATUS>).filter((s) => used.has(s)).map((s): LegendEntry => ({ kind: 'fill', colour: AREA_STATUS[s].colour, opacity: 0.55, label: AREA_STATUS[s].label })),
      { kind: 'line', colour: BOUNDARY_COLOUR, width: 1.6, label: `${options.layer} boundary` },
      { kind: 'line', colour: BOUNDARY_COLOUR, width: 0.5, label: 'footprint boundary' },
    ],
  });
}
