/**
 * What a binary file is, from its first bytes, so that a workbook or a Shapefile given where a
 * table or a layer is expected is named, with how to turn it into something footprint reads,
 * rather than called "not GeoJSON". Signatures ("magic numbers") as published:
 * - ZIP local file header `PK\x03\x04` (PKWARE APPNOTE 4.3.7); an Office Open XML workbook is a
 *   zip whose part names start `xl/` (ECMA-376 Part 2), an OpenDocument spreadsheet's first entry is
 *   `mimetype` holding `application/vnd.oasis.opendocument.spreadsheet` (ODF 1.2 Part 3 §3.3);
 * - OLE2 compound file `D0 CF 11 E0 A1 B1 1A E1` (MS-CFB §2.2): Excel 97–2003 .xls and other legacy Office files;
 * - ESRI Shapefile main and index files: big-endian file code 9994 = `00 00 27 0A` (ESRI Shapefile Technical Description, 1998);
 * - SQLite `SQLite format 3\0` (sqlite.org/fileformat.html §1.3); a GeoPackage sets the header's
 *   application_id (offset 68) to `GPKG` (OGC 12-128r18 §1.1.1.1.1);
 * - PDF `%PDF-`, gzip `1F 8B` (RFC 1952), bzip2 `BZh`, xz `FD 37 7A 58 5A 00`, 7-Zip, Parquet `PAR1`,
 *   FlatGeobuf `fgb\x03`, PNG and JPEG.
 */
export interface BinaryFormat {
  /** What the file is, for a message: "an Excel workbook (.xlsx)". */
  name: string;
  /** What to do about it, one sentence. */
  hint: string;
}

/**
 * GIS formats: as a layer footprint reads them through GDAL (layers/gdal.ts, when gdal-bin is
 * installed) under their own extension; anywhere else (a table, a misnamed file) they are converted.
 */
const OGR = (from: string) =>
  `as a layer, give it under its own extension (${from.replace(/^in/, '')}) and footprint reads it through GDAL when gdal-bin is installed; otherwise convert it, e.g. \`ogr2ogr -f GeoJSON out.geojson ${from}\` (a table: \`ogr2ogr -f CSV out.csv ${from}\`)`;
const EXCEL_HINT = 'in Excel use File › Save As › "CSV UTF-8 (Comma delimited) (*.csv)" (LibreOffice: Save As › Text CSV, character set UTF-8) and give the .csv';

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) => bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
/** The bytes as Latin-1 text, to look for part names inside a zip's first entries. */
const latin1 = (bytes: Uint8Array, limit = 64 * 1024) => Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, limit)).toString('latin1');

/** The format of a file whose first bytes (at least the first few KB when there are that many) are `bytes`, or null when none is recognised. */
export function detectBinaryFormat(bytes: Uint8Array): BinaryFormat | null {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return zipFormat(latin1(bytes));
  if (startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return { name: 'an empty zip archive', hint: 'it holds no file to read' };
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return { name: 'an Excel 97–2003 workbook (.xls) or another legacy Office file', hint: EXCEL_HINT };
  }
  if (startsWith(bytes, [0x00, 0x00, 0x27, 0x0a])) return { name: 'an ESRI Shapefile (.shp or .shx)', hint: OGR('in.shp') };
  if (startsWith(bytes, ascii('SQLite format 3\0'))) {
    const gpkg = startsWith(bytes, ascii('GPKG'), 68) || startsWith(bytes, ascii('GP10'), 68) || startsWith(bytes, ascii('GP11'), 68);
    return gpkg ? { name: 'a GeoPackage (.gpkg)', hint: OGR('in.gpkg') } : { name: 'an SQLite database', hint: 'export the table or layer from it, e.g. with `ogr2ogr -f CSV out.csv in.sqlite`' };
  }
  if (startsWith(bytes, ascii('%PDF-'))) return { name: 'a PDF document', hint: 'footprint reads the data behind a report, not the report: ask for the CSV or GeoJSON it was made from' };
  if (startsWith(bytes, [0x1f, 0x8b])) return { name: 'a gzip-compressed file', hint: 'decompress it first (`gunzip -k file.gz`) and give the file inside' };
  if (startsWith(bytes, ascii('BZh'))) return { name: 'a bzip2-compressed file', hint: 'decompress it first (`bunzip2 -k file.bz2`) and give the file inside' };
  if (startsWith(bytes, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return { name: 'an xz-compressed file', hint: 'decompress it first (`unxz -k file.xz`) and give the file inside' };
  if (startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return { name: 'a 7-Zip archive', hint: 'extract it first and give the file inside' };
  if (startsWith(bytes, ascii('PAR1'))) return { name: 'a Parquet file', hint: OGR('in.parquet') };
  if (startsWith(bytes, [0x66, 0x67, 0x62, 0x03])) return { name: 'a FlatGeobuf file (.fgb)', hint: OGR('in.fgb') };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return { name: 'a PNG image', hint: 'footprint reads data, not pictures: give the GeoJSON, TopoJSON or CSV the map was drawn from' };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { name: 'a JPEG image', hint: 'footprint reads data, not pictures: give the GeoJSON, TopoJSON or CSV the map was drawn from' };
  return null;
}

function zipFormat(head: string): BinaryFormat {
  if (head.includes('xl/')) return { name: 'an Excel workbook (.xlsx)', hint: EXCEL_HINT };
  if (head.includes('application/vnd.oasis.opendocument.spreadsheet')) return { name: 'an OpenDocument spreadsheet (.ods)', hint: EXCEL_HINT };
  if (head.includes('word/')) return { name: 'a Word document (.docx)', hint: 'give the data as CSV or GeoJSON instead' };
  if (/\.shp\b/i.test(head)) return { name: 'a zip archive holding a Shapefile', hint: `unzip it, then ${OGR('in.shp')}` };
  if (/\.gpkg\b/i.test(head)) return { name: 'a zip archive holding a GeoPackage', hint: `unzip it, then ${OGR('in.gpkg')}` };
  return { name: 'a zip archive', hint: 'unzip it and give the file inside' };
}
