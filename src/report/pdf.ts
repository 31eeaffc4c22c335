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
 * Two things in Chromium's PDF change from run to run with the same page: the creation time
 * (/CreationDate, /ModDate, PDF 32000-1 §7.9.4 and §14.3.3) and the ids of the tagged structure's
 * elements (/ID (node00000026), from a counter of the browser's DOM nodes, §14.7.2), which are kept
 * for screen readers. reproduciblePdf writes 1980-01-01 for the dates and numbers the ids by their
 * rank (the order of the IDTree's sorted keys is kept), each in the same number of bytes so the
 * cross-reference offsets stay right: the same report gives the same bytes (as evidence.xlsx does).
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
    return reproduciblePdf(new Uint8Array(bytes));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The PDF's date stamps set to 1980-01-01 UTC and its structure ids numbered by rank, byte for byte in place. */
export function reproduciblePdf(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  const dated = text.replace(/(\/(?:CreationDate|ModDate)\s*\(D:)\d{14}([+-]\d\d'\d\d')?/g, (_m, head: string, zone: string | undefined) => `${head}19800101000000${zone === undefined ? '' : "+00'00'"}`);
  const ids = [...new Set([...dated.matchAll(/\(node(\d{8})\)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
  const rank = new Map(ids.map((id, i) => [id, i + 1]));
  const fixed = dated.replace(/\(node(\d{8})\)/g, (_m, id: string) => `(node${String(rank.get(Number(id))).padStart(8, '0')})`);
  return fixed === text ? bytes : new Uint8Array(Buffer.from(fixed, 'latin1'));
}
