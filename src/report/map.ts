import { sharedEdgeNeighbours, type AreaFeature } from './map-geometry.js';
import { renderMap, type FilledFeature, type LegendEntry, type LineLayer, type MapLabel } from './map-render.js';
import {
  BOUNDARY_COLOUR,
  CHANGE_COLOUR,
  NEUTRAL_FILL,
  SPLIT_CLASSES,
  SPLIT_YES,
  UNIT_STROKE,
  FOOTPRINT_COLOURS,
  adjacencyColours,
  footprintColours,
  naturalCompare,
  overlayStyle,
  splitClass,
} from './palette.js';
import { formatCount, formatShare } from './svg.js';

/**
 * The maps the Markdown reports embed (`score`, `optimise`, `compare`), built on `renderMap`.
 * Each returns SVG text; the caller writes it beside the report (`writeFileAtomic`) and links it
 * relatively, which GitHub, GitLab and VS Code all show.
 */
export { renderMap, DEFAULT_HEIGHT, DEFAULT_WIDTH } from './map-render.js';
export type { FillLayer, FilledFeature, Highlight, LegendEntry, LineLayer, MapLabel, MapSpec } from './map-render.js';
export { boundaryMesh, sharedEdgeNeighbours, labelAnchor, poleOfInaccessibility, rewindForD3, scaleBarLength, type AreaFeature } from './map-geometry.js';
export { FOOTPRINT_COLOURS, footprintColours } from './palette.js';
export { escapeXml } from './svg.js';

/** A named layer of areas, drawn as boundaries over another map. */
export interface MapLayer {
  name: string;
  features: AreaFeature[];
}

/** Canvas options every builder accepts. */
export interface MapSize {
  width?: number;
  height?: number;
  /** Small print under the legend, e.g. "Contains OS data © Crown copyright and database right". */
  source?: string;
}

const prop = (feature: AreaFeature, name: string): unknown => (feature.properties as Record<string, unknown> | null)?.[name];

/** A footprint's id: `footprint` as plans write it, else `id`, else its position. */
function footprintId(feature: AreaFeature, index: number): string {
  const id = prop(feature, 'footprint') ?? prop(feature, 'id');
  return id === undefined || id === null ? `F${index + 1}` : String(id);
}

function areaName(feature: AreaFeature): string {
  const name = prop(feature, 'name') ?? prop(feature, 'id') ?? prop(feature, 'code');
  return name === undefined || name === null ? '' : String(name);
}

const finite = (value: unknown): number | null => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
};

function footprintOutline(footprints: AreaFeature[], width = 2.2): LineLayer {
  return { name: 'footprints', features: footprints, colour: BOUNDARY_COLOUR, width };
}

/** Service layers as dashed boundary lines, one colour and dash per layer, with their legend entries. */
function overlayLines(overlays: MapLayer[], width: number): { lines: LineLayer[]; legend: LegendEntry[] } {
  const styled = overlays.map((layer, j) => ({ layer, ...overlayStyle(j) }));
  return {
    lines: styled.map(({ layer, colour, dash }) => ({ name: layer.name, features: layer.features, colour, dash, width })),
    legend: styled.map(({ layer, colour, dash }) => ({ kind: 'line', colour, dash, width, label: layer.name })),
  };
}

/** Above this many footprints a map colours by adjacency and keeps its legend short. */
export const MANY_FOOTPRINTS = FOOTPRINT_COLOURS.length;

/** The footprint number within its area: "F4" of "E08000004-F4" (nested ids), else the id. */
export function shortFootprintId(id: string): string {
  const dash = id.lastIndexOf('-');
  return dash > 0 && /^F\d+$/.test(id.slice(dash + 1)) ? id.slice(dash + 1) : id;
}

/**
 * Footprints filled so that the same id has the same colour on every map (a few footprints), or so
 * that no two neighbours share a colour (many), each labelled with its id and population
 * ("F1 · 48,120") — with many, its name and residents where they fit inside it, else its name, else
 * its number, else nothing (the report's table lists them all). Today's service boundaries are
 * dashed over them, the nesting areas' boundaries (when given) heavy, and the footprints' own
 * boundaries solid on top: a dashed line that shows is a service boundary the footprints cut across.
 */
export function footprintMap(options: { footprints: AreaFeature[]; overlays?: MapLayer[]; nesting?: MapLayer; title?: string; subtitle?: string } & MapSize): string {
  const ids = options.footprints.map(footprintId);
  const many = options.footprints.length > MANY_FOOTPRINTS;
  const colours = many ? new Map(adjacencyColours(ids, sharedEdgeNeighbours(options.footprints)).map((c, i) => [ids[i], c])) : footprintColours(ids);
  const fills: FilledFeature[] = options.footprints.map((feature, i) => {
    const population = finite(prop(feature, 'population'));
    const text = population === null ? ids[i] : `${ids[i]} · ${formatCount(population)}`;
    const tooltip = population === null ? ids[i] : `${ids[i]}: ${formatCount(population)} residents`;
    if (!many) return { feature, fill: colours.get(ids[i])!, label: [text], tooltip };
    const name = prop(feature, 'name');
    const short = shortFootprintId(ids[i]);
    const named = typeof name === 'string' && name !== '' && name !== ids[i] ? name : null;
    const label = named ? [named, population === null ? short : `${short} · ${formatCount(population)}`] : [text];
    const alternatives = named ? [[`${short} · ${named}`], [named], [short]] : [[short]];
    return { feature, fill: colours.get(ids[i])!, label, alternatives, tooltip: named ? `${named} (${tooltip})` : tooltip };
  });
  const overlays = overlayLines(options.overlays ?? [], 1.3);
  const opacity = many ? 0.7 : 0.55;
  const nestingLines: LineLayer[] = options.nesting ? [{ name: options.nesting.name, features: options.nesting.features, colour: BOUNDARY_COLOUR, width: 4.2 }] : [];
  const subtitle = many
    ? `Neighbours differ in colour; the report lists all ${ids.length} with names and residents.${options.nesting ? ` Heavy lines: ${options.nesting.name}.` : ''}${overlays.lines.length > 0 ? ' Dashed: service boundaries.' : ''}`
    : overlays.lines.length > 0
      ? 'Labels: footprint and residents. Dashed lines: service boundaries the footprints do not follow.'
      : 'Labels: footprint and residents.';
  return renderMap({
    title: options.title ?? `${options.footprints.length} footprints`,
    subtitle: options.subtitle ?? subtitle,
    droppedLabelsNote: (n) => `${n} too small to label.`,
    width: options.width,
    height: options.height,
    source: options.source,
    fills: [{ name: 'footprints', features: fills, fillOpacity: opacity, labels: many ? { size: 10, priority: 10, fit: true } : { size: 13, priority: 10 } }],
    lines: [...overlays.lines, footprintOutline(options.footprints, many ? 1.2 : 2.2), ...nestingLines],
    legend: [
      ...(many ? [] : [...colours].map(([id, colour]): LegendEntry => ({ kind: 'fill', colour, opacity, label: id }))),
      { kind: 'line', colour: BOUNDARY_COLOUR, width: many ? 1.2 : 2.2, label: 'footprint boundary' },
      ...(options.nesting ? [{ kind: 'line', colour: BOUNDARY_COLOUR, width: 4.2, label: `${options.nesting.name} boundary` } as LegendEntry] : []),
      ...overlays.legend,
    ],
  });
}

/** How much of an area a plan splits off: `split_share` or `split` (a share, or true/false). */
function splitOf(area: AreaFeature): { share: number | null; split: boolean } {
  const raw = prop(area, 'split_share') ?? prop(area, 'split');
  if (typeof raw === 'boolean') return { share: null, split: raw };
  const share = finite(raw) ?? 0;
  return { share, split: share > 0 };
}

/**
 * One service layer's areas shaded by how much the plan splits them (the share of an area's
 * residents outside the footprint that holds most of them) and hatched when split, so split areas
 * show in greyscale print too; footprint boundaries drawn over. Every area is named where its name
 * fits inside it (split ones first, with their share), e.g. the PCN names on the GP cluster map.
 */
export function splitMap(options: { areas: AreaFeature[]; footprints: AreaFeature[]; layerName?: string; title?: string; subtitle?: string } & MapSize): string {
  const splits = options.areas.map(splitOf);
  const graded = splits.some((s) => s.share !== null);
  const fills: FilledFeature[] = options.areas.map((feature, i) => {
    const { share, split } = splits[i];
    const name = areaName(feature);
    const colour = share !== null ? splitClass(share).colour : split ? SPLIT_YES.colour : SPLIT_CLASSES[0].colour;
    const what = share !== null ? `${formatShare(share)} of residents split off` : split ? 'split' : 'whole';
    return { feature, fill: colour, tooltip: name ? `${name}: ${what}` : what };
  });
  const labels: MapLabel[] = options.areas.flatMap((feature, i): MapLabel[] => {
    const name = areaName(feature);
    if (!name) return [];
    const { share, split } = splits[i];
    const lines = split && share !== null ? [name, formatShare(share)] : [name];
    return [{ feature, lines, alternatives: split && share !== null ? [[`${name} ${formatShare(share)}`], [name]] : [], size: 10, bold: split, optional: true, fit: true, priority: split ? 12 : 11 }];
  });
  const count = splits.filter((s) => s.split).length;
  const layer = options.layerName ?? 'areas';
  const legend: LegendEntry[] = graded
    ? SPLIT_CLASSES.map((c) => ({ kind: 'fill', colour: c.colour, label: c.label }))
    : [
        { kind: 'fill', colour: SPLIT_CLASSES[0].colour, label: 'whole' },
        { kind: 'fill', colour: SPLIT_YES.colour, label: SPLIT_YES.label },
      ];
  const splitAreas = options.areas.filter((_, i) => splits[i].split);
  const many = options.footprints.length > MANY_FOOTPRINTS;
  return renderMap({
    title: options.title ?? `${layer}: areas split by the footprints`,
    subtitle: options.subtitle ?? `${count} of ${options.areas.length} areas split (hatched)${graded ? '; shade: share of residents outside the footprint holding most of the area' : ''}.`,
    droppedLabelsNote: (n) => `${n} names had no room.`,
    width: options.width,
    height: options.height,
    source: options.source,
    fills: [{ name: layer, features: fills, stroke: '#8c8c8c', strokeWidth: 0.7 }],
    highlights: splitAreas.length > 0 ? [{ name: 'split areas', features: splitAreas, style: 'hatch', colour: '#555555', width: 0.6 }] : [],
    lines: [footprintOutline(options.footprints, many ? 1.6 : 2.4)],
    labels: [
      // This map is about the service areas: their names are placed first, and footprint ids where
      // room is left (with many footprints their names are on footprints.svg instead).
      ...(many ? [] : options.footprints.map((feature, i): MapLabel => ({ feature, lines: [footprintId(feature, i)], size: 15, priority: 10, optional: true }))),
      ...labels,
    ],
    legend: [...legend, { kind: 'hatch', colour: '#555555', label: 'split' }, { kind: 'line', colour: BOUNDARY_COLOUR, width: many ? 1.6 : 2.4, label: 'footprint boundary' }],
  });
}

/** Whether a unit changes footprint, and where it goes: from `from`/`to`, or a bare `changed` flag. */
function changeOf(unit: AreaFeature): { changed: boolean; from: string | null; to: string | null } {
  const from = prop(unit, 'from');
  const to = prop(unit, 'to');
  if (from !== undefined && from !== null && to !== undefined && to !== null) return { changed: String(from) !== String(to), from: String(from), to: String(to) };
  return { changed: prop(unit, 'changed') === true, from: null, to: null };
}

/**
 * The units that change footprint between two plans. With `from`/`to` ids every unit is tinted by
 * the footprint it ends up in and the movers are strong and hatched ("→ F2" where there is room);
 * with only a `changed` flag the movers are picked out in one colour. The reference plan's
 * footprints are outlined so a reader sees which boundary moved.
 */
export function differenceMap(options: { units: AreaFeature[]; footprints: AreaFeature[]; title?: string; subtitle?: string } & MapSize): string {
  const changes = options.units.map(changeOf);
  const moved = options.units.filter((_, i) => changes[i].changed);
  const withTargets = changes.some((c) => c.to !== null);
  const footprintIds = options.footprints.map(footprintId);
  const targets = [...new Set(changes.flatMap((c) => (c.to === null ? [] : [c.to])))];
  const many = targets.length > MANY_FOOTPRINTS;
  const colours = many ? targetColours(options.units, changes.map((c) => c.to), targets) : footprintColours([...footprintIds, ...targets]);
  const colourOf = (i: number) => {
    const c = changes[i];
    if (c.to !== null) return colours.get(c.to)!;
    return c.changed ? CHANGE_COLOUR : NEUTRAL_FILL;
  };
  const stayed: FilledFeature[] = [];
  const movers: FilledFeature[] = [];
  options.units.forEach((feature, i) => {
    const c = changes[i];
    const name = areaName(feature);
    const tooltip = c.changed ? `${name}: ${c.from ?? '?'} → ${c.to ?? '?'}` : name;
    (c.changed ? movers : stayed).push({ feature, fill: colourOf(i), tooltip, label: c.changed && c.to !== null && !many ? [`→ ${c.to}`] : undefined });
  });
  const usedTargets = [...colours].filter(([id]) => changes.some((c) => c.to === id));
  const legend: LegendEntry[] = withTargets
    ? many
      ? [{ kind: 'hatch', colour: BOUNDARY_COLOUR, label: `changes footprint (${moved.length}); tint: the footprint it ends in` }]
      : [
        ...usedTargets.sort(([a], [b]) => naturalCompare(a, b)).map(([id, colour]): LegendEntry => ({ kind: 'fill', colour, label: `in ${id}` })),
        { kind: 'hatch', colour: BOUNDARY_COLOUR, label: `changes footprint (${moved.length})` },
        ]
    : [
        { kind: 'fill', colour: CHANGE_COLOUR, label: `changes footprint (${moved.length})` },
        { kind: 'fill', colour: NEUTRAL_FILL, label: 'stays' },
      ];
  return renderMap({
    title: options.title ?? 'Units that change footprint',
    subtitle: options.subtitle ?? `${moved.length} of ${options.units.length} units change footprint; outlines: the reference plan's footprints.`,
    width: options.width,
    height: options.height,
    source: options.source,
    fills: [
      { name: 'units', features: stayed, fillOpacity: withTargets ? 0.28 : 1, stroke: UNIT_STROKE, strokeWidth: 0.4 },
      { name: 'changed units', features: movers, fillOpacity: withTargets ? 0.9 : 1, stroke: '#ffffff', strokeWidth: 0.5, labels: { size: 9.5, optional: true, priority: 1 } },
    ],
    highlights: withTargets && moved.length > 0 ? [{ name: 'changed units', features: moved, style: 'hatch', colour: BOUNDARY_COLOUR, width: 0.8 }] : [],
    lines: [footprintOutline(options.footprints, 2.4)],
    labels: options.footprints.map((feature, i) => ({ feature, lines: [footprintIds[i]], size: many ? 10 : 15, priority: 10, ...(many ? { fit: true, alternatives: [[shortFootprintId(footprintIds[i])]] } : {}) })),
    legend: [...legend, { kind: 'line', colour: BOUNDARY_COLOUR, width: 2.4, label: 'reference footprints' }],
    extent: [...options.units, ...options.footprints],
  });
}

/** The units in light grey with every service layer's boundaries over them: how the maps overlap today. */
export function layersMap(options: { units: AreaFeature[]; overlays: MapLayer[]; title?: string; subtitle?: string } & MapSize): string {
  const overlays = overlayLines(options.overlays, 1.5);
  return renderMap({
    title: options.title ?? 'Service layers over the units',
    subtitle: options.subtitle ?? `${options.units.length} units; each service layer's boundaries in its own line style.`,
    width: options.width,
    height: options.height,
    source: options.source,
    fills: [{ name: 'units', features: options.units.map((feature) => ({ feature, fill: '#f4f4f4', tooltip: areaName(feature) })), stroke: UNIT_STROKE, strokeWidth: 0.5 }],
    // The area's outer edge solid on top: every layer follows it, and four dash patterns along it read as noise.
    lines: [...overlays.lines, { name: 'outline', features: options.units, colour: BOUNDARY_COLOUR, width: 1.6, edges: 'outer' }],
    legend: [{ kind: 'fill', colour: '#f4f4f4', label: 'units' }, ...overlays.legend],
  });
}

/** With many footprints, the colour of each target footprint from the adjacency of the units' targets, so neighbours differ. */
function targetColours(units: AreaFeature[], to: Array<string | null>, targets: string[]): Map<string, string> {
  const index = new Map(targets.map((t, i) => [t, i]));
  const unitNeighbours = sharedEdgeNeighbours(units);
  const neighbours: Array<Set<number>> = targets.map(() => new Set());
  unitNeighbours.forEach((list, u) => {
    const a = to[u] === null ? undefined : index.get(to[u]!);
    if (a === undefined) return;
    for (const v of list) {
      const b = to[v] === null ? undefined : index.get(to[v]!);
      if (b !== undefined && b !== a) neighbours[a].add(b);
    }
  });
  const colours = adjacencyColours(targets, neighbours.map((s) => [...s]));
  return new Map(targets.map((t, i) => [t, colours[i]]));
}
