import type { Problem } from '../../plan/problem.js';

/** A layer's areas: residents not yet carved, the largest carved piece, and the piece being closed. */
interface LayerTally {
  layer: Problem['layers'][number];
  remaining: Float64Array;
  largest: Float64Array;
  piece: Float64Array;
}

/** What takePieces changed, for restore. */
export type SavedSplit = Array<readonly [Float64Array, Float64Array]>;

/**
 * The split terms' part of the exact search's bound (solve.ts): for an area a, the footprints
 * already carved hold fixed pieces; whatever the rest of the plan, its largest piece is at most
 * max(largest carved piece, residents not yet placed), so
 * S(L|F) ≥ (N − Σ_a max(maxCarved(a), remaining(a))) / N.
 */
export class SplitTally {
  readonly layers: LayerTally[];

  constructor(problem: Problem) {
    const { n } = problem;
    this.layers = problem.layers.map((layer) => {
      const areas = layer.areaIds.length;
      const remaining = new Float64Array(areas);
      for (let v = 0; v < n; v++) for (let p = layer.start[v]; p < layer.start[v + 1]; p++) remaining[layer.area[p]] += layer.pop[p];
      return { layer, remaining, largest: new Float64Array(areas), piece: new Float64Array(areas) };
    });
  }

  /** `bound` plus each weighted layer's lower bound on its split term. */
  addBound(bound: number): number {
    for (const { layer, remaining, largest } of this.layers) {
      if (layer.weight === 0 || layer.total <= 0) continue;
      let kept = 0;
      for (let a = 0; a < remaining.length; a++) kept += Math.max(largest[a], remaining[a]);
      bound += (layer.weight * Math.max(0, layer.total - kept)) / layer.total;
    }
    return bound;
  }

  /** Layer l's split term S(L|F), unweighted, is at least this in every completion of the carved footprints. */
  layerBound(l: number): number {
    const { layer, remaining, largest } = this.layers[l];
    if (layer.total <= 0) return 0;
    let kept = 0;
    for (let a = 0; a < remaining.length; a++) kept += Math.max(largest[a], remaining[a]);
    return Math.max(0, layer.total - kept) / layer.total;
  }

  /** Moves the members' residents per area from remaining to carved; returns what restore needs. */
  takePieces(members: number[]): SavedSplit {
    for (const { layer, piece } of this.layers) {
      piece.fill(0);
      for (const x of members) for (let p = layer.start[x]; p < layer.start[x + 1]; p++) piece[layer.area[p]] += layer.pop[p];
    }
    const saved = this.layers.map(({ remaining, largest }) => [Float64Array.from(remaining), Float64Array.from(largest)] as const);
    for (const { remaining, largest, piece } of this.layers) {
      for (let a = 0; a < piece.length; a++) {
        if (piece[a] === 0) continue;
        remaining[a] -= piece[a];
        if (piece[a] > largest[a]) largest[a] = piece[a];
      }
    }
    return saved;
  }

  restore(saved: SavedSplit): void {
    this.layers.forEach((entry, i) => {
      entry.remaining.set(saved[i][0]);
      entry.largest.set(saved[i][1]);
    });
  }
}
