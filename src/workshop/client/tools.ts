/// <reference lib="dom" />
/**
 * The workshop page's tools: the footprint picker, lock mode, undo and redo (buttons and keys), and
 * the CSV export. They share the tool state (which footprint a click moves units to, move or lock).
 */
import type { WorkshopData } from '../data.js';
import { byId, el } from './dom.js';
import type { WorkshopSession } from '../session.js';

export interface ToolState {
  /** The footprint clicked units move to. */
  selected: number;
  mode: 'move' | 'lock';
}

/**
 * Sets up the tools; `changed` is called with the units a change touched. Returns the function
 * that shows the tool state and whether undo and redo are possible.
 */
export function setUpTools(data: WorkshopData, session: WorkshopSession, state: ToolState, colour: (f: number) => string, changed: (units: number[]) => void): () => void {
  const picker = byId('picker');
  const pickButtons = data.footprintIds.map((id, f) => {
    const b = el('button', { type: 'button', 'data-footprint': id, class: 'pick', style: `--c:${colour(f)}` }, id);
    b.addEventListener('click', () => {
      state.selected = f;
      state.mode = 'move';
      refreshTools();
    });
    picker.append(b);
    return b;
  });
  const lockButton = byId<HTMLButtonElement>('lock-mode');
  lockButton.addEventListener('click', () => {
    state.mode = state.mode === 'lock' ? 'move' : 'lock';
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
      state.selected = Number(event.key) - 1;
      state.mode = 'move';
      refreshTools();
    }
  });
  byId('export').addEventListener('click', () => downloadCsv(session.csv()));

  function refreshTools(): void {
    pickButtons.forEach((b, f) => b.classList.toggle('on', state.mode === 'move' && f === state.selected));
    lockButton.classList.toggle('on', state.mode === 'lock');
    undoButton.disabled = !session.canUndo();
    redoButton.disabled = !session.canRedo();
  }
  return refreshTools;
}

/** Offers the assignment as a download (assignment.csv). */
function downloadCsv(csv: string): void {
  const blob = new Blob([csv], { type: 'text/csv' });
  const a = el('a', { href: URL.createObjectURL(blob), download: 'assignment.csv' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
