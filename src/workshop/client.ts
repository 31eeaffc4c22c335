/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The workshop page's script (bundled by esbuild into dist/workshop/client.js and inlined into
 * workshop.html). It reads the data the CLI embedded, runs the library's own plan state, checks
 * and evidence through WorkshopSession, and draws the map and the live panel.
 */
import { FOOTPRINT_COLOURS } from '../report/palette.js';
import { formatEvidence, footprintHeading } from '../report/evidence-markdown.js';
import type { WorkshopData } from './data.js';
import { WorkshopSession, type Figures } from './session.js';

const SVG = 'http://www.w3.org/2000/svg';
const fmt = (x: number) => Math.round(x).toLocaleString('en-GB');

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(tag: string, attrs: Record<string, string> = {}): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`workshop page: #${id} is missing`);
  return node as T;
}

export function start(): void {
  const data = JSON.parse(byId('workshop-data').textContent ?? '{}') as WorkshopData;
  const session = new WorkshopSession(data);
  const colour = (f: number) => FOOTPRINT_COLOURS[f % FOOTPRINT_COLOURS.length];
  let selected = 0;
  let mode: 'move' | 'lock' = 'move';

  // Footprint picker and tools.
  const picker = byId('picker');
  const pickButtons = data.footprintIds.map((id, f) => {
    const b = el('button', { type: 'button', 'data-footprint': id, class: 'pick', style: `--c:${colour(f)}` }, id);
    b.addEventListener('click', () => {
      selected = f;
      mode = 'move';
      refreshTools();
    });
    picker.append(b);
    return b;
  });
  const lockButton = byId<HTMLButtonElement>('lock-mode');
  lockButton.addEventListener('click', () => {
    mode = mode === 'lock' ? 'move' : 'lock';
    refreshTools();
  });
  const undoButton = byId<HTMLButtonElement>('undo');
  const redoButton = byId<HTMLButtonElement>('redo');
  undoButton.addEventListener('click', () => changed(session.undo()));
  redoButton.addEventListener('click', () => changed(session.redo()));
  document.addEventListener('keydown', (event) => {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      changed(event.shiftKey ? session.redo() : session.undo());
    } else if (mod && event.key.toLowerCase() === 'y') {
      event.preventDefault();
      changed(session.redo());
    } else if (!mod && /^[1-9]$/.test(event.key) && Number(event.key) <= data.k) {
      selected = Number(event.key) - 1;
      mode = 'move';
      refreshTools();
    }
  });
  byId('export').addEventListener('click', () => {
    const blob = new Blob([session.csv()], { type: 'text/csv' });
    const a = el('a', { href: URL.createObjectURL(blob), download: 'assignment.csv' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });

  function refreshTools(): void {
    pickButtons.forEach((b, f) => b.classList.toggle('on', mode === 'move' && f === selected));
    lockButton.classList.toggle('on', mode === 'lock');
    undoButton.disabled = !session.canUndo();
    redoButton.disabled = !session.canRedo();
  }

  // The map.
  const map = byId('map');
  const root = svg('svg', { viewBox: `0 0 ${data.map.width} ${data.map.height}`, role: 'img', 'aria-label': 'units coloured by footprint' });
  const unitLayer = svg('g', { class: 'units' });
  const unitPaths = data.map.unitPaths.map((d, u) => {
    const p = svg('path', { d, 'data-unit': data.units[u].id });
    unitLayer.append(p);
    return p;
  });
  const edgeLayer = svg('g', { class: 'footprint-edges' });
  const edgePaths = data.map.edges.map((e) => {
    const p = svg('path', { d: e.d });
    edgeLayer.append(p);
    return p;
  });
  const outlineLayer = svg('g', { class: 'outlines' });
  const outlinePaths = data.map.outlines.map((o) => {
    const p = svg('path', { d: o.d, stroke: o.colour, 'stroke-dasharray': o.dash, 'data-layer': o.layer });
    p.style.display = 'none';
    outlineLayer.append(p);
    return p;
  });
  root.append(unitLayer, edgeLayer, outlineLayer);
  map.append(root);

  const toggles = byId('layers');
  data.map.outlines.forEach((o, i) => {
    const box = el('input', { type: 'checkbox', 'data-layer': o.layer });
    box.addEventListener('change', () => (outlinePaths[i].style.display = box.checked ? '' : 'none'));
    const label = el('label', { style: `--c:${o.colour}` });
    label.append(box, ` ${o.layer}`);
    toggles.append(label);
  });

  function paint(units: Iterable<number>): void {
    for (const u of units) {
      unitPaths[u].setAttribute('fill', colour(session.assignment[u]));
      unitPaths[u].classList.toggle('locked', session.locks[u] >= 0);
    }
    const a = session.assignment;
    data.map.edges.forEach((e, i) => edgePaths[i].classList.toggle('cut', e.b < 0 || a[e.a] !== a[e.b]));
  }

  // Click, or press and drag across units, to move them; in lock mode a click locks or unlocks.
  let stroke: number | null = null;
  const tip = byId('tip');
  const unitOf = (target: EventTarget | null): number => {
    const id = target instanceof Element ? target.getAttribute('data-unit') : null;
    return id === null ? -1 : unitIndex.get(id) ?? -1;
  };
  const unitIndex = new Map(data.units.map((u, i) => [u.id, i]));
  unitLayer.addEventListener('pointerdown', (event) => {
    const u = unitOf(event.target);
    if (u < 0) return;
    event.preventDefault();
    if (mode === 'lock') {
      session.toggleLock(u);
      changed([u]);
      return;
    }
    stroke = session.mark();
    changed(session.move([u], selected));
  });
  unitLayer.addEventListener('pointerover', (event) => {
    const u = unitOf(event.target);
    if (u < 0) return;
    showTip(u, event);
    if (stroke !== null && (event.buttons & 1) === 1) changed(session.move([u], selected));
  });
  unitLayer.addEventListener('pointermove', (event) => {
    const u = unitOf(event.target);
    if (u >= 0) showTip(u, event);
  });
  unitLayer.addEventListener('pointerleave', () => (tip.style.display = 'none'));
  // Pointer capture would pin the drag to the first unit, so release it and follow the cursor.
  unitLayer.addEventListener('gotpointercapture', (event) => (event.target as Element).releasePointerCapture(event.pointerId));
  window.addEventListener('pointerup', () => {
    if (stroke !== null) session.merge(stroke);
    stroke = null;
    refreshTools();
  });

  function showTip(u: number, event: MouseEvent): void {
    const unit = data.units[u];
    const f = session.assignment[u];
    tip.replaceChildren(
      el('strong', {}, unit.name ? `${unit.name} (${unit.id})` : unit.id),
      el('div', {}, `${fmt(unit.population)} residents · ${data.footprintIds[f]}${session.locks[u] >= 0 ? ' · locked' : ''}`),
      ...unit.areas.map((line) => el('div', { class: 'muted' }, line)),
    );
    tip.style.display = 'block';
    const box = map.getBoundingClientRect();
    tip.style.left = `${Math.min(event.clientX - box.left + 14, box.width - 260)}px`;
    tip.style.top = `${event.clientY - box.top + 14}px`;
  }

  // The live panel.
  const panel = byId('panel');
  function render(figures: Figures, ms: number): void {
    const ids = data.footprintIds;
    const names = figures.evidence.names;
    const rows = ids.map((id, f) => {
      const p = figures.populations[f];
      const inBounds = p >= data.min && p <= data.max;
      const tr = el('tr', { 'data-footprint': id });
      const sw = el('td');
      sw.append(el('span', { class: 'swatch', style: `background:${colour(f)}` }), ` ${footprintHeading(id, names[f])}`);
      tr.append(
        sw,
        el('td', { class: 'num population' }, fmt(p)),
        el('td', { class: inBounds ? 'ok' : 'bad' }, inBounds ? 'in bounds' : p < data.min ? `${fmt(data.min - p)} short` : `${fmt(p - data.max)} over`),
        el('td', { class: figures.pieces[f] === 1 ? 'ok' : 'bad' }, figures.pieces[f] === 1 ? 'contiguous' : figures.pieces[f] === 0 ? 'empty' : `${figures.pieces[f]} pieces`),
      );
      return tr;
    });
    const footprints = el('table', { id: 'footprints' });
    footprints.append(el('tr', {}, ''), ...rows);
    footprints.rows[0].append(el('th', {}, 'footprint'), el('th', {}, 'residents'), el('th', {}, `${fmt(data.min)}–${fmt(data.max)}`), el('th', {}, 'contiguity'));

    const objective = el('table', { id: 'objective' });
    objective.append(el('tr'));
    objective.rows[0].append(el('th', {}, 'term'), el('th', {}, 'weight'), el('th', {}, 'S(layer|plan)'), el('th', {}, 'weighted'));
    for (const s of figures.splits) {
      const tr = el('tr', { 'data-layer': s.layer });
      tr.append(el('td', {}, s.layer), el('td', { class: 'num' }, String(s.weight)), el('td', { class: 'num split' }, s.value.toFixed(4)), el('td', { class: 'num' }, (s.weight * s.value).toFixed(4)));
      objective.append(tr);
    }
    if (data.compactnessWeight > 0) {
      const tr = el('tr');
      tr.append(el('td', {}, 'compactness'), el('td', { class: 'num' }, String(data.compactnessWeight)), el('td', { class: 'num' }, figures.compactness.toFixed(4)), el('td', { class: 'num' }, (data.compactnessWeight * figures.compactness).toFixed(4)));
      objective.append(tr);
    }
    const total = el('tr');
    total.append(el('th', {}, 'objective'), el('td'), el('td'), el('th', { class: 'num', id: 'objective-value' }, figures.objective.toFixed(4)));
    objective.append(total);

    const problems = el('ul', { id: 'findings' });
    for (const f of figures.findings) problems.append(el('li', { class: 'bad', 'data-constraint': f.constraint }, f.message));
    for (const b of figures.breaches) problems.append(el('li', { class: 'bad', 'data-constraint': 'keep-whole' }, `${b.layer} ${b.area} is kept whole but split between ${b.footprints.join(' and ')}`));
    if (problems.children.length === 0) problems.append(el('li', { class: 'ok' }, 'every constraint holds'));

    const evidence = el('table', { id: 'evidence' });
    evidence.append(el('tr'));
    evidence.rows[0].append(el('th', {}, 'evidence'), ...ids.map((id) => el('th', {}, id)), el('th', {}, 'all'));
    figures.evidence.columns.forEach((c, j) => {
      const tr = el('tr', { 'data-column': c.name });
      tr.append(el('td', {}, c.label), ...figures.evidence.rows.map((row) => el('td', { class: 'num' }, formatEvidence(c.kind, row[j]))), el('td', { class: 'num' }, formatEvidence(c.kind, figures.evidence.total[j])));
      evidence.append(tr);
    });

    panel.replaceChildren(
      el('h2', {}, 'Footprints'),
      footprints,
      el('h2', {}, 'Objective'),
      objective,
      el('h2', {}, 'Constraints'),
      problems,
      el('h2', {}, 'Evidence'),
      evidence,
      el('p', { class: 'muted', id: 'timing' }, `updated in ${ms.toFixed(1)} ms`),
    );
  }

  function changed(units: number[]): void {
    const t0 = performance.now();
    paint(units);
    const figures = session.figures();
    render(figures, performance.now() - t0);
    refreshTools();
  }

  paint(data.units.map((_, u) => u));
  changed([]);
  // For scripts and tests: the session and the figures as the panel shows them.
  (window as unknown as { footprintWorkshop: unknown }).footprintWorkshop = { session, figures: () => session.figures(), csv: () => session.csv() };
}

start();
