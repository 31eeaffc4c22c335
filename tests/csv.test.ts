import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvTextValue, formatCsv } from '../src/io/csv.js';
import { parseTable } from '../src/io/table.js';

describe('CSV', () => {
  it('parses quotes, embedded commas and newlines, CRLF, and reports line numbers', () => {
    const table = parseTable('unit_id,footprint\r\n"E01,a",F1\n"multi\nline","say ""hi"""\n\nE02,F3\n', 'plan.csv');
    expect(table.columns).toEqual(['unit_id', 'footprint']);
    expect(table.rows.map((r) => [r.position, r.cells.unit_id, r.cells.footprint])).toEqual([
      [2, 'E01,a', 'F1'],
      [3, 'multi\nline', 'say "hi"'],
      [6, 'E02', 'F3'],
    ]);
  });

  it('names the line a never-closed quote opened on', () => {
    expect(() => parseTable('unit_id,footprint\nE01,F1\nE02,"F2\nE03,F3\n', 'plan.csv')).toThrow(/plan\.csv: not a valid CSV table: a quoted field opened on line 3 is never closed/);
  });

  it('round-trips any table it writes, formula-like cells included, once our readers take the quote off (property)', () => {
    const cell = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'=", "''-", "'"), fc.string({ maxLength: 6 })).map(([a, b]) => a + b));
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 20 }), (rows) => {
        const parsed = parseTable(formatCsv(['a', 'b'], rows), 'table.csv');
        expect(parsed.rows.map((r) => [csvTextValue(String(r.cells.a)), csvTextValue(String(r.cells.b))])).toEqual(rows);
      }),
    );
  });

  it('never writes a text cell a spreadsheet would take for a formula; numbers stay numbers', () => {
    const text = formatCsv(['id', 'name', 'n'], [
      ['-1', '=HYPERLINK("http://x","y")', -3],
      ['E01', '+1+2', 2.5],
      ['@SUM(1)', '\tx', 0],
    ]);
    expect(text).toBe(`id,name,n\n'-1,"'=HYPERLINK(""http://x"",""y"")",-3\nE01,'+1+2,2.5\n'@SUM(1),'\tx,0\n`);
    const cells = parseTable(text, 'x.csv').rows.flatMap((r) => [r.cells.id, r.cells.name]);
    for (const c of cells) expect(String(c)).not.toMatch(/^[=+\-@\t\r]/);
  });
});
