import { BOUNDARY_COLOUR, FOOTPRINT_COLOURS, MUTED_TEXT_COLOUR, TEXT_COLOUR } from './palette.js';
import { element, escapeXml, num } from './svg.js';

/**
 * The frontier between two terms as a scatter chart (frontier.svg): A across, B up, each point
 * labelled with its plan number, proven points filled and others hollow, the frontier's staircase
 * (the region no plan reaches lies below and left of it) drawn between them, and the run's other
 * plans (alternatives) as grey diamonds. `current` rings one plan (the workshop's plan).
 */
export interface FrontierChartPoint {
  id: number;
  a: number;
  b: number;
  /** On the frontier (else an alternative shown for reference). */
  frontier: boolean;
  proven: boolean;
}

export function frontierChart(options: {
  title: string;
  aName: string;
  bName: string;
  points: FrontierChartPoint[];
  current?: number;
  /** A plan that is not one of the points (the workshop's edited plan): a ring with a cross at its values. */
  marker?: { a: number; b: number };
  width?: number;
  height?: number;
  note?: string;
  /** Draw the staircase through the frontier points (default true; false for three terms, where a point may look beaten in two). */
  staircase?: boolean;
  /** Leave out the two lines of legend under the title (the workshop says it beside the chart). */
  compact?: boolean;
}): string {
  const width = options.width ?? 640;
  const height = options.height ?? 460;
  const margin = { left: 76, right: 24, top: options.compact ? 40 : 70, bottom: 64 };
  const pts = options.points;
  const as = [...pts.map((p) => p.a), ...(options.marker ? [options.marker.a] : [])];
  const bs = [...pts.map((p) => p.b), ...(options.marker ? [options.marker.b] : [])];
  const range = (values: number[]) => {
    const lo = Math.min(...values, Infinity);
    const hi = Math.max(...values, -Infinity);
    if (!Number.isFinite(lo)) return [0, 1];
    const pad = hi > lo ? (hi - lo) * 0.08 : Math.max(0.01, hi * 0.1);
    return [Math.max(0, lo - pad), hi + pad];
  };
  const [a0, a1] = range(as);
  const [b0, b1] = range(bs);
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const x = (a: number) => margin.left + ((a - a0) / (a1 - a0)) * plotW;
  const y = (b: number) => margin.top + plotH - ((b - b0) / (b1 - b0)) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`);
  out.push(element('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));
  out.push(element('text', { x: margin.left, y: 24, 'font-size': 16, 'font-weight': 'bold', fill: TEXT_COLOUR }, escapeXml(options.title)));
  if (!options.compact) {
    out.push(element('text', { x: margin.left, y: 42, 'font-size': 11.5, fill: MUTED_TEXT_COLOUR }, escapeXml('Filled: proven optimal for its limit · hollow: not proven · grey diamonds: alternatives.')));
    out.push(element('text', { x: margin.left, y: 57, 'font-size': 11.5, fill: MUTED_TEXT_COLOUR }, escapeXml(options.note ?? 'Lower is better on both axes; no plan reaches below and left of the dashed line.')));
  }
  // Axes with five ticks each, as percentages of residents split off.
  out.push(element('rect', { x: margin.left, y: margin.top, width: plotW, height: plotH, fill: 'none', stroke: '#bbbbbb', 'stroke-width': 1 }));
  for (let t = 0; t <= 4; t++) {
    const av = a0 + ((a1 - a0) * t) / 4;
    const bv = b0 + ((b1 - b0) * t) / 4;
    out.push(element('line', { x1: x(av), y1: margin.top, x2: x(av), y2: margin.top + plotH, stroke: '#eeeeee', 'stroke-width': 1 }));
    out.push(element('line', { x1: margin.left, y1: y(bv), x2: margin.left + plotW, y2: y(bv), stroke: '#eeeeee', 'stroke-width': 1 }));
    out.push(element('text', { x: x(av), y: margin.top + plotH + 16, 'font-size': 11, 'text-anchor': 'middle', fill: MUTED_TEXT_COLOUR }, escapeXml(percent(av))));
    out.push(element('text', { x: margin.left - 6, y: y(bv) + 4, 'font-size': 11, 'text-anchor': 'end', fill: MUTED_TEXT_COLOUR }, escapeXml(percent(bv))));
  }
  out.push(element('text', { x: margin.left + plotW / 2, y: height - 18, 'font-size': 12.5, 'text-anchor': 'middle', fill: TEXT_COLOUR }, escapeXml(axisLabel(options.aName))));
  out.push(element('text', { x: 18, y: margin.top + plotH / 2, 'font-size': 12.5, 'text-anchor': 'middle', fill: TEXT_COLOUR, transform: `rotate(-90 18 ${num(margin.top + plotH / 2)})` }, escapeXml(axisLabel(options.bName))));
  // The staircase through the frontier points, in order of rising A.
  const frontier = pts.filter((p) => p.frontier).sort((p, q) => p.a - q.a);
  if (frontier.length > 1 && options.staircase !== false) {
    const d = frontier.map((p, i) => (i === 0 ? `M${num(x(p.a))} ${num(y(p.b))}` : `H${num(x(p.a))} V${num(y(p.b))}`)).join(' ');
    out.push(element('path', { d, fill: 'none', stroke: FOOTPRINT_COLOURS[4], 'stroke-width': 1.5, 'stroke-dasharray': '4 3' }));
  }
  for (const p of pts.filter((q) => !q.frontier)) {
    const cx = x(p.a);
    const cy = y(p.b);
    out.push(element('path', { d: `M${num(cx)} ${num(cy - 6)} L${num(cx + 6)} ${num(cy)} L${num(cx)} ${num(cy + 6)} L${num(cx - 6)} ${num(cy)} Z`, fill: '#9a9a9a', stroke: '#ffffff', 'stroke-width': 1 }, `<title>${escapeXml(tooltip(p, options))}</title>`));
    out.push(element('text', { x: cx + 8, y: cy + 12, 'font-size': 11, fill: MUTED_TEXT_COLOUR }, String(p.id)));
  }
  for (const p of frontier) {
    const cx = x(p.a);
    const cy = y(p.b);
    if (options.current === p.id) out.push(element('circle', { cx, cy, r: 11, fill: 'none', stroke: FOOTPRINT_COLOURS[5], 'stroke-width': 2.5 }));
    out.push(element('circle', { cx, cy, r: 6, fill: p.proven ? FOOTPRINT_COLOURS[4] : '#ffffff', stroke: FOOTPRINT_COLOURS[4], 'stroke-width': 2 }, `<title>${escapeXml(tooltip(p, options))}</title>`));
    out.push(element('text', { x: cx + 8, y: cy - 7, 'font-size': 12, 'font-weight': 'bold', fill: BOUNDARY_COLOUR }, String(p.id)));
  }
  if (options.current !== undefined && !frontier.some((p) => p.id === options.current)) {
    const p = pts.find((q) => q.id === options.current);
    if (p) out.push(element('circle', { cx: x(p.a), cy: y(p.b), r: 11, fill: 'none', stroke: FOOTPRINT_COLOURS[5], 'stroke-width': 2.5 }));
  }
  if (options.marker) {
    const cx = x(options.marker.a);
    const cy = y(options.marker.b);
    out.push(element('circle', { cx, cy, r: 11, fill: 'none', stroke: FOOTPRINT_COLOURS[5], 'stroke-width': 2.5 }, `<title>${escapeXml(`this plan: ${options.aName} ${(options.marker.a * 100).toFixed(2)}%, ${options.bName} ${(options.marker.b * 100).toFixed(2)}%`)}</title>`));
    out.push(element('path', { d: `M${num(cx - 5)} ${num(cy)} H${num(cx + 5)} M${num(cx)} ${num(cy - 5)} V${num(cy + 5)}`, stroke: FOOTPRINT_COLOURS[5], 'stroke-width': 2 }));
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}

function tooltip(p: FrontierChartPoint, options: { aName: string; bName: string }): string {
  return `plan ${p.id}: ${options.aName} ${(p.a * 100).toFixed(2)}%, ${options.bName} ${(p.b * 100).toFixed(2)}%${p.frontier ? (p.proven ? ' (proven)' : ' (not proven)') : ' (alternative)'}`;
}

function axisLabel(term: string): string {
  return term === 'compactness' ? 'compactness: share of unit edges cut' : `${term}: residents split off`;
}
