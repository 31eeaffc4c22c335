import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reproduceLine, shellWord } from '../src/cli/reproduce.js';
import { runCli } from './helpers/cli.js';
import { fixture } from './helpers/data.js';

describe('"Reproduce with" in report.md', () => {
  it('keeps every override, so running the line again gives the same plan', async () => {
    const first = mkdtempSync(join(tmpdir(), 'footprint-repro-'));
    const args = ['optimise', fixture('example', 'scenario.yaml'), '--restarts', '2', '--iterations', '20000', '--weight', 'gp=3', '--min', '32000', '--seed', '7'];
    const run = await runCli([...args, '--out', first, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const report = readFileSync(join(first, 'report.md'), 'utf8');
    const line = /Reproduce with:\n\n```sh\n(.*)\n```/.exec(report)?.[1];
    expect(line).toBe(`footprint ${args.join(' ')}`);
    const second = mkdtempSync(join(tmpdir(), 'footprint-repro-'));
    const again = await runCli([...line!.split(' ').slice(1), '--out', second]);
    expect(again.code, again.stderr).toBe(0);
    for (const file of ['assignment.csv', 'report.md']) expect(readFileSync(join(second, file), 'utf8')).toBe(readFileSync(join(first, file), 'utf8'));
  });

  it('leaves out --out and presentation flags, and quotes what a shell would split', () => {
    expect(reproduceLine(['optimise', 's.yaml', '--out', 'x', '--json', '--quiet', '--out=y', '--k', '6'])).toBe('footprint optimise s.yaml --k 6');
    expect(reproduceLine(['optimise', 'my scenario.yaml', '--name', "F1=St Mary's"])).toBe(`footprint optimise 'my scenario.yaml' --name 'F1=St Mary'\\''s'`);
    expect(shellWord('a$b')).toBe("'a$b'");
  });
});

describe('--json on every command', () => {
  it('each command lists --json in its help', async () => {
    for (const command of ['validate', 'score', 'optimise', 'workshop', 'compare', 'check']) {
      const help = await runCli([command, '--help']);
      expect(help.stdout, command).toContain('--json');
    }
  });

  it('check --json is --format json', async () => {
    const args = ['check', fixture('example', 'plan', 'assignment.csv'), '--scenario', fixture('example', 'scenario.yaml')];
    const json = await runCli([...args, '--json']);
    const format = await runCli([...args, '--format', 'json']);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(format.stdout);
    expect((JSON.parse(json.stdout) as { ok: boolean }).ok).toBe(true);
    expect((await runCli([...args, '--json', '--format', 'junit'])).code).toBe(2);
  });
});
