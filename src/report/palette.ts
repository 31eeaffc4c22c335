/**
 * Colours of the maps. Planners print these and show them on projectors, and about one man in
 * twelve has a red–green colour deficiency, so every palette here is safe for colour-blind
 * readers and never relies on red against green alone.
 */

/** Okabe–Ito without its black (kept for text and boundaries): eight hues that stay distinct for all. */
export const FOOTPRINT_COLOURS = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#999999'] as const;

/** Line styles of service layers drawn over a map: a dark colour and a dash pattern each, so they differ in print too. */
export const OVERLAY_STYLES = [
  { colour: '#1a1a1a', dash: '6 3' },
  { colour: '#6a3d9a', dash: '2 2' },
  { colour: '#08519c', dash: '9 3 2 3' },
  { colour: '#00441b', dash: '1.5 3' },
  { colour: '#7f2704', dash: '12 4' },
] as const;

export function overlayStyle(index: number): { colour: string; dash: string } {
  return OVERLAY_STYLES[index % OVERLAY_STYLES.length];
}

export const BOUNDARY_COLOUR = '#1a1a1a';
export const TEXT_COLOUR = '#1a1a1a';
export const MUTED_TEXT_COLOUR = '#555555';
export const NEUTRAL_FILL = '#eeeeee';
export const UNIT_STROKE = '#c4c4c4';
export const CHANGE_COLOUR = '#D55E00';

/**
 * Classes of the share of an area's residents split off by a plan, on a sequential orange–red
 * scale (ColorBrewer OrRd, safe for colour-blind readers). `from` is inclusive.
 */
export const SPLIT_CLASSES = [
  { from: 0, colour: '#f4f4f4', label: 'whole' },
  { from: Number.MIN_VALUE, colour: '#fdd49e', label: 'under 10% split off' },
  { from: 0.1, colour: '#fc8d59', label: '10–25% split off' },
  { from: 0.25, colour: '#b30000', label: '25% or more split off' },
] as const;

/** When all we know is whether an area is split, not by how much. */
export const SPLIT_YES = { colour: '#fc8d59', label: 'split' } as const;

export function splitClass(share: number): (typeof SPLIT_CLASSES)[number] {
  let chosen: (typeof SPLIT_CLASSES)[number] = SPLIT_CLASSES[0];
  for (const c of SPLIT_CLASSES) if (share >= c.from) chosen = c;
  return chosen;
}

/** Compare "F2" before "F10", as people read ids. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * A colour for each footprint id, assigned in natural order of the ids rather than in the order
 * features arrive, so F1 has the same colour on every map of every report.
 */
export function footprintColours(ids: Iterable<string>): Map<string, string> {
  const sorted = [...new Set(ids)].sort(naturalCompare);
  return new Map(sorted.map((id, i) => [id, FOOTPRINT_COLOURS[i % FOOTPRINT_COLOURS.length]]));
}

/**
 * Colours for many areas on one map (70 footprints of a region), such that no two neighbours share
 * one: greedy colouring in smallest-last order, which needs at most six colours on a planar map
 * (every planar graph has a vertex of degree five or less), so the eight hues above suffice.
 * Deterministic: ties go to the area whose id comes first. `neighbours[i]` lists the areas
 * sharing a boundary with area i.
 */
export function adjacencyColours(ids: string[], neighbours: number[][], palette: readonly string[] = FOOTPRINT_COLOURS): string[] {
  const n = ids.length;
  const rank = ids.map((_, i) => i).sort((a, b) => naturalCompare(ids[a], ids[b]));
  const position = new Int32Array(n);
  rank.forEach((i, r) => (position[i] = r));
  const degree = neighbours.map((list) => new Set(list).size);
  const removed = new Uint8Array(n);
  const order: number[] = [];
  for (let step = 0; step < n; step++) {
    let pick = -1;
    for (let i = 0; i < n; i++) {
      if (removed[i]) continue;
      if (pick < 0 || degree[i] < degree[pick] || (degree[i] === degree[pick] && position[i] > position[pick])) pick = i;
    }
    removed[pick] = 1;
    order.push(pick);
    for (const j of new Set(neighbours[pick])) if (!removed[j]) degree[j]--;
  }
  const colour = new Int32Array(n).fill(-1);
  for (const i of order.reverse()) {
    const used = new Set(neighbours[i].map((j) => colour[j]));
    let c = 0;
    while (used.has(c)) c++;
    colour[i] = c;
  }
  // Beyond the palette (only a non-planar adjacency could get there) colours repeat.
  return Array.from(colour, (c) => palette[c % palette.length]);
}
