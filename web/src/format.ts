// Small presentation helpers: dates and decimal credits, without floats.
import { readerHalf as bilingualHalf } from '../../src/core/text/bilingual';
import type { Language } from './i18n';

const pad = (n: number) => String(n).padStart(2, '0');

/** "2024-09-01T02:00:00Z" → "2024-09-01 10:00" in the browser's time zone; "—" when empty. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A date or timestamp shown as YYYY-MM-DD. Plain dates ("2024-09-01") are shown as they are. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Trims a decimal string's trailing zeros ("3.50" → "3.5", "16.00" → "16"); other text passes through. */
export function formatDecimal(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = String(value).trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

/** Picks the name in the UI language, falling back to the other one. */
export function localName(lang: Language, zh: string | null | undefined, en: string | null | undefined): string {
  const first = lang === 'en' ? en : zh;
  const second = lang === 'en' ? zh : en;
  return first || second || '—';
}

/** A text the server wrote in both languages, "中文 / English": the half in the UI language. */
export const readerHalf = (lang: Language, text: string) => bilingualHalf(lang === 'en' ? 'en' : 'zh', text);
