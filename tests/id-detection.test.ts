import { describe, expect, it } from 'vitest';
import { detectIdField } from '../src/layers/load.js';
import type { RawFeature } from '../src/layers/types.js';
import { fixture } from './helpers/data.js';
import { readRawLayer } from '../src/layers/load.js';

const features = (rows: Array<Record<string, unknown>>, ids?: Array<string | number>): RawFeature[] =>
  rows.map((properties, index) => ({ index, properties, geometry: null, ...(ids ? { featureId: ids[index] } : {}) }));

describe('id detection prefers code-like fields over names', () => {
  it('schools: urn, not name', () => {
    expect(detectIdField(readRawLayer(fixture('example', 'schools.geojson')).features)?.field).toBe('urn');
  });

  it('ONS codes first, then other …CD fields, then common code names, then *_code with distinct values, then the GeoJSON id, then name', () => {
    expect(detectIdField(features([{ name: 'a', code: 'x', LSOA21CD: 'E1' }]))?.field).toBe('LSOA21CD');
    expect(detectIdField(features([{ name: 'a', code: 'x', PCNCD: 'U1' }]))?.field).toBe('PCNCD');
    expect(detectIdField(features([{ name: 'a', code: 'x' }]))?.field).toBe('code');
    expect(detectIdField(features([{ name: 'a', school_code: 's1' }, { name: 'b', school_code: 's2' }]))?.field).toBe('school_code');
    // Repeated values are no id: the GeoJSON id member wins, then the name.
    expect(detectIdField(features([{ name: 'a', trust_code: 't' }, { name: 'b', trust_code: 't' }], [7, 8]))?.field).toBe('#id');
    expect(detectIdField(features([{ name: 'a', trust_code: 't' }, { name: 'b', trust_code: 't' }]))?.field).toBe('name');
  });

  it('an explicit --id wins', () => {
    expect(detectIdField(features([{ name: 'a', urn: 1 }]), 'name')?.field).toBe('name');
  });
});
