// Opaque cursors for keyset pagination: the client hands back what it was given.
import { invalid } from './errors.js';

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Decodes a cursor and checks its shape; a cursor the server did not make is a 400 on `query.cursor`. */
export function decodeCursor<T>(text: string | undefined, check: (v: unknown) => v is T): T | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid('query.cursor', 'is not a cursor this server returned');
  }
  if (!check(value)) throw invalid('query.cursor', 'is not a cursor this server returned');
  return value;
}

export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
export const isString = (v: unknown): v is string => typeof v === 'string';

/** Takes `limit + 1` rows and returns a page and the next cursor. */
export function page<T>(rows: T[], limit: number, cursorOf: (last: T) => unknown): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}
