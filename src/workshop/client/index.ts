/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The workshop page's script (bundled by esbuild into dist/workshop/bundle.js and inlined into
 * workshop.html). It reads the data the CLI embedded, runs the library's own plan state, checks
 * and evidence through WorkshopSession (session.ts: the state), and wires its parts together: the
 * tools (tools.ts), the map (map-view.ts: rendering and pointer), the live panel (panel.ts) and,
 * for a page made from an explore run, the plans to switch between and the frontier (explore.ts).
 */
import { FOOTPRINT_COLOURS } from '../../report/palette.js';
import type { WorkshopData } from '../data.js';
import { byId } from './dom.js';
import { attachPointer, drawMap } from './map-view.js';
import { renderPanel } from './panel.js';
import { WorkshopSession } from '../session.js';
import { setUpTools, type ToolState } from './tools.js';
import { setUpExplore } from './explore.js';

export function start(): void {
  const data = JSON.parse(byId('workshop-data').textContent ?? '{}') as WorkshopData;
  const session = new WorkshopSession(data);
  const colour = (f: number) => FOOTPRINT_COLOURS[f % FOOTPRINT_COLOURS.length];
  const state: ToolState = { selected: 0, mode: 'move' };
  const panel = byId('panel');

  const refreshTools = setUpTools(data, session, state, colour, (units) => changed(units));
  const { view, unitLayer, map } = drawMap(data, session, colour);
  attachPointer(data, session, state, unitLayer, map, (units) => changed(units), refreshTools);
  const showExplore = setUpExplore(data, session, (units) => changed(units));

  function changed(units: number[]): void {
    const t0 = performance.now();
    view.paint(units);
    const figures = session.figures();
    renderPanel(panel, data, figures, performance.now() - t0, colour);
    showExplore?.(figures);
    refreshTools();
  }

  view.paint(data.units.map((_, u) => u));
  changed([]);
  // For scripts and tests: the session and the figures as the panel shows them.
  (window as unknown as { footprintWorkshop: unknown }).footprintWorkshop = { session, figures: () => session.figures(), csv: () => session.csv() };
}

start();
