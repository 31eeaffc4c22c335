import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FootprintError } from '../../src/errors.js';
import { decodeText, decodeWindows1252, firstInvalidUtf8 } from '../../src/io/encoding.js';
import { detectBinaryFormat } from '../../src/io/formats.js';
import { readInputText } from '../../src/io/input.js';
import { jsonErrorPlace } from '../../src/io/json-error.js';
import { listenForInputNotices } from '../../src/io/notices.js';
import { detectDelimiter, parseTable, readTable } from '../../src/io/table.js';
import { readScenario } from '../../src/scenario/read.js';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/data.js';

/**
 * Awkward inputs real users have: every encoding Windows and Excel save, European CSV, workbooks and
 * GIS files given where text is expected, NaN in JSON; and the table and scenario readers fuzzed:
 * whatever the bytes, a result or one FootprintError line (exit 2), never another exception.
 */
const dir = mkdtempSync(join(tmpdir(), 'footprint-inputs-'));
let counter = 0;
function write(name: string, content: string | Uint8Array): string {
  const path = join(dir, `${counter++}-${name}`);
  writeFileSync(path, content);
  return path;
}

/** Notices heard while `action` runs. */
function heard<T>(action: () => T): { result: T; notices: string[] } {
  const notices: string[] = [];
  const stop = listenForInputNotices((m) => notices.push(m));
  try {
    return { result: action(), notices };
  } finally {
    stop();
  }
}

const text = 'code,name\nW1,Ynys Môn\nW2,Caffè € “quoted” – dash\n';

describe('encodings', () => {
  it('UTF-8 with and without a BOM, UTF-16 LE and BE with a BOM, and LE/BE without one read the same, without a warning', () => {
    const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();
    const forms: Array<[string, Buffer]> = [
      ['utf-8', Buffer.from(text, 'utf8')],
      ['utf-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
      ['utf-16le BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
      ['utf-16be BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)])],
      ['utf-16le', Buffer.from(text, 'utf16le')],
      ['utf-16be', utf16be(text)],
    ];
    for (const [name, bytes] of forms) {
      const { result, notices } = heard(() => readTable(write('t.csv', bytes)));
      expect(result.rows.map((r) => r.cells.name), name).toEqual(['Ynys Môn', 'Caffè € “quoted” – dash']);
      expect(notices, name).toEqual([]);
    }
  });

  it('Windows-1252 (Excel on Windows) is read by its table, 0x80–0x9F included, with a warning naming the file and line', () => {
    const bytes = Buffer.from([...Buffer.from('code,name\nW1,Ynys M'), 0xf4, ...Buffer.from('n\nW2,Caff'), 0xe8, 0x20, 0x80, 0x20, 0x93, 0x71, 0x94, 0x20, 0x96, 0x0a]);
    const file = write('lookup.csv', bytes);
    const { result, notices } = heard(() => readTable(file));
    expect(result.rows.map((r) => r.cells.name)).toEqual(['Ynys Môn', 'Caffè € “q” –']);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(file);
    expect(notices[0]).toMatch(/line 2 is the first that is not\), so read as Windows-1252/);
  });

  it('decodes every Windows-1252 byte as the WHATWG table does, never U+FFFD (property: encode then decode is exact)', () => {
    // Python's cp1252 codec and the WHATWG index agree on the 27 defined bytes of 0x80–0x9F.
    expect(decodeWindows1252(Uint8Array.from([0x80, 0x8a, 0x9f, 0xa3, 0xff, 0x81]))).toBe('€ŠŸ£ÿ\u0081');
    const high = Array.from({ length: 256 }, (_, b) => decodeWindows1252(Uint8Array.of(b)));
    expect(high.join('')).not.toContain('\uFFFD');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }), (bytes) => {
        const decoded = decodeWindows1252(Uint8Array.from(bytes));
        expect(Array.from(decoded, (c) => high.indexOf(c))).toEqual(bytes);
      }),
    );
  });

  it('valid UTF-8 is never taken for Windows-1252; the first invalid byte is found where TextDecoder fails (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        expect(decodeText(Buffer.from(s, 'utf8')).encoding).toBe('utf-8');
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        expect(firstInvalidUtf8(bytes) < 0).toBe(valid);
      }),
    );
  });

  it('a UTF-8 BOM over bytes that are not UTF-8 is refused (exit 2) naming the file, line and how to re-save', () => {
    const file = write('bom.csv', Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('a,b\n1,'), 0xff, 0x0a]));
    expect(() => readInputText(file)).toThrow(FootprintError);
    expect(() => readInputText(file)).toThrow(new RegExp(`${file}:2: it starts with a UTF-8 byte-order mark but line 2 is not UTF-8; save it again as UTF-8`));
  });
});

describe('what a file is', () => {
  const zip = (names: string) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), Buffer.from(names, 'latin1')]);
  const sqlite = (app: string) => {
    const b = Buffer.alloc(100);
    b.write('SQLite format 3\0', 0, 'latin1');
    b.write(app, 68, 'latin1');
    return b;
  };
  const cases: Array<[string, Buffer, RegExp]> = [
    ['book.xlsx', zip('[Content_Types].xml\0xl/workbook.xml'), /an Excel workbook \(\.xlsx\).*Save As.*CSV UTF-8/],
    ['book.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), /Excel 97–2003 workbook \(\.xls\)/],
    ['wards.shp', Buffer.from([0, 0, 0x27, 0x0a, 0, 0, 0, 0]), /an ESRI Shapefile.*ogr2ogr -f GeoJSON out\.geojson in\.shp/],
    ['wards.gpkg', sqlite('GPKG'), /a GeoPackage \(\.gpkg\).*ogr2ogr -f GeoJSON out\.geojson in\.gpkg/],
    ['data.sqlite', sqlite('\0\0\0\0'), /an SQLite database/],
    ['wards.zip', zip('wards.shp\0wards.dbf'), /a zip archive holding a Shapefile.*unzip/],
    ['report.pdf', Buffer.from('%PDF-1.7\n%\xe2\xe3\n', 'latin1'), /a PDF document/],
    ['lsoa.geojson.gz', Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]), /gzip-compressed.*gunzip/],
  ];
  for (const [name, bytes, message] of cases) {
    it(`${name} is named, with how to convert it (exit 2, one line) where a table (or, unless GDAL reads it, a layer) is expected`, async () => {
      const file = write(name, bytes);
      expect(detectBinaryFormat(bytes)).not.toBeNull();
      // As a layer, a .shp, .gpkg or .zip goes to GDAL (layers/gdal.ts), which names what it could not open.
      const viaGdal = /\.(shp|gpkg|zip)$/.test(name);
      for (const argv of [['validate', file], ['score', '--units', fixture('example', 'units.geojson'), '--lookup', `districts=${file}`, '--layer-option', 'districts.key=code', '--layer-option', 'districts.area=district']]) {
        const result = await runCli(argv);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toContain(file);
        if (!(viaGdal && argv[0] === 'validate')) expect(result.stderr).toMatch(message);
      }
      expect(() => readTable(file)).toThrow(message);
    });
  }

  it('text is not taken for a binary format', () => {
    for (const t of ['{"type":"FeatureCollection"}', 'code,name\n', 'PK,name\n', '%PDF,x\n', 'SQLite,x\n']) expect(detectBinaryFormat(Buffer.from(t))).toBeNull();
  });
});

describe('tables', () => {
  it('a semicolon- or tab-delimited CSV is read with a note naming the delimiter; commas win when the header has any', () => {
    const semi = write('semi.csv', 'ward_code;ward_name\nE05;"Ynys; Môn"\n');
    const { result, notices } = heard(() => readTable(semi));
    expect(result.columns).toEqual(['ward_code', 'ward_name']);
    expect(result.rows[0].cells).toEqual({ ward_code: 'E05', ward_name: 'Ynys; Môn' });
    expect(notices).toEqual([expect.stringMatching(new RegExp(`note: ${semi}: read with semicolons \\(";"\\) as the delimiter`))]);
    const tab = heard(() => readTable(write('tab.csv', 'a\tb\n1\t2\n')));
    expect(tab.result.rows[0].cells).toEqual({ a: '1', b: '2' });
    expect(tab.notices[0]).toMatch(/read with tabs as the delimiter/);
    expect(detectDelimiter('name,"a;b";c\n')).toBe(',');
    expect(detectDelimiter('"x,y";z\n')).toBe(';');
    expect(detectDelimiter('single\n')).toBe(',');
  });

  it('every bad value names its line: NaN in a JSON layer, a word in a CSV count', async () => {
    const layer = write('nan.geojson', '{"type":"FeatureCollection","features":[\n{"type":"Feature","properties":{"id":"a"},"geometry":null},\n{"type":"Feature","properties":{"id":"b","population":NaN},"geometry":null}]}');
    const result = await runCli(['validate', layer]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${layer}:3: not valid JSON: NaN is not a JSON value (write null for a missing number) (column 55)`);
    expect(() => parseTable('[{"a":1},\n{"a":Infinity}]', 't.json')).toThrow(/t\.json:2: not valid JSON: Infinity is not a JSON value/);
    expect(() => parseTable('[{"a":1},\n{"a":2},\n]', 't.json')).toThrow(/t\.json:3: not valid JSON: unexpected "\]"/);
  });
});

describe('fuzzing the readers', () => {
  it('jsonErrorPlace finds an error exactly when JSON.parse fails (property)', () => {
    const jsonish = fc.oneof(
      fc.json(),
      fc.json().map((s) => s.slice(0, Math.floor(s.length / 2))),
      fc.tuple(fc.json(), fc.nat(), fc.constantFrom('NaN', ',', ']', '}', '"', ':', 'x', ' ')).map(([s, i, c]) => s.slice(0, i % (s.length + 1)) + c + s.slice(i % (s.length + 1))),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(jsonish, (s) => {
        let valid = true;
        try {
          JSON.parse(s);
        } catch {
          valid = false;
        }
        expect(jsonErrorPlace(s) === null, s).toBe(valid);
      }),
      { numRuns: 500 },
    );
  });

  /** Anything thrown must be a one-line FootprintError with exit code 2. */
  function onlyInputErrors(action: () => unknown): void {
    try {
      action();
    } catch (error) {
      if (!(error instanceof FootprintError)) throw error;
      expect(error.exitCode).toBe(2);
      expect(error.message.split('\n')[0].length).toBeGreaterThan(0);
    }
  }

  it('the table reader gives a table or a FootprintError for any text or bytes (property)', () => {
    const cell = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('"', '""', ';', '\t', '\r\n', 'NaN', '=1', '\uFEFF'));
    const csvish = fc.array(fc.array(cell, { maxLength: 4 }), { maxLength: 5 }).map((rows) => rows.map((r) => r.join(',')).join('\n'));
    fc.assert(
      fc.property(fc.oneof(csvish, fc.string({ maxLength: 40 }), fc.json()), fc.constantFrom('t.csv', 't.json'), (body, name) => {
        onlyInputErrors(() => parseTable(body, name));
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (bytes) => {
        const file = write('fuzz.csv', bytes);
        onlyInputErrors(() => heard(() => readTable(file)));
      }),
      { numRuns: 150 },
    );
  });

  it('the scenario reader gives a scenario or a FootprintError for any YAML-ish text (property)', () => {
    const key = fc.constantFrom('name', 'units', 'layers', 'k', 'min', 'max', 'seed', 'file', 'weight', 'evidence', 'timeLimit', '<<', '&a', '*a');
    const value = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constantFrom('NaN', '.nan', '~', '[', '{', '- x', '!!binary AA==', '*a', '&a 1'));
    const yamlish = fc.array(fc.tuple(fc.nat({ max: 3 }), key, value), { maxLength: 8 }).map((lines) => lines.map(([indent, k, v]) => `${'  '.repeat(indent)}${k}: ${v}`).join('\n'));
    fc.assert(
      fc.property(fc.oneof(yamlish, fc.string({ maxLength: 60 })), (body) => {
        const file = write('s.yaml', body);
        onlyInputErrors(() => readScenario(file));
      }),
      { numRuns: 300 },
    );
  });
});
