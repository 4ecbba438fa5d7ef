// What the database says about itself, for readiness, /metrics and `creditbank doctor`: whether every
// migration this build carries has been applied, and the server's version. Reads only.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrationsFolder, type Executor } from './connection.js';

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

/** The migrations this build carries, in order (meta/_journal.json of a migrations folder). */
export function journal(folder = migrationsFolder): JournalEntry[] {
  return (JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] }).entries;
}

export interface MigrationStatus {
  /** Migrations recorded as applied in the database. */
  applied: number;
  /** Migrations this build carries. */
  expected: number;
  /** The tags of the carried migrations the database has not applied (Drizzle applies those newer than its last). */
  pending: string[];
  /** The database was migrated by a newer build (it has a migration this build does not know). */
  newer: boolean;
}

export async function migrationStatus(db: Executor, folder = migrationsFolder): Promise<MigrationStatus> {
  const entries = journal(folder);
  const exists = rowsOf<{ t: string | null }>(await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`));
  const rows = exists[0]?.t
    ? rowsOf<{ n: string | number; last: string | number | null }>(
        await db.execute(sql`select count(*) as n, max(created_at) as last from drizzle.__drizzle_migrations`),
      )
    : [{ n: 0, last: null }];
  const last = rows[0]?.last === null || rows[0]?.last === undefined ? -1 : Number(rows[0].last);
  const pending = entries.filter((e) => e.when > last).map((e) => e.tag);
  const newest = entries.length ? entries[entries.length - 1]!.when : -1;
  return { applied: Number(rows[0]?.n ?? 0), expected: entries.length, pending, newer: last > newest };
}

/** `select version()`: "PostgreSQL 17.2 …" (PGlite reports the PostgreSQL it embeds). */
export async function serverVersion(db: Executor): Promise<string> {
  return String(rowsOf<{ v: string }>(await db.execute(sql`select version() as v`))[0]?.v ?? '');
}

/** node-postgres answers { rows }, PGlite's driver too; both through Drizzle's execute. */
export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];
}
