// Demo-only writes that no workflow makes: moving a seeded case's times into the past, so that the
// demo's trends and processing times look like a year of work rather than one afternoon.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';

/** A certification application submitted at `submitted` and decided at `decided`, with its events, postings and audit trail. */
export async function backdateCertification(db: Db, id: string, submitted: Date, decided: Date) {
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`update certification_events set at = case when action in ('create', 'submit') then ${submitted.toISOString()}::timestamptz else ${decided.toISOString()}::timestamptz end where application_id = ${id}`,
    );
    await tx.execute(
      sql`update certification_applications set created_at = ${submitted.toISOString()}::timestamptz, decided_at = case when decided_at is null then null else ${decided.toISOString()}::timestamptz end, updated_at = ${decided.toISOString()}::timestamptz where id = ${id}`,
    );
    await tx.execute(
      sql`update ledger_postings set created_at = ${decided.toISOString()}::timestamptz where cause_type = 'certification' and cause_id = ${id}`,
    );
    await tx.execute(
      sql`update audit_events set at = case when action in ('certification.create', 'certification.evidence_add', 'certification.submit') then ${submitted.toISOString()}::timestamptz else ${decided.toISOString()}::timestamptz end where entity_id = ${id}`,
    );
  });
}

/** A transfer application made at `applied` and decided at `decided`. */
export async function backdateTransfer(db: Db, id: string, applied: Date, decided: Date) {
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`update transfer_applications set created_at = ${applied.toISOString()}::timestamptz, decided_at = ${decided.toISOString()}::timestamptz where id = ${id}`,
    );
    await tx.execute(sql`update transfer_lines set decided_at = ${decided.toISOString()}::timestamptz where application_id = ${id} and decided_at is not null`);
    await tx.execute(
      sql`update ledger_postings set created_at = ${decided.toISOString()}::timestamptz where cause_type = 'transfer' and cause_id like ${`${id}:%`}`,
    );
    await tx.execute(
      sql`update audit_events set at = case when action = 'transfer.apply' then ${applied.toISOString()}::timestamptz else ${decided.toISOString()}::timestamptz end where entity_id = ${id}`,
    );
  });
}
