// Seeds the demo alliance through the same services a registrar uses, so the demo data obeys
// every rule real data does. Deterministic: the same seed gives the same transcripts.
import { randomBytes } from 'node:crypto';
import { mulberry32 } from '../../core/random.js';
import { formatTerm } from '../../core/terms.js';
import type { Db } from '../../db/connection.js';
import type { Principal } from '../auth/principal.js';
import { insertUserWithGrants } from '../auth/service.js';
import { createCourses, createProgramme } from '../catalog/service.js';
import { addScale, createInstitution, listInstitutions } from '../institutions/service.js';
import { createLearner, enrolLearner } from '../learners/service.js';
import { correctOutcome, recordCourseResult } from '../outcomes/service.js';
import { seedCertification } from './certification.js';
import { seedQualifications } from './qualifications.js';
import { seedHistory } from './history.js';
import { seedRecognition } from './recognition.js';
import { DEMO_INSTITUTIONS, DEMO_PEOPLE } from './data.js';
import { gradeIn, termEnd } from './marks.js';
import type { DemoInstitution, DemoLogin } from './types.js';

/** A mark out of 100, roughly normal around the learner's ability. */
function mark(rand: () => number, ability: number): number {
  const noise = (rand() + rand() + rand() - 1.5) * 16;
  return Math.max(35, Math.min(99, Math.round(ability + noise)));
}

export async function isEmpty(db: Db): Promise<boolean> {
  return (await listInstitutions(db)).length === 0;
}

export function generatePassword(): string {
  return randomBytes(9).toString('base64url');
}

export async function seedDemo(db: Db, options: { password: string; today?: string; log?: (line: string) => void }) {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const log = options.log ?? (() => {});
  const rand = mulberry32(20_240_901);
  const password = options.password;
  const logins: DemoLogin[] = [];

  const admin = await insertUserWithGrants(db, {
    username: 'admin',
    password,
    displayName: '学分银行管理员 Bank Administrator',
    grants: [{ role: 'admin', institutionId: null }],
  });
  logins.push({ role: 'admin', username: 'admin', institution: null });
  await insertUserWithGrants(db, {
    username: 'committee',
    password,
    displayName: '专家委员会 Expert Committee',
    grants: [{ role: 'committee', institutionId: null }],
  });
  logins.push({ role: 'committee', username: 'committee', institution: null });
  const asAdmin: Principal = {
    kind: 'user',
    userId: admin.id,
    username: 'admin',
    displayName: 'admin',
    learnerId: null,
    grants: [{ role: 'admin', institutionId: null }],
  };

  const made: { demo: DemoInstitution; id: string; courseIds: Map<string, string>; programmeId: string }[] = [];
  for (const demo of DEMO_INSTITUTIONS) {
    const inst = await createInstitution(db, asAdmin, {
      code: demo.code,
      nameZh: demo.nameZh,
      nameEn: demo.nameEn,
      kind: demo.kind,
      country: demo.country,
      website: demo.website,
      creditSystem: { ...demo.creditSystem, effectiveFrom: '2015-09-01' },
    });
    await addScale(db, asAdmin, inst.id, { ...demo.scale, effectiveFrom: '2015-09-01' });
    const courses = await createCourses(
      db,
      asAdmin,
      inst.id,
      demo.courses.map(({ year: _y, semester: _s, ...c }) => ({ ...c, hourType: demo.creditSystem.hourType })),
    );
    const programme = await createProgramme(db, asAdmin, inst.id, demo.programme);
    const lower = demo.code.toLowerCase();
    for (const role of ['registrar', 'reviewer'] as const) {
      const username = `${role}.${lower}`;
      await insertUserWithGrants(db, {
        username,
        password,
        displayName: `${demo.nameZh} ${role === 'registrar' ? '教务处' : '审核员'}`,
        grants: [{ role, institutionId: inst.id }],
      });
      logins.push({ role, username, institution: demo.code });
    }
    made.push({ demo, id: inst.id, courseIds: new Map(courses.map((c) => [c.code, c.id])), programmeId: programme.id });
    log(`  ${demo.code}: ${courses.length} courses, programme ${programme.code}`);
  }

  // Chinese learners study at the two Chinese institutions; the Europeans at UNH. A few HXU
  // learners spend a semester at UNH on exchange, so their accounts hold credits from two places.
  const chinese = DEMO_PEOPLE.filter((p) => p.fullNameLatin !== null);
  const european = DEMO_PEOPLE.filter((p) => p.fullNameLatin === null);
  const [hxu, jnvc, unh] = made as [(typeof made)[number], (typeof made)[number], (typeof made)[number]];
  const placements = [...chinese.map((person, i) => ({ person, home: i % 2 === 0 ? hxu : jnvc })), ...european.map((person) => ({ person, home: unh }))];
  let learnerNo = 0;
  let results = 0;
  let firstLearner: string | undefined;
  for (const { person, home } of placements) {
    learnerNo++;
    const username = `learner${String(learnerNo).padStart(2, '0')}`;
    const entry = 2021 + (learnerNo % 4); // cohorts 2021–2024
    const externalId = `${home.demo.studentNumberPrefix}${String(entry).slice(2)}${String(learnerNo).padStart(3, '0')}`;
    const learner = await createLearner(db, asAdmin, home.id, {
      fullName: person.fullName,
      fullNameLatin: person.fullNameLatin,
      birthDate: person.birthDate,
      externalId,
      enrolledOn: `${entry}-09-01`,
      programmeId: home.programmeId,
      login: { username, password },
    });
    firstLearner ??= username;
    const ability = 68 + rand() * 24;
    const exchange = home === hxu && learnerNo % 6 === 1 && entry <= 2023;
    let firstOutcome: string | undefined;
    for (const course of [...home.demo.courses].sort((a, b) => a.year - b.year || a.semester - b.semester)) {
      const startYear = entry + course.year - 1;
      const completedOn = termEnd(startYear, course.semester);
      if (completedOn > today) continue;
      let attempt = 1;
      let m = mark(rand, ability);
      for (;;) {
        const term = formatTerm({ startYear: startYear + attempt - 1, semester: course.semester });
        const end = termEnd(startYear + attempt - 1, course.semester);
        if (end > today) break;
        const r = await recordCourseResult(db, asAdmin, home.id, {
          externalId,
          courseCode: course.code,
          term,
          attempt,
          grade: gradeIn(home.demo.scale.definition, m),
          completedOn: end,
        });
        results++;
        firstOutcome ??= r.id;
        if (r.passed || attempt >= 2) break;
        attempt++; // retake a failed course a year later
        m = Math.max(62, mark(rand, ability + 6));
      }
    }
    if (exchange) {
      const host = `x${externalId}`;
      const year = entry + 2;
      await enrolLearner(db, asAdmin, unh.id, { learnerId: learner.id, externalId: host, enrolledOn: `${year}-09-01` });
      for (const course of unh.demo.courses.filter((c) => c.year === 2 && c.semester === 1).slice(0, 3)) {
        if (termEnd(year, 1) > today) break;
        const grade = gradeIn(unh.demo.scale.definition, Math.max(60, mark(rand, ability)));
        await recordCourseResult(db, asAdmin, unh.id, {
          externalId: host,
          courseCode: course.code,
          term: formatTerm({ startYear: year, semester: 1 }),
          attempt: 1,
          grade,
          completedOn: termEnd(year, 1),
        });
        results++;
      }
    }
    if (firstOutcome && learnerNo === 1) {
      // A registrar's correction, so the demo ledger shows a reversal and a new posting.
      await correctOutcome(db, asAdmin, firstOutcome, {
        grade: gradeIn(home.demo.scale.definition, 91),
        reason: '阅卷复核更正 Re-marking corrected the grade',
      });
    }
  }
  log(`  ${placements.length} learners, ${results} course results`);
  logins.push({ role: 'learner', username: firstLearner!, institution: hxu.demo.code });
  const byCode = new Map(made.map((m) => [m.demo.code, { id: m.id, courseIds: m.courseIds }]));
  const cert = await seedCertification(db, { admin: asAdmin, password, logins, institutions: byCode });
  log(`  ${cert.frameworks} qualification frameworks, ${cert.standards} conversion standards, ${cert.applications} certification applications`);
  const recognition = await seedRecognition(db, byCode);
  log(
    `  ${recognition.agreements} agreements, ${recognition.equivalences} equivalences, ${recognition.tasks} evaluation tasks, grading tables at HXU and JNVC`,
  );
  const qualifications = await seedQualifications(db, asAdmin, password, [hxu, jnvc], made);
  log(`  requirements for ${qualifications.programmes} programmes; ${qualifications.graduate} has completed the credit-bank bachelor and may apply for it`);
  const history = await seedHistory(db, { today, hxuId: hxu.id, rand });
  log(`  a year of work: ${history.certified} certificates reviewed, ${history.lines} courses of JNVC graduates recognised at HXU`);
  return { logins, password };
}
