import { geoContains, geoDistance, geoMercator, geoPath, type GeoProjection } from 'd3-geo';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

/**
 * SVG maps for the Markdown reports, drawn with d3-geo in Node (no browser). Maps are plain SVG
 * files beside the report, referenced relatively, so GitHub, GitLab and VS Code all show them.
 *
 * Winding: RFC 7946 GeoJSON has counter-clockwise exterior rings, but d3-geo works on the sphere
 * and reads a counter-clockwise ring as "everything except this polygon". Every ring is reversed
 * before it reaches d3, or a footprint would fill the whole canvas.
 */
export type AreaFeature = Feature<Polygon | MultiPolygon>;

export interface MapLayer {
  name: string;
  features: AreaFeature[];
}

const WIDTH = 800;
const HEIGHT = 640;
const MARGIN = 16;
const TITLE_SPACE = 40;
const LEGEND_SPACE = 86;

/** Okabe–Ito: a qualitative palette that colour-blind readers can tell apart. */
export const FOOTPRINT_COLOURS = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#999999'];
const OVERLAY_COLOURS = ['#222222', '#7a0177', '#08519c', '#006d2c', '#a63603'];
const SPLIT_CLASSES: Array<{ from: number; colour: string; label: string }> = [
  { from: 0, colour: '#f7f7f7', label: 'whole' },
  { from: 1e-9, colour: '#fdd49e', label: 'under 10% split off' },
  { from: 0.1, colour: '#fc8d59', label: '10–25% split off' },
  { from: 0.25, colour: '#d7301f', label: '25% or more split off' },
];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The same feature with every ring reversed: RFC 7946 (counter-clockwise) to d3-geo (clockwise). */
export function rewindForD3<F extends AreaFeature>(feature: F): F {
  const reverse = (rings: Position[][]) => rings.map((ring) => [...ring].reverse());
  const geometry: Polygon | MultiPolygon =
    feature.geometry.type === 'Polygon'
      ? { type: 'Polygon', coordinates: reverse(feature.geometry.coordinates) }
      : { type: 'MultiPolygon', coordinates: feature.geometry.coordinates.map(reverse) };
  return { ...feature, geometry };
}

interface Frame {
  width: number;
  height: number;
  projection: GeoProjection;
  path: ReturnType<typeof geoPath>;
}

function frame(features: AreaFeature[], width = WIDTH, height = HEIGHT): Frame {
  const collection: FeatureCollection = { type: 'FeatureCollection', features: features.map(rewindForD3) };
  const projection = geoMercator().fitExtent(
    [
      [MARGIN, TITLE_SPACE],
      [width - MARGIN, height - LEGEND_SPACE],
    ],
    collection,
  );
  return { width, height, projection, path: geoPath(projection).digits(1) };
}

function pathOf(f: Frame, feature: AreaFeature): string {
  return f.path(rewindForD3(feature)) ?? '';
}

/** A label point inside the feature: the centroid of its largest part, else a vertex. */
function labelPoint(f: Frame, feature: AreaFeature): [number, number] {
  const parts = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  let best: Position[][] = parts[0];
  let bestArea = -1;
  for (const part of parts) {
    const area = f.path.area({ type: 'Polygon', coordinates: part.map((r) => [...r].reverse()) });
    if (area > bestArea) {
      bestArea = area;
      best = part;
    }
  }
  const largest: AreaFeature = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: best } };
  const [x, y] = f.path.centroid(rewindForD3(largest));
  const inverted = f.projection.invert?.([x, y]);
  if (Number.isFinite(x) && Number.isFinite(y) && inverted && geoContains(rewindForD3(largest), inverted)) return [round(x), round(y)];
  const fallback = f.projection(best[0][0] as [number, number]) ?? [x, y];
  return [round(fallback[0]), round(fallback[1])];
}

const round = (x: number) => Math.round(x * 10) / 10;

function header(f: Frame, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${f.width}" height="${f.height}" fill="#ffffff"/>`,
    `<text x="${MARGIN}" y="26" font-size="17" font-weight="bold" fill="#222">${escapeXml(title)}</text>`,
  ];
}

/** A scale bar of a round length (0.5, 1, 2, 5, 10… km) measured at the map's centre. */
function scaleBar(f: Frame, x: number, y: number): string[] {
  const cx = f.width / 2;
  const cy = (TITLE_SPACE + f.height - LEGEND_SPACE) / 2;
  const a = f.projection.invert?.([cx - 50, cy]);
  const b = f.projection.invert?.([cx + 50, cy]);
  if (!a || !b) return [];
  const metresPerPixel = (geoDistance(a, b) * 6_371_008.8) / 100;
  const choices = [0.5, 1, 2, 5, 10, 20, 50, 100, 200];
  let km = choices[0];
  for (const c of choices) if ((c * 1000) / metresPerPixel <= 160) km = c;
  const pixels = round((km * 1000) / metresPerPixel);
  return [
    `<g class="scale">`,
    `<rect x="${x}" y="${y}" width="${pixels / 2}" height="5" fill="#222"/>`,
    `<rect x="${round(x + pixels / 2)}" y="${y}" width="${pixels / 2}" height="5" fill="#fff" stroke="#222" stroke-width="1"/>`,
    `<text x="${x}" y="${y + 18}" fill="#222">0</text>`,
    `<text x="${round(x + pixels)}" y="${y + 18}" text-anchor="end" fill="#222">${km} km</text>`,
    `</g>`,
  ];
}

function legend(f: Frame, entries: Array<{ kind: 'fill' | 'line'; colour: string; label: string; dash?: string }>): string[] {
  const out = ['<g class="legend">'];
  const top = f.height - LEGEND_SPACE + 14;
  let x = MARGIN;
  let row = 0;
  for (const entry of entries) {
    const width = 40 + entry.label.length * 6.6;
    if (x + width > f.width - 190) {
      x = MARGIN;
      row++;
    }
    const y = top + row * 20;
    out.push(
      entry.kind === 'fill'
        ? `<rect x="${x}" y="${y - 10}" width="14" height="12" fill="${entry.colour}" stroke="#555" stroke-width="0.5"/>`
        : `<line x1="${x}" y1="${y - 4}" x2="${x + 16}" y2="${y - 4}" stroke="${entry.colour}" stroke-width="1.6"${entry.dash ? ` stroke-dasharray="${entry.dash}"` : ''}/>`,
    );
    out.push(`<text x="${x + 20}" y="${y}" fill="#222">${escapeXml(entry.label)}</text>`);
    x += width;
  }
  out.push('</g>');
  return [...out, ...scaleBar(f, f.width - 180, top - 6)];
}

function label(x: number, y: number, lines: string[], size = 13): string {
  const spans = lines.map((line, i) => `<tspan x="${x}" dy="${i === 0 ? 0 : size + 1}">${escapeXml(line)}</tspan>`).join('');
  return `<text x="${x}" y="${y}" text-anchor="middle" font-size="${size}" font-weight="bold" fill="#111" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${spans}</text>`;
}

const DASHES = ['5 3', '2 2', '8 3 2 3', '1 3', '10 4'];

/** Each service layer's boundaries as one group of dashed strokes, a colour and dash per layer. */
function overlayGroups(f: Frame, overlays: MapLayer[], width: number): string[] {
  const out: string[] = [];
  overlays.forEach((layer, j) => {
    out.push(`<g class="overlay" fill="none" stroke="${OVERLAY_COLOURS[j % OVERLAY_COLOURS.length]}" stroke-width="${width}" stroke-dasharray="${DASHES[j % DASHES.length]}" stroke-opacity="0.85">`);
    for (const feature of layer.features) out.push(`<path d="${pathOf(f, feature)}"/>`);
    out.push('</g>');
  });
  return out;
}

/** Footprints filled by id with labels and populations, service-layer boundaries drawn over them. */
export function footprintMap(options: { title: string; footprints: AreaFeature[]; overlays: MapLayer[]; width?: number; height?: number }): string {
  const f = frame(options.footprints, options.width, options.height);
  const out = header(f, options.title);
  out.push('<g class="footprints">');
  options.footprints.forEach((feature, i) => {
    const id = String(feature.properties?.footprint ?? feature.properties?.id ?? `F${i + 1}`);
    out.push(`<path d="${pathOf(f, feature)}" fill="${FOOTPRINT_COLOURS[i % FOOTPRINT_COLOURS.length]}" fill-opacity="0.6" stroke="#333" stroke-width="1.4"><title>${escapeXml(id)}</title></path>`);
  });
  out.push('</g>');
  out.push(...overlayGroups(f, options.overlays, 0.9));
  out.push('<g class="labels">');
  options.footprints.forEach((feature, i) => {
    const id = String(feature.properties?.footprint ?? feature.properties?.id ?? `F${i + 1}`);
    const population = Number(feature.properties?.population);
    const [x, y] = labelPoint(f, feature);
    out.push(label(x, y, Number.isFinite(population) ? [id, Math.round(population).toLocaleString('en-GB')] : [id]));
  });
  out.push('</g>');
  out.push(
    ...legend(f, [
      ...options.footprints.map((feature, i) => ({ kind: 'fill' as const, colour: FOOTPRINT_COLOURS[i % FOOTPRINT_COLOURS.length], label: String(feature.properties?.footprint ?? `F${i + 1}`) })),
      ...options.overlays.map((layer, j) => ({ kind: 'line' as const, colour: OVERLAY_COLOURS[j % OVERLAY_COLOURS.length], label: layer.name, dash: DASHES[j % DASHES.length] })),
    ]),
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** One service layer, its areas shaded by the share of residents the plan splits off, footprints outlined. */
export function splitMap(options: { title: string; areas: AreaFeature[]; footprints: AreaFeature[]; width?: number; height?: number }): string {
  const f = frame([...options.footprints, ...options.areas], options.width, options.height);
  const out = header(f, options.title);
  out.push('<g class="areas" stroke="#555" stroke-width="0.8">');
  for (const area of options.areas) {
    const share = Number(area.properties?.split_share ?? 0);
    const colour = [...SPLIT_CLASSES].reverse().find((c) => share >= c.from)?.colour ?? SPLIT_CLASSES[0].colour;
    const id = String(area.properties?.id ?? '');
    out.push(`<path d="${pathOf(f, area)}" fill="${colour}"><title>${escapeXml(`${id}: ${(share * 100).toFixed(1)}% of residents outside the largest piece`)}</title></path>`);
  }
  out.push('</g>');
  out.push('<g class="footprints" fill="none" stroke="#111" stroke-width="2.4">');
  for (const footprint of options.footprints) out.push(`<path d="${pathOf(f, footprint)}"/>`);
  out.push('</g>');
  out.push('<g class="labels">');
  options.footprints.forEach((feature, i) => {
    const [x, y] = labelPoint(f, feature);
    out.push(label(x, y, [String(feature.properties?.footprint ?? `F${i + 1}`)], 12));
  });
  out.push('</g>');
  out.push(...legend(f, [...SPLIT_CLASSES.map((c) => ({ kind: 'fill' as const, colour: c.colour, label: c.label })), { kind: 'line', colour: '#111', label: 'footprint boundary' }]));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Units that change footprint between two plans (property `changed`), the reference footprints outlined. */
export function differenceMap(options: { title: string; units: AreaFeature[]; footprints: AreaFeature[]; width?: number; height?: number }): string {
  const f = frame(options.units, options.width, options.height);
  const out = header(f, options.title);
  out.push('<g class="units" stroke="#bbb" stroke-width="0.4">');
  for (const unit of options.units) {
    const changed = unit.properties?.changed === true;
    out.push(`<path d="${pathOf(f, unit)}" fill="${changed ? '#D55E00' : '#eeeeee'}"${changed ? `><title>${escapeXml(String(unit.properties?.id ?? ''))}</title></path>` : '/>'}`);
  }
  out.push('</g>');
  out.push('<g class="footprints" fill="none" stroke="#111" stroke-width="2">');
  for (const footprint of options.footprints) out.push(`<path d="${pathOf(f, footprint)}"/>`);
  out.push('</g>');
  out.push(...legend(f, [{ kind: 'fill', colour: '#D55E00', label: 'unit changes footprint' }, { kind: 'fill', colour: '#eeeeee', label: 'unchanged' }, { kind: 'line', colour: '#111', label: 'reference footprints' }]));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** The units in light grey with every service layer's boundaries over them: how the maps overlap today. */
export function layersMap(options: { title: string; units: AreaFeature[]; overlays: MapLayer[]; width?: number; height?: number }): string {
  const f = frame(options.units, options.width, options.height);
  const out = header(f, options.title);
  out.push('<g class="units" fill="#f2f2f2" stroke="#c8c8c8" stroke-width="0.4">');
  for (const unit of options.units) out.push(`<path d="${pathOf(f, unit)}"/>`);
  out.push('</g>');
  out.push(...overlayGroups(f, options.overlays, 1.3));
  out.push(
    ...legend(f, [
      { kind: 'fill', colour: '#f2f2f2', label: 'units' },
      ...options.overlays.map((layer, j) => ({ kind: 'line' as const, colour: OVERLAY_COLOURS[j % OVERLAY_COLOURS.length], label: layer.name, dash: DASHES[j % DASHES.length] })),
    ]),
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
