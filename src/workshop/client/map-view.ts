/// <reference lib="dom" />
/**
 * The workshop page's map: units coloured by footprint, the cut edges between footprints, other
 * layers' outlines (toggled), the tooltip, and the pointer: click, or press and drag across units,
 * to move them; in lock mode a click locks or unlocks.
 */
import { formatInteger as fmt } from '../../report/format.js';
import type { WorkshopData } from '../data.js';
import { byId, el, svg } from './dom.js';
import type { WorkshopSession } from '../session.js';
import type { ToolState } from './tools.js';

export interface MapView {
  /** Recolours the units (and redraws every cut edge). */
  paint(units: Iterable<number>): void;
}

export function drawMap(data: WorkshopData, session: WorkshopSession, colour: (f: number) => string): { view: MapView; unitLayer: SVGElement; map: HTMLElement } {
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

  const view: MapView = {
    paint(units: Iterable<number>): void {
      for (const u of units) {
        unitPaths[u].setAttribute('fill', colour(session.assignment[u]));
        unitPaths[u].classList.toggle('locked', session.locks[u] >= 0);
      }
      const a = session.assignment;
      data.map.edges.forEach((e, i) => edgePaths[i].classList.toggle('cut', e.b < 0 || a[e.a] !== a[e.b]));
    },
  };
  return { view, unitLayer, map };
}

/** The pointer on the units: moves (a drag is one undo step), locks, and the tooltip. */
export function attachPointer(
  data: WorkshopData,
  session: WorkshopSession,
  state: ToolState,
  unitLayer: SVGElement,
  map: HTMLElement,
  changed: (units: number[]) => void,
  refreshTools: () => void,
): void {
  let stroke: number | null = null;
  const tip = byId('tip');
  const unitIndex = new Map(data.units.map((u, i) => [u.id, i]));
  const unitOf = (target: EventTarget | null): number => {
    const id = target instanceof Element ? target.getAttribute('data-unit') : null;
    return id === null ? -1 : unitIndex.get(id) ?? -1;
  };
  const showTip = (u: number, event: MouseEvent): void => {
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
  };
  unitLayer.addEventListener('pointerdown', (event) => {
    const u = unitOf(event.target);
    if (u < 0) return;
    event.preventDefault();
    if (state.mode === 'lock') {
      session.toggleLock(u);
      changed([u]);
      return;
    }
    stroke = session.mark();
    changed(session.move([u], state.selected));
  });
  unitLayer.addEventListener('pointerover', (event) => {
    const u = unitOf(event.target);
    if (u < 0) return;
    showTip(u, event as PointerEvent);
    if (stroke !== null && ((event as PointerEvent).buttons & 1) === 1) changed(session.move([u], state.selected));
  });
  unitLayer.addEventListener('pointermove', (event) => {
    const u = unitOf(event.target);
    if (u >= 0) showTip(u, event as PointerEvent);
  });
  unitLayer.addEventListener('pointerleave', () => (tip.style.display = 'none'));
  // Pointer capture would pin the drag to the first unit, so release it and follow the cursor.
  unitLayer.addEventListener('gotpointercapture', (event) => (event.target as Element).releasePointerCapture((event as PointerEvent).pointerId));
  window.addEventListener('pointerup', () => {
    if (stroke !== null) session.merge(stroke);
    stroke = null;
    refreshTools();
  });
}
