import type { EvidenceColumn, PlanEvidence } from '../evidence/evidence.js';
import { formatEvidence, footprintHeading } from './evidence-markdown.js';
import { BOUNDARY_COLOUR, footprintColours, MUTED_TEXT_COLOUR, TEXT_COLOUR } from './palette.js';
import { element, escapeXml, textWidth } from './svg.js';

/**
 * Small multiples of the headline evidence: one panel per measure a Place Board compares across
 * footprints (residents, need, assets per 10,000 residents, shares and means, each resource against
 * its fair share), a bar per footprint in the colours of the footprint map, and the whole
 * territory's figure as a dashed line, so above- and below-average footprints stand out.
 */
export function evidenceChart(evidence: PlanEvidence, options: { title?: string } = {}): string {
  const panels = headlinePanels(evidence);
  const k = evidence.footprintIds.length;
  const colours = footprintColours(evidence.footprintIds);
  const columns = Math.min(4, Math.max(1, panels.length));
  const panelW = Math.max(230, 46 * k + 30);
  const panelH = 180;
  const legendRows = Math.ceil(k / Math.max(1, Math.floor((columns * panelW) / 240)));
  const top = 44 + legendRows * 18 + 8;
  const width = columns * panelW + 20;
  const height = top + Math.ceil(panels.length / columns) * panelH + 10;
  // Names can be long; a legend column is as wide as the longest one needs, within reason.
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="Helvetica, Arial, 'DejaVu Sans', sans-serif" font-size="11">`,
    element('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }),
    element('text', { x: 10, y: 24, 'font-size': 16, 'font-weight': 'bold', fill: TEXT_COLOUR }, escapeXml(options.title ?? 'Evidence per footprint')),
  ];
  // Legend: one swatch per footprint, with its name.
  const perRow = Math.max(1, Math.floor((columns * panelW) / 240));
  evidence.footprintIds.forEach((id, f) => {
    const x = 10 + (f % perRow) * 240;
    const y = 40 + Math.floor(f / perRow) * 18;
    out.push(element('rect', { x, y, width: 12, height: 12, fill: colours.get(id)!, stroke: BOUNDARY_COLOUR, 'stroke-width': 0.5 }));
    out.push(element('text', { x: x + 17, y: y + 10, fill: TEXT_COLOUR }, escapeXml(clip(footprintHeading(id, evidence.names[f]), 220, 11))));
  });
  panels.forEach((panel, p) => {
    const x0 = 10 + (p % columns) * panelW;
    const y0 = top + Math.floor(p / columns) * panelH;
    out.push(...drawPanel(panel, evidence, colours, x0, y0, panelW - 14, panelH - 16));
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

interface Panel {
  title: string;
  column: EvidenceColumn;
  index: number;
  /** For a resource: the fair-share column, drawn as a tick on each bar. */
  fair?: number;
}

function headlinePanels(evidence: PlanEvidence): Panel[] {
  const panels: Panel[] = [];
  evidence.columns.forEach((column, index) => {
    const title =
      column.kind === 'population'
        ? 'residents'
        : column.kind === 'need'
          ? 'need (weighted residents)'
          : column.kind === 'per10k'
            ? `${column.subject} per 10,000 residents`
            : column.kind === 'mean'
              ? `${column.subject}: mean`
              : column.kind === 'share'
                ? `% residents with ${column.label.replace(/^residents in units with /, '').replace(/ \(%\)$/, '')}`
                : column.kind === 'current'
                ? `${column.subject}: current (bar) and fair share (tick)`
                : null;
    if (title === null) return;
    const fair = column.kind === 'current' ? evidence.columns.findIndex((c) => c.kind === 'fair' && c.subject === column.subject) : undefined;
    panels.push({ title, column, index, fair });
  });
  return panels;
}

function drawPanel(panel: Panel, evidence: PlanEvidence, colours: Map<string, string>, x0: number, y0: number, w: number, h: number): string[] {
  const out: string[] = [];
  const values = evidence.rows.map((row) => row[panel.index]);
  const fairs = panel.fair === undefined ? [] : evidence.rows.map((row) => row[panel.fair!]);
  const total = evidence.total[panel.index];
  // The territory figure is the reference line for rates; for counts the mean footprint is.
  const k = evidence.footprintIds.length;
  const additive = ['population', 'need', 'current'].includes(panel.column.kind);
  const reference = total === null ? null : additive ? total / Math.max(1, k) : total;
  const max = Math.max(0, ...values.map((v) => v ?? 0), ...fairs.map((v) => v ?? 0), reference ?? 0);
  const plotTop = y0 + 40;
  const plotBottom = y0 + h - 18;
  const scale = max > 0 ? (plotBottom - plotTop) / max : 0;
  out.push(element('text', { x: x0, y: y0 + 12, 'font-weight': 'bold', fill: TEXT_COLOUR }, escapeXml(clip(panel.title, w, 11))));
  out.push(element('line', { x1: x0, y1: plotBottom, x2: x0 + w, y2: plotBottom, stroke: MUTED_TEXT_COLOUR, 'stroke-width': 1 }));
  if (reference !== null && scale > 0) {
    const y = plotBottom - reference * scale;
    out.push(element('line', { x1: x0, y1: y, x2: x0 + w, y2: y, stroke: MUTED_TEXT_COLOUR, 'stroke-width': 1, 'stroke-dasharray': '4 3' }));
    out.push(element('text', { x: x0, y: y0 + 25, 'font-size': 9.5, fill: MUTED_TEXT_COLOUR }, escapeXml(`dashed: ${additive ? 'mean per footprint' : 'whole territory'} ${formatEvidence(panel.column.kind, reference)}`)));
  }
  const slot = w / Math.max(1, k);
  const bar = Math.min(28, slot * 0.7);
  values.forEach((v, f) => {
    const cx = x0 + slot * (f + 0.5);
    const id = evidence.footprintIds[f];
    if (v !== null && v > 0) {
      const y = plotBottom - v * scale;
      out.push(element('rect', { x: cx - bar / 2, y, width: bar, height: plotBottom - y, fill: colours.get(id)!, stroke: BOUNDARY_COLOUR, 'stroke-width': 0.5 }));
    }
    out.push(element('text', { x: cx, y: plotBottom - (v !== null && v > 0 ? v * scale : 0) - 3, 'text-anchor': 'middle', 'font-size': 9, fill: TEXT_COLOUR, stroke: '#ffffff', 'stroke-width': 2.5, 'paint-order': 'stroke' }, escapeXml(formatEvidence(panel.column.kind, v))));
    const fair = fairs[f];
    if (fair !== undefined && fair !== null) {
      const y = plotBottom - fair * scale;
      out.push(element('line', { x1: cx - bar / 2 - 3, y1: y, x2: cx + bar / 2 + 3, y2: y, stroke: BOUNDARY_COLOUR, 'stroke-width': 2.5 }));
    }
    out.push(element('text', { x: cx, y: plotBottom + 12, 'text-anchor': 'middle', 'font-size': 10, fill: MUTED_TEXT_COLOUR }, escapeXml(id)));
  });
  return out;
}

/** Text cut with an ellipsis to fit a width (rough, see textWidth). */
export function clip(text: string, width: number, size: number): string {
  if (textWidth(text, size) <= width) return text;
  let t = text;
  while (t.length > 1 && textWidth(`${t}…`, size) > width) t = t.slice(0, -1);
  return `${t}…`;
}
