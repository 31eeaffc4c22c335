import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FootprintError } from '../errors.js';

/**
 * report.pdf: report.html printed by headless Chromium (`--print-to-pdf`), the browser's own print
 * engine, so the PDF is what the HTML prints as (A4 and page breaks from its CSS). The browser is
 * spawned as a program, not driven through a library: nothing new to install from npm, and a
 * machine without it gets one clear line at the start of the run.
 *
 * Not byte-identical between runs: Chromium stamps the PDF with its creation time.
 */

/** Programs tried, in order; FOOTPRINT_CHROMIUM names another. */
const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

const INSTALL_HINT = '--pdf prints report.html with headless Chromium, which was not found: install it (Debian/Ubuntu: apt-get install chromium), or set FOOTPRINT_CHROMIUM to the browser program; report.html prints to PDF from any browser too';

/** The Chromium program to print with, or a FootprintError (exit 2) saying how to get one. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.FOOTPRINT_CHROMIUM ? [env.FOOTPRINT_CHROMIUM] : CANDIDATES;
  for (const program of candidates) {
    const result = spawnSync(program, ['--version'], { encoding: 'utf8', timeout: 20_000 });
    if (!result.error && result.status === 0) return program;
  }
  throw new FootprintError(INSTALL_HINT);
}

/** Print an HTML page to PDF bytes. */
export function printPdf(html: string, chromium: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'footprint-pdf-'));
  try {
    const page = join(dir, 'report.html');
    const pdf = join(dir, 'report.pdf');
    writeFileSync(page, html);
    const result = spawnSync(
      chromium,
      [
        '--headless',
        // Chromium's sandbox needs user namespaces, which containers and root (CI) lack; the page is
        // our own file, with no scripts and nothing fetched from the network.
        '--no-sandbox',
        '--disable-gpu',
        '--no-pdf-header-footer',
        '--disable-extensions',
        '--no-first-run',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--print-to-pdf=${pdf}`,
        pathToFileURL(page).href,
      ],
      { encoding: 'utf8', timeout: 180_000 },
    );
    let bytes: Buffer | null = null;
    try {
      bytes = readFileSync(pdf);
    } catch {
      bytes = null;
    }
    if (result.error || bytes === null || bytes.length === 0) {
      const why = result.error?.message ?? result.stderr.split('\n').filter((l) => l.trim() !== '').slice(-2).join(' ');
      throw new FootprintError(`could not print report.pdf with ${chromium}: ${why || 'no PDF was written'}`);
    }
    return new Uint8Array(bytes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
