import { geoArea } from 'd3-geo';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { ringSignedArea } from '../src/geometry/planar.js';
import {
  boundaryMesh,
  poleOfInaccessibility,
  rewindForD3,
  scaleBarLength,
  type AreaFeature,
  type Point,
} from '../src/report/map-geometry.js';
import { footprintColours, splitClass, SPLIT_CLASSES } from '../src/report/palette.js';
import { escapeXml, formatCount, formatShare, num } from '../src/report/svg.js';

/** A square with an RFC 7946 (counter-clockwise) exterior. */
function square(lon: number, lat: number, size: number): AreaFeature {
  return { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]] } };
}

describe('winding for d3-geo', () => {
  it('turns RFC 7946 counter-clockwise exteriors clockwise, which d3 reads as the small side', () => {
    const ccw = square(-2.1, 53.5, 0.01);
    expect(ringSignedArea((ccw.geometry as Polygon).coordinates[0])).toBeGreaterThan(0);
    // The failure this guards against: as is, d3 sees the whole sphere minus the square.
    expect(geoArea(ccw)).toBeGreaterThan(4 * Math.PI - 1e-3);
    const wound = rewindForD3(ccw);
    expect(ringSignedArea((wound.geometry as Polygon).coordinates[0])).toBeLessThan(0);
    expect(geoArea(wound)).toBeLessThan(1e-6);
  });

  it('leaves clockwise input clockwise and winds holes the other way', () => {
    const outer = [[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]];
    const hole = [[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.6], [0.4, 0.4]];
    const feature: AreaFeature = { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[outer, [...hole].reverse()]] } };
    const [[exterior, inner]] = (rewindForD3(feature).geometry as { coordinates: number[][][][] }).coordinates;
    expect(exterior).toEqual(outer);
    expect(ringSignedArea(inner)).toBeGreaterThan(0);
    expect(geoArea(rewindForD3(feature))).toBeLessThan(1e-3);
  });
});

describe('boundary mesh', () => {
  const left = square(0, 0, 1);
  const right = square(1, 0, 1);
  const segments = (lines: number[][][]) => lines.reduce((n, line) => n + line.length - 1, 0);

  it('draws a shared edge once', () => {
    expect(segments(boundaryMesh([left, right]).coordinates)).toBe(7);
  });

  it('keeps only the outer edge, chained into one closed line, or only the inner boundary', () => {
    const outer = boundaryMesh([left, right], 'outer').coordinates;
    expect(outer).toHaveLength(1);
    expect(segments(outer)).toBe(6);
    expect(outer[0][0]).toEqual(outer[0][outer[0].length - 1]);
    expect(boundaryMesh([left, right], 'inner').coordinates).toEqual([
      [
        [1, 0],
        [1, 1],
      ],
    ]);
  });

  it('chains edges into lines that end only at junctions', () => {
    // Three squares in a row: junctions where the two inner edges meet the outer edge.
    const mesh = boundaryMesh([left, right, square(2, 0, 1)]).coordinates;
    expect(segments(mesh)).toBe(10);
    for (const line of mesh) expect(line.length).toBeGreaterThan(1);
    expect(mesh.length).toBeLessThanOrEqual(6);
  });
});

describe('label placement', () => {
  it('puts the label inside a U shape, not at its centroid in the gap', () => {
    const u: Point[] = [[0, 0], [30, 0], [30, 30], [20, 30], [20, 10], [10, 10], [10, 30], [0, 30], [0, 0]];
    const { point, distance } = poleOfInaccessibility([u], 0.1);
    const inArm = point[0] < 10 || point[0] > 20 || point[1] < 10;
    expect(inArm).toBe(true);
    expect(distance).toBeGreaterThan(4);
  });
});

describe('scale bar', () => {
  it('picks the longest round length that fits', () => {
    expect(scaleBarLength(20, 150)).toEqual({ km: 2, pixels: 100 });
    expect(scaleBarLength(5, 150).km).toBe(0.5);
    expect(scaleBarLength(400, 150).km).toBe(50);
  });
});

describe('palette and text', () => {
  it('colours footprints by id in natural order, whatever order they come in', () => {
    const a = footprintColours(['F10', 'F2', 'F1']);
    const b = footprintColours(['F1', 'F2', 'F10']);
    expect([...a]).toEqual([...b]);
    expect([...a.keys()]).toEqual(['F1', 'F2', 'F10']);
  });

  it('classes split shares with "whole" only for exactly zero', () => {
    expect(splitClass(0)).toBe(SPLIT_CLASSES[0]);
    expect(splitClass(0.001)).toBe(SPLIT_CLASSES[1]);
    expect(splitClass(0.1)).toBe(SPLIT_CLASSES[2]);
    expect(splitClass(0.6)).toBe(SPLIT_CLASSES[3]);
  });

  it('escapes markup and formats numbers the same on every machine', () => {
    expect(escapeXml(`A&B <"c"> 'd'`)).toBe('A&amp;B &lt;&quot;c&quot;&gt; &apos;d&apos;');
    expect(num(-0.04)).toBe('0');
    expect(num(12.345)).toBe('12.3');
    expect(formatCount(48120.4)).toBe('48,120');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatShare(0.004)).toBe('<1%');
    expect(formatShare(0.236)).toBe('24%');
  });
});
