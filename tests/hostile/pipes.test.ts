import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, repoRoot } from '../helpers/data.js';

/**
 * A closed pipe (`footprint compare --help | head -1`, `footprint check … | true`): the reader is
 * gone before the command writes. The command must end with the status it would have had, and
 * print no EPIPE stack trace. The child's stdout is closed on our side before it writes anything.
 */
const BIN = resolve(repoRoot, 'bin', 'footprint.js');

function runClosed(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const proc = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.destroy();
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.once('close', (code) => done({ code, stderr }));
  });
}

describe('closed pipes', () => {
  const cases: Array<[string, string[]]> = [
    ['compare --help', ['compare', '--help']],
    ['--help', ['--help']],
    ['check --format junit', ['check', fixture('check', 'over-max.csv'), '--scenario', fixture('example', 'scenario.yaml'), '--format', 'junit']],
    ['check --format json', ['check', fixture('check', 'over-max.csv'), '--scenario', fixture('example', 'scenario.yaml'), '--format', 'json']],
    ['validate --json', ['validate', fixture('example', 'wards.geojson'), '--json']],
  ];
  for (const [name, args] of cases) {
    it(`${name}: the usual status, no stack trace`, async () => {
      const usual = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
      expect(usual.stdout.length).toBeGreaterThan(0);
      const closed = await runClosed(args);
      expect(closed.stderr).not.toMatch(/EPIPE|Error|    at /);
      expect(closed.code).toBe(usual.status);
    }, 60_000);
  }
});
