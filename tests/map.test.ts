import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { differenceMap, footprintMap, splitMap, type AreaFeature } from '../src/report/map.js';
import { fixture } from './helpers/data.js';

const W = 800;
const H = 640;

function rectangle(lon: number, lat: number, size: number, properties: Record<string, unknown> = {}): AreaFeature {
  // RFC 7946: exterior ring counter-clockwise.
  return { type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]] } };
}

/** The `d` of every path in a group with the given class. */
function pathsOf(svg: string, group: string): string[] {
  const start = svg.indexOf(`<g class="${group}"`);
  const end = svg.indexOf('</g>', start);
  return [...svg.slice(start, end).matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]);
}

/** Every coordinate pair of a path lies inside the viewBox. */
function inside(d: string): boolean {
  const numbers = (d.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
  for (let i = 0; i + 1 < numbers.length; i += 2) if (numbers[i] < 0 || numbers[i] > W || numbers[i + 1] < 0 || numbers[i + 1] > H) return false;
  return numbers.length > 0;
}

describe('SVG maps', () => {
  const footprints = [rectangle(-2.2, 53.5, 0.05, { footprint: 'F1', population: 41000 }), rectangle(-2.15, 53.5, 0.05, { footprint: 'F2 & <co>', population: 52000.4 })];
  const wards = { name: 'wards "2023"', features: [rectangle(-2.2, 53.5, 0.1)] };

  it('is well-formed XML with a title, escaped labels, a legend and a scale bar', () => {
    const svg = footprintMap({ title: 'Footprints & wards <draft>', footprints, overlays: [wards] });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('<title>Footprints &amp; wards &lt;draft&gt;</title>');
    expect(svg).toContain('F2 &amp; &lt;co&gt;');
    expect(svg).toContain('52,000');
    expect(svg).toContain('wards &quot;2023&quot;');
    expect(svg).toMatch(/<text[^>]*>\d+(\.\d)? km<\/text>/);
  });

  it('draws every footprint as a non-empty path inside the viewBox', () => {
    const svg = footprintMap({ title: 't', footprints, overlays: [wards] });
    const paths = pathsOf(svg, 'footprints');
    expect(paths).toHaveLength(2);
    for (const d of paths) expect(inside(d)).toBe(true);
  });

  it('handles RFC 7946 winding: a counter-clockwise square is a small shape, not the whole globe', () => {
    const svg = footprintMap({ title: 't', footprints: [rectangle(-2.1, 53.5, 0.01, { footprint: 'F1' }), rectangle(-2.0, 53.6, 0.01, { footprint: 'F2' })], overlays: [] });
    for (const d of pathsOf(svg, 'footprints')) {
      expect(inside(d)).toBe(true);
      // A path around the globe minus the square would include points far outside the view.
      expect(d.split(/[MLZ]/).filter(Boolean).length).toBeLessThan(10);
    }
  });

  it('is deterministic', () => {
    const a = footprintMap({ title: 't', footprints, overlays: [wards] });
    expect(footprintMap({ title: 't', footprints, overlays: [wards] })).toBe(a);
  });

  it('keeps random rectangles around Oldham inside the viewBox (property)', () => {
    const rect = fc.record({ lon: fc.double({ min: -2.2, max: -1.9, noNaN: true }), lat: fc.double({ min: 53.45, max: 53.65, noNaN: true }), size: fc.double({ min: 0.001, max: 0.05, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(rect, { minLength: 1, maxLength: 6 }), (rects) => {
        const features = rects.map((r, i) => rectangle(r.lon, r.lat, r.size, { footprint: `F${i + 1}`, population: 1000 }));
        const svg = footprintMap({ title: 'p', footprints: features, overlays: [] });
        const paths = pathsOf(svg, 'footprints');
        return XMLValidator.validate(svg) === true && paths.length === features.length && paths.every(inside);
      }),
      { numRuns: 50 },
    );
  });

  it('renders the example: footprints from the GP clusters with wards over them, a split map and a difference map', () => {
    const gp = JSON.parse(readFileSync(fixture('example', 'gp.geojson'), 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
    const wardLayer = JSON.parse(readFileSync(fixture('example', 'wards.geojson'), 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
    const asFootprints = gp.features.map((f) => ({ ...f, properties: { footprint: String(f.properties?.id), population: 48000 } }));
    const main = footprintMap({ title: 'example', footprints: asFootprints, overlays: [{ name: 'wards', features: wardLayer.features }] });
    expect(XMLValidator.validate(main)).toBe(true);
    expect(pathsOf(main, 'footprints').every(inside)).toBe(true);
    const split = splitMap({ title: 'wards split', footprints: asFootprints, areas: wardLayer.features.map((f, i) => ({ ...f, properties: { id: f.properties?.code, split_share: (i % 4) / 10 } })) });
    expect(XMLValidator.validate(split)).toBe(true);
    expect(split).toContain('#fc8d59');
    const diff = differenceMap({ title: 'changes', footprints: asFootprints, units: wardLayer.features.map((f, i) => ({ ...f, properties: { id: f.properties?.code, changed: i === 3 } })) });
    expect(XMLValidator.validate(diff)).toBe(true);
    expect((diff.match(/fill="#D55E00"/g) ?? []).length).toBe(2); // the changed unit and its legend swatch
  });
});
