// What waits in each work queue, counted in one statement: a UNION ALL with one branch per queue the
// caller works, each counting exactly what that queue's page lists as waiting for them. The queues'
// tables belong to other modules: this store only reads them, as the quality indicators do.
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';

/** A queue's code: stable, the web app's key for its card and its menu badge. */
export const QUEUE_CODES = [
  'certification.review',
  'certification.committee',
  'transfer.decide',
  'evaluation.open',
  'award.decide',
  'learningAgreement.sign',
  'linkRequest.open',
  'correction.open',
  'erasure.open',
  'identityConflict.open',
] as const;
export type QueueCode = (typeof QUEUE_CODES)[number];

/** Who the counts are for: the institutions of each role, the bank-wide roles, and their own learning record. */
export interface WorkScope {
  registrarOf: string[];
  reviewerOf: string[];
  committee: boolean;
  /** The caller's user, for what they have done already (a committee member's vote). */
  userId: string | null;
  admin: boolean;
  /** The caller's own learning account: nobody works on their own applications. */
  learnerId: string | null;
}

export interface QueueCount {
  queue: QueueCode;
  count: number;
  oldest: Date | null;
}

const ids = (list: string[]) => sql`${`{${list.join(',')}}`}::uuid[]`;
/** Not the caller's own record (`column` is a constant of this file, never input). */
const notOwn = (column: string, learnerId: string | null) => (learnerId ? sql`${sql.raw(column)} <> ${learnerId}::uuid` : sql`true`);

/** The branch of each queue, or null when the caller does not work it. */
function branches(s: WorkScope): [QueueCode, SQL][] {
  const staff = [...new Set([...s.registrarOf, ...s.reviewerOf])];
  const out: [QueueCode, SQL | null][] = [
    [
      // the reviewers' queue: applications under their institutions' standards, submitted (more_info waits on the learner)
      'certification.review',
      s.reviewerOf.length
        ? sql`select count(*)::int as n, min(a.updated_at) as oldest from certification_applications a
              where a.route = 'reviewer' and a.status = 'submitted' and a.institution_id = any(${ids(s.reviewerOf)}) and ${notOwn('a.learner_id', s.learnerId)}`
        : null,
    ],
    [
      // the committee's: individual assessments and appeals waiting for the member's vote in their round
      // (a round starts each time the application enters the stage: certification/service.ts stageOf)
      'certification.committee',
      s.committee
        ? sql`select count(*)::int as n, min(a.updated_at) as oldest from certification_applications a
              where (a.route = 'committee' or a.appealed) and a.status in ('committee', 'appealed') and ${notOwn('a.learner_id', s.learnerId)}
                and not exists (
                  select 1 from committee_votes v
                  where v.learner_id = a.learner_id and v.application_id = a.id and v.voter_id = ${s.userId}::uuid
                    and v.stage = case when a.appealed then 'appeal' else 'assessment' end
                    and v.round = greatest(1, (
                      select count(*) from certification_events e
                      where e.learner_id = a.learner_id and e.application_id = a.id
                        and e.to_status = case when a.appealed then 'appealed' else 'committee' end
                        and e.from_status is distinct from e.to_status)))`
        : null,
    ],
    [
      // transfers into the institution, submitted: its registrars decide them (never their own)
      'transfer.decide',
      s.registrarOf.length
        ? sql`select count(*)::int as n, min(t.created_at) as oldest from transfer_applications t
              where t.status = 'submitted' and t.target_institution_id = any(${ids(s.registrarOf)}) and ${notOwn('t.learner_id', s.learnerId)}`
        : null,
    ],
    [
      // course evaluations the receiving institution's staff (registrars and reviewers) decide
      'evaluation.open',
      staff.length
        ? sql`select count(*)::int as n, min(e.created_at) as oldest from evaluation_tasks e
              where e.status = 'open' and e.target_institution_id = any(${ids(staff)})`
        : null,
    ],
    [
      'award.decide',
      s.registrarOf.length
        ? sql`select count(*)::int as n, min(w.applied_at) as oldest from awards w join programmes p on p.id = w.programme_id
              where w.status = 'applied' and p.institution_id = any(${ids(s.registrarOf)})`
        : null,
    ],
    [
      // the latest version of an active agreement, not yet accepted by the part (home or host) the registrar signs for
      'learningAgreement.sign',
      s.registrarOf.length
        ? sql`select count(*)::int as n, min(v.created_at) as oldest
              from learning_agreements a
              join learning_agreement_versions v on v.learner_id = a.learner_id and v.agreement_id = a.id
              where a.status = 'active' and ${notOwn('a.learner_id', s.learnerId)}
                and v.version = (select max(l.version) from learning_agreement_versions l where l.learner_id = a.learner_id and l.agreement_id = a.id)
                and ((a.home_institution_id = any(${ids(s.registrarOf)}) and v.home_accepted_at is null)
                  or (a.host_institution_id = any(${ids(s.registrarOf)}) and v.host_accepted_at is null))`
        : null,
    ],
    [
      'linkRequest.open',
      s.registrarOf.length
        ? sql`select count(*)::int as n, min(r.created_at) as oldest from link_requests r
              where r.status = 'open' and r.institution_id = any(${ids(s.registrarOf)})`
        : null,
    ],
    [
      'correction.open',
      s.registrarOf.length
        ? sql`select count(*)::int as n, min(c.created_at) as oldest from correction_requests c
              where c.status = 'open' and c.institution_id = any(${ids(s.registrarOf)})`
        : null,
    ],
    ['erasure.open', s.admin ? sql`select count(*)::int as n, min(r.created_at) as oldest from erasure_requests r where r.status = 'open'` : null],
    ['identityConflict.open', s.admin ? sql`select count(*)::int as n, min(c.created_at) as oldest from identity_conflicts c where c.status = 'open'` : null],
  ];
  return out.filter((b): b is [QueueCode, SQL] => b[1] !== null);
}

/** The count and oldest waiting item of each queue the caller works, in QUEUE_CODES order: one statement. */
export async function queueCounts(db: Executor, s: WorkScope): Promise<QueueCount[]> {
  const parts = branches(s);
  if (!parts.length) return [];
  const union = sql.join(
    parts.map(([code, q]) => sql`select ${code}::text as queue, x.n, x.oldest from (${q}) x`),
    sql` union all `,
  );
  const res = await db.execute(union);
  const rows = (res as unknown as { rows: { queue: QueueCode; n: number | string; oldest: Date | string | null }[] }).rows;
  const byCode = new Map(rows.map((r) => [r.queue, r]));
  return parts.map(([code]) => {
    const r = byCode.get(code);
    return { queue: code, count: Number(r?.n ?? 0), oldest: r?.oldest ? new Date(r.oldest) : null };
  });
}
