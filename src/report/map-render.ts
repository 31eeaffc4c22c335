import { geoPath, type GeoPath, type GeoProjection } from 'd3-geo';
import {
  boundaryMesh,
  fitProjection,
  labelAnchor,
  metresPerPixel,
  projectedBounds,
  rewindForD3,
  scaleBarLength,
  type AreaFeature,
  type Point,
} from './map-geometry.js';
import { BOUNDARY_COLOUR, MUTED_TEXT_COLOUR, TEXT_COLOUR } from './palette.js';
import { element, escapeXml, group, num, textWidth } from './svg.js';

/*
 * One SVG map from a MapSpec (renderMap): layout, fills, lines, highlights, labels, legend, scale bar
 * and north arrow, each drawn by its own short function. Over 400 lines because those parts share
 * the layout and projection types declared here; the geometry they use is in map-geometry.ts.
 */

/** Areas filled with colours, e.g. footprints by id or wards by how much a plan splits them. */
export interface FillLayer {
  name: string;
  features: FilledFeature[];
  /** Outline of each area; none by default (boundaries usually come from a line layer's mesh). */
  stroke?: string;
  strokeWidth?: number;
  fillOpacity?: number;
  /** How this layer's labels are drawn; see `MapLabel`. */
  labels?: Pick<MapLabel, 'size' | 'priority' | 'optional' | 'bold' | 'fit'>;
}

export interface FilledFeature {
  feature: AreaFeature;
  fill: string;
  /** Lines of text written inside the area. */
  label?: string[];
  /** Shorter texts to try when `label` does not fit (see MapLabel). */
  alternatives?: string[][];
  /** Shown on hover when the SVG is opened on its own. */
  tooltip?: string;
}

/** The boundaries of a layer drawn as strokes: each shared edge once (see `boundaryMesh`). */
export interface LineLayer {
  name: string;
  features: AreaFeature[];
  colour: string;
  /** SVG `stroke-dasharray`, e.g. "6 3"; solid when absent. */
  dash?: string;
  width?: number;
  opacity?: number;
  /** Which edges to draw: all (default), only the layer's outer edge, or only boundaries between its areas. */
  edges?: 'all' | 'outer' | 'inner';
}

/** Areas to pick out over the fills: hatched, or outlined thick. */
export interface Highlight {
  name: string;
  features: AreaFeature[];
  style: 'hatch' | 'outline';
  colour: string;
  width?: number;
}

export interface MapLabel {
  feature: AreaFeature;
  lines: string[];
  size?: number;
  bold?: boolean;
  /** Higher first; a later label that would overlap an earlier one is dropped if optional. */
  priority?: number;
  /** Drop the label when its area is too small for it or it collides with another. */
  optional?: boolean;
  /**
   * Shorter texts to try, in order, when `lines` does not fit inside the area or would overlap a
   * label already placed (e.g. name and residents, then the name, then a short code).
   */
  alternatives?: string[][];
  /** Only place the label where its box lies inside the area (else try the alternatives, then drop it). */
  fit?: boolean;
}

export type LegendEntry =
  | { kind: 'fill'; colour: string; label: string; opacity?: number }
  | { kind: 'line'; colour: string; label: string; dash?: string; width?: number }
  | { kind: 'hatch'; colour: string; label: string }
  | { kind: 'outline'; colour: string; label: string; width?: number };

export interface MapSpec {
  title: string;
  /** Words added to the subtitle when some labels had no room, e.g. "3 too small to label." */
  droppedLabelsNote?: (dropped: number) => string;
  /** One line under the title, e.g. what the colours mean. */
  subtitle?: string;
  /** Canvas width in pixels (800: reads well at GitHub's ~830 px content width). */
  width?: number;
  /** Largest canvas height; the canvas shrinks to the map when the area is wider than tall. */
  height?: number;
  /** Keep exactly `height` even when the map leaves empty bands (default false). */
  fixedHeight?: boolean;
  fills?: FillLayer[];
  lines?: LineLayer[];
  highlights?: Highlight[];
  labels?: MapLabel[];
  legend?: LegendEntry[];
  /** Draw a scale bar in km (default true). */
  scaleBar?: boolean;
  /** Small print under the legend, e.g. the data's copyright notice. */
  source?: string;
  /** Features the map is fitted to; every drawn feature by default. */
  extent?: AreaFeature[];
}

export const DEFAULT_WIDTH = 800;
export const DEFAULT_HEIGHT = 700;
const MARGIN = 16;
const TITLE_SIZE = 18;
const BODY_SIZE = 12;
const LEGEND_ROW = 20;
const SCALE_SPACE = 170;
const HALO = 'stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"';

interface Layout {
  width: number;
  height: number;
  top: number;
  bottomSpace: number;
  legendRows: Array<Array<{ entry: LegendEntry; x: number }>>;
}

/** Legend entries flowed into rows left of the scale bar, so the map can take what is left. */
function layoutLegend(entries: LegendEntry[], width: number): Layout['legendRows'] {
  const rows: Layout['legendRows'] = [];
  const right = width - MARGIN - SCALE_SPACE;
  let row: Array<{ entry: LegendEntry; x: number }> = [];
  let x = MARGIN;
  for (const entry of entries) {
    const w = 30 + textWidth(entry.label, BODY_SIZE) + 18;
    if (row.length > 0 && x + w > right) {
      rows.push(row);
      row = [];
      x = MARGIN;
    }
    row.push({ entry, x });
    x += w;
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

function layout(spec: MapSpec): Layout {
  const width = spec.width ?? DEFAULT_WIDTH;
  const height = spec.height ?? DEFAULT_HEIGHT;
  const top = spec.subtitle ? 64 : 46;
  const legendRows = layoutLegend(spec.legend ?? [], width);
  const scaleRows = spec.scaleBar === false ? 0 : 2;
  const bottomSpace = 12 + Math.max(legendRows.length, scaleRows) * LEGEND_ROW + (spec.source ? 16 : 0) + 6;
  return { width, height, top, bottomSpace, legendRows };
}

function drawnFeatures(spec: MapSpec): AreaFeature[] {
  if (spec.extent && spec.extent.length > 0) return spec.extent;
  return [
    ...(spec.fills ?? []).flatMap((l) => l.features.map((f) => f.feature)),
    ...(spec.lines ?? []).flatMap((l) => l.features),
    ...(spec.highlights ?? []).flatMap((h) => h.features),
  ];
}

/** The projection for the map area, and the canvas height once empty bands are trimmed. */
function frame(spec: MapSpec, box: Layout): { projection: GeoProjection; height: number } | null {
  const features = drawnFeatures(spec).map(rewindForD3);
  if (features.length === 0) return null;
  const mapBottom = box.height - box.bottomSpace;
  const fitted = fitProjection(features, [
    [MARGIN, box.top],
    [box.width - MARGIN, mapBottom],
  ]);
  if (spec.fixedHeight) return { projection: fitted, height: box.height };
  const [[, y0], [, y1]] = projectedBounds(fitted, features);
  const used = Math.ceil(y1 - y0);
  if (!(used > 0) || used >= mapBottom - box.top - 1) return { projection: fitted, height: box.height };
  // Width was the binding side; refitting to a box of the used height keeps the same scale.
  const height = box.top + used + box.bottomSpace;
  const projection = fitProjection(features, [
    [MARGIN, box.top],
    [box.width - MARGIN, box.top + used],
  ]);
  return { projection, height };
}

function fillGroup(path: GeoPath, layer: FillLayer): string[] {
  const children: string[] = [];
  for (const item of layer.features) {
    const d = path(rewindForD3(item.feature));
    if (!d) continue;
    const tooltip = item.tooltip ? element('title', {}, escapeXml(item.tooltip)) : undefined;
    children.push(element('path', { d, fill: item.fill }, tooltip));
  }
  return group(
    {
      class: 'fills',
      'data-layer': layer.name,
      'fill-opacity': layer.fillOpacity,
      stroke: layer.stroke ?? 'none',
      'stroke-width': layer.stroke ? (layer.strokeWidth ?? 0.5) : undefined,
      'stroke-linejoin': 'round',
    },
    children,
  );
}

function lineGroup(path: GeoPath, layer: LineLayer): string[] {
  const d = path(boundaryMesh(layer.features, layer.edges));
  if (!d) return [];
  return group(
    {
      class: 'lines',
      'data-layer': layer.name,
      fill: 'none',
      stroke: layer.colour,
      'stroke-width': layer.width ?? 1.2,
      'stroke-dasharray': layer.dash,
      'stroke-opacity': layer.opacity,
      'stroke-linejoin': 'round',
      'stroke-linecap': layer.dash ? 'butt' : 'round',
    },
    [element('path', { d })],
  );
}

const hatchId = (i: number) => `hatch-${i}`;

/** A diagonal hatch: reads as "picked out" over any fill colour, and survives greyscale printing. */
function hatchPattern(id: string, colour: string): string {
  return element(
    'pattern',
    { id, patternUnits: 'userSpaceOnUse', width: 7, height: 7, patternTransform: 'rotate(45)' },
    element('line', { x1: 0, y1: 0, x2: 0, y2: 7, stroke: colour, 'stroke-width': 2.4 }),
  );
}

function highlightGroup(path: GeoPath, highlight: Highlight, patternId: string | undefined): string[] {
  const children = highlight.features.map((f) => path(rewindForD3(f))).filter((d): d is string => !!d).map((d) => element('path', { d }));
  const hatched = highlight.style === 'hatch' && patternId !== undefined;
  return group(
    {
      class: 'highlights',
      'data-layer': highlight.name,
      fill: hatched ? `url(#${patternId})` : 'none',
      stroke: highlight.colour,
      'stroke-width': highlight.width ?? (hatched ? 1 : 3),
      'stroke-linejoin': 'round',
    },
    children,
  );
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Ray casting: whether a screen point lies inside a ring. */
function insideRing(ring: Point[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A label box lies inside an area when its corners and edge midpoints do (in the exterior, outside the holes). */
function boxInside(rings: Point[][], box: Box): boolean {
  const xm = (box.x0 + box.x1) / 2;
  const ym = (box.y0 + box.y1) / 2;
  const probes: Point[] = [[box.x0, box.y0], [box.x1, box.y0], [box.x0, box.y1], [box.x1, box.y1], [xm, box.y0], [xm, box.y1], [box.x0, ym], [box.x1, ym]];
  return probes.every(([x, y]) => insideRing(rings[0], x, y) && rings.slice(1).every((hole) => !insideRing(hole, x, y)));
}

/** Where to try a label, in label widths (x) and heights (y) from its area's pole: the pole first. */
const NUDGES: ReadonlyArray<readonly [number, number]> = [
  [0, 0],
  [0, -1.4],
  [0, 1.4],
  [-0.7, 0],
  [0.7, 0],
  [0, -2.8],
  [0, 2.8],
];

/** Counts of a map's labels, for its subtitle: how many were written and how many had no room. */
export interface LabelStats {
  placed: number;
  dropped: number;
}

/**
 * Labels at each area's pole of inaccessibility, kept inside the map. Higher priority first; a
 * label that would overlap one already placed (or, with `fit`, spill out of its area) tries its
 * shorter alternatives and is dropped when none fits, so no two labels ever overlap. Each text
 * carries its box (`data-box`) so tests can check that.
 */
function labelGroup(projection: GeoProjection, labels: MapLabel[], bounds: Box, stats: LabelStats): string[] {
  const ordered = labels.map((label, i) => ({ label, i })).sort((a, b) => (b.label.priority ?? 0) - (a.label.priority ?? 0) || a.i - b.i);
  const placed: Box[] = [];
  const out: string[] = [];
  for (const { label } of ordered) {
    const anchor = labelAnchor(projection, label.feature);
    if (!anchor || label.lines.length === 0) continue;
    const size = label.size ?? 13;
    const lineHeight = size * 1.15;
    let chosen: { lines: string[]; box: Box; cx: number; cy: number; h: number } | null = null;
    for (const lines of [label.lines, ...(label.alternatives ?? [])]) {
      if (lines.length === 0) continue;
      const w = Math.max(...lines.map((line) => textWidth(line, size)));
      const h = lines.length * lineHeight;
      if (label.optional && !label.fit && anchor.room < size * 0.6) break;
      // The pole first; when another label is there, nearby spots inside the same area (a label
      // moved off its pole must still sit wholly inside its area, or it would name a neighbour).
      for (const [dx, dy] of NUDGES) {
        const cx = Math.min(Math.max(anchor.point[0] + dx * w, bounds.x0 + w / 2), bounds.x1 - w / 2);
        const cy = Math.min(Math.max(anchor.point[1] + dy * h, bounds.y0 + h / 2), bounds.y1 - h / 2);
        const box = { x0: cx - w / 2 - 2, y0: cy - h / 2 - 1, x1: cx + w / 2 + 2, y1: cy + h / 2 + 1 };
        const free = !placed.some((p) => overlaps(p, box));
        const moved = dx !== 0 || dy !== 0;
        const fits = (!label.fit && !moved) || boxInside(anchor.rings, box);
        // Labels that must show (a few footprints) keep the old rule: placed whatever they overlap.
        if ((free && fits) || (!moved && !label.optional && !label.fit && !label.alternatives)) {
          chosen = { lines, box, cx, cy, h };
          break;
        }
      }
      if (chosen) break;
    }
    if (!chosen && label.fit && !label.optional) {
      // A label that must show and fits nowhere inside its area: its shortest text, if it overlaps nothing.
      const lines = [label.lines, ...(label.alternatives ?? [])].at(-1)!;
      const w = Math.max(...lines.map((line) => textWidth(line, size)));
      const h = lines.length * lineHeight;
      const cx = Math.min(Math.max(anchor.point[0], bounds.x0 + w / 2), bounds.x1 - w / 2);
      const cy = Math.min(Math.max(anchor.point[1], bounds.y0 + h / 2), bounds.y1 - h / 2);
      const box = { x0: cx - w / 2 - 2, y0: cy - h / 2 - 1, x1: cx + w / 2 + 2, y1: cy + h / 2 + 1 };
      if (!placed.some((p) => overlaps(p, box))) chosen = { lines, box, cx, cy, h };
    }
    if (!chosen) {
      stats.dropped++;
      continue;
    }
    stats.placed++;
    const { lines, box, cx, cy, h } = chosen;
    placed.push(box);
    const firstBaseline = cy - h / 2 + lineHeight / 2 + size * 0.35;
    const spans = lines.map((line, i) => element('tspan', { x: cx, y: firstBaseline + i * lineHeight }, escapeXml(line))).join('');
    out.push(
      `<text text-anchor="middle" font-size="${num(size)}"${label.bold === false ? '' : ' font-weight="bold"'} fill="${TEXT_COLOUR}" data-box="${[box.x0, box.y0, box.x1, box.y1].map(num).join(' ')}" ${HALO}>${spans}</text>`,
    );
  }
  return group({ class: 'labels' }, out);
}

function legendSwatch(entry: LegendEntry, x: number, y: number, hatchIds: Map<string, string>): string {
  switch (entry.kind) {
    case 'fill':
      return element('rect', { x, y: y - 10, width: 22, height: 13, fill: entry.colour, 'fill-opacity': entry.opacity, stroke: '#555555', 'stroke-width': 0.6 });
    case 'line':
      return element('line', { x1: x, y1: y - 3.5, x2: x + 22, y2: y - 3.5, stroke: entry.colour, 'stroke-width': entry.width ?? 1.6, 'stroke-dasharray': entry.dash });
    case 'hatch':
      return element('rect', { x, y: y - 10, width: 22, height: 13, fill: `url(#${hatchIds.get(entry.colour) ?? ''})`, stroke: entry.colour, 'stroke-width': 1 });
    case 'outline':
      return element('rect', { x: x + 1, y: y - 9, width: 20, height: 11, fill: 'none', stroke: entry.colour, 'stroke-width': entry.width ?? 2.5 });
  }
}

function legendGroup(box: Layout, mapBottom: number, hatchIds: Map<string, string>): string[] {
  const out: string[] = [];
  box.legendRows.forEach((row, r) => {
    const y = mapBottom + 12 + (r + 1) * LEGEND_ROW - 6;
    for (const { entry, x } of row) {
      out.push(legendSwatch(entry, x, y, hatchIds));
      out.push(element('text', { x: x + 30, y, fill: TEXT_COLOUR }, escapeXml(entry.label)));
    }
  });
  return group({ class: 'legend' }, out);
}

/** A bar of round length, half black half white as on Ordnance Survey maps, measured at the map's centre. */
function scaleBarGroup(projection: GeoProjection, centre: Point, x1: number, y: number): string[] {
  const mpp = metresPerPixel(projection, centre);
  if (!mpp) return [];
  const { km, pixels } = scaleBarLength(mpp, SCALE_SPACE - 20);
  const x0 = x1 - pixels;
  const half = pixels / 2;
  return group({ class: 'scale' }, [
    element('rect', { x: x0, y, width: half, height: 6, fill: BOUNDARY_COLOUR }),
    element('rect', { x: x0 + half, y, width: half, height: 6, fill: '#ffffff', stroke: BOUNDARY_COLOUR, 'stroke-width': 1 }),
    element('rect', { x: x0, y, width: pixels, height: 6, fill: 'none', stroke: BOUNDARY_COLOUR, 'stroke-width': 1 }),
    element('text', { x: x0, y: y + 20, 'text-anchor': 'middle', fill: TEXT_COLOUR }, '0'),
    element('text', { x: x1, y: y + 20, 'text-anchor': 'middle', fill: TEXT_COLOUR }, `${km} km`),
  ]);
}

/** A north arrow: with a transverse Mercator centred on the map, north is straight up. */
function northArrow(x: number, y: number): string[] {
  return group({ class: 'north' }, [
    element('path', { d: `M${num(x)},${num(y)}l-7,18l7,-5l7,5z`, fill: BOUNDARY_COLOUR }),
    element('text', { x, y: y + 31, 'text-anchor': 'middle', 'font-size': 11, 'font-weight': 'bold', fill: TEXT_COLOUR }, 'N'),
  ]);
}

function collectLabels(spec: MapSpec): MapLabel[] {
  const fromFills = (spec.fills ?? []).flatMap((layer) =>
    layer.features.filter((f) => f.label && f.label.length > 0).map((f): MapLabel => ({ ...layer.labels, feature: f.feature, lines: f.label!, alternatives: f.alternatives })),
  );
  return [...fromFills, ...(spec.labels ?? [])];
}

/**
 * An SVG map as text: fills, highlights, boundary lines and labels, with a title, legend, scale
 * bar and north arrow. Pure and deterministic: coordinates are rounded to a tenth of a pixel and
 * nothing depends on the clock or the locale, so the same spec always gives the same bytes (reports
 * diff cleanly). Self-contained (no fonts, images or styles from elsewhere) so it shows the same
 * on GitHub, VS Code and in a browser.
 */
export function renderMap(spec: MapSpec): string {
  const box = layout(spec);
  const framed = frame(spec, box);
  const width = box.width;
  const height = framed?.height ?? box.height;
  const mapBottom = height - box.bottomSpace;
  const hatchIds = new Map<string, string>();
  const patterns: string[] = [];
  const registerHatch = (colour: string) => {
    if (!hatchIds.has(colour)) {
      hatchIds.set(colour, hatchId(patterns.length));
      patterns.push(hatchPattern(hatchId(patterns.length), colour));
    }
    return hatchIds.get(colour)!;
  };
  for (const h of spec.highlights ?? []) if (h.style === 'hatch') registerHatch(h.colour);
  for (const e of spec.legend ?? []) if (e.kind === 'hatch') registerHatch(e.colour);

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="Helvetica, Arial, 'DejaVu Sans', sans-serif" font-size="${BODY_SIZE}">`,
    element('title', {}, escapeXml(spec.title)),
  ];
  if (spec.subtitle) out.push(element('desc', {}, escapeXml(spec.subtitle)));
  if (patterns.length > 0) out.push('<defs>', ...patterns, '</defs>');
  out.push(element('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));

  const labelStats: LabelStats = { placed: 0, dropped: 0 };
  if (framed) {
    const { projection } = framed;
    const path = geoPath(projection).digits(1);
    // Appended one by one: a spread passes every element as an argument, which overflows the stack
    // at a few hundred thousand paths (one per unit on a region-sized map).
    const append = (items: string[]) => {
      for (const item of items) out.push(item);
    };
    for (const layer of spec.fills ?? []) append(fillGroup(path, layer));
    for (const h of spec.highlights ?? []) append(highlightGroup(path, h, h.style === 'hatch' ? hatchIds.get(h.colour) : undefined));
    for (const layer of spec.lines ?? []) append(lineGroup(path, layer));
    append(labelGroup(projection, collectLabels(spec), { x0: MARGIN, y0: box.top, x1: width - MARGIN, y1: mapBottom }, labelStats));
    if (spec.scaleBar !== false) {
      out.push(...scaleBarGroup(projection, [width / 2, (box.top + mapBottom) / 2], width - MARGIN - 10, mapBottom + 18));
      out.push(...northArrow(width - MARGIN - 10, 14));
    }
  } else {
    out.push(element('text', { x: width / 2, y: (box.top + mapBottom) / 2, 'text-anchor': 'middle', fill: MUTED_TEXT_COLOUR }, 'nothing to draw'));
  }

  out.push(element('text', { x: MARGIN, y: 30, 'font-size': TITLE_SIZE, 'font-weight': 'bold', fill: TEXT_COLOUR }, escapeXml(spec.title)));
  const subtitle = spec.subtitle && spec.droppedLabelsNote && labelStats.dropped > 0 ? `${spec.subtitle} ${spec.droppedLabelsNote(labelStats.dropped)}` : spec.subtitle;
  if (subtitle) out.push(element('text', { x: MARGIN, y: 50, 'font-size': 12.5, fill: MUTED_TEXT_COLOUR }, escapeXml(subtitle)));
  out.push(...legendGroup(box, mapBottom, hatchIds));
  if (spec.source) out.push(element('text', { x: MARGIN, y: height - 8, 'font-size': 10, fill: MUTED_TEXT_COLOUR }, escapeXml(spec.source)));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
