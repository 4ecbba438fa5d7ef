// Turns an uploaded CSV or Excel file, as academic-affairs systems (教务系统) and registrars
// produce them, into clean rows keyed by column, streaming: rows are parsed as they are read
// and handed out one at a time, so a file of a million rows is never held whole in memory.
//
// What is handled: GBK/GB18030, UTF-8 (with or without BOM) and UTF-16 text; `,` `;` or tab
// delimiters; title rows above the header; bilingual, aliased and merged header cells; Excel
// dates, numbers with float noise, formulas, rich text, errors and booleans; blank rows;
// zip bombs and files that are not what they claim to be.

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Transform, Writable, pipeline, type Readable } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { parse as parseCsv } from 'csv-parse';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import { formatExcelNumber, normalizeCell, parseDate } from '../../core/imports/values.js';
import type { ColumnSpec } from './columns.js';

export type FileFormat = 'csv' | 'xlsx';

/** One data row. rowNumber is the row a person sees in Excel (for CSV: the record's position,
 *  which is its line unless an earlier quoted cell spans lines). Only the file's columns are keys. */
export interface RawRow {
  rowNumber: number;
  cells: Record<string, string>;
}

export type ImportFileErrorCode = 'empty' | 'too_large' | 'bad_headers' | 'corrupt' | 'zip_bomb' | 'encoding' | 'format';

/** The file as a whole cannot be read; message is meant for the person who uploaded it. */
export class ImportFileError extends Error {
  constructor(
    readonly code: ImportFileErrorCode,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

export interface ReadOptions {
  /** Skip detection. */
  format?: FileFormat;
  /** Largest file accepted (default 50 MiB). */
  maxBytes?: number;
  /** Most data rows accepted (default 2,000,000). */
  maxRows?: number;
  /** XLSX: largest total unzipped size (default: 200 MiB, or 12 times the file's size if that is
   *  more, since worksheet XML compresses about 7:1 and a million-row sheet unpacks to ~300 MB). */
  maxUnzippedBytes?: number;
  /** Progress: bytes of the file consumed so far, reported every 256 KiB and at the end. */
  onBytes?: (bytesRead: number, totalBytes: number) => void;
}

const MiB = 1024 * 1024;
const DEFAULT_MAX_BYTES = 50 * MiB;
const DEFAULT_MAX_ROWS = 2_000_000;
const DEFAULT_MAX_UNZIPPED = 200 * MiB;
const DEFAULT_UNZIPPED_PER_BYTE = 12;
const BOMB_RATIO = 100;
const BOMB_MIN_SIZE = 10 * MiB;
const MAX_ZIP_ENTRIES = 10_000;
const SAMPLE_BYTES = 64 * 1024;
const PROGRESS_STEP = 256 * 1024;
const HEADER_SEARCH_ROWS = 10;
/** A single CSV record larger than this is a broken file (an unclosed quote), not data. */
const MAX_RECORD_CHARS = 1 * MiB;

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const NOT_A_WORKBOOK = '该文件不是可读取的 Excel 工作簿 / The file is not a readable Excel workbook.';

/** By content first (a zip is an .xlsx), then by the file name's extension. */
export function detectFormat(filename: string, firstBytes: Buffer): FileFormat | undefined {
  if (firstBytes.subarray(0, 4).equals(ZIP_MAGIC)) return 'xlsx';
  if (firstBytes.subarray(0, 8).equals(OLE_MAGIC)) return undefined; // Excel 97–2003 .xls
  const ext = extname(filename).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx' || ext === '.xlsm') return 'xlsx';
  return undefined;
}

/**
 * Reads the data rows of a CSV or XLSX file against the column specs of one import kind.
 * Throws ImportFileError for problems with the file as a whole (before any row when it can
 * know: size, format, headers, zip bomb; after the last row for an exceeded maxRows or a
 * header without data). Problems with single values are left to the row validators.
 */
export async function* readRows(path: string, columns: ColumnSpec[], options: ReadOptions = {}): AsyncGenerator<RawRow> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const { size } = await stat(path);
  if (size > maxBytes) {
    throw new ImportFileError(
      'too_large',
      `文件大小为 ${mib(size)}，上限为 ${mib(maxBytes)}，请拆分为较小的文件 / The file is ${mib(size)}; the largest accepted is ${mib(maxBytes)}. Split it into smaller files.`,
    );
  }
  if (size === 0) throw new ImportFileError('empty', '文件是空的 / The file is empty.');
  const head = await readHead(path, SAMPLE_BYTES);
  const format = options.format ?? detectFormat(basename(path), head);
  if (!format) {
    const old = head.subarray(0, 8).equals(OLE_MAGIC);
    throw new ImportFileError(
      'format',
      old
        ? '这是旧版 Excel 97–2003（.xls）工作簿，请另存为 .xlsx 或 CSV 后重新上传 / This is an old Excel 97–2003 (.xls) workbook. Save it as .xlsx or as CSV and upload again.'
        : '无法识别的文件格式，请上传 Excel 工作簿（.xlsx）或 CSV 文件 / Unrecognised file format. Upload an Excel workbook (.xlsx) or a CSV file.',
    );
  }
  const records =
    format === 'csv'
      ? csvRecords(path, head, size, options.onBytes)
      : xlsxRecords(path, size, options.onBytes, options.maxUnzippedBytes ?? Math.max(DEFAULT_MAX_UNZIPPED, DEFAULT_UNZIPPED_PER_BYTE * size));
  yield* keyedRows(records, columns, options.maxRows ?? DEFAULT_MAX_ROWS);
}

// ---------------------------------------------------------------------------------------------
// Header detection and row mapping (format-independent)

/** A row as the file has it: cell texts by column position (0-based), not yet normalised. */
interface SourceRow {
  rowNumber: number;
  values: string[];
}

/** How a header text is compared: NFKC, case-insensitive, no spaces, no "*" marking required. */
const headerKey = (text: string) =>
  normalizeCell(text)
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/^\*+|\*+$/g, '');

/** Every header text accepted for a column → the column. */
function headerIndex(columns: ColumnSpec[]): Map<string, ColumnSpec> {
  const index = new Map<string, ColumnSpec>();
  for (const c of columns) {
    const texts = [c.zh, c.en, `${c.zh} ${c.en}`, `${c.zh}/${c.en}`, `${c.zh}（${c.en}）`, ...(c.aliases ?? [])];
    for (const t of texts) if (!index.has(headerKey(t))) index.set(headerKey(t), c);
  }
  return index;
}

interface HeaderMatch {
  rowNumber: number;
  /** column key → positions of the cells that name it */
  positions: Map<string, number[]>;
  unknown: string[];
  missing: ColumnSpec[];
}

function matchHeader(rec: SourceRow, index: Map<string, ColumnSpec>, columns: ColumnSpec[], above?: SourceRow): HeaderMatch {
  const positions = new Map<string, number[]>();
  const unknown: string[] = [];
  rec.values.forEach((text, i) => {
    if (normalizeCell(text) === '') return; // the covered part of a merged cell
    const column = index.get(headerKey(text));
    if (column) positions.set(column.key, [...(positions.get(column.key) ?? []), i]);
    else unknown.push(normalizeCell(text));
  });
  // Two-row header whose first cells are merged downwards (学号 spanning rows 1–2 beside a
  // group title over 课程代码/学期): fill this row's empty cells from the row above, but only
  // with columns this row does not already name.
  if (above) {
    above.values.forEach((text, i) => {
      if (normalizeCell(rec.values[i] ?? '') !== '') return;
      const column = index.get(headerKey(text));
      if (column && !positions.has(column.key)) positions.set(column.key, [i]);
    });
  }
  const missing = columns.filter((c) => c.required && !positions.has(c.key));
  return { rowNumber: rec.rowNumber, positions, unknown, missing };
}

const bilingual = (c: ColumnSpec) => `${c.zh} ${c.en}`;

function badHeaders(best: HeaderMatch, columns: ColumnSpec[]): ImportFileError {
  const details = [
    ...best.missing.map((c) => {
      const headings = [c.zh, c.en, bilingual(c), ...(c.aliases ?? [])].join(' | ');
      return `${c.zh}列的表头可写作：${headings} / ${c.en} (${c.zh}) may be headed: ${headings}`;
    }),
    ...best.unknown.map((t) => `无法识别的列：“${t}” / Unrecognised column: "${t}"`),
  ];
  const expected = columns
    .filter((c) => c.required)
    .map(bilingual)
    .join(', ');
  return new ImportFileError(
    'bad_headers',
    `缺少必填列：${best.missing.map(bilingual).join('、')}（在前 ${HEADER_SEARCH_ROWS} 行中查找表头）/ Missing required column(s): ${best.missing.map(bilingual).join(', ')}. Looked for a header row with ${expected} in the first ${HEADER_SEARCH_ROWS} rows.`,
    details,
  );
}

/** Printable ASCII words with single spaces between them: what normalizeCell leaves as it is (most cells). */
const PLAIN = /^(?:[!-~]+(?: [!-~]+)*)?$/;
const cellValue = (text: string) => (PLAIN.test(text) ? text : normalizeCell(text));

const isBlank = (values: string[]) => values.every((v) => normalizeCell(v) === '');

async function* keyedRows(records: AsyncGenerator<SourceRow>, columns: ColumnSpec[], maxRows: number): AsyncGenerator<RawRow> {
  const index = headerIndex(columns);
  const seen: SourceRow[] = []; // non-blank rows before the header, at most HEADER_SEARCH_ROWS
  const tried: HeaderMatch[] = [];
  let header: [string, number][] | undefined; // column key → position
  let count = 0;

  for await (const rec of records) {
    if (!header) {
      if (isBlank(rec.values)) continue;
      const above = seen.at(-1);
      seen.push(rec);
      let match = matchHeader(rec, index, columns);
      if (match.missing.length > 0 && above?.rowNumber === rec.rowNumber - 1) {
        const combined = matchHeader(rec, index, columns, above);
        if (combined.missing.length === 0) match = combined;
      }
      tried.push(match);
      if (match.missing.length === 0) {
        const dup = columns.filter((c) => (match.positions.get(c.key)?.length ?? 0) > 1);
        if (dup.length > 0) {
          throw new ImportFileError(
            'bad_headers',
            `以下列重复出现：${dup.map(bilingual).join('、')}，每列只保留一个 / Column(s) given more than once: ${dup.map(bilingual).join(', ')}. Keep one of each.`,
            dup.map(
              (c) =>
                `${bilingual(c)}: ${match.positions
                  .get(c.key)!
                  .map((i) => `"${normalizeCell(rec.values[i]!)}"`)
                  .join(', ')}`,
            ),
          );
        }
        header = [...match.positions].map(([key, [i]]) => [key, i!]);
        continue;
      }
      if (seen.length >= HEADER_SEARCH_ROWS) break;
      continue;
    }
    const cells: Record<string, string> = {};
    let blank = true;
    for (const [key, i] of header) {
      const v = cellValue(rec.values[i] ?? '');
      cells[key] = v;
      if (v !== '') blank = false;
    }
    if (blank) continue;
    if (++count > maxRows) {
      throw new ImportFileError(
        'too_large',
        `文件的数据行超过 ${maxRows.toLocaleString('en-US')} 行，请拆分为较小的文件 / The file has more than ${maxRows.toLocaleString('en-US')} data rows. Split it into smaller files.`,
      );
    }
    yield { rowNumber: rec.rowNumber, cells };
  }

  if (!header) {
    if (tried.length === 0) throw new ImportFileError('empty', '文件中没有任何行 / The file has no rows.');
    // report against the row that came closest to a header
    const best = tried.reduce((a, b) => (b.positions.size > a.positions.size ? b : a));
    throw badHeaders(best, columns);
  }
  if (count === 0) throw new ImportFileError('empty', '文件只有表头，没有数据行 / The file has a header row but no data rows.');
}

// ---------------------------------------------------------------------------------------------
// Shared stream helpers

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Passes bytes through, reporting progress every PROGRESS_STEP bytes and at the end. */
function byteCounter(total: number, onBytes?: (read: number, total: number) => void): Transform {
  let read = 0;
  let reported = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      read += chunk.length;
      if (onBytes && read - reported >= PROGRESS_STEP) {
        reported = read;
        onBytes(read, total);
      }
      done(null, chunk);
    },
    flush(done) {
      if (onBytes && reported !== read) onBytes(read, total);
      done();
    },
  });
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

// ---------------------------------------------------------------------------------------------
// CSV

type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'gb18030';
const ENCODING_NAMES: Record<TextEncoding, string> = { utf8: 'UTF-8', utf16le: 'UTF-16', utf16be: 'UTF-16', gb18030: 'GBK/GB18030' };

/** A BOM decides; otherwise UTF-8 if the sample is valid UTF-8, else GB18030 (a superset of the
 *  GBK that Chinese Excel and most 教务系统 write). */
function detectEncoding(sample: Buffer, isWholeFile: boolean): TextEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf16be';
  try {
    // stream: true tolerates a character cut in two at the end of the sample
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !isWholeFile });
    return 'utf8';
  } catch {
    return 'gb18030';
  }
}

/** The candidate that occurs most often on one line among the first lines (quoted text ignored). */
function detectDelimiter(sample: string): string {
  const lines = sample
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, HEADER_SEARCH_ROWS + 1)
    .map((l) => l.replace(/"[^"]*"/g, ''));
  let best = ',';
  let bestCount = 0;
  for (const d of [',', '\t', ';']) {
    const count = Math.max(0, ...lines.map((l) => l.split(d).length - 1));
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

async function* csvRecords(path: string, head: Buffer, size: number, onBytes?: ReadOptions['onBytes']): AsyncGenerator<SourceRow> {
  const encoding = detectEncoding(head, head.length === size);
  const parser = parseCsv({
    delimiter: detectDelimiter(iconv.decode(head, encoding)),
    relax_column_count: true,
    relax_quotes: true,
    bom: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  // Errors anywhere in the chain destroy the parser, so they surface in the loop below.
  pipeline(createReadStream(path), byteCounter(size, onBytes), iconv.decodeStream(encoding), parser, () => {});
  let rowNumber = 0;
  try {
    for await (const values of parser as AsyncIterable<string[]>) {
      rowNumber++;
      if (values.some((v) => v.includes('\uFFFD'))) {
        throw new ImportFileError(
          'encoding',
          `第 ${rowNumber} 行含有无效的 ${ENCODING_NAMES[encoding]} 文本，无法识别文件的字符编码；请另存为“CSV UTF-8”或 .xlsx 后重新上传 / Row ${rowNumber} has text that is not valid ${ENCODING_NAMES[encoding]}: the file's character encoding could not be recognised. Save it as "CSV UTF-8" or as .xlsx and upload again.`,
        );
      }
      yield { rowNumber, values };
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    throw new ImportFileError('corrupt', `CSV 文件在第 ${rowNumber} 行之后无法读取 / The CSV file could not be read after row ${rowNumber}.`, [messageOf(e)]);
  } finally {
    parser.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// XLSX

/**
 * Looks inside the zip before anything inflates it for parsing: too many entries, too much
 * declared data in total, or an entry that inflates over 100:1 to more than 10 MiB is a zip
 * bomb. Declared sizes can lie, so every entry is also inflated once and counted (yauzl checks
 * the real size against the declared one).
 */
async function checkZip(path: string, maxUnzipped: number): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, z) => (err ? reject(err) : resolve(z))),
  ).catch((e: unknown) => {
    throw new ImportFileError('corrupt', NOT_A_WORKBOOK, [messageOf(e)]);
  });
  const bomb = (why: string) =>
    new ImportFileError(
      'zip_bomb',
      '该文件解压后的数据量远超同等大小的工作簿所能容纳，因此未打开 / The file unpacks to far more data than a workbook of its size could hold, so it was not opened.',
      [why],
    );
  try {
    if (zip.entryCount > MAX_ZIP_ENTRIES) throw bomb(`${zip.entryCount} entries`);
    let declared = 0;
    let inflated = 0;
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        declared += entry.uncompressedSize;
        if (declared > maxUnzipped) return reject(bomb(`more than ${mib(maxUnzipped)} unpacked`));
        if (entry.uncompressedSize > BOMB_MIN_SIZE && entry.uncompressedSize > BOMB_RATIO * entry.compressedSize) {
          return reject(bomb(`${entry.fileName} is compressed more than ${BOMB_RATIO}:1`));
        }
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const count = new Writable({
            write(chunk: Buffer, _enc, done) {
              inflated += chunk.length;
              done(inflated > maxUnzipped ? bomb(`more than ${mib(maxUnzipped)} unpacked`) : null);
            },
          });
          pipelineAsync(stream, count).then(() => zip.readEntry(), reject);
        });
      });
      zip.readEntry();
    });
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    // yauzl's own size check: "too many bytes in the stream. expected … got at least …"
    if (/too many bytes/i.test(messageOf(e))) throw bomb(messageOf(e));
    throw new ImportFileError('corrupt', NOT_A_WORKBOOK, [messageOf(e)]);
  } finally {
    zip.close();
  }
}

/** Excel number formats that show a date or time ("yyyy-mm-dd", "m/d/yy h:mm", 14 …). */
function isDateFormat(numFmt: unknown): boolean {
  if (typeof numFmt !== 'string') return false;
  const bare = numFmt
    .replace(/\[[^\]]*]/g, '')
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '');
  return /[ymdhsb]/i.test(bare.replace(/general/gi, ''));
}

const isoDay = (d: Date) => (Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10));

interface StreamingCell {
  value: unknown;
  numFmt?: unknown;
  /** a formula's cached result (cell.value leaves out a NaN result) */
  result?: unknown;
}
interface StreamingRow {
  number: number;
  eachCell(opts: { includeEmpty: boolean }, fn: (cell: StreamingCell, col: number) => void): void;
}
interface StreamingSheet extends AsyncIterable<StreamingRow> {
  name?: string;
}

/** The text a person sees in a cell, from the shapes exceljs's streaming reader produces. */
function cellText(cell: StreamingCell): string {
  return valueText(cell.value, cell);
}

function valueText(value: unknown, cell: StreamingCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return formatExcelNumber(value);
  if (value instanceof Date) return isoDay(value); // exceljs builds dates in UTC
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('formula' in v || 'sharedFormula' in v) {
      const result = 'result' in v ? v.result : cell.result;
      if (typeof result === 'number') {
        // The streaming reader parses every non-string result as a number: an error (#N/A)
        // becomes NaN and its text is lost; a date-formatted result stays a day number.
        if (Number.isNaN(result)) return '#ERROR!';
        if (isDateFormat(cell.numFmt) && result >= 1) {
          const date = parseDate(String(Math.floor(result)));
          if (date.ok) return date.value;
        }
      }
      return valueText(result, cell);
    }
    if (Array.isArray(v.richText)) return (v.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
    if (typeof v.error === 'string') return v.error;
    if ('text' in v) return valueText(v.text, cell); // hyperlink
  }
  return '';
}

async function* xlsxRecords(path: string, size: number, onBytes: ReadOptions['onBytes'], maxUnzipped: number): AsyncGenerator<SourceRow> {
  await checkZip(path, maxUnzipped);
  const { default: ExcelJS } = await import('exceljs'); // loaded when first needed: it is a good part of a start
  const file = createReadStream(path);
  const counted: Readable = file.pipe(byteCounter(size, onBytes));
  file.on('error', (e) => counted.destroy(e));
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(counted, {
    entries: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache', // needed to tell date cells from numbers
    worksheets: 'emit',
  });
  try {
    for await (const sheet of workbook as unknown as AsyncIterable<StreamingSheet>) {
      // Worksheets come in zip order; read the first one of the workbook's tab order.
      const first = (workbook as unknown as { model?: { sheets?: { name?: string }[] } }).model?.sheets?.[0]?.name;
      if (first !== undefined && sheet.name !== undefined && sheet.name !== first) continue;
      for await (const row of sheet) {
        const values: string[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          values[col - 1] = cellText(cell);
        });
        yield { rowNumber: row.number, values: Array.from(values, (v) => v ?? '') };
      }
      return;
    }
    throw new ImportFileError('corrupt', NOT_A_WORKBOOK, ['no worksheet found']);
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    throw new ImportFileError('corrupt', NOT_A_WORKBOOK, [messageOf(e)]);
  } finally {
    file.destroy();
    counted.destroy();
  }
}
