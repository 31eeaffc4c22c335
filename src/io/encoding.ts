import { isUtf8 } from 'node:buffer';

/**
 * The text encoding of an input file, from its bytes. UTF-8 (with or without a byte-order mark) and
 * UTF-16 (with a BOM, or without one when the text starts with ASCII, as JSON, YAML and CSV do) are
 * read as they are. Bytes that are not valid UTF-8 (RFC 3629) and carry no BOM are taken for
 * Windows-1252, which Excel on Windows writes for "CSV (Comma delimited)": decoded by the WHATWG
 * Encoding Standard's windows-1252 table (0x80–0x9F as € ‚ ƒ „ … and so on, never U+FFFD; our own
 * table, since Node's TextDecoder decodes that label as ISO-8859-1 in some builds), with a
 * warning naming the file and the first line that is not UTF-8. A file that says it is UTF-8 (a
 * BOM) but holds invalid bytes is refused: guessing would be wrong.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** For windows-1252: the 1-based line of the first byte that is not UTF-8. */
  firstInvalidLine?: number;
}

/** The encoding a byte-order mark or the NUL pattern of ASCII-range UTF-16 gives, and the BOM length. */
export function sniffEncoding(bytes: Uint8Array): { encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; skip: number; bom: boolean } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', skip: 3, bom: true };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', skip: 2, bom: true };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', skip: 2, bom: true };
  // Text starting with ASCII shows as UTF-16 by a NUL beside each of its first characters.
  if (bytes.length >= 4 && bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) return { encoding: 'utf-16le', skip: 0, bom: false };
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] !== 0 && bytes[2] === 0 && bytes[3] !== 0) return { encoding: 'utf-16be', skip: 0, bom: false };
  return { encoding: 'utf-8', skip: 0, bom: false };
}

/** Where a UTF-8 decoder first fails: the index of the first byte of the first invalid sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    // The second byte's range depends on the first (RFC 3629 §4: no overlongs, surrogates or beyond U+10FFFF).
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (length > 1 && (bytes[i + 1] < lo || bytes[i + 1] > hi)) return i;
    for (let j = 2; j < length; j++) if (bytes[i + j] < 0x80 || bytes[i + j] > 0xbf) return i;
    i += length;
  }
  return -1;
}

function lineAt(bytes: Uint8Array, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Thrown for a file with a UTF-8 BOM and bytes that are not UTF-8; the caller names the file. */
export class InvalidUtf8Error extends Error {
  constructor(readonly line: number) {
    super(`it starts with a UTF-8 byte-order mark but line ${line} is not UTF-8`);
  }
}

/** Decode an input file's bytes (see the header for the rules). */
export function decodeText(bytes: Uint8Array): DecodedText {
  const { encoding, skip, bom } = sniffEncoding(bytes);
  const body = Buffer.from(bytes.buffer, bytes.byteOffset + skip, bytes.length - skip);
  if (encoding === 'utf-16le') return { text: body.toString('utf16le'), encoding };
  if (encoding === 'utf-16be') {
    // Node decodes only little-endian UTF-16: swap each pair of bytes first.
    const swapped = Buffer.from(body.subarray(0, body.length - (body.length % 2)));
    swapped.swap16();
    return { text: swapped.toString('utf16le'), encoding };
  }
  if (isUtf8(body)) return { text: body.toString('utf8'), encoding: 'utf-8' };
  const at = firstInvalidUtf8(body);
  const line = lineAt(body, at < 0 ? body.length : at);
  if (bom) throw new InvalidUtf8Error(line);
  return { text: decodeWindows1252(body), encoding: 'windows-1252', firstInvalidLine: line };
}

/**
 * 0x80–0x9F of Windows-1252 (https://encoding.spec.whatwg.org/index-windows-1252.txt); the five
 * bytes it leaves undefined map to the C1 controls of the same value, as the WHATWG index does.
 * Every other byte is the Latin-1 code point of the same value.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]));
}
