import { readFileSync } from 'node:fs';
import { compiledFile } from '../io/compiled.js';
import { FootprintError } from '../errors.js';
import { escapeXml } from '../report/svg.js';
import type { WorkshopData } from './data.js';

/**
 * The page's script: src/workshop/client/ and the library code it calls, bundled by esbuild at
 * `npm run build` (scripts/build-workshop.mjs). Prebuilt, it ships in the package, so users need
 * no bundler; from the sources (tests under tsx) it is found in dist/ beside them.
 */
export function clientBundle(): string {
  const url = compiledFile(import.meta.url, './bundle.js');
  if (url) return readFileSync(url, 'utf8');
  throw new FootprintError('the workshop page script (dist/workshop/bundle.js) is missing: run "npm run build"');
}

/** JSON safe inside a <script> element: no "</script>" or "<!--" can close or confuse it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#fafafa}
header{padding:8px 14px;background:#fff;border-bottom:1px solid #ddd;display:flex;flex-wrap:wrap;gap:10px;align-items:center}
header h1{font-size:17px;margin:0 14px 0 0}
button{font:inherit;padding:4px 10px;border:1px solid #888;border-radius:4px;background:#fff;cursor:pointer}
button:disabled{opacity:.4;cursor:default}
button.pick{border-left:14px solid var(--c)}
button.on{outline:3px solid #1a1a1a;font-weight:600}
#layers label{margin-right:8px;border-bottom:3px solid var(--c);white-space:nowrap}
main{display:flex;gap:12px;padding:12px;align-items:flex-start}
#map{position:relative;flex:1 1 60%;background:#fff;border:1px solid #ddd;touch-action:none;user-select:none}
#map svg{display:block;width:100%;height:auto}
.units path{stroke:#c4c4c4;stroke-width:.6;cursor:crosshair}
.units path:hover{stroke:#1a1a1a;stroke-width:1.5}
.units path.locked{stroke:#1a1a1a;stroke-width:1.4;stroke-dasharray:3 2}
.footprint-edges path{fill:none;stroke:none;pointer-events:none}
.footprint-edges path.cut{stroke:#1a1a1a;stroke-width:2}
.outlines path{fill:none;stroke-width:2.2;pointer-events:none}
#tip{display:none;position:absolute;max-width:260px;padding:6px 8px;background:#fff;border:1px solid #888;border-radius:4px;pointer-events:none;font-size:12px;box-shadow:0 1px 4px #0003}
#panel{flex:1 1 40%;min-width:340px;background:#fff;border:1px solid #ddd;padding:4px 12px 10px}
#panel h2{font-size:15px;margin:12px 0 4px}
table{border-collapse:collapse;width:100%}
th,td{padding:2px 6px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
.num{text-align:right;font-variant-numeric:tabular-nums}
.swatch{display:inline-block;width:12px;height:12px;border:1px solid #555;vertical-align:-1px}
.ok{color:#00602b}.bad{color:#a00000;font-weight:600}.muted{color:#555}
#findings{margin:0;padding-left:18px}
footer{padding:4px 14px 12px;color:#555;font-size:12px}
#explore{display:flex;flex-wrap:wrap;gap:10px;align-items:center;padding:8px 14px;background:#fff;border-bottom:1px solid #ddd}
#explore[hidden]{display:none}
#explore-chart svg{display:block;width:420px;max-width:100%;height:auto}
#explore-side{flex:1 1 300px}
#explore-side p{margin:8px 0 0}
`;

/** One self-contained page: styles, data and script inline, so it opens from a file with no network. */
export function workshopHtml(data: WorkshopData, bundle = clientBundle()): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(data.title)} — workshop</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeXml(data.title)}</h1>
<span>Move to: <span id="picker"></span></span>
<button type="button" id="lock-mode" title="click units to lock or unlock them">Lock units</button>
<button type="button" id="undo" title="Ctrl+Z">Undo</button>
<button type="button" id="redo" title="Ctrl+Shift+Z">Redo</button>
<button type="button" id="export" title="download assignment.csv for footprint check and compare">Export</button>
<span id="layers">Outlines: </span>
</header>
<section id="explore" hidden></section>
<main>
<div id="map"><div id="tip"></div></div>
<section id="panel" aria-live="polite"></section>
</main>
<footer>Pick a footprint (or press 1–${data.k}), then click or drag across units to move them. Figures come from the footprint library itself, as <code>footprint check</code> computes them. Made by <code>${escapeXml(data.source)}</code>.</footer>
<script type="application/json" id="workshop-data">${scriptJson(data)}</script>
<script>${bundle.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}
