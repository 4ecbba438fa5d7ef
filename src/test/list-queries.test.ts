// The registrar's lists read a page in a fixed number of queries: a page of one row and a page of
// many cost the same (no query per row, per line or per standard). Rows are written straight into
// the tables: what is measured is the presenters, not the use cases that make the rows.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditResult } from '../core/requirements/audit.js';
import {
  awards,
  certificationApplications,
  conversionStandards,
  credentials,
  issuerKeys,
  programmes,
  qualificationFrameworks,
  transferApplications,
  transferLines,
} from '../db/schema.js';
import { queue } from '../modules/certification/service.js';
import { credentialsAt, type Vc } from '../modules/credentials/service.js';
import { createLearner, listLearners } from '../modules/learners/service.js';
import { awardsAt } from '../modules/qualifications/awards.js';
import { transfersInto } from '../modules/recognition/transfers.js';
import { backends, openTestDatabase, type TestDatabase } from './db.js';
import { makeAlliance, type Alliance } from './fixture.js';
import { countQueries } from './queries.js';

const MANY = 6;

describe.each(backends)('queries per list page on %s', (backend) => {
  let database: TestDatabase;
  let fx: Alliance;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** How many statements `read` sends (after one warm-up call, so that nothing cached is counted). */
  async function queriesOf(read: () => Promise<unknown>) {
    await read();
    const counter = countQueries(database);
    try {
      await read();
      return counter.count;
    } finally {
      counter.stop();
    }
  }

  it('transfers into an institution', async () => {
    const { db } = database;
    const addTransfer = async () => {
      const [t] = await db.insert(transferApplications).values({ learnerId: fx.bob.id, targetInstitutionId: fx.a.id, status: 'submitted' }).returning();
      await db.insert(transferLines).values(
        [1, 2].map((lineNo) => ({
          learnerId: fx.bob.id,
          applicationId: t!.id,
          lineNo,
          targetInstitutionId: fx.a.id,
          outcomeId: randomUUID(),
          sourceInstitutionId: fx.b.id,
          sourceCredits: '4',
          sourceUnit: 'credit' as const,
          proposal: {
            outcomeId: null,
            sourceInstitution: { id: fx.b.id, code: 'COLB', nameZh: '乙校', nameEn: 'College B' },
            course: { id: randomUUID(), code: `SW${lineNo}`, titleZh: '软件', titleEn: 'Software', credits: '4' },
            grade: null,
            status: 'match' as const,
            reason: null,
            target: null,
            credits: null,
            unit: null,
            convertedGrade: null,
            agreement: null,
            equivalenceId: null,
            publicNote: null,
            evaluationTaskId: null,
          },
          target: { kind: 'courses' as const, courseIds: [fx.courseA[lineNo - 1]!.id] },
        })),
      );
    };
    const read = () => transfersInto(db, fx.admin, fx.a.id, 'all');
    await addTransfer();
    const one = await queriesOf(read);
    // the applications with their learners and target, their lines with the courses they name, their postings
    expect(one).toBeLessThanOrEqual(3);
    for (let i = 1; i < MANY; i++) await addTransfer();
    expect((await read()).length).toBe(MANY);
    expect(await queriesOf(read)).toBe(one);
  });

  it('the certification review queue', async () => {
    const { db } = database;
    const [framework] = await db
      .insert(qualificationFrameworks)
      .values({ code: `QF-${backend}`, nameZh: '框架', nameEn: 'Framework' })
      .returning();
    for (let i = 0; i < MANY; i++) {
      const [st] = await db
        .insert(conversionStandards)
        .values({
          code: `STD${i}`,
          version: 1,
          outcomeKind: 'training',
          issuingBody: 'Body',
          nameZh: `标准${i}`,
          nameEn: `Standard ${i}`,
          frameworkId: framework!.id,
          level: 4,
          iscedCode: '0613',
          credits: '2',
          institutionId: fx.a.id,
          effectiveFrom: '2020-01-01',
          status: 'approved',
        })
        .returning();
      await db.insert(certificationApplications).values({
        learnerId: fx.alice.id,
        outcomeKind: 'training',
        title: `Certificate ${i}`,
        issuingBody: 'Body',
        issuedOn: '2024-01-01',
        route: 'reviewer',
        status: 'submitted',
        institutionId: fx.a.id,
        standardId: st!.id,
      });
    }
    const page = (limit: number) => () =>
      queue(db, fx.admin, { scope: 'reviewer', status: 'open', limit, institutionId: fx.a.id } as Parameters<typeof queue>[2]);
    expect((await page(MANY)()).items.length).toBe(MANY);
    expect(await queriesOf(page(MANY))).toBe(await queriesOf(page(1)));
  });

  it('learners of an institution', async () => {
    const { db } = database;
    for (let i = 0; i < MANY; i++)
      await createLearner(db, fx.admin, fx.a.id, { fullName: `学生${i}`, birthDate: '2003-03-03', externalId: `L${i}` } as Parameters<typeof createLearner>[3]);
    const page = (limit: number) => () => listLearners(db, fx.admin, fx.a.id, { limit });
    expect((await page(MANY)()).items.length).toBe(MANY);
    expect(await queriesOf(page(MANY))).toBe(await queriesOf(page(1)));
  });

  it('awards an institution decides, with their programmes, learners and deciders', async () => {
    const { db } = database;
    const [programme] = await db
      .insert(programmes)
      .values({
        institutionId: fx.a.id,
        code: 'LQ-BSC',
        titleZh: '计数',
        titleEn: 'Counting',
        qualification: 'bachelor',
        totalCredits: '120',
        iscedCode: '0613',
      })
      .returning();
    // decided awards (no live one per learner and programme), each by the administrator
    const addAward = () =>
      db.insert(awards).values({
        learnerId: fx.alice.id,
        programmeId: programme!.id,
        catalogueYear: 2024,
        status: 'rejected',
        credits: '120',
        unit: 'credit',
        items: [],
        audit: {} as AuditResult, // the list does not read the audit
        decidedBy: fx.admin.userId,
        decidedAt: new Date(),
        reason: 'not yet',
      });
    const read = () => awardsAt(db, fx.admin, fx.a.id, 'all');
    await addAward();
    const one = await queriesOf(read);
    for (let i = 1; i < MANY; i++) await addAward();
    const all = await read();
    expect(all.filter((a) => a.programme.code === 'LQ-BSC')).toHaveLength(MANY);
    expect(all[0]).toMatchObject({ learner: { fullName: expect.any(String), accountNo: expect.any(String) }, decidedBy: expect.any(String) });
    expect(await queriesOf(read)).toBe(one);
  });

  it('credentials an institution issued', async () => {
    const { db } = database;
    const x = { db } as Vc; // the list reads rows only: no signing, no document loader
    const [key] = await db.insert(issuerKeys).values({ institutionId: fx.a.id, publicKeyMultibase: 'z6Mk-test', secretKeySealed: 'sealed' }).returning();
    let n = 0;
    const addCredential = () =>
      db.insert(credentials).values({
        institutionId: fx.a.id,
        learnerId: fx.alice.id,
        kind: 'outcome',
        subjectId: randomUUID(),
        keyId: key!.id,
        cryptosuite: 'eddsa-jcs-2022',
        document: { name: `Credential ${n}` },
        statusIndex: n++,
      } as typeof credentials.$inferInsert);
    const read = () => credentialsAt(x, fx.admin, fx.a.id);
    await addCredential();
    const one = await queriesOf(read);
    for (let i = 1; i < MANY; i++) await addCredential();
    expect((await read()).length).toBe(MANY);
    expect(await queriesOf(read)).toBe(one);
  });
});
