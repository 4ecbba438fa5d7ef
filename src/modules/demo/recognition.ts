// The demo's mutual recognition: HXU and JNVC recognise each other's ICT courses under an agreement
// in force, with equivalences both ways (one many-to-one, one to elective credit), a course evaluated
// as not transferring, courses waiting for HXU's evaluators, and published grading tables. HXU has
// proposed an exchange agreement to UNH, which UNH has not approved yet.
import type { Db } from '../../db/connection.js';
import type { Principal } from '../auth/principal.js';
import { principalOfUser } from '../auth/service.js';
import { approveAgreement, proposeAgreement } from '../recognition/agreements.js';
import { createEquivalence, createTask, decideTask } from '../recognition/equivalences.js';
import { buildGradingTable } from '../recognition/tables.js';

type Made = Map<string, { id: string; courseIds: Map<string, string> }>;

export async function seedRecognition(db: Db, institutions: Made) {
  const inst = (code: string) => institutions.get(code)!;
  const course = (code: string, c: string) => inst(code).courseIds.get(c)!;
  const [hxu, jnvc, unh] = [inst('HXU').id, inst('JNVC').id, inst('UNH').id];
  const as = (u: string) => principalOfUser(db, u);
  const registrarHxu = await as('registrar.hxu');
  const reviewerHxu = await as('reviewer.hxu');
  const reviewerJnvc = await as('reviewer.jnvc');

  const ict = await proposeAgreement(db, registrarHxu, {
    code: 'HXU-JNVC-ICT',
    titleZh: '华夏大学—江南职业技术学院 信息技术类课程学分互认协议',
    titleEn: 'Huaxia University – Jiangnan Vocational College ICT credit recognition agreement',
    kind: 'bilateral',
    partyIds: [hxu, jnvc],
    iscedScope: ['06'],
    programmeScope: [],
    validFrom: '2023-09-01',
    validTo: '2028-08-31',
    capCredits: '30',
    ratio: null,
    rounding: { mode: 'half_up', step: 50 },
    gradeMethod: 'table',
    gradeTables: [],
    gradePolicy: 'largest-overlap',
  });
  await approveAgreement(db, await as('registrar.jnvc'), ict.id);
  await proposeAgreement(db, registrarHxu, {
    code: 'HXU-UNH-EXCHANGE',
    titleZh: '华夏大学—诺德港大学 交换生学分互认协议',
    titleEn: 'Huaxia University – Universiteit van Noordhaven exchange agreement',
    kind: 'bilateral',
    partyIds: [hxu, unh],
    iscedScope: ['06'],
    programmeScope: [],
    validFrom: '2026-09-01',
    validTo: '2031-08-31',
    capCredits: '30',
    // contact hours and workload hours do not compare: 1 HXU credit counts as 1.5 ECTS, by agreement
    ratio: { from: hxu, num: 3, den: 2 },
    rounding: { mode: 'half_up', step: 50 },
    gradeMethod: 'table',
    gradeTables: [],
    gradePolicy: 'average',
  });

  const rule = (
    p: Principal,
    from: string,
    to: string,
    sources: string[],
    target: Parameters<typeof createEquivalence>[2]['target'],
    extra: { minGrade?: string; maxYears?: number; publicNote?: string } = {},
  ) =>
    createEquivalence(db, p, {
      sourceInstitutionId: inst(from).id,
      targetInstitutionId: inst(to).id,
      sourceCourseIds: sources.map((c) => course(from, c)),
      target,
      minGrade: extra.minGrade ?? null,
      maxYears: extra.maxYears ?? null,
      effectiveFrom: '2020-09-01',
      effectiveTo: null,
      publicNote: extra.publicNote ?? '',
      privateNote: '',
    });
  const to = (code: string, ...cs: string[]) => ({ kind: 'courses' as const, courseIds: cs.map((c) => course(code, c)) });
  // into HXU
  await rule(reviewerHxu, 'JNVC', 'HXU', ['JN-SW101'], to('HXU', 'CS1011'), { minGrade: '良', publicNote: '须达到“良”/ needs 良 (good) or better' });
  await rule(reviewerHxu, 'JNVC', 'HXU', ['JN-SW202'], to('HXU', 'CS2011'), { minGrade: '中', maxYears: 5 });
  await rule(reviewerHxu, 'JNVC', 'HXU', ['JN-SW203'], to('HXU', 'CS3012'), { maxYears: 5 });
  await rule(reviewerHxu, 'JNVC', 'HXU', ['JN-SW201', 'JN-SW212'], to('HXU', 'CS2022'), {
    publicNote: '两门 Java 课程合起来对应一门 / both Java courses together replace one',
  });
  await rule(reviewerHxu, 'JNVC', 'HXU', ['JN-SW102'], { kind: 'elective', category: '公共选修 General elective', iscedCode: '0611' });
  // into JNVC
  await rule(reviewerJnvc, 'HXU', 'JNVC', ['CS1011'], to('JNVC', 'JN-SW101'));
  await rule(reviewerJnvc, 'HXU', 'JNVC', ['CS2011'], to('JNVC', 'JN-SW202'));
  await rule(reviewerJnvc, 'HXU', 'JNVC', ['CS2021'], to('JNVC', 'JN-SW112'));

  // evaluations: one decided as not transferring, three waiting at HXU
  const learner = await as('learner02');
  const web = await createTask(db, learner, { sourceCourseId: course('JNVC', 'JN-SW111'), targetInstitutionId: hxu });
  await decideTask(db, reviewerHxu, web.id, {
    decision: 'no_match',
    reason: '华夏大学没有网页设计课程，且该课程以工具操作为主 / HXU has no web design course, and this one teaches tools rather than principles',
  });
  for (const c of ['JN-SW211', 'JN-SW113', 'JN-SW112']) await createTask(db, learner, { sourceCourseId: course('JNVC', c), targetInstitutionId: hxu });

  // grading tables from the demo's own results
  await buildGradingTable(db, registrarHxu, hxu, { iscedCode: '0613', cycle: 'first', fromYear: 2022, toYear: 2025, publish: true });
  await buildGradingTable(db, await as('registrar.jnvc'), jnvc, { iscedCode: '0613', cycle: 'short', fromYear: 2022, toYear: 2025, publish: true });
  return { agreements: 2, equivalences: 8, tasks: 4 };
}
