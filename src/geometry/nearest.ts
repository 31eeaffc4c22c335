import Flatbush from 'flatbush';

/**
 * For each query point, the nearest of a set of sites by straight-line distance in the plane, with
 * ties (two practices at one address, a unit point equidistant from two) broken by the sites'
 * `rank`, lowest first, so the answer never depends on the order the sites were listed in.
 */
export interface NearestSites {
  /** Index of the nearest site for each point. */
  site: Int32Array;
  /** Its distance, in the plane's units (metres in the equal-area plane). */
  distance: Float64Array;
}

/** Relative slack under which two distances are a tie: far below any real difference in metres. */
const TIE = 1e-9;

export function nearestSites(points: ReadonlyArray<readonly [number, number]>, sites: ReadonlyArray<readonly [number, number]>, rank: ArrayLike<number>): NearestSites {
  if (sites.length === 0) throw new RangeError('nearestSites needs at least one site');
  const index = new Flatbush(sites.length);
  for (const [x, y] of sites) index.add(x, y, x, y);
  index.finish();
  const site = new Int32Array(points.length);
  const distance = new Float64Array(points.length);
  points.forEach(([x, y], p) => {
    const [first] = index.neighbors(x, y, 1);
    const d = Math.hypot(sites[first][0] - x, sites[first][1] - y);
    let best = first;
    // Everything within the tie slack of the nearest is equally near: the lowest rank wins.
    const ties = index.neighbors(x, y, Infinity, d * (1 + TIE) + TIE);
    for (const s of ties) if (rank[s] < rank[best]) best = s;
    site[p] = best;
    distance[p] = Math.hypot(sites[best][0] - x, sites[best][1] - y);
  });
  return { site, distance };
}
