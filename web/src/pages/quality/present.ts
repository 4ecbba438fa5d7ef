// Pure helpers of the quality dashboard: periods by month, how a figure is shown, and the CSV built
// in the browser. Months are "YYYY-MM" strings; the API takes the period [from, to) as dates.

export type Month = string;

const MONTH = /^(\d{4})-(\d{2})$/;

/** "2026-11" → [2026, 11]; null for anything else. */
export function parseMonth(text: string | null | undefined): [number, number] | null {
  const m = MONTH.exec(text ?? '');
  if (!m) return null;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  return mo >= 1 && mo <= 12 ? [y, mo] : null;
}

const show = (y: number, m: number): Month => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;

/** The month `n` months after `month` (before it when n < 0). */
export function addMonths(month: Month, n: number): Month {
  const [y, m] = parseMonth(month) ?? [1970, 1];
  const index = y * 12 + (m - 1) + n;
  return show(Math.floor(index / 12), (index % 12) + 1);
}

/** The month of a date, in the browser's calendar. */
export const monthOf = (d: Date): Month => show(d.getFullYear(), d.getMonth() + 1);

/** The last 12 months up to the end of this one. */
export function defaultMonths(today: Date = new Date()): { from: Month; to: Month } {
  const to = monthOf(today);
  return { from: addMonths(to, -11), to };
}

/** The months from `from` to `to`, both included (empty when `to` is before `from`). */
export function monthsBetween(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  for (let m = from; m <= to && out.length < 1200; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The API's period [first day of `from`, first day of the month after `to`). */
export function periodOf(from: Month, to: Month): { from: string; to: string } {
  return { from: `${from}-01`, to: `${addMonths(to, 1)}-01` };
}

/** The most months the trend fetches, one request each: a longer period shows its last months. */
export const TREND_MONTHS = 36;

export type Unit = 'count' | 'ratio' | 'days' | 'credits' | 'score' | 'semesters' | (string & {});

/**
 * A figure as shown: counts whole, ratios as percentages, days and semesters with one decimal, credits with two,
 * mean scores with two; "—" for no value. A positive figure too small to show is "< 0.1".
 */
export function formatValue(value: number | null | undefined, unit: Unit, lang: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const locale = lang === 'en' ? 'en-US' : 'zh-CN';
  const number = (v: number, max: number, min = 0) => new Intl.NumberFormat(locale, { maximumFractionDigits: max, minimumFractionDigits: min }).format(v);
  switch (unit) {
    case 'ratio':
      return `${number(value * 100, 1)}%`;
    case 'days':
      return value > 0 && value < 0.05 ? `< ${number(0.1, 1)}` : number(value, 1);
    case 'credits':
      return number(value, 2);
    case 'score':
      return number(value, 2, 2);
    case 'semesters':
      return value > 0 && value < 0.05 ? `< ${number(0.1, 1)}` : number(value, 1);
    default:
      return number(value, 0);
  }
}

/** A file's size: "121 KB", "1.2 MB"; "—" for none. */
export function formatBytes(bytes: number | null, lang: string): string {
  if (bytes === null) return '—';
  const n = (v: number, d: number) => new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: d }).format(v);
  if (bytes < 1024) return `${n(bytes, 0)} B`;
  if (bytes < 1024 * 1024) return `${n(bytes / 1024, bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${n(bytes / (1024 * 1024), 1)} MB`;
}

/** A ratio as a percentage for a chart axis or a CSV cell (one decimal), null for none. */
export const percent = (value: number | null | undefined): number | null => (value === null || value === undefined ? null : Math.round(value * 1000) / 10);

type Cell = string | number | null | undefined;

const quote = (cell: Cell): string => {
  if (cell === null || cell === undefined) return '';
  const text = String(cell);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** CSV text (RFC 4180: CRLF, quoted where needed) with a UTF-8 byte order mark, so Excel reads Chinese right. */
export function toCsv(rows: Cell[][]): string {
  return `\uFEFF${rows.map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`;
}

/** Has the browser save `text` as a file. */
export function saveText(text: string, filename: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
