import { centroidOf } from './planar.js';
/** A point in a plane: metres in the equal-area projection, or pixels on a map. */
type Point = [number, number];

/**
 * The pole of inaccessibility of a planar polygon (the interior point farthest from its edges),
 * found by the quadtree search of Mapbox's polylabel to within `precision`. A label there sits
 * inside even a crescent or a U-shaped area, where the centroid may fall outside.
 */
export function poleOfInaccessibility(rings: Point[][], precision = 1): { point: Point; distance: number } {
  const exterior = rings[0];
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of exterior) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  const size = Math.min(x1 - x0, y1 - y0);
  if (!(size > 0)) return { point: [x0, y0], distance: 0 };

  interface Cell {
    x: number;
    y: number;
    h: number;
    d: number;
    max: number;
  }
  const cell = (x: number, y: number, h: number): Cell => {
    const d = signedDistance([x, y], rings);
    return { x, y, h, d, max: d + h * Math.SQRT2 };
  };
  const queue = new MaxHeap<Cell>((c) => c.max);
  const h = size / 2;
  for (let x = x0; x < x1; x += size) for (let y = y0; y < y1; y += size) queue.push(cell(x + h, y + h, h));

  let best = cell((x0 + x1) / 2, (y0 + y1) / 2, 0);
  const centroid = centroidOf([[exterior]]);
  if (centroid) {
    const c = cell(centroid[0], centroid[1], 0);
    if (c.d > best.d) best = c;
  }
  for (let next = queue.pop(); next; next = queue.pop()) {
    if (next.d > best.d) best = next;
    if (next.max - best.d <= precision) continue;
    const half = next.h / 2;
    queue.push(cell(next.x - half, next.y - half, half));
    queue.push(cell(next.x + half, next.y - half, half));
    queue.push(cell(next.x - half, next.y + half, half));
    queue.push(cell(next.x + half, next.y + half, half));
  }
  return { point: [best.x, best.y], distance: best.d };
}

/** Distance from a point to the polygon's boundary: positive inside, negative outside. */
function signedDistance([px, py]: Point, rings: Point[][]): number {
  let inside = false;
  let min = Infinity;
  for (const ring of rings) {
    for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
      const [ax, ay] = ring[i];
      const [bx, by] = ring[j];
      if (ay > py !== by > py && px < ((bx - ax) * (py - ay)) / (by - ay) + ax) inside = !inside;
      min = Math.min(min, segmentDistance2(px, py, ax, ay, bx, by));
    }
  }
  return (inside ? 1 : -1) * Math.sqrt(min);
}

function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  let x = ax;
  let y = ay;
  const dx = bx - ax;
  const dy = by - ay;
  if (dx !== 0 || dy !== 0) {
    const t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = bx;
      y = by;
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  return (px - x) ** 2 + (py - y) ** 2;
}


class MaxHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly priority: (item: T) => number) {}

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.priority(items[parent]) >= this.priority(items[i])) break;
      [items[parent], items[i]] = [items[i], items[parent]];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.priority(items[l]) > this.priority(items[m])) m = l;
        if (r < items.length && this.priority(items[r]) > this.priority(items[m])) m = r;
        if (m === i) break;
        [items[m], items[i]] = [items[i], items[m]];
        i = m;
      }
    }
    return top;
  }
}
