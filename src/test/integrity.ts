// A bank to attack the ledger's invariants with (the integration tests and `npm run stress`): the
// small alliance plus a third institution, two certificate programmes of one level at UNIA that both
// count CS101 and MA101, a cap on what COLB takes in, and learners who each passed both courses.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { insertUserWithGrants } from '../modules/auth/service.js';
import { createProgramme } from '../modules/catalog/service.js';
import { addScale, createInstitution } from '../modules/institutions/service.js';
import { createLearner } from '../modules/learners/service.js';
import { recordCourseResult } from '../modules/outcomes/service.js';
import { putRequirements } from '../modules/qualifications/service.js';
import { setPolicy } from '../modules/recognition/transfers.js';
import { makeAlliance, PASSWORD } from './fixture.js';

/** What COLB lets one learner transfer in, in all: room for one of two 3-credit substitutions. */
export const CAP_TOTAL = '4';

export async function makeIntegrityBank(db: Db, learners: number) {
  const fx = await makeAlliance({ db });
  const c = await createInstitution(db, fx.admin, {
    code: 'COLC',
    nameZh: '丙学院',
    nameEn: 'College C',
    kind: 'vocational_college',
    country: 'CN',
    creditSystem: { unit: 'credit', hoursPerCredit: '16', hourType: 'contact', effectiveFrom: '2015-09-01' },
  });
  await addScale(db, fx.admin, c.id, {
    code: 'pct',
    nameZh: '百分制',
    nameEn: 'Percentage',
    definition: { type: 'percentage', passMin: 60, decimals: 0 },
    effectiveFrom: '2015-09-01',
  });
  await insertUserWithGrants(db, {
    username: 'registrar.c',
    password: PASSWORD,
    displayName: 'Registrar c',
    grants: [{ role: 'registrar', institutionId: c.id }],
  });
  await setPolicy(db, fx.admin, fx.b.id, { capPerSource: null, capTotal: CAP_TOTAL });

  const programmes: Record<string, string> = {};
  for (const code of ['CERT-A', 'CERT-B']) {
    const p = await createProgramme(db, fx.admin, fx.a.id, {
      code,
      titleZh: `证书 ${code}`,
      titleEn: `Certificate ${code}`,
      qualification: 'certificate',
      totalCredits: '8.5',
      iscedCode: '0613',
    });
    await putRequirements(db, fx.admin, p.id, 2015, {
      totalCredits: '8.5',
      root: ['core'],
      nodes: [{ id: 'core', titleZh: '核心课程', titleEn: 'Core courses', kind: 'courses', courses: ['CS101', 'MA101'] }],
    });
    programmes[code] = p.id;
  }

  // at COLB: a certificate of credits transferred in, so that an award can use what a transfer brought
  const colb = await createProgramme(db, fx.admin, fx.b.id, {
    code: 'CERT-T',
    titleZh: '转入学分证书',
    titleEn: 'Certificate of transferred credit',
    qualification: 'certificate',
    totalCredits: '3',
    iscedCode: '0613',
  });
  await putRequirements(db, fx.admin, colb.id, 2015, {
    totalCredits: '3',
    root: ['in'],
    nodes: [{ id: 'in', titleZh: '转入学分', titleEn: 'Transferred credit', kind: 'credits', minCredits: '3', filter: { origins: ['transfer'] } }],
  });
  programmes['CERT-T'] = colb.id;

  const names: string[] = [];
  for (let i = 0; i < learners; i++) {
    const username = `l${String(i).padStart(4, '0')}`;
    const l = await createLearner(db, fx.admin, fx.a.id, {
      fullName: `学员${i}`,
      fullNameLatin: `Learner ${i}`,
      birthDate: '2001-01-01',
      externalId: `S${i}`,
      login: { username, password: PASSWORD },
    });
    for (const course of ['CS101', 'MA101']) {
      await recordCourseResult(db, fx.admin, fx.a.id, {
        learnerId: l.id,
        courseCode: course,
        term: '2023-2024-1',
        attempt: 1,
        grade: '80',
        completedOn: '2024-01-15',
      });
    }
    names.push(username);
  }
  return { fx, c, programmes, learners: names };
}

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

/** What breaches() answers when every invariant holds. */
export const NONE_BROKEN = {
  doubleUses: 0,
  awardAndTransfer: 0,
  doubleAwards: 0,
  doubleDeposits: 0,
  capsExceeded: 0,
  badBalances: 0,
  usedAfterCorrection: 0,
  depositOfSuperseded: 0,
  halfErased: 0,
  approvedNotErased: 0,
  seqGaps: 0,
};

/**
 * The invariants, counted by SQL from the tables themselves (not through the code under test):
 * each count is of breaches, and must be 0.
 */
export async function breaches(db: Db) {
  const count = async (q: ReturnType<typeof sql>) => Number(rowsOf<{ n: string }>(await db.execute(q))[0]!.n);
  return {
    // a course's credits held by two live transfer lines or awards at once
    doubleUses: await count(sql`
      select count(*) as n from (
        select l.learner_id, o.course_id from transfer_lines l join outcomes o on o.learner_id = l.learner_id and o.id = l.outcome_id
        where l.status in ('pending', 'accepted', 'substituted')
        group by 1, 2 having count(*) > 1) d`),
    // an approved award counting a course that a live transfer line also holds
    awardAndTransfer: await count(sql`
      select count(*) as n from awards w cross join lateral jsonb_array_elements_text(w.items) i(item)
        join outcomes o on o.learner_id = w.learner_id and 'outcome:' || o.id = i.item
        join outcomes t on t.learner_id = w.learner_id and t.course_id = o.course_id
        join transfer_lines l on l.learner_id = t.learner_id and l.outcome_id = t.id and l.status in ('pending', 'accepted', 'substituted')
      where w.status = 'approved'`),
    // two approved awards of one qualification level counting the same course
    doubleAwards: await count(sql`
      select count(*) as n from (
        select w.learner_id, i.item from awards w join programmes p on p.id = w.programme_id cross join lateral jsonb_array_elements_text(w.items) i(item)
        where w.status = 'approved' group by w.learner_id, p.qualification, i.item having count(*) > 1) d`),
    // a course's credits deposited twice (open deposits of two attempts)
    doubleDeposits: await count(sql`
      select count(*) as n from (
        select p.learner_id, o.course_id from ledger_postings p join outcomes o on o.learner_id = p.learner_id and o.id::text = p.cause_id
        where p.kind = 'deposit' and p.cause_type = 'outcome'
          and not exists (select 1 from ledger_postings r where r.learner_id = p.learner_id and r.reverses_seq = p.seq)
        group by 1, 2 having count(*) > 1) d`),
    // more transferred into COLB than its cap
    capsExceeded: await count(sql`
      select count(*) as n from (
        select l.learner_id from transfer_lines l join institutions i on i.id = l.target_institution_id
        where i.code = 'COLB' and l.status in ('accepted', 'substituted')
        group by 1 having sum(l.credits) > ${CAP_TOTAL}::numeric) d`),
    // a balance below zero, or an account whose postings were numbered with a gap or twice
    badBalances: await count(sql`
      select count(*) as n from (
        select learner_id, unit,
          sum(case when to_state = 'available' then amount else 0 end) - sum(case when from_state = 'available' then amount else 0 end) as available,
          sum(case when to_state = 'used' then amount else 0 end) - sum(case when from_state = 'used' then amount else 0 end) as used
        from ledger_postings group by 1, 2) b
      where available < 0 or used < 0`),
    // a corrected or revoked result whose credits a live transfer line or an approved award still holds
    usedAfterCorrection: await count(sql`
      select count(*) as n from outcomes o
      where o.status <> 'recorded' and (
        exists (select 1 from transfer_lines l where l.learner_id = o.learner_id and l.outcome_id = o.id and l.status in ('pending', 'accepted', 'substituted'))
        or exists (select 1 from awards w cross join lateral jsonb_array_elements_text(w.items) i(item)
                   where w.learner_id = o.learner_id and w.status = 'approved' and i.item = 'outcome:' || o.id))`),
    // a corrected or revoked result whose deposit was not reversed
    depositOfSuperseded: await count(sql`
      select count(*) as n from outcomes o join ledger_postings p on p.learner_id = o.learner_id and p.cause_type = 'outcome' and p.cause_id = o.id::text and p.kind = 'deposit'
      where o.status <> 'recorded' and not exists (select 1 from ledger_postings r where r.learner_id = p.learner_id and r.reverses_seq = p.seq)`),
    // an erasure half done: personal data left, a request still open, a session alive, or no audit event
    halfErased: await count(sql`
      select count(*) as n from learners l
      where l.erased_at is not null and (
        l.full_name_latin is not null or l.birth_date is not null or l.email is not null or l.id_number is not null
        or exists (select 1 from erasure_requests e where e.learner_id = l.id and e.status = 'open')
        or exists (select 1 from sessions s where s.user_id = l.user_id)
        or not exists (select 1 from audit_events a where a.action = 'learner.erase' and a.entity_type = 'learner' and a.entity_id = l.id::text))`),
    // an approved erasure request whose learner was not erased
    approvedNotErased: await count(sql`
      select count(*) as n from erasure_requests e join learners l on l.id = e.learner_id
      where e.status = 'approved' and l.erased_at is null`),
    seqGaps: await count(sql`
      select count(*) as n from learning_accounts a
      where a.last_seq <> (select count(*) from ledger_postings p where p.learner_id = a.learner_id)`),
  };
}
