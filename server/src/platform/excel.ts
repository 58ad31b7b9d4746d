import './exceljs-utf8.js'; // before exceljs: see there
import { createRequire } from 'node:module';
import { PassThrough, Readable } from 'node:stream';
import { inflateRawSync, type InflateRaw } from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { AppError } from './errors.js';
import { readInWorker, writeInWorker } from './excel-pool.js';

/**
 * Spreadsheets in and out, safely: every upload is untrusted. An .xlsx is a zip, so before exceljs
 * sees it we check the magic bytes, walk the zip ourselves and inflate every entry under a byte cap
 * (a zip bomb fails here, not in exceljs). CSV from Chinese Excel arrives in GB18030/GBK or UTF-8.
 */
export const EXCEL_LIMITS = {
  /** Total inflated size of all entries of one .xlsx, whatever the file's size. */
  maxUncompressedBytes: 100 * 1024 * 1024,
  /**
   * …and at most this many times the upload's own size (real workbooks inflate 3–20×; a bomb 1,000×),
   * though a small file may always inflate to minInflatedAllowance.
   */
  maxInflationRatio: 100,
  minInflatedAllowance: 10 * 1024 * 1024,
  /** One worksheet or the shared strings, inflated. */
  maxSheetPartBytes: 64 * 1024 * 1024,
  /** Any other part (styles, drawings, media …), inflated. */
  maxOtherPartBytes: 16 * 1024 * 1024,
  /** Characters of one cell or shared string: Excel's own limit. */
  maxCellChars: 32_767,
  /** Bytes of one XML tag, comment or CDATA section in a sheet or the shared strings. */
  maxTagBytes: 64 * 1024,
  /** Data rows per sheet or CSV file. */
  maxRows: 200_000,
  /** Entries in one zip; a real workbook has a few dozen. */
  maxEntries: 5000,
};

export type CellValue = string | number | boolean | Date | null;

/** One spreadsheet row: rowNumber as the user sees it in Excel; cells[0] is column A. */
export interface SheetRow {
  rowNumber: number;
  cells: CellValue[];
  /** Columns (0-based) whose .xlsx cell holds a formula (cells then holds its cached result). */
  formulas?: number[];
}

export interface ReadLimits {
  maxUncompressedBytes?: number;
  maxInflationRatio?: number;
  maxCellChars?: number;
  maxRows?: number;
  maxEntries?: number;
}

const tooLarge = (msg: string) => new AppError('PAYLOAD_TOO_LARGE', msg);
const badFile = (msg: string) => new AppError('BAD_REQUEST', msg);

const MSG_NOT_XLSX = '文件不是有效的 Excel（.xlsx）文件，请用 Excel 打开后“另存为” .xlsx 格式再上传';
const MSG_OLE = '该文件是旧版 .xls 格式或设置了打开密码，请在 Excel 中“另存为” .xlsx（不设密码）后再上传';
const MSG_CORRUPT = 'Excel 文件已损坏或结构异常，无法读取，请用 Excel 打开后重新保存再上传';
const MSG_ZIP64 = '暂不支持该 Excel 文件的压缩格式（ZIP64），请用 Excel 打开后重新保存再上传';

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_DESCRIPTOR = 0x08074b50;

export function isZip(buf: Buffer): boolean {
  return buf.length >= 4 && buf.readUInt32LE(0) === SIG_LOCAL;
}

/** OLE compound file: legacy .xls, or an .xlsx protected with a password. */
export function isOleFile(buf: Buffer): boolean {
  return buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
}

interface CentralEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** Where the entry's local header + data (+ descriptor) ends. */
  localEnd: number;
  /** Its central-directory record. */
  cdStart: number;
  cdEnd: number;
}

export interface ZipInspection {
  entries: number;
  uncompressedBytes: number;
  /** The same zip with the workbook's parts first and the sheets after them, for a streaming reader. */
  reordered: () => Buffer;
}

const mb = (bytes: number) => Math.round(bytes / 1048576);

/** The parts exceljs reads cell text from: worksheets and the shared strings. */
function isSheetPart(name: string): boolean {
  return name === 'xl/sharedStrings.xml' || /^xl\/worksheets\/[^/]+\.xml$/.test(name);
}

const LT = 0x3c;
const GT = 0x3e;

/**
 * Refuse a worksheet or shared-strings part with a cell (`<c>`) or shared string (`<si>`) longer than
 * Excel allows, or an oversized tag, comment or CDATA section, so that no parser ever builds the string.
 * Counts characters (UTF-8 lead bytes) of text between tags since the last `<c` / `<si` start; an entity
 * counts as its length, which errs towards refusing only far beyond any real cell.
 */
export function checkCells(xml: Buffer, part: string, maxChars: number = EXCEL_LIMITS.maxCellChars): void {
  let chars = 0;
  let start = 0;
  const n = xml.length;
  let i = 0;
  while (i < n) {
    const b = xml[i];
    if (b === LT) {
      const next = xml[i + 1];
      const after = next === 0x63 /* c */ ? xml[i + 2] : next === 0x73 /* s */ && xml[i + 2] === 0x69 /* i */ ? xml[i + 3] : -1;
      if (after === 0x20 || after === GT || after === 0x2f || after === 0x09 || after === 0x0a || after === 0x0d) {
        chars = 0;
        start = i;
      }
      const close = xml.indexOf(GT, i + 1);
      const end = close < 0 ? n : close;
      if (end - i > EXCEL_LIMITS.maxTagBytes)
        throw badFile(`Excel 文件的“${part}”中有异常的超长标记（超过 ${EXCEL_LIMITS.maxTagBytes / 1024} KB），无法导入，请用 Excel 打开后重新保存再上传`);
      i = end + 1;
      continue;
    }
    if ((b & 0xc0) !== 0x80 && ++chars > maxChars) throw badFile(cellTooLong(xml, start, part, maxChars));
    i++;
  }
}

function cellTooLong(xml: Buffer, start: number, part: string, maxChars: number): string {
  const limit = `${maxChars} 个字符（Excel 单元格的上限）`;
  if (part === 'xl/sharedStrings.xml') return `Excel 文件中有一段文字超过 ${limit}，无法导入，请检查后删减再上传`;
  const ref = /^<c\b[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"/.exec(xml.toString('latin1', start, start + 200))?.[1];
  const sheet = part.replace(/^xl\/worksheets\//, '').replace(/\.xml$/, '');
  return `Excel 文件工作表 ${sheet} 的${ref ? `单元格 ${ref} ` : '一个单元格'}内容超过 ${limit}，无法导入，请检查后删减再上传`;
}

function findEocd(buf: Buffer): number {
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) if (buf.readUInt32LE(i) === SIG_EOCD) return i;
  return -1;
}

/**
 * Walk the zip's central directory and its local entries, and inflate each entry under a cap, so a
 * zip bomb (declared or real) is refused before any parser expands it. The local entries must be
 * contiguous and match the directory: exceljs reads the zip as a stream from the first byte, so it
 * must see exactly the entries checked here and nothing smuggled between them.
 * Throws 400 for a malformed file and 413 when the content is too large.
 */
export function inspectXlsxZip(buf: Buffer, limits: ReadLimits = {}): ZipInspection {
  const ratio = limits.maxInflationRatio ?? EXCEL_LIMITS.maxInflationRatio;
  const absolute = limits.maxUncompressedBytes ?? EXCEL_LIMITS.maxUncompressedBytes;
  const maxBytes = Math.min(absolute, Math.max(EXCEL_LIMITS.minInflatedAllowance, ratio * buf.length));
  const maxCellChars = limits.maxCellChars ?? EXCEL_LIMITS.maxCellChars;
  const maxEntries = limits.maxEntries ?? EXCEL_LIMITS.maxEntries;
  if (isOleFile(buf)) throw badFile(MSG_OLE);
  if (!isZip(buf)) throw badFile(MSG_NOT_XLSX);
  const eocd = findEocd(buf);
  if (eocd < 0) throw badFile(MSG_CORRUPT);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) throw badFile(MSG_ZIP64);
  if (count > maxEntries) throw tooLarge(`Excel 文件包含的内部条目过多（超过 ${maxEntries} 个），无法导入`);
  if (cdOffset + cdSize > eocd) throw badFile(MSG_CORRUPT);

  const entries: CentralEntry[] = [];
  let declared = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== SIG_CENTRAL) throw badFile(MSG_CORRUPT);
    const e: CentralEntry = {
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + buf.readUInt16LE(p + 28)),
      localEnd: 0,
      cdStart: p,
      cdEnd: p + 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32),
    };
    if (e.size === 0xffffffff || e.compressedSize === 0xffffffff || e.localOffset === 0xffffffff) throw badFile(MSG_ZIP64);
    declared += e.size;
    if (declared > maxBytes) {
      if (maxBytes < absolute)
        throw tooLarge(
          `Excel 文件解压后超过文件本身大小的 ${ratio} 倍（${Math.ceil(buf.length / 1024)} KB 的文件解压后达 ${mb(declared)} MB 以上），疑似压缩炸弹，已拒绝；请用 Excel 打开后重新保存再上传`,
        );
      throw tooLarge(`Excel 文件解压后超过 ${mb(maxBytes)} MB，无法导入，请拆分后分批上传`);
    }
    const partCap = isSheetPart(e.name) ? EXCEL_LIMITS.maxSheetPartBytes : EXCEL_LIMITS.maxOtherPartBytes;
    if (e.size > partCap) throw tooLarge(`Excel 文件中的“${e.name}”解压后超过 ${mb(partCap)} MB，无法导入，请拆分后分批上传`);
    entries.push(e);
    p = e.cdEnd;
  }

  entries.sort((a, b) => a.localOffset - b.localOffset);
  let expected = 0;
  let inflated = 0;
  for (const e of entries) {
    const o = e.localOffset;
    if (o !== expected || o + 30 > cdOffset || buf.readUInt32LE(o) !== SIG_LOCAL) throw badFile(MSG_CORRUPT);
    const flags = buf.readUInt16LE(o + 6);
    if (flags & 1) throw badFile(MSG_OLE); // encrypted entry
    const start = o + 30 + buf.readUInt16LE(o + 26) + buf.readUInt16LE(o + 28);
    const end = start + e.compressedSize;
    if (end > cdOffset) throw badFile(MSG_CORRUPT);
    // Without a data descriptor a streaming reader trusts the local sizes: they must match the directory.
    if (!(flags & 8) && (buf.readUInt32LE(o + 18) !== e.compressedSize || buf.readUInt32LE(o + 22) !== e.size)) throw badFile(MSG_CORRUPT);
    const data = buf.subarray(start, end);
    if (e.method === 0) {
      if (e.size !== e.compressedSize) throw badFile(MSG_CORRUPT);
    } else if (e.method === 8) {
      let out: { buffer: Buffer; engine: InflateRaw };
      try {
        out = inflateRawSync(data, { maxOutputLength: Math.max(1, e.size), info: true }) as unknown as { buffer: Buffer; engine: InflateRaw };
      } catch (err) {
        // More output than declared: the sizes lie, the classic zip-bomb disguise.
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge('Excel 文件解压后的实际大小与声明不符，疑似压缩炸弹，已拒绝');
        throw badFile(MSG_CORRUPT);
      }
      if (out.buffer.length !== e.size || out.engine.bytesWritten !== data.length) throw badFile(MSG_CORRUPT);
      if (isSheetPart(e.name)) checkCells(out.buffer, e.name, maxCellChars);
    } else throw badFile(MSG_CORRUPT);
    if (e.method === 0 && isSheetPart(e.name)) checkCells(data, e.name, maxCellChars);
    inflated += e.size;
    expected = end;
    if (flags & 8) {
      const hasSig = end + 4 <= cdOffset && buf.readUInt32LE(end) === SIG_DESCRIPTOR;
      expected = end + (hasSig ? 16 : 12);
      if (expected > cdOffset) throw badFile(MSG_CORRUPT);
    }
    e.localEnd = expected;
  }
  if (expected !== cdOffset) throw badFile(MSG_CORRUPT);
  return { entries: entries.length, uncompressedBytes: inflated, reordered: () => reorderZip(buf, entries) };
}

/** Parts exceljs' streaming reader must have seen before the sheets; otherwise it spools each sheet to a temp file. */
const FIRST_PARTS = ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/sharedStrings.xml'];

/**
 * Copy the (vetted, still compressed) entries into a new zip with the workbook parts first. Excel and
 * exceljs write the shared strings after the sheets, which makes the streaming reader write every sheet
 * to a temp file and read it back, and leave that file behind if reading stops early.
 */
function reorderZip(buf: Buffer, entries: CentralEntry[]): Buffer {
  const rank = (e: CentralEntry) => {
    const i = FIRST_PARTS.indexOf(e.name);
    return i < 0 ? FIRST_PARTS.length : i;
  };
  const order = [...entries].sort((a, b) => rank(a) - rank(b) || a.localOffset - b.localOffset);
  const parts: Buffer[] = [];
  const cd: Buffer[] = [];
  let offset = 0;
  for (const e of order) {
    parts.push(buf.subarray(e.localOffset, e.localEnd));
    const rec = Buffer.from(buf.subarray(e.cdStart, e.cdEnd));
    rec.writeUInt32LE(offset, 42);
    cd.push(rec);
    offset += e.localEnd - e.localOffset;
  }
  const cdBuf = Buffer.concat(cd);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(SIG_EOCD, 0);
  eocd.writeUInt16LE(order.length, 8);
  eocd.writeUInt16LE(order.length, 10);
  eocd.writeUInt32LE(cdBuf.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBuf, eocd]);
}

interface RichTextLike {
  richText: { text?: string }[];
}

/** exceljs cell values (rich text, formulas, hyperlinks, errors) reduced to plain values. */
export function plainCell(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray((o as unknown as RichTextLike).richText)) return (o as unknown as RichTextLike).richText.map((r) => r.text ?? '').join('');
    if ('result' in o) return plainCell(o.result);
    if ('formula' in o || 'sharedFormula' in o) return null;
    if ('text' in o) return plainCell(o.text);
    if ('error' in o) return null;
  }
  return String(v);
}

/** An exceljs cell value that is a formula (plain or shared), whatever its cached result. */
export function isFormulaCell(v: unknown): boolean {
  return typeof v === 'object' && v !== null && ('formula' in v || 'sharedFormula' in v);
}

let chineseDateFormats = false;
/**
 * Chinese Excel stores dates typed as 2019年9月1日 / 2019年9月 with built-in format ids (27–36, 50–58) that
 * have no format code in the file; exceljs knows their codes only per locale and would read such a cell as
 * a bare number. Give those ids their zh-CN codes once, so they arrive as dates.
 */
function registerChineseDateFormats(): void {
  if (chineseDateFormats) return;
  chineseDateFormats = true;
  const formats = createRequire(import.meta.url)('exceljs/lib/xlsx/defaultnumformats.js') as Record<string, { f?: string; 'zh-cn'?: string }>;
  for (const f of Object.values(formats)) if (!f.f && f['zh-cn']) f.f = f['zh-cn'];
}

/** Options of readXlsxRows beyond the limits. */
export interface XlsxReadOptions extends ReadLimits {
  skipSheets?: string[];
  /**
   * Read the styles so that a cell formatted as a date arrives as a Date, and any other number stays a
   * number (an importer can then tell a real date cell from a bare number such as 2019.9). Off by default:
   * dates then arrive as serial numbers.
   */
  dateCells?: boolean;
}

/**
 * The rows of the first worksheet not named in skipSheets, after inspectXlsxZip has vetted the file.
 * Reads with exceljs' streaming reader (about twice as fast as loading the whole workbook, a tenth of the memory).
 */
export async function readXlsxRows(buf: Buffer, opts: XlsxReadOptions = {}): Promise<SheetRow[]> {
  const zip = inspectXlsxZip(buf, opts);
  if (opts.dateCells) registerChineseDateFormats();
  const maxRows = opts.maxRows ?? EXCEL_LIMITS.maxRows;
  const skip = new Set(opts.skipSheets ?? []);
  const source = Readable.from([zip.reordered()]);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    sharedStrings: 'cache',
    styles: opts.dateCells ? 'cache' : 'ignore', // ignored: dates arrive as serial numbers
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const rows: SheetRow[] = [];
  let found = false;
  try {
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name?: string }).name ?? '';
      const use = !found && !skip.has(name);
      for await (const row of sheet) {
        if (!use) continue; // a skipped sheet must still be drained: the zip is one stream
        if (rows.length >= maxRows + 1) throw tooLarge(`文件超过 ${maxRows} 行，请拆分后分批导入`);
        const values = row.values as unknown[];
        const cells: CellValue[] = [];
        let formulas: number[] | undefined;
        for (let i = 1; i < values.length; i++) {
          cells.push(plainCell(values[i]));
          if (isFormulaCell(values[i])) (formulas ??= []).push(i - 1);
        }
        rows.push(formulas ? { rowNumber: row.number, cells, formulas } : { rowNumber: row.number, cells });
      }
      if (use) {
        found = true;
        break;
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw badFile(MSG_CORRUPT);
  } finally {
    source.destroy();
  }
  if (!found) throw badFile('Excel 文件中没有找到数据工作表');
  return rows;
}

/**
 * Text of a CSV file as Chinese Excel saves it: UTF-8 with or without BOM, UTF-16 ("Unicode 文本"),
 * or GB18030/GBK (Excel's default "CSV (逗号分隔)" on Chinese Windows).
 */
export function decodeText(buf: Buffer): string {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.toString('utf8', 3);
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return iconv.decode(buf.subarray(2), 'utf16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return iconv.decode(buf.subarray(2), 'utf16be');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return iconv.decode(buf, 'gb18030');
  }
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF, newlines inside quotes); delimiter guessed from the first line. */
export function parseCsv(text: string, maxRows = EXCEL_LIMITS.maxRows): SheetRow[] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', '\t', ';'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1]);
  const delim = counts[0][1] > 1 ? counts[0][0] : ',';
  const rows: SheetRow[] = [];
  let cells: CellValue[] = [];
  let cell = '';
  let quoted = false;
  let rowNumber = 1;
  const endRow = () => {
    cells.push(cell);
    cell = '';
    if (cells.some((c) => c !== '')) {
      if (rows.length >= maxRows + 1) throw tooLarge(`文件超过 ${maxRows} 行，请拆分后分批导入`);
      rows.push({ rowNumber, cells });
    }
    cells = [];
    rowNumber++;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === delim) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else cell += ch;
  }
  if (cell !== '' || cells.length) endRow();
  return rows;
}

/**
 * Read an uploaded .xlsx or .csv into rows, choosing by content (zip magic) and then by name. Runs on a
 * worker thread of platform/excel-pool.ts: parsing a large file takes seconds of CPU.
 */
export function readSpreadsheet(buf: Buffer, fileName: string, opts: XlsxReadOptions = {}): Promise<SheetRow[]> {
  return readInWorker(buf, fileName, opts);
}

/** readSpreadsheet on the calling thread (the worker's side of it). */
export async function parseSpreadsheet(buf: Buffer, fileName: string, opts: XlsxReadOptions = {}): Promise<SheetRow[]> {
  const lower = fileName.toLowerCase();
  if (isZip(buf) || lower.endsWith('.xlsx') || isOleFile(buf)) return readXlsxRows(buf, opts);
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return parseCsv(decodeText(buf), opts.maxRows);
  throw new AppError('UNSUPPORTED_MEDIA', '仅支持 .xlsx 或 .csv 文件');
}

/**
 * Spreadsheet formula injection: a cell starting with = + - @ (or a tab / carriage return) may run as a
 * formula when opened or re-saved as CSV, so it is prefixed with a single quote and stays text.
 */
export function neutraliseCell<T>(v: T): T | string {
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(v)) return `'${v}`;
  return v;
}

export interface XlsxColumn {
  header: string;
  width?: number;
  /** Format the column as text ('@') so Excel keeps long digit strings such as 身份证号 intact. */
  text?: boolean;
}

export interface XlsxSheet {
  name: string;
  columns: XlsxColumn[];
  rows: unknown[][];
  /** Drop-down lists: column index (0-based) → allowed values. */
  lists?: Record<number, string[]>;
  /** Rows of the data area that get the drop-downs and text format (template). */
  listRows?: number;
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };

function styleHeader(ws: ExcelJS.Worksheet, columns: XlsxColumn[]): void {
  const header = ws.getRow(1);
  header.font = { bold: true };
  columns.forEach((_, i) => (header.getCell(i + 1).fill = HEADER_FILL));
}

/**
 * A workbook in memory (templates, error reports, summaries, 账号单), built on a worker thread of
 * platform/excel-pool.ts. Every string cell is neutralised.
 */
export function writeXlsx(sheets: XlsxSheet[]): Promise<Buffer> {
  return writeInWorker(sheets);
}

/** writeXlsx on the calling thread (the worker's side of it). */
export async function buildXlsx(sheets: XlsxSheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '强师';
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = s.columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(10, c.header.length * 2 + 4), style: c.text ? { numFmt: '@' } : {} }));
    styleHeader(ws, s.columns);
    for (const r of s.rows) ws.addRow(r.map(neutraliseCell));
    const last = (s.listRows ?? 0) + 1;
    if (last > 1) {
      for (const [col, values] of Object.entries(s.lists ?? {})) {
        const letter = ws.getColumn(Number(col) + 1).letter;
        const formula = `"${values.join(',')}"`;
        if (formula.length > 255) continue; // Excel's limit for an inline list
        for (let r = 2; r <= last; r++)
          ws.getCell(`${letter}${r}`).dataValidation = { type: 'list', allowBlank: true, formulae: [formula], showErrorMessage: false };
      }
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * A large workbook streamed row by row (exports): exceljs' WorkbookWriter into the returned stream,
 * so memory stays flat however many rows there are. Every string cell is neutralised.
 */
export function streamXlsx(sheetName: string, columns: XlsxColumn[], rows: AsyncIterable<unknown[][]>): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(10, c.header.length * 2 + 4), style: c.text ? { numFmt: '@' } : {} }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  columns.forEach((_, i) => (header.getCell(i + 1).fill = HEADER_FILL));
  header.commit();
  (async () => {
    for await (const chunk of rows) for (const r of chunk) ws.addRow(r.map(neutraliseCell)).commit();
    ws.commit();
    await wb.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

/** Content-Disposition for a download with a Chinese file name (RFC 6266 / 5987). */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
