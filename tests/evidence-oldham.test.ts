import { describe, expect, it } from 'vitest';
import { planEvidence } from '../src/evidence/evidence.js';
import { buildWorkspace } from '../src/pipeline/workspace.js';
import { applyFlags, defaultConfig } from '../src/scenario/config.js';
import { hasOldham, oldham } from './helpers/data.js';

describe.skipIf(!hasOldham)('evidence on the real Oldham files', () => {
  it('counts 59 pharmacies, 1 hospital site from 45 buildings, 3 fire-station sites from 6, and joins deprivation for 140 of 142 LSOAs', () => {
    const config = applyFlags(defaultConfig(oldham('lsoa.geojson')), { layer: [['wards', oldham('wards.geojson')]] });
    config.evidence.assets = Object.fromEntries(['pharmacies', 'hospitals', 'fire_stations', 'post_offices'].map((n) => [n, { file: oldham(`assets/${n}.geojson`) }]));
    config.evidence.tables = [{ file: oldham('deprivation.csv'), key: 'lsoa_code', columns: { imd_decile: [{ kind: 'share', lo: 1, hi: 2 }] } }];
    config.evidence.need = { population: 1, age_65_plus: 1 };
    const workspace = buildWorkspace(config);
    const sites = Object.fromEntries(workspace.evidence.assets.map((a) => [a.name, [a.features.length, a.sites.length]]));
    expect(sites).toEqual({ pharmacies: [59, 59], hospitals: [45, 1], fire_stations: [6, 3], post_offices: [38, 38] });
    expect(workspace.evidence.coverage[0]).toMatchObject({ matched: 140, unmatchedRows: 0 });
    expect(workspace.evidence.coverage[0].unmatchedUnits).toHaveLength(2);
    // Plan: one footprint per ward holding most of each LSOA.
    const cw = workspace.layers[0].crosswalk;
    const assignment = workspace.units.areas.map((_, u) => {
      let best = cw.start[u];
      for (let p = cw.start[u]; p < cw.start[u + 1]; p++) if (cw.weight[p] > cw.weight[best]) best = p;
      return cw.area[best];
    });
    const ev = planEvidence(workspace.evidence, workspace, assignment, cw.areaIds);
    const col = (name: string) => ev.columns.findIndex((c) => c.name === name);
    expect(ev.total[col('pharmacies')]).toBe(59);
    expect(ev.rows.reduce((s, r) => s + r[col('pharmacies')]!, 0)).toBe(59);
    expect(ev.total[col('hospitals')]).toBe(1);
    expect(ev.total[col('population')]).toBe(242_104);
    expect(ev.total[col('need')]).toBe(242_104 + ev.total[col('age_65_plus')]!);
    // The IMD decile of the units is never summed; the table's share replaces it.
    expect(col('imd_decile')).toBe(-1);
    const share = ev.total[col('imd_decile_share')]!;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.7);
    // Ward names: every footprint is named after its own ward.
    expect(new Set(ev.names).size).toBe(20);
  });
});
