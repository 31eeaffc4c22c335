import { Marked, type Tokens } from 'marked';
import { escapeXml } from './svg.js';

/**
 * report.html: the Board paper. It is report.md rendered to HTML (marked), not a second report
 * written by hand, so the two never disagree. Self-contained: every map and chart the Markdown
 * links to is embedded as an SVG data URI (an <img>, so the maps' pattern and clip ids cannot
 * collide between maps), and the CSS lays it out for A4 with each section (## heading) starting a
 * new page.
 *
 * Names come from data: the Markdown holds them as text, and any raw HTML in it (a name such as
 * "<script>") is shown as text, links go only to http(s) or to files beside the report, and images
 * only to the maps handed in.
 */

const CSS = `
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 10pt; color: #1a1a1a; line-height: 1.4; }
body { margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
h1 { font-size: 20pt; margin: 0 0 4mm; border-bottom: 2px solid #1a1a1a; padding-bottom: 2mm; }
h2 { font-size: 15pt; margin: 0 0 3mm; break-before: page; page-break-before: always; border-bottom: 1px solid #999; padding-bottom: 1mm; }
h3 { font-size: 12pt; margin: 5mm 0 2mm; break-after: avoid; page-break-after: avoid; }
p, ul { margin: 0 0 2.5mm; }
table { border-collapse: collapse; margin: 2mm 0 4mm; font-size: 7.5pt; width: auto; max-width: 100%; }
th, td { border-bottom: 1px solid #ccc; padding: 0.8mm 1.2mm; vertical-align: top; }
th { background: #eee; text-align: left; overflow-wrap: anywhere; }
/* Wide tables (a column per layer or measure) break long headers rather than run off the page. */
td { overflow-wrap: anywhere; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
td[align="right"], th[align="right"] { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 3mm 0; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; width: 100%; max-height: 230mm; object-fit: contain; }
figcaption { font-size: 8.5pt; color: #555; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; background: #f4f4f4; padding: 0 1mm; word-break: break-all; }
pre { white-space: pre-wrap; background: #f4f4f4; padding: 2mm; font-size: 8.5pt; }
@media screen { body { padding: 10mm; } h2 { margin-top: 12mm; } }
`;

/** Safe link targets: web addresses, and files beside the report (no scheme). */
function safeHref(href: string): string | null {
  if (/^https?:\/\//i.test(href)) return href;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('//')) return href;
  return null;
}

/** Data URI of an SVG document. */
function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

export interface HtmlReportOptions {
  /** The document's title (the report's first heading). */
  title: string;
  /** SVG files the Markdown links to, by the name it uses (footprints.svg, split-wards.svg…). */
  images: Record<string, string>;
}

/** Render report.md as a self-contained HTML page for screen and A4 print. */
export function reportHtml(markdown: string, options: HtmlReportOptions): string {
  const marked = new Marked({ gfm: true, async: false });
  marked.use({
    renderer: {
      html({ text }: Tokens.HTML | Tokens.Tag): string {
        return escapeXml(text);
      },
      image({ href, text }: Tokens.Image): string {
        const svg = Object.hasOwn(options.images, href) ? options.images[href] : undefined;
        if (svg === undefined) return escapeXml(text);
        return `<figure><img src="${svgDataUri(svg)}" alt="${escapeXml(text)}"><figcaption>${escapeXml(text)}</figcaption></figure>`;
      },
      link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, { href, tokens }: Tokens.Link): string {
        const inner = this.parser.parseInline(tokens);
        const target = safeHref(href);
        return target === null ? inner : `<a href="${escapeXml(target)}">${inner}</a>`;
      },
    },
  });
  const body = marked.parse(markdown) as string;
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="footprint">
<title>${escapeXml(options.title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}</body>
</html>
`;
}
