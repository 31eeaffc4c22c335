/**
 * Catchments at England scale: about 34,000 units (the England-scale tessellation of
 * bench/england.ts, ~100 vertices each) and 6,500 GP practices at random points, grouped into
 * 1,250 PCNs. Times `siteCatchments` whole: projecting the units, each unit's representative point,
 * the nearest-site search with ties, and the far-site check. Median of 5 runs after one warm-up.
 *
 *   npx tsx bench/catchments.ts [--units 34000] [--sites 6500]
 */
import { performance } from 'node:perf_hooks';
import { resourceUsage } from 'node:process';
import type { RawLayer } from '../src/layers/types.js';
import { siteCatchments } from '../src/align/source/sites.js';
import { unitsProjection } from '../src/align/crosswalk.js';
import { mulberry32 } from '../fixtures/generator/random.js';
import { englandCase } from './england.js';

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const unitCount = argument('units', 34_000);
const siteCount = argument('sites', 6_500);
const { units } = englandCase({ units: unitCount, areas: 10 });
const random = mulberry32(11);
let minLon = Infinity;
let maxLon = -Infinity;
let minLat = Infinity;
let maxLat = -Infinity;
for (const area of units.areas) {
  for (const [lon, lat] of area.geometry.type === 'Polygon' ? area.geometry.coordinates[0] : area.geometry.coordinates[0][0]) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
}
const sites: RawLayer = {
  source: 'generated:practices',
  sourceCrs: 'EPSG:4326',
  crsReason: 'generated',
  features: Array.from({ length: siteCount }, (_, index) => ({
    index,
    properties: { code: `P${String(index).padStart(5, '0')}`, pcn_code: `U${String(Math.floor(random() * 1250)).padStart(4, '0')}` },
    geometry: { type: 'Point', coordinates: [minLon + random() * (maxLon - minLon), minLat + random() * (maxLat - minLat)] },
  })),
};

const times: number[] = [];
let areas = 0;
for (let run = 0; run < 6; run++) {
  // A fresh copy of the units each run, so the projection cache does not hide the projecting.
  const fresh = { ...units, areas: units.areas.map((a) => ({ ...a })) };
  const began = performance.now();
  const c = siteCatchments(fresh, sites, { group: 'pcn_code', id: 'code', projection: unitsProjection(fresh) });
  const ms = performance.now() - began;
  areas = c.areaIds.length;
  if (run > 0) times.push(ms);
}
times.sort((a, b) => a - b);
console.log(`Catchments: ${units.areas.length} units × ${siteCount} sites in ${areas} groups`);
console.log(`  siteCatchments  ${(times[Math.floor(times.length / 2)] / 1000).toFixed(2)} s median of ${times.length} (min ${(times[0] / 1000).toFixed(2)} s, max ${(times[times.length - 1] / 1000).toFixed(2)} s); target < 2 s`);
console.log(`  peak RSS        ${(resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
