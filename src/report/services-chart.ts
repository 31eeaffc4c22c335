import type { PlanEvidence } from '../evidence/evidence.js';
import { clip } from './evidence-chart.js';
import { footprintHeading } from './evidence-markdown.js';
import { BOUNDARY_COLOUR, footprintColours, MUTED_TEXT_COLOUR, TEXT_COLOUR } from './palette.js';
import { posts } from './services-markdown.js';
import { element, escapeXml } from './svg.js';

/**
 * Required against current posts, one panel per service: a bar per footprint in the colours of the
 * footprint map for the required posts, a thin line from low to high for the range, and a black
 * tick for today's posts, so a footprint short of staff shows its tick below the bar top.
 */
export function servicesChart(evidence: PlanEvidence, options: { title?: string } = {}): string {
  const services = evidence.services;
  const k = evidence.footprintIds.length;
  const colours = footprintColours(evidence.footprintIds);
  const columns = Math.min(3, Math.max(1, services.length));
  const panelW = Math.max(260, 46 * k + 30);
  const panelH = 220;
  const perRow = Math.max(1, Math.floor((columns * panelW) / 240));
  const legendRows = Math.ceil(k / perRow) + 1;
  const top = 44 + legendRows * 18 + 8;
  const width = columns * panelW + 20;
  const height = top + Math.ceil(Math.max(1, services.length) / columns) * panelH + 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="Helvetica, Arial, 'DejaVu Sans', sans-serif" font-size="11">`,
    element('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }),
    element('text', { x: 10, y: 24, 'font-size': 16, 'font-weight': 'bold', fill: TEXT_COLOUR }, escapeXml(options.title ?? 'Posts required (bar, range line) and today (tick)')),
  ];
  evidence.footprintIds.forEach((id, f) => {
    const x = 10 + (f % perRow) * 240;
    const y = 40 + Math.floor(f / perRow) * 18;
    out.push(element('rect', { x, y, width: 12, height: 12, fill: colours.get(id)!, stroke: BOUNDARY_COLOUR, 'stroke-width': 0.5 }));
    out.push(element('text', { x: x + 17, y: y + 10, fill: TEXT_COLOUR }, escapeXml(clip(footprintHeading(id, evidence.names[f]), 220, 11))));
  });
  const keyY = 40 + Math.ceil(k / perRow) * 18;
  out.push(element('line', { x1: 10, y1: keyY + 6, x2: 26, y2: keyY + 6, stroke: BOUNDARY_COLOUR, 'stroke-width': 2.5 }));
  out.push(element('text', { x: 31, y: keyY + 10, fill: MUTED_TEXT_COLOUR }, escapeXml("today's posts")));
  out.push(element('line', { x1: 130, y1: keyY, x2: 130, y2: keyY + 12, stroke: MUTED_TEXT_COLOUR, 'stroke-width': 1.2 }));
  out.push(element('text', { x: 136, y: keyY + 10, fill: MUTED_TEXT_COLOUR }, escapeXml('range (low–high)')));
  services.forEach((s, p) => {
    const x0 = 10 + (p % columns) * panelW;
    const y0 = top + Math.floor(p / columns) * panelH;
    const w = panelW - 14;
    const h = panelH - 16;
    const max = Math.max(0, ...s.rows.map((r) => Math.max(r.high, r.required, r.current ?? 0)));
    const plotTop = y0 + 56;
    const plotBottom = y0 + h - 18;
    const scale = max > 0 ? (plotBottom - plotTop) / max : 0;
    out.push(element('text', { x: x0, y: y0 + 12, 'font-weight': 'bold', fill: TEXT_COLOUR }, escapeXml(clip(s.name, w - 10, 11))));
    out.push(element('text', { x: x0, y: y0 + 25, fill: TEXT_COLOUR }, escapeXml(clip(s.team, w - 10, 11))));
    out.push(element('text', { x: x0, y: y0 + 38, 'font-size': 9.5, fill: MUTED_TEXT_COLOUR }, escapeXml(`total required ${posts(s.total.required)}${s.total.current === null ? '' : `, today ${posts(Math.round(s.total.current * 10) / 10)}`}`)));
    out.push(element('line', { x1: x0, y1: plotBottom, x2: x0 + w, y2: plotBottom, stroke: MUTED_TEXT_COLOUR, 'stroke-width': 1 }));
    const slot = w / Math.max(1, k);
    const bar = Math.min(28, slot * 0.6);
    s.rows.forEach((row, f) => {
      const cx = x0 + slot * (f + 0.5);
      const id = evidence.footprintIds[f];
      const y = plotBottom - row.required * scale;
      if (row.required > 0) out.push(element('rect', { x: cx - bar / 2, y, width: bar, height: plotBottom - y, fill: colours.get(id)!, stroke: BOUNDARY_COLOUR, 'stroke-width': 0.5 }));
      if (row.high > row.low) out.push(element('line', { x1: cx, y1: plotBottom - row.low * scale, x2: cx, y2: plotBottom - row.high * scale, stroke: MUTED_TEXT_COLOUR, 'stroke-width': 1.2 }));
      if (row.current !== null) {
        const yc = plotBottom - row.current * scale;
        out.push(element('line', { x1: cx - bar / 2 - 3, y1: yc, x2: cx + bar / 2 + 3, y2: yc, stroke: BOUNDARY_COLOUR, 'stroke-width': 2.5 }));
      }
      const labelY = Math.min(y, plotBottom - row.high * scale) - 3;
      out.push(element('text', { x: cx, y: labelY, 'text-anchor': 'middle', 'font-size': 9, fill: TEXT_COLOUR, stroke: '#ffffff', 'stroke-width': 2.5, 'paint-order': 'stroke' }, escapeXml(posts(row.required))));
      out.push(element('text', { x: cx, y: plotBottom + 12, 'text-anchor': 'middle', 'font-size': 10, fill: MUTED_TEXT_COLOUR }, escapeXml(clip(id, slot - 2, 10))));
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
