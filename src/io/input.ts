import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { FootprintError } from '../errors.js';
import { decodeText, InvalidUtf8Error, sniffEncoding } from './encoding.js';
import { detectBinaryFormat } from './formats.js';
import { inputNotice } from './notices.js';
import { jsonErrorPlace } from './json-error.js';

/**
 * Reading an input file as text, within limits. Every reading command goes through here, so a
 * device such as /dev/zero, a binary file or a file too large to parse ends with one clear line
 * (exit 2) instead of the process reading until it runs out of memory.
 */

/**
 * Default ceiling on one input file. V8 cannot hold a string much over 512 MiB (2^29 characters),
 * so a GeoJSON file larger than this could not be parsed as one document anyway.
 */
export const DEFAULT_MAX_INPUT_MB = 512;

/** The environment variable that overrides the limit; `--max-input-mb` overrides both. */
export const MAX_INPUT_ENV = 'FOOTPRINT_MAX_INPUT_MB';

/** Deepest nesting of arrays and objects accepted in an input document. GeoJSON needs about 8. */
export const MAX_JSON_DEPTH = 512;

let maxInputBytes = DEFAULT_MAX_INPUT_MB * 1024 * 1024;

/** The ceiling in force, in bytes. */
export function inputLimitBytes(): number {
  return maxInputBytes;
}

/**
 * Set the ceiling for this process (the CLI sets it from --max-input-mb or the environment before
 * a command runs) and return the one it replaces, so a caller can restore it.
 */
export function setInputLimitMb(mb: number): number {
  const previous = maxInputBytes;
  maxInputBytes = Math.floor(mb * 1024 * 1024);
  return previous / (1024 * 1024);
}

/** Parse a limit given by a user, in MB; `source` names where it came from for the message. */
export function parseLimitMb(value: string, source: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new FootprintError(`${source} must be a positive number of megabytes, got "${value}"`);
  }
  return n;
}

const mb = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`);

function tooLarge(file: string, size: string): FootprintError {
  return new FootprintError(
    `file is ${size}, over the ${mb(maxInputBytes)} input limit; raise it with --max-input-mb or ${MAX_INPUT_ENV} if the file is meant to be this large`,
    { location: { file } },
  );
}

const CHUNK = 1 << 20;

/** Read at most the limit plus one byte, in chunks, so endless devices and pipes stop early. */
function readBounded(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw unreadable(error, file);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new FootprintError('is a folder, not a file', { location: { file } });
    if (stat.isFile() && stat.size > maxInputBytes) throw tooLarge(file, mb(stat.size));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      let read: number;
      try {
        read = readSync(fd, chunk, 0, CHUNK, null);
      } catch (error) {
        throw unreadable(error, file);
      }
      if (read === 0) break;
      if (total === 0) refuseBinary(chunk.subarray(0, read), file);
      total += read;
      if (total > maxInputBytes) throw tooLarge(file, `more than ${mb(maxInputBytes)}`);
      chunks.push(read === CHUNK ? chunk : chunk.subarray(0, read));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

function unreadable(error: unknown, file: string): FootprintError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a folder, not a file' : (error as Error).message;
  return new FootprintError(`cannot read file: ${why}`, { location: { file } });
}

/**
 * A binary file ends here, named by its signature with what to do about it (io/formats.ts), or, when
 * no signature is known, by its NUL bytes (text in UTF-8 or Windows-1252 holds none).
 */
function refuseBinary(first: Buffer, file: string): void {
  const format = detectBinaryFormat(first);
  if (format) throw new FootprintError(`is ${format.name}, not a text file footprint reads; ${format.hint}`, { location: { file } });
  if (sniffEncoding(first).encoding === 'utf-8' && first.includes(0)) {
    throw new FootprintError('is a binary file (it holds NUL bytes), not text: footprint reads GeoJSON, TopoJSON, YAML, CSV and JSON', { location: { file } });
  }
}

/**
 * The text of an input file: UTF-8 (with or without a BOM) or UTF-16 (as Windows tools save it),
 * within the input limit; a file that is not UTF-8 is read as Windows-1252, with a warning (io/encoding.ts).
 * Unreadable, binary or oversized files throw a FootprintError naming the file.
 */
export function readInputText(file: string): string {
  const bytes = readBounded(file);
  try {
    const decoded = decodeText(bytes);
    if (decoded.encoding === 'windows-1252') {
      inputNotice(
        `warning: ${file}: not UTF-8 (line ${decoded.firstInvalidLine} is the first that is not), so read as Windows-1252, the encoding Excel on Windows saves "CSV (Comma delimited)" in; if names look wrong, save the file as "CSV UTF-8" (Excel) or UTF-8 (any editor) instead`,
      );
    }
    return decoded.text;
  } catch (error) {
    if (error instanceof InvalidUtf8Error) {
      throw new FootprintError(`${error.message}; save it again as UTF-8 (in Excel "CSV UTF-8"; in an editor, "Save with encoding" › UTF-8)`, { location: { file, line: error.line } });
    }
    // V8's longest string is about 512 MiB; only a raised --max-input-mb can get here.
    throw new FootprintError(`file is too large to read as one document (${(error as Error).message})`, { location: { file } });
  }
}

/**
 * Parse JSON text, refusing nesting deeper than MAX_JSON_DEPTH before parsing, so that no code
 * walking the document afterwards (ours or a library's) can recurse past the stack.
 */
export function parseJsonText(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const depth = nestingDepth(body);
  if (depth > MAX_JSON_DEPTH) {
    throw new FootprintError(`JSON is nested more than ${MAX_JSON_DEPTH} levels deep, the most footprint reads (GeoJSON needs about 8)`, { location: { file } });
  }
  try {
    return JSON.parse(body);
  } catch (error) {
    const at = jsonErrorPlace(body);
    if (at) {
      const why = /^(NaN|-?Infinity|undefined)$/.test(at.found) ? `${at.found} is not a JSON value (write null for a missing number)` : `unexpected ${at.found}`;
      throw new FootprintError(`not valid JSON: ${why} (column ${at.column})`, { location: { file, line: at.line } });
    }
    const detail = (error as Error).message.replace(/^JSON\.parse: /, '').replace(/\s+/g, ' ').trim();
    throw new FootprintError(`not valid JSON (${detail})`, { location: { file } });
  }
}

/** Deepest bracket nesting outside strings; stops counting once past the limit. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0, n = text.length; i < n; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > MAX_JSON_DEPTH) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}
