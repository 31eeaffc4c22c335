/**
 * Connected components of a graph, the one helper for them (the unit adjacency, the plan's node
 * graph, a footprint's pieces). The graph is given by a visitor of each node's neighbours, so any
 * adjacency form works; `include` keeps to a subset of the nodes (a footprint). Each component
 * lists its nodes breadth-first from its lowest node; components come in order of their lowest node.
 */
export function connectedComponents(n: number, forEachNeighbour: (v: number, visit: (w: number) => void) => void, include?: (v: number) => boolean): number[][] {
  const seen = new Uint8Array(n);
  const out: number[][] = [];
  for (let s = 0; s < n; s++) {
    if (seen[s] || (include && !include(s))) continue;
    const piece = [s];
    seen[s] = 1;
    const visit = (w: number): void => {
      if (!seen[w] && (!include || include(w))) {
        seen[w] = 1;
        piece.push(w);
      }
    };
    for (let i = 0; i < piece.length; i++) forEachNeighbour(piece[i], visit);
    out.push(piece);
  }
  return out;
}
