import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { dissolve } from '../src/geometry/dissolve.js';
import { differenceMap, footprintMap, layersMap, renderMap, splitMap, type AreaFeature } from '../src/report/map.js';
import { fixture, hasOldham, oldham } from './helpers/data.js';

/** Where the sample maps go, to look at by eye (`rsvg-convert -w 800 x.svg -o x.png`). */
const SAMPLES = '/tmp/footprint-maps';

function rectangle(lon: number, lat: number, w: number, h: number, properties: Record<string, unknown> = {}): AreaFeature {
  // RFC 7946: exterior ring counter-clockwise.
  return { type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + w, lat], [lon + w, lat + h], [lon, lat + h], [lon, lat]]] } };
}

function viewBox(svg: string): { width: number; height: number } {
  const m = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(svg);
  if (!m) throw new Error('no viewBox');
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** The `d` of every path in the group of a class (and layer name, when given). Groups do not nest. */
function pathsOf(svg: string, cls: string, layer?: string): string[] {
  const opening = layer === undefined ? `<g class="${cls}"` : `<g class="${cls}" data-layer="${layer}"`;
  const start = svg.indexOf(opening);
  if (start < 0) return [];
  const end = svg.indexOf('</g>', start);
  return [...svg.slice(start, end).matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]);
}

/** Coordinate pairs of an SVG path made of absolute M/L/Z commands (what d3-geo writes for polygons). */
function points(d: string): Array<[number, number]> {
  const numbers = (d.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g) ?? []).map(Number);
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < numbers.length; i += 2) out.push([numbers[i], numbers[i + 1]]);
  return out;
}

function insideViewBox(svg: string, d: string): boolean {
  const { width, height } = viewBox(svg);
  const pts = points(d);
  return pts.length > 0 && pts.every(([x, y]) => x >= 0 && x <= width && y >= 0 && y <= height);
}

function extent(d: string): { w: number; h: number } {
  const pts = points(d);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return { w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys) };
}

const texts = (svg: string) => [...svg.matchAll(/>([^<>]+)</g)].map((m) => m[1]);

describe('renderMap', () => {
  it('draws a counter-clockwise (RFC 7946) square as a small shape beside a large one, not as the globe minus the square', () => {
    const big = rectangle(-2.3, 53.4, 0.3, 0.2);
    const small = rectangle(-2.1, 53.5, 0.01, 0.01);
    const svg = renderMap({ title: 'winding', fills: [{ name: 'areas', features: [{ feature: big, fill: '#eee' }, { feature: small, fill: '#f00' }] }] });
    const [dBig, dSmall] = pathsOf(svg, 'fills', 'areas');
    expect(insideViewBox(svg, dSmall)).toBe(true);
    expect(dSmall.match(/M/g)).toHaveLength(1);
    expect(extent(dSmall).w).toBeLessThan(extent(dBig).w / 10);
    expect(extent(dSmall).w).toBeGreaterThan(5);
  });

  it('draws clockwise input exactly as its counter-clockwise twin', () => {
    const ccw = rectangle(-2.1, 53.5, 0.05, 0.03);
    const cw: AreaFeature = { ...ccw, geometry: { type: 'Polygon', coordinates: [[...(ccw.geometry as Polygon).coordinates[0]].reverse()] } };
    const draw = (f: AreaFeature) => renderMap({ title: 't', fills: [{ name: 'a', features: [{ feature: f, fill: '#000' }] }] });
    expect(draw(cw)).toBe(draw(ccw));
  });

  it('writes a self-contained document: viewBox, title, sans-serif font, no external references', () => {
    const svg = renderMap({ title: 'Plain', fills: [{ name: 'a', features: [{ feature: rectangle(-2, 53, 0.1, 0.1), fill: '#abc' }] }] });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 800 \d+"/);
    expect(svg).toContain('<title>Plain</title>');
    expect(svg).toMatch(/font-family="[^"]*sans-serif"/);
    expect(svg).not.toMatch(/href|@import|url\((?!#)/);
  });

  it('shrinks the canvas to a wide area, and keeps the height asked for when told to', () => {
    const wide = [{ feature: rectangle(-2.5, 53.5, 0.8, 0.05), fill: '#abc' }];
    expect(viewBox(renderMap({ title: 'w', fills: [{ name: 'a', features: wide }] })).height).toBeLessThan(300);
    expect(viewBox(renderMap({ title: 'w', fills: [{ name: 'a', features: wide }], fixedHeight: true })).height).toBe(700);
  });

  it('hatches highlighted areas with a pattern defined in the same file', () => {
    const area = rectangle(-2, 53, 0.1, 0.1);
    const svg = renderMap({
      title: 'h',
      fills: [{ name: 'a', features: [{ feature: area, fill: '#fff' }] }],
      highlights: [{ name: 'split', features: [area], style: 'hatch', colour: '#b30000' }],
      legend: [{ kind: 'hatch', colour: '#b30000', label: 'split' }],
    });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('<pattern id="hatch-0"');
    expect(svg.match(/url\(#hatch-0\)/g)).toHaveLength(2);
  });

  it('says so instead of failing when there is nothing to draw', () => {
    const svg = renderMap({ title: 'empty' });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('nothing to draw');
  });
});

describe('footprintMap', () => {
  const footprints = [
    rectangle(-2.2, 53.5, 0.05, 0.05, { footprint: 'F1', population: 41000 }),
    rectangle(-2.15, 53.5, 0.05, 0.05, { footprint: `F2 & <co> "x"`, population: 52000.4 }),
  ];
  const wards = { name: 'wards "2023"', features: [rectangle(-2.2, 53.5, 0.1, 0.025), rectangle(-2.2, 53.525, 0.1, 0.025)] };

  it('is well-formed XML with escaped title, labels with populations, a legend and a scale bar', () => {
    const svg = footprintMap({ title: 'Footprints & wards <draft>', footprints, overlays: [wards] });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('<title>Footprints &amp; wards &lt;draft&gt;</title>');
    const all = texts(svg);
    expect(all).toContain('F1 · 41,000');
    expect(all).toContain('F2 &amp; &lt;co&gt; &quot;x&quot; · 52,000');
    expect(all).toContain('wards &quot;2023&quot;');
    expect(all).toContain('footprint boundary');
    expect(all.some((t) => /^\d+(\.\d+)? km$/.test(t))).toBe(true);
  });

  it('draws every footprint as a non-empty path inside the viewBox', () => {
    const svg = footprintMap({ footprints, overlays: [wards] });
    const paths = pathsOf(svg, 'fills', 'footprints');
    expect(paths).toHaveLength(2);
    for (const d of paths) expect(insideViewBox(svg, d)).toBe(true);
    for (const d of pathsOf(svg, 'lines', wards.name.replace(/"/g, '&quot;'))) expect(insideViewBox(svg, d)).toBe(true);
  });

  it('is deterministic, and colours a footprint by its id whatever the order of features', () => {
    const a = footprintMap({ footprints, overlays: [wards] });
    expect(footprintMap({ footprints, overlays: [wards] })).toBe(a);
    const fill = (svg: string, id: string) => new RegExp(`fill="(#[0-9A-Fa-f]{6})"><title>${id}:`).exec(svg)?.[1];
    const b = footprintMap({ footprints: [...footprints].reverse(), overlays: [wards] });
    expect(fill(b, 'F1')).toBe(fill(a, 'F1'));
  });

  it('keeps random rectangles and polygons around the UK inside the viewBox (property)', () => {
    const shape = fc.record({
      lon: fc.double({ min: -6, max: 1.5, noNaN: true }),
      lat: fc.double({ min: 50, max: 58.5, noNaN: true }),
      size: fc.double({ min: 0.0005, max: 0.3, noNaN: true }),
      // Radii of a star-shaped polygon around the centre: any such polygon is simple.
      radii: fc.array(fc.double({ min: 0.2, max: 1, noNaN: true }), { minLength: 3, maxLength: 9 }),
      box: fc.boolean(),
    });
    const toFeature = (s: { lon: number; lat: number; size: number; radii: number[]; box: boolean }, i: number): AreaFeature => {
      if (s.box) return rectangle(s.lon, s.lat, s.size, s.size * 0.7, { footprint: `F${i + 1}`, population: 1000 * i });
      const ring = s.radii.map((r, k) => {
        const a = (2 * Math.PI * k) / s.radii.length;
        return [s.lon + s.size * r * Math.cos(a), s.lat + s.size * r * Math.sin(a)];
      });
      return { type: 'Feature', properties: { footprint: `F${i + 1}` }, geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] } };
    };
    fc.assert(
      fc.property(fc.array(shape, { minLength: 1, maxLength: 6 }), (shapes) => {
        const features = shapes.map(toFeature);
        const svg = footprintMap({ title: 'p', footprints: features });
        const paths = pathsOf(svg, 'fills', 'footprints');
        return XMLValidator.validate(svg) === true && paths.length === features.length && paths.every((d) => insideViewBox(svg, d));
      }),
      { numRuns: 60 },
    );
  });
});

describe('splitMap and differenceMap', () => {
  const footprints = [rectangle(-2.2, 53.5, 0.05, 0.1, { footprint: 'F1' }), rectangle(-2.15, 53.5, 0.05, 0.1, { footprint: 'F2' })];
  const areas = [
    rectangle(-2.2, 53.5, 0.1, 0.05, { id: 'W1', name: 'Hollin & Park', split_share: 0.3 }),
    rectangle(-2.2, 53.55, 0.1, 0.05, { id: 'W2', name: 'Moor', split_share: 0 }),
  ];

  it('shades areas by the share split off, names the split ones and outlines the footprints', () => {
    const svg = splitMap({ layerName: 'wards', areas, footprints });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('<title>wards: areas split by the footprints</title>');
    const fills = pathsOf(svg, 'fills', 'wards');
    expect(fills).toHaveLength(2);
    expect(svg).toMatch(/fill="#b30000"><title>Hollin &amp; Park: 30% of residents split off/);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Hollin &amp; Park', '30%', 'F1', 'F2', '25% or more split off', '1 of 2 areas split (hatched); shade: share of residents outside the footprint holding most of the area.']));
    expect(pathsOf(svg, 'lines', 'footprints')).toHaveLength(1);
  });

  it('takes a plain split flag as well as a share', () => {
    const flagged = areas.map((a, i) => ({ ...a, properties: { id: a.properties?.id, split: i === 0 } }));
    const svg = splitMap({ layerName: 'gp', areas: flagged, footprints });
    expect(texts(svg)).toEqual(expect.arrayContaining(['split', 'whole']));
    expect(texts(svg)).not.toContain('10–25% split off');
  });

  it('highlights units that move, tinted by where they go', () => {
    const units = [
      rectangle(-2.2, 53.5, 0.05, 0.05, { id: 'U1', from: 'F1', to: 'F1' }),
      rectangle(-2.2, 53.55, 0.05, 0.05, { id: 'U2', from: 'F1', to: 'F2' }),
      rectangle(-2.15, 53.5, 0.05, 0.1, { id: 'U3', from: 'F2', to: 'F2' }),
    ];
    const svg = differenceMap({ units, footprints });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(pathsOf(svg, 'highlights', 'changed units')).toHaveLength(1);
    expect(svg).toContain('<title>U2: F1 → F2</title>');
    expect(texts(svg)).toEqual(expect.arrayContaining(['changes footprint (1)', 'in F1', 'in F2', 'reference footprints', '1 of 3 units change footprint; outlines: the reference plan&apos;s footprints.']));
  });

  it('works from a bare changed flag too', () => {
    const units = [rectangle(-2.2, 53.5, 0.05, 0.1, { id: 'U1', changed: false }), rectangle(-2.15, 53.5, 0.05, 0.1, { id: 'U2', changed: true })];
    const svg = differenceMap({ title: 'changes', units, footprints });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(pathsOf(svg, 'fills', 'changed units')).toHaveLength(1);
    expect(svg).toMatch(/fill="#D55E00"><title>U2: \? → \?<\/title>/);
  });
});

type Areas = FeatureCollection<Polygon | MultiPolygon>;
const readAreas = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Areas;

function writeSample(name: string, svg: string): void {
  mkdirSync(SAMPLES, { recursive: true });
  writeFileSync(join(SAMPLES, name), svg);
}

/** Footprints of an assignment, dissolved from its units, with their populations. */
function footprintsOf(units: AreaFeature[], assignment: string[]): AreaFeature[] {
  const ids = [...new Set(assignment)].sort();
  return ids.map((id) => {
    const members = units.filter((_, u) => assignment[u] === id);
    const population = members.reduce((s, m) => s + Number(m.properties?.population ?? 0), 0);
    return { type: 'Feature', properties: { footprint: id, population }, geometry: dissolve(members.map((m) => m.geometry)) };
  });
}

/** Share of each area's residents outside the footprint holding most of them, units counted whole in their area. */
function splitShares(units: AreaFeature[], areaOf: (u: AreaFeature) => string, assignment: string[]): Map<string, number> {
  const table = new Map<string, Map<string, number>>();
  units.forEach((u, i) => {
    const row = table.get(areaOf(u)) ?? new Map<string, number>();
    row.set(assignment[i], (row.get(assignment[i]) ?? 0) + Number(u.properties?.population ?? 0));
    table.set(areaOf(u), row);
  });
  return new Map([...table].map(([a, row]) => {
    const total = [...row.values()].reduce((s, x) => s + x, 0);
    return [a, total > 0 ? 1 - Math.max(...row.values()) / total : 0];
  }));
}

const hasExample = existsSync(fixture('example', 'units.geojson')) && existsSync(fixture('example', 'plan', 'assignment.csv'));

describe.skipIf(!hasExample)('maps of the bundled example', () => {
  it('renders the example plan: footprints over the service layers, wards split, and a difference map', () => {
    const units = readAreas(fixture('example', 'units.geojson')).features;
    const lines = readFileSync(fixture('example', 'plan', 'assignment.csv'), 'utf8').trim().split('\n').slice(1);
    const byUnit = new Map(lines.map((l) => l.split(',') as [string, string]));
    const assignment = units.map((u) => byUnit.get(String(u.properties?.code)) ?? 'F1');
    const footprints = footprintsOf(units, assignment);
    const layers = ['wards', 'gp', 'police', 'districts'].map((name) => ({ name, features: readAreas(fixture('example', `${name}.geojson`)).features }));

    const main = footprintMap({ title: `${footprints.length} footprints and today's service boundaries`, footprints, overlays: layers });
    expect(XMLValidator.validate(main)).toBe(true);
    expect(pathsOf(main, 'fills', 'footprints')).toHaveLength(footprints.length);
    expect(pathsOf(main, 'fills', 'footprints').every((d) => insideViewBox(main, d))).toBe(true);
    for (const f of footprints) expect(main).toContain(`${f.properties?.footprint} · `);
    writeSample('example-footprints.svg', main);

    const shares = splitShares(units, (u) => String(u.properties?.ward), assignment);
    const wards = layers[0].features.map((w) => ({ ...w, properties: { ...w.properties, split_share: shares.get(String(w.properties?.code)) ?? 0 } }));
    const split = splitMap({ layerName: 'wards', areas: wards, footprints });
    expect(XMLValidator.validate(split)).toBe(true);
    writeSample('example-split-wards.svg', split);

    // A second plan: a few units handed to the next footprint.
    const ids = footprints.map((f) => String(f.properties?.footprint));
    const moved = units.map((u, i) => ({ ...u, properties: { id: u.properties?.name, from: assignment[i], to: i % 23 === 5 ? ids[(ids.indexOf(assignment[i]) + 1) % ids.length] : assignment[i] } }));
    const diff = differenceMap({ title: 'Units that change footprint (plan 2 against plan 1)', units: moved, footprints });
    expect(XMLValidator.validate(diff)).toBe(true);
    expect(pathsOf(diff, 'highlights', 'changed units')).toHaveLength(moved.filter((m) => m.properties.from !== m.properties.to).length);
    writeSample('example-changes.svg', diff);

    const overview = layersMap({ units, overlays: layers });
    expect(XMLValidator.validate(overview)).toBe(true);
    writeSample('example-layers.svg', overview);
  });
});

describe.skipIf(!hasOldham)('maps of Oldham (real boundaries)', () => {
  it('renders the 142 LSOAs in five footprints with the 2023 wards over them', () => {
    const lsoas = readAreas(oldham('lsoa.geojson')).features;
    const wards = readAreas(oldham('wards.geojson')).features;
    const wardOf = new Map(
      readFileSync(oldham('lsoa_ward_bestfit.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','))
        .map((c) => [c[0], c[2]] as const),
    );
    // Five sectors of equal population around the middle of the borough: a stand-in for a plan.
    const centre = lsoas.map((f) => points(JSON.stringify(f.geometry.coordinates).replace(/[[\]]/g, ' ')));
    const middle = centre.flat().reduce((s, p) => [s[0] + p[0], s[1] + p[1]], [0, 0]).map((x) => x / centre.flat().length);
    const angle = centre.map((pts) => {
      const c = pts.reduce((s, p) => [s[0] + p[0] / pts.length, s[1] + p[1] / pts.length], [0, 0]);
      return Math.atan2(c[1] - middle[1], (c[0] - middle[0]) * 0.6);
    });
    const order = lsoas.map((_, i) => i).sort((a, b) => angle[a] - angle[b]);
    const total = lsoas.reduce((s, f) => s + Number(f.properties?.population), 0);
    const assignment: string[] = new Array(lsoas.length);
    let running = 0;
    for (const u of order) {
      assignment[u] = `F${Math.min(5, 1 + Math.floor((running / total) * 5))}`;
      running += Number(lsoas[u].properties?.population);
    }
    const footprints = footprintsOf(lsoas, assignment);
    const main = footprintMap({
      title: 'Oldham: five footprints and the 2023 wards',
      footprints,
      overlays: [{ name: 'wards (2023)', features: wards }],
      source: 'Contains OS data © Crown copyright and database right; ONS (OGL v3.0).',
    });
    expect(XMLValidator.validate(main)).toBe(true);
    expect(pathsOf(main, 'fills', 'footprints').every((d) => insideViewBox(main, d))).toBe(true);
    writeSample('oldham-footprints.svg', main);

    const shares = splitShares(lsoas, (u) => wardOf.get(String(u.properties?.code)) ?? '', assignment);
    const split = splitMap({ layerName: 'wards', areas: wards.map((w) => ({ ...w, properties: { ...w.properties, split_share: shares.get(String(w.properties?.code)) ?? 0 } })), footprints });
    expect(XMLValidator.validate(split)).toBe(true);
    writeSample('oldham-split-wards.svg', split);

    const overview = layersMap({ title: 'Oldham: LSOAs and wards', units: lsoas, overlays: [{ name: 'wards (2023)', features: wards }, { name: 'wards (2022)', features: readAreas(oldham('wards_2022.geojson')).features }] });
    expect(XMLValidator.validate(overview)).toBe(true);
    writeSample('oldham-layers.svg', overview);
  });
});
