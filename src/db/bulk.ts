// Bulk inserts as `INSERT … SELECT * FROM unnest($1::type[], $2::type[], …)`: one parameter per
// column however many rows, so a batch of thousands of rows is cheap to build, send and plan, on
// PostgreSQL and on PGlite alike.
import { sql } from 'drizzle-orm';
import type { Executor } from './connection.js';

export type ColumnTypes<T> = { [K in keyof T]?: string };

/**
 * Inserts `rows` into `table`; `columns` maps each row field to its SQL column and element type,
 * e.g. { learnerId: ['learner_id', 'uuid'], amount: ['amount', 'numeric'] }.
 */
export async function insertUnnest<T extends Record<string, unknown>>(
  db: Executor,
  table: string,
  columns: { [K in keyof T]: [column: string, type: string] },
  rows: T[],
): Promise<void> {
  if (rows.length === 0) return;
  const keys = Object.keys(columns) as (keyof T)[];
  const names = sql.raw(keys.map((k) => `"${columns[k][0]}"`).join(', '));
  const arrays = sql.join(
    keys.map((k) => sql`${arrayLiteral(rows.map((r) => r[k]))}::${sql.raw(columns[k][1])}[]`),
    sql`, `,
  );
  await db.execute(sql`insert into ${sql.raw(`"${table}"`)} (${names}) select * from unnest(${arrays})`);
}

/** A PostgreSQL array literal, {"a","b",NULL}, sent as one text parameter (both drivers accept it). */
export function arrayLiteral(values: unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    const text = v instanceof Date ? v.toISOString() : String(v);
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}
