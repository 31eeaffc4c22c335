import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FootprintError } from '../src/errors.js';
import { applyFlags, configFromScenario } from '../src/scenario/config.js';
import { readScenario } from '../src/scenario/read.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-scenario-'));
function scenarioFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const good = `# Oldham-style scenario
name: test
units:
  file: units.geojson
  id: code
layers:
  - name: wards
    file: wards.geojson
    keepWhole: true
  - name: gp
    file: gp.geojson
    weight: 2
k: 5
min: 30000
max: 55000
locked:
  E01900001: 2
seed: 7
timeLimit: 10
evidence:
  mean: [imd_decile]
  points:
    schools: schools.geojson
out: out/test
`;

function errorOf(path: string): string {
  try {
    readScenario(path);
  } catch (error) {
    expect(error).toBeInstanceOf(FootprintError);
    expect((error as FootprintError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('scenario files', () => {
  it('reads a valid YAML scenario, resolving paths against its folder and filling defaults', () => {
    const { scenario, resolvePath } = readScenario(scenarioFile('good.yaml', good));
    const config = configFromScenario(scenario, resolvePath);
    expect(config.units).toEqual({ file: join(dir, 'units.geojson'), id: 'code' });
    expect(config.layers).toEqual([
      { name: 'wards', kind: 'polygons', file: join(dir, 'wards.geojson'), weight: 1, keepWhole: true },
      { name: 'gp', kind: 'polygons', file: join(dir, 'gp.geojson'), weight: 2, keepWhole: false },
    ]);
    expect(config.evidence.points.schools).toBe(join(dir, 'schools.geojson'));
    expect(config.out).toBe(join(dir, 'out/test'));
    expect(config.compactness).toBe(0);
    expect(config.connectIslands).toBe('none');
    expect(config.boundNodes).toBe(0);
  });

  it('reads the evidence section: tables, assets, resources, need and names, with paths resolved', () => {
    const text = `${good.replace('out: out/test\n', '')}  tables:
    - {file: deprivation.csv, key: lsoa_code, columns: {imd_decile: {share: [1, 2]}, health_decile: mean, contacts: [sum, mean]}}
  assets:
    pharmacies: assets/pharmacies.geojson
    hospitals: {file: assets/hospitals.geojson, siteDistance: 30}
  resources:
    - {name: district_staff, file: staff.csv, layer: districts, key: district, amount: staff}
  need: {population: 1, age_65_plus: 1.5}
  names: {F1: Chadderton}
`;
    const { scenario, resolvePath } = readScenario(scenarioFile('evidence.yaml', text));
    const config = configFromScenario(scenario, resolvePath);
    expect(config.evidence.tables).toEqual([
      { file: join(dir, 'deprivation.csv'), key: 'lsoa_code', columns: { imd_decile: [{ kind: 'share', lo: 1, hi: 2 }], health_decile: [{ kind: 'mean' }], contacts: [{ kind: 'sum' }, { kind: 'mean' }] } },
    ]);
    expect(config.evidence.assets).toEqual({ pharmacies: { file: join(dir, 'assets/pharmacies.geojson') }, hospitals: { file: join(dir, 'assets/hospitals.geojson'), siteDistance: 30 } });
    expect(config.evidence.resources?.[0]).toMatchObject({ name: 'district_staff', file: join(dir, 'staff.csv'), layer: 'districts' });
    expect(config.evidence.need).toEqual({ population: 1, age_65_plus: 1.5 });
    expect(config.evidence.names).toEqual({ F1: 'Chadderton' });
    const badResource = text.replace('layer: districts, ', '');
    expect(errorOf(scenarioFile('bad-resource.yaml', badResource))).toMatch(/resource "district_staff" needs exactly one of "layer" \(amounts per area\) or "asset"/);
    expect(errorOf(scenarioFile('bad-share.yaml', text.replace('[1, 2]', '[3, 1]')))).toMatch(/share: \[lo, hi\] needs lo ≤ hi/);
    // Names may also stand at the top level of the scenario; a footprint named in both takes that name.
    const topLevel = readScenario(scenarioFile('names.yaml', `names: {F1: Chadderton and Failsworth, F2: Royton}\n${text}`));
    expect(configFromScenario(topLevel.scenario, topLevel.resolvePath).evidence.names).toEqual({ F1: 'Chadderton and Failsworth', F2: 'Royton' });
  });

  it('reads the same scenario written as JSON', () => {
    const { scenario } = readScenario(scenarioFile('s.json', JSON.stringify({ units: 'u.geojson', k: 3, min: 10, max: 20 })));
    expect(scenario.k).toBe(3);
  });

  it.each([
    ['a misspelt key', good.replace('weight: 2', 'wieght: 2'), /line 12, key "layers\[1\]\.wieght": unknown key/],
    ['an unknown top-level key', `${good}colour: red\n`, /line 25, key "colour": unknown key/],
    ['a k that is not a number', good.replace('k: 5', 'k: five'), /line 13, key "k": Invalid input: expected number/],
    ['a negative weight', good.replace('weight: 2', 'weight: -1'), /line 12, key "layers\[1\]\.weight":/],
    ['min above max', good.replace('min: 30000', 'min: 60000'), /line 14, key "min": min \(60000\) is above max \(55000\)/],
    ['a lock to a footprint that does not exist', good.replace('E01900001: 2', 'E01900001: 9'), /line 17, key "locked\.E01900001": footprint 9 does not exist when k is 5/],
    ['a duplicated layer name', good.replace('name: gp', 'name: wards'), /key "layers\[1\]\.name": layer name "wards" is used twice/],
    ['a missing units key', good.replace(/units:\n {2}file: units.geojson\n {2}id: code\n/, ''), /key "units":/],
    ['a bad connectIslands value', `${good}connectIslands: sometimes\n`, /key "connectIslands":/],
    ['a fractional boundNodes', `${good}boundNodes: 2.5\n`, /line 25, key "boundNodes":/],
  ])('rejects %s, naming the key and its line', (_, text, pattern) => {
    expect(errorOf(scenarioFile('bad.yaml', text))).toMatch(pattern);
  });

  it('rejects text that is not YAML with its line', () => {
    expect(errorOf(scenarioFile('broken.yaml', 'units: [a, b\nk: 5\n'))).toMatch(/broken\.yaml:\d+: not valid YAML or JSON/);
  });

  it('lets command-line flags override the scenario', () => {
    const { scenario, resolvePath } = readScenario(scenarioFile('good2.yaml', good));
    expect(applyFlags(configFromScenario(scenario, resolvePath), { boundNodes: 500 }).boundNodes).toBe(500);
    const config = applyFlags(configFromScenario(scenario, resolvePath), { k: 4, weight: [['wards', '3']], lock: [['E01900002', 'F4']], layer: [['police', '/x/police.geojson']] });
    expect(config.k).toBe(4);
    expect(config.layers.find((l) => l.name === 'wards')?.weight).toBe(3);
    expect(config.layers.find((l) => l.name === 'police')).toEqual({ name: 'police', kind: 'polygons', file: '/x/police.geojson', weight: 1, keepWhole: false });
    expect(config.locked).toEqual({ E01900001: 2, E01900002: 4 });
    expect(() => applyFlags(config, { weight: [['nope', '1']] })).toThrow(/no layer named "nope"/);
    expect(() => applyFlags(config, { keepWhole: ['districts'] })).toThrow(/--keep-whole districts: no layer named "districts"/);
  });
});
