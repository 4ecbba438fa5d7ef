// The demo's qualifications: requirements for each institution's programme, an ACBS-style credit-bank
// bachelor at HXU that counts credits from anywhere, one learner who has completed it (a diploma at
// JNVC, four years at HXU, a national software qualification and a year of credit-bank courses),
// ready to apply for the award, and one whose retake and repeated courses the audit counts once.
import type { Filter } from '../../core/requirements/model.js';
import { formatTerm } from '../../core/terms.js';
import type { Db } from '../../db/connection.js';
import type { Principal } from '../auth/principal.js';
import { principalOfUser } from '../auth/service.js';
import { act, attachEvidence, createApplication } from '../certification/service.js';
import { createCourses, createProgramme } from '../catalog/service.js';
import { createLearner, enrolLearner } from '../learners/service.js';
import { recordCourseResult } from '../outcomes/service.js';
import { putRequirements } from '../qualifications/service.js';
import type { RequirementsDoc } from '../qualifications/schema.js';
import { demoPdf } from './certification.js';
import type { DemoInstitution } from './types.js';
import { gradeIn, termEnd } from './marks.js';

type Made = { demo: DemoInstitution; id: string; programmeId: string };

const courses = (id: string, titleZh: string, titleEn: string, list: string[], pick?: number) => ({
  id,
  kind: 'courses' as const,
  titleZh,
  titleEn,
  courses: list,
  ...(pick ? { pick } : {}),
});
const credits = (id: string, titleZh: string, titleEn: string, minCredits: string, filter: Filter) => ({
  id,
  kind: 'credits' as const,
  titleZh,
  titleEn,
  minCredits,
  filter,
});

/** ACBS (Korea's Academic Credit Bank System) bachelor rules, as DOMAIN.md gives them. */
export const CB_BACHELOR: RequirementsDoc = {
  totalCredits: '140',
  root: ['major', 'general'],
  nodes: [
    credits('major', '专业课程', 'Major courses', '60', { fields: ['06'] }),
    credits('general', '通识教育', 'General education', '30', { fields: ['00', '01', '02', '03', '04', '05'] }),
  ],
  countExternal: true,
  yearStartMonth: 3,
  caps: { perYear: '42', perSemester: '24', perSource: '105', certificates: { count: 3 } },
  expectedAt: '100',
};

const HXU_080901: RequirementsDoc = {
  totalCredits: '160',
  root: ['general', 'foundation', 'major'],
  nodes: [
    { id: 'general', kind: 'block', titleZh: '通识教育', titleEn: 'General education', children: ['general-required'], minCredits: '11.5' },
    courses('general-required', '通识必修', 'Required general courses', ['GE1001', 'GE1011', 'GE1012', 'GE2001']),
    courses('foundation', '学科基础', 'Subject foundations', ['MA1011', 'MA1012', 'MA1021', 'MA2041', 'PH1031']),
    { id: 'major', kind: 'block', titleZh: '专业教育', titleEn: 'Major', children: ['major-core', 'major-electives', 'major-more'], minCredits: '40' },
    courses('major-core', '专业核心', 'Major core', ['CS1011', 'CS1022', 'CS2011', 'CS2021', 'CS2022', 'CS3011', 'CS3012']),
    courses('major-electives', '专业选修', 'Major electives', ['CS3021', 'CS3022', 'CS4011'], 2),
    credits('major-more', '专业拓展', 'Further computing credits', '10', { fields: ['06'] }),
  ],
  residency: '40',
  caps: { transferred: '40', certificates: { count: 2, credits: '8' }, perSemester: '30' },
  expectedAt: '120',
};

const JNVC_510203: RequirementsDoc = {
  totalCredits: '120',
  root: ['general', 'major', 'electives'],
  nodes: [
    courses('general', '公共基础', 'General foundations', ['JN-GE101', 'JN-GE111', 'JN-GE121', 'JN-GE112']),
    courses('major', '专业核心', 'Major core', ['JN-SW101', 'JN-SW111', 'JN-SW201', 'JN-SW211', 'JN-SW212', 'JN-SW301']),
    credits('electives', '专业拓展（可用 1+X 证书）', 'Further major credits (1+X certificates count)', '15', { fields: ['06'] }),
  ],
  residency: '60',
  caps: { certificates: { count: 3 }, nonFormal: { credits: '15' }, perSemester: '28' },
  expectedAt: '80',
};

const UNH_BSC_CS: RequirementsDoc = {
  totalCredits: '180',
  root: ['core', 'thesis', 'broad'],
  nodes: [
    credits('core', 'Informatics', 'Informatics', '120', { fields: ['06'] }),
    courses('thesis', '学士论文', 'Bachelor thesis', ['INF-3011']),
    credits('broad', '学科拓展', 'Breadth', '10', { fields: ['02', '03', '05', '07'] }),
  ],
  residency: '90',
  recentYears: 10,
  caps: { transferred: '60', perSemester: '30' },
};

export async function seedQualifications(db: Db, admin: Principal, password: string, [hxu, jnvc]: [Made, Made], all: Made[]) {
  const cb = await createProgramme(db, admin, hxu.id, {
    code: 'CB-BACHELOR',
    titleZh: '学分银行学士（计算机）',
    titleEn: 'Credit-bank Bachelor of Computing',
    qualification: 'bachelor',
    totalCredits: '140',
    iscedCode: '0613',
  });
  const docs: Record<string, RequirementsDoc> = { 'HXU-080901': HXU_080901, 'JNVC-510203': JNVC_510203, 'UNH-BSC-CS': UNH_BSC_CS };
  for (const m of all) {
    const doc = docs[m.demo.programme.code];
    if (doc) await putRequirements(db, admin, m.programmeId, 2016, doc);
  }
  await putRequirements(db, admin, cb.id, 2016, CB_BACHELOR);

  // 张伟: a diploma in software technology at JNVC (2016–2019), then four years at HXU (2019–2023),
  // a national software qualification in 2024 and credit-bank courses at HXU in 2025. What the two
  // institutions taught twice (five equivalent pairs, and the software-engineering course the
  // qualification replaces) counts once: 123 credits before 2025, 142 after, of the 140 required.
  const learner = await createLearner(db, admin, hxu.id, {
    fullName: '张伟',
    fullNameLatin: 'Zhang Wei',
    birthDate: '1998-03-21',
    externalId: '20190031',
    enrolledOn: '2019-09-01',
    programmeId: cb.id,
    login: { username: 'learner31', password },
  });
  await enrolLearner(db, admin, jnvc.id, { learnerId: learner.id, externalId: '2016510031', enrolledOn: '2016-09-01', programmeId: jnvc.programmeId });
  const study = async (m: Made, externalId: string, entry: number, only?: string[]) => {
    for (const c of m.demo.courses) {
      if (only && !only.includes(c.code)) continue;
      const startYear = entry + c.year - 1;
      await recordCourseResult(db, admin, m.id, {
        externalId,
        courseCode: c.code,
        term: formatTerm({ startYear, semester: c.semester }),
        attempt: 1,
        grade: gradeIn(m.demo.scale.definition, 88),
        completedOn: termEnd(startYear, c.semester),
      });
    }
  };
  await study(jnvc, '2016510031', 2016);
  await study(hxu, '20190031', 2019);
  // accredited credit-bank courses, taken part time in 2025: within 24 credits a semester
  await createCourses(
    db,
    admin,
    hxu.id,
    CB_COURSES.map(({ semester: _, ...c }) => c),
  );
  for (const c of CB_COURSES) {
    await recordCourseResult(db, admin, hxu.id, {
      externalId: '20190031',
      courseCode: c.code,
      term: formatTerm({ startYear: c.semester === 1 ? 2025 : 2024, semester: c.semester === 1 ? 1 : 2 }),
      attempt: 1,
      grade: '86',
      completedOn: c.semester === 1 ? '2026-01-15' : '2025-07-10',
    });
  }
  const me = await principalOfUser(db, 'learner31');
  const app = await createApplication(db, me, { standardCode: 'RK-SE-M', certificateNo: 'RK-2024-1-32010-0457', issuedOn: '2024-06-28', statement: '' });
  await attachEvidence(db, me, app.id, {
    filename: 'rk-certificate.pdf',
    label: '证书扫描件 Certificate scan',
    content: demoPdf(['Credit bank demo evidence', 'learner31', 'RK-SE-M']),
  });
  await act(db, me, app.id, 'submit', {});
  await act(db, await principalOfUser(db, 'reviewer.hxu'), app.id, 'approve', { reason: '证书编号经人社部网站核验 Verified on the ministry’s register' });

  // 刘思雨: a JNVC diploma (2018–2021), then HXU courses part time that repeat two of its courses,
  // and calculus passed with 62 and retaken with 90. The audit counts each once and says why.
  const second = await createLearner(db, admin, hxu.id, {
    fullName: '刘思雨',
    fullNameLatin: 'Liu Siyu',
    birthDate: '2000-05-09',
    externalId: '20210032',
    enrolledOn: '2021-09-01',
    programmeId: cb.id,
    login: { username: 'learner32', password },
  });
  await enrolLearner(db, admin, jnvc.id, { learnerId: second.id, externalId: '2018510032', enrolledOn: '2018-09-01', programmeId: jnvc.programmeId });
  await study(jnvc, '2018510032', 2018, ['JN-GE101', 'JN-SW101', 'JN-SW112', 'JN-SW202']);
  await study(hxu, '20210032', 2021, ['GE1001', 'CS1011', 'CS2011']);
  const calculus = (attempt: number, grade: number, startYear: number) =>
    recordCourseResult(db, admin, hxu.id, {
      externalId: '20210032',
      courseCode: 'MA1021',
      term: formatTerm({ startYear, semester: 1 }),
      attempt,
      grade: gradeIn(hxu.demo.scale.definition, grade),
      completedOn: termEnd(startYear, 1),
    });
  await calculus(1, 62, 2021);
  await calculus(2, 90, 2022);
  return { programmes: all.length + 1, graduate: 'learner31' };
}

/** HXU's accredited credit-bank courses, open to part-time learners (semester 1: autumn 2025; 2: spring 2025). */
const CB_COURSES = [
  {
    code: 'CB-AI301',
    titleZh: '人工智能导论',
    titleEn: 'Introduction to Artificial Intelligence',
    credits: '4',
    hours: 64,
    iscedCode: '0613',
    level: 6,
    semester: 2,
  },
  { code: 'CB-DV302', titleZh: '数据可视化', titleEn: 'Data Visualisation', credits: '3', hours: 48, iscedCode: '0613', level: 6, semester: 2 },
  { code: 'CB-GE303', titleZh: '科技写作', titleEn: 'Technical Writing', credits: '3', hours: 48, iscedCode: '0231', level: 6, semester: 2 },
  { code: 'CB-SE304', titleZh: '软件项目管理', titleEn: 'Software Project Management', credits: '3', hours: 48, iscedCode: '0613', level: 6, semester: 1 },
  { code: 'CB-CC305', titleZh: '云计算技术', titleEn: 'Cloud Computing', credits: '4', hours: 64, iscedCode: '0612', level: 6, semester: 1 },
  {
    code: 'CB-GE306',
    titleZh: '创新创业基础',
    titleEn: 'Foundations of Innovation and Entrepreneurship',
    credits: '2',
    hours: 32,
    iscedCode: '0413',
    level: 6,
    semester: 1,
  },
];
