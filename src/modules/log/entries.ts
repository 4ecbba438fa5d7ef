// What goes into the transparency log, and how: each ledger posting as canonical JSON, appended in
// the transaction that makes the posting. Verification rebuilds the same text from the ledger row.
import { formatCredits, parseCredits } from '../../core/credits.js';
import { insertUnnest } from '../../db/bulk.js';
import type { Executor } from '../../db/connection.js';

export interface PostingFields {
  learnerId: string;
  seq: number;
  kind: string;
  amount: string;
  unit: string;
  fromState?: string | null;
  toState?: string | null;
  causeType: string;
  causeId: string;
  reversesSeq?: number | null;
  memo?: string | null;
  createdBy?: string | null;
}

export const postingRef = (p: { learnerId: string; seq: number }) => `${p.learnerId}:${p.seq}`;

/** The posting as the log records it: fixed keys in a fixed order, credits in their shortest form. */
export function postingPayload(p: PostingFields): string {
  return JSON.stringify({
    type: 'ledger.posting',
    learnerId: p.learnerId,
    seq: p.seq,
    kind: p.kind,
    amount: formatCredits(parseCredits(String(p.amount))),
    unit: p.unit,
    from: p.fromState ?? null,
    to: p.toState ?? null,
    causeType: p.causeType,
    causeId: p.causeId,
    reversesSeq: p.reversesSeq ?? null,
    memo: p.memo ?? null,
    createdBy: p.createdBy ?? null,
  });
}

/** The leaf's data: its place in the log and the payload, so that moving an entry changes its leaf. */
export const leafData = (idx: number, payload: string) => Buffer.from(`${idx}\n${payload}`);

/** Appends the postings to the log, unsequenced, in the caller's transaction. */
export async function appendPostings(tx: Executor, postings: PostingFields[]) {
  const rows = postings.map((p) => ({ kind: 'posting', ref: postingRef(p), payload: postingPayload(p) }));
  for (let i = 0; i < rows.length; i += 5000) {
    await insertUnnest(tx, 'log_entries', { kind: ['kind', 'text'], ref: ['ref', 'text'], payload: ['payload', 'text'] } as const, rows.slice(i, i + 5000));
  }
}
