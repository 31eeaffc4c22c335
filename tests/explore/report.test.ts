import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { frontierChart } from '../../src/report/frontier-chart.js';

describe('frontier.svg', () => {
  const hostile = '<script>alert("x")</script> & \'co\'';
  const svg = frontierChart({
    title: `Trade-off: ${hostile}`,
    aName: hostile,
    bName: 'police',
    points: [
      { id: 1, a: 0.2, b: 0.05, frontier: true, proven: true },
      { id: 2, a: 0.3, b: 0.02, frontier: true, proven: false },
      { id: 3, a: 0.35, b: 0.04, frontier: false, proven: false },
    ],
    current: 2,
  });

  it('is well-formed, with names from data escaped', () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('marks proven points filled, others hollow, alternatives as diamonds, and rings the current plan', () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg) as { svg: { circle: Array<Record<string, string>>; path: Array<Record<string, string>> } };
    const circles = doc.svg.circle;
    const points = circles.filter((c) => c.r === '6');
    expect(points.map((c) => c.fill)).toEqual(['#0072B2', '#ffffff']);
    expect(circles.filter((c) => c.r === '11')).toHaveLength(1);
    expect(doc.svg.path.filter((p) => p.fill === '#9a9a9a')).toHaveLength(1);
    // The staircase through the two frontier points, in order of A.
    expect(doc.svg.path.some((p) => p['stroke-dasharray'] === '4 3')).toBe(true);
  });
});
