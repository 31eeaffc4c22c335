import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import fc from 'fast-check';
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { generateRegion } from '../fixtures/generator/region.js';
import { footprintMap, sharedEdgeNeighbours, splitMap, type AreaFeature } from '../src/report/map.js';
import { adjacencyColours } from '../src/report/palette.js';
import { fixture } from './helpers/data.js';

/** Where the PNGs go, to look at by eye. */
const SAMPLES = '/tmp/footprint-maps';

interface Picture {
  width: number;
  height: number;
  /** Share of pixels that are not white. */
  inked: number;
  /** Distinct colours, roughly (channels quantised to 32 levels). */
  colours: number;
}

/** Render an SVG as a reviewer's viewer would (resvg, system fonts) and measure the picture. */
function picture(svg: string, name: string): Picture {
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: 1000 }, background: '#ffffff' }).render();
  mkdirSync(SAMPLES, { recursive: true });
  writeFileSync(join(SAMPLES, `${name}.png`), png.asPng());
  const { pixels, width, height } = png;
  let inked = 0;
  const colours = new Set<number>();
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i] < 250 || pixels[i + 1] < 250 || pixels[i + 2] < 250) inked++;
    colours.add(((pixels[i] >> 3) << 10) | ((pixels[i + 1] >> 3) << 5) | (pixels[i + 2] >> 3));
  }
  return { width, height, inked: inked / (width * height), colours: colours.size };
}

type Box = [number, number, number, number];
const labelBoxes = (svg: string): Box[] => [...svg.matchAll(/data-box="([^"]+)"/g)].map((m) => m[1].split(' ').map(Number) as Box);
const overlap = (a: Box, b: Box) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

function expectReadableLabels(svg: string): Box[] {
  const boxes = labelBoxes(svg);
  const [, , width, height] = /viewBox="([^"]+)"/.exec(svg)![1].split(' ').map(Number);
  for (const b of boxes) {
    expect(b[0]).toBeGreaterThanOrEqual(0);
    expect(b[1]).toBeGreaterThanOrEqual(0);
    expect(b[2]).toBeLessThanOrEqual(width);
    expect(b[3]).toBeLessThanOrEqual(height);
  }
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i], boxes[j]), `labels ${i} and ${j} overlap`).toBe(false);
  return boxes;
}

/** Fill colours of a map's footprints, in feature order. */
const footprintFills = (svg: string): string[] => {
  const start = svg.indexOf('<g class="fills" data-layer="footprints"');
  return [...svg.slice(start, svg.indexOf('</g>', start)).matchAll(/<path d="[^"]*" fill="([^"]+)"/g)].map((m) => m[1]);
};

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as FeatureCollection;

describe('maps as pictures', () => {
  it('the bundled example at k 5-6: every footprint coloured and labelled, labels apart, legend with one swatch each', () => {
    const districts = read(fixture('example', 'districts.geojson')).features.map((f, i) => ({ ...f, properties: { footprint: `F${i + 1}`, population: 40_000 + i } })) as AreaFeature[];
    const svg = footprintMap({ footprints: districts, overlays: [{ name: 'wards', features: read(fixture('example', 'wards.geojson')).features as AreaFeature[] }] });
    const pic = picture(svg, 'png-example-footprints');
    expect(pic.inked).toBeGreaterThan(0.3);
    expect(pic.colours).toBeGreaterThan(6);
    expect(expectReadableLabels(svg)).toHaveLength(districts.length);
    expect(new Set(footprintFills(svg)).size).toBe(districts.length);
    for (let f = 1; f <= districts.length; f++) expect(svg).toContain(`>F${f}</text>`);
  });

  it('a region at k ≈ 70: neighbours never share a colour, labels fit without overlap, the legend stays short; the split map names the PCNs', () => {
    const region = generateRegion({ boroughs: 4, units: 700, atomsPerUnit: 3, population: 2_870_000, wardsPerBorough: 18, gpClusters: 30, police: 10 });
    const footprints = region.wards.features.map((f, i) => ({ ...f, properties: { footprint: `E0800000${1 + (i % 4)}-F${i + 1}`, name: f.properties?.name, population: 30_000 + i * 300 } })) as AreaFeature[];
    expect(footprints.length).toBeGreaterThanOrEqual(65);
    const svg = footprintMap({ footprints, nesting: { name: 'boroughs', features: region.boroughs.features as AreaFeature[] } });
    const pic = picture(svg, 'png-region-footprints');
    expect(pic.inked).toBeGreaterThan(0.3);
    const fills = footprintFills(svg);
    const neighbours = sharedEdgeNeighbours(footprints);
    expect(neighbours.some((list) => list.length > 0)).toBe(true);
    neighbours.forEach((list, i) => list.forEach((j) => expect(fills[i], `${i} and ${j} are neighbours`).not.toBe(fills[j])));
    expect(new Set(fills).size).toBeLessThanOrEqual(6);
    const boxes = expectReadableLabels(svg);
    // Most footprints get a label at this size; the rest are counted in the subtitle.
    expect(boxes.length).toBeGreaterThan(footprints.length * 0.6);
    const legend = svg.slice(svg.indexOf('<g class="legend"'));
    expect((legend.match(/<text /g) ?? []).length).toBeLessThanOrEqual(4);

    const areas = region.gp.features.map((f, i) => ({ ...f, properties: { ...f.properties, split_share: i % 3 === 0 ? 0 : 0.05 * (i % 7) } })) as AreaFeature[];
    const split = splitMap({ layerName: 'gp', areas, footprints });
    const splitPic = picture(split, 'png-region-split-gp');
    expect(splitPic.inked).toBeGreaterThan(0.3);
    const named = expectReadableLabels(split);
    expect(named.length).toBeGreaterThan(areas.length * 0.6);
    expect(split).toMatch(/>PCN \d+</);
    expect(split).toContain('url(#hatch-0)');
  });

  it('adjacencyColours: neighbours differ and six colours suffice on planar maps (Voronoi partitions of a grid)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (regions, seed) => {
        let state = seed;
        const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
        const side = 24;
        const seeds = Array.from({ length: regions }, () => [random() * side, random() * side]);
        const label = Array.from({ length: side * side }, (_, c) => {
          const [x, y] = [(c % side) + 0.5, Math.floor(c / side) + 0.5];
          let best = 0;
          seeds.forEach(([sx, sy], r) => {
            if ((sx - x) ** 2 + (sy - y) ** 2 < (seeds[best][0] - x) ** 2 + (seeds[best][1] - y) ** 2) best = r;
          });
          return best;
        });
        const neighbours: Array<Set<number>> = seeds.map(() => new Set());
        for (let c = 0; c < side * side; c++) {
          for (const d of [c + 1, c + side]) {
            if ((d === c + 1 && d % side === 0) || d >= side * side) continue;
            if (label[c] !== label[d]) {
              neighbours[label[c]].add(label[d]);
              neighbours[label[d]].add(label[c]);
            }
          }
        }
        const lists = neighbours.map((s) => [...s]);
        const colours = adjacencyColours(seeds.map((_, r) => `F${r + 1}`), lists);
        lists.forEach((list, i) => list.forEach((j) => expect(colours[i]).not.toBe(colours[j])));
        expect(new Set(colours).size).toBeLessThanOrEqual(6);
      }),
      { numRuns: 40 },
    );
  });
});

