import { constants, deflateRawSync } from 'node:zlib';
import { buildZip, type ZipEntrySpec } from './uploads.js';

/**
 * Hand-built hostile .xlsx files (issue 9 item 15): a real workbook's parts around a sheet or shared
 * strings part the test chooses, so the only thing wrong with the file is that part.
 */
const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
  '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';

const SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';

/** A workbook whose sheet1 has the given rows XML (and optionally a shared-strings part); `declared` lies about sheet1's size. */
export function craftedXlsx(rowsXml: Buffer | string, opts: { sharedStrings?: Buffer | string; declared?: number } = {}): Buffer {
  const sheet = Buffer.concat([Buffer.from(SHEET_HEAD), Buffer.isBuffer(rowsXml) ? rowsXml : Buffer.from(rowsXml), Buffer.from(SHEET_TAIL)]);
  return workbookZip({ name: 'xl/worksheets/sheet1.xml', data: sheet, declaredSize: opts.declared }, opts.sharedStrings);
}

function workbookZip(sheet: ZipEntrySpec, sharedStrings?: Buffer | string): Buffer {
  return buildZip([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: '_rels/.rels', data: Buffer.from(RELS) },
    { name: 'xl/workbook.xml', data: Buffer.from(WORKBOOK) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(WORKBOOK_RELS) },
    ...(sharedStrings === undefined ? [] : [{ name: 'xl/sharedStrings.xml', data: Buffer.from(sharedStrings) }]),
    sheet,
  ]);
}

/** A row with one inline-string cell at `ref` holding `text`. */
export function inlineCellRow(ref: string, text: Buffer | string): Buffer {
  const row = Number(ref.replace(/^[A-Z]+/, ''));
  return Buffer.concat([Buffer.from(`<row r="${row}"><c r="${ref}" t="inlineStr"><is><t>`), Buffer.from(text), Buffer.from('</t></is></c></row>')]);
}

const MB = 1024 * 1024;
let bombBody: Buffer | null = null;

/**
 * The bomb: ~100 KB on disk, one cell of 98 MB ('A' repeated); `declared` lies about its size.
 * Deflated once as 98 copies of one flushed 1 MB block (a valid stream), without ever holding 98 MB.
 */
export function hugeCellBomb(declared?: number): Buffer {
  const head = Buffer.from(`${SHEET_HEAD}<row r="2"><c r="B2" t="inlineStr"><is><t>`);
  const tail = Buffer.from(`</t></is></c></row>${SHEET_TAIL}`);
  const flush = { finishFlush: constants.Z_SYNC_FLUSH };
  bombBody ??= Buffer.concat([deflateRawSync(head, flush), ...Array(98).fill(deflateRawSync(Buffer.alloc(MB, 0x41), flush)), deflateRawSync(tail)]);
  const size = head.length + 98 * MB + tail.length;
  return workbookZip({ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(0), compressed: bombBody, declaredSize: declared ?? size });
}
