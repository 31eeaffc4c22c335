import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from '../src/layers/csv.js';

describe('CSV', () => {
  it('parses quotes, embedded commas and newlines, CRLF, and reports line numbers', () => {
    const rows = parseCsv('unit_id,footprint\r\n"E01,a",F1\n"multi\nline","say ""hi"""\n\nE02,F3\n');
    expect(rows).toEqual([
      { line: 1, cells: ['unit_id', 'footprint'] },
      { line: 2, cells: ['E01,a', 'F1'] },
      { line: 3, cells: ['multi\nline', 'say "hi"'] },
      { line: 6, cells: ['E02', 'F3'] },
    ]);
  });

  it('round-trips any table it writes (property)', () => {
    const cell = fc.string({ minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 20 }), (rows) => {
        const parsed = parseCsv(formatCsv(['a', 'b'], rows));
        expect(parsed.slice(1).map((r) => r.cells)).toEqual(rows);
      }),
    );
  });
});
