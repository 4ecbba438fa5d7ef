// Writing CSV and XLSX for templates, reports and exports. CSV is UTF-8 with a BOM so that Excel
// opens Chinese text correctly; XLSX is written by exceljs, streaming.
import { PassThrough, Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

export type Cell = string | number | boolean | null | undefined;

function csvField(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  // A leading = + - @ would be run as a formula by spreadsheet programs: quote it as text.
  const guarded = /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(guarded) || guarded !== s ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export const csvLine = (values: Cell[]) => `${values.map(csvField).join(',')}\r\n`;

/** A CSV stream: BOM, header, then the rows as they come. */
export function csvStream(header: string[], rows: AsyncIterable<Cell[]> | Iterable<Cell[]>): Readable {
  return Readable.from(
    (async function* () {
      yield `\uFEFF${csvLine(header)}`;
      for await (const r of rows) yield csvLine(r);
    })(),
  );
}

export interface Sheet {
  name: string;
  header: string[];
  rows: AsyncIterable<Cell[]> | Iterable<Cell[]>;
  widths?: number[];
}

/** An XLSX stream of one or more sheets, each written row by row. */
export function xlsxStream(sheets: Sheet[]): Readable {
  const out = new PassThrough();
  void (async () => {
    try {
      const { default: ExcelJS } = await import('exceljs'); // loaded when first needed: it is a good part of a start
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
      for (const s of sheets) {
        const ws = wb.addWorksheet(s.name);
        ws.columns = s.header.map((h, i) => ({ header: h, width: s.widths?.[i] ?? Math.min(40, Math.max(12, h.length + 4)) }));
        ws.getRow(1).font = { bold: true };
        ws.getRow(1).commit();
        for await (const r of s.rows) ws.addRow(r.map((v) => (v === undefined ? null : v))).commit();
        ws.commit();
      }
      await wb.commit();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}

export const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** Content-Disposition with a UTF-8 file name (RFC 6266 / 5987) and an ASCII fallback. */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Sends sheets as a download: the first as CSV, or all as one XLSX workbook. */
export function sendSheets(reply: FastifyReply, fmt: 'csv' | 'xlsx', filename: string, sheets: Sheet[]) {
  reply.header('content-type', CONTENT_TYPES[fmt]).header('content-disposition', attachment(`${filename}.${fmt}`));
  return reply.send(fmt === 'csv' ? csvStream(sheets[0]!.header, sheets[0]!.rows) : xlsxStream(sheets));
}
