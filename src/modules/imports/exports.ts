// Exports: an institution's records in the import columns, and a learner's full record. Courses,
// programmes and results import back unchanged; a learners export does not, because identity
// numbers are masked in it (only the learner sees theirs whole).
import { ID_TYPE_LABELS, maskId, type IdType } from '../../core/identity.js';
import { STATUS_ZH, statusName } from '../../core/grades/status.js';
import { formatCredits, parseCredits } from '../../core/credits.js';
import type { Db } from '../../db/connection.js';
import type { Principal } from '../auth/principal.js';
import { authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import { accountView } from '../accounts/service.js';
import { courseMap, listProgrammesOf } from '../catalog/service.js';
import { getInstitution } from '../institutions/service.js';
import { enrolledPage } from '../learners/service.js';
import { resultsOfInstitution } from '../outcomes/service.js';
import { COLUMNS, headerText, type ImportKind } from './columns.js';
import type { Cell, Sheet } from './files.js';

const QUALIFICATION_ZH = { bachelor: '本科', associate: '专科', master: '硕士', diploma: '文凭', certificate: '证书' } as const;
/** Every document type by the Chinese name the import reads back (normalizeIdType). */
const ID_TYPE_ZH = Object.fromEntries(Object.entries(ID_TYPE_LABELS).map(([t, l]) => [t, l.zh])) as Record<IdType, string>;

export async function institutionExport(db: Db, p: Principal, institutionId: string, kind: ImportKind): Promise<Sheet> {
  authorized(p, 'import.export', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  const inst = await getInstitution(db, institutionId);
  const header = COLUMNS[kind].map(headerText);
  const name = `${inst.code}-${kind}`;
  const credits = (t: string) => formatCredits(parseCredits(t));
  if (kind === 'courses') {
    const courses = [...(await courseMap(db, institutionId)).values()].sort((a, b) => a.code.localeCompare(b.code));
    return {
      name,
      header,
      rows: courses.map((c) => [c.code, c.titleZh, c.titleEn, credits(c.credits), c.hours, c.iscedCode, c.level, c.outcomesZh, c.outcomesEn]),
    };
  }
  if (kind === 'programmes') {
    const ps = await listProgrammesOf(db, institutionId);
    return { name, header, rows: ps.map((x) => [x.code, x.titleZh, x.titleEn, QUALIFICATION_ZH[x.qualification], x.totalCredits, x.iscedCode]) };
  }
  if (kind === 'learners') {
    const programmes = new Map((await listProgrammesOf(db, institutionId)).map((x) => [x.id, x.code]));
    return {
      name,
      header,
      rows: (async function* () {
        let after: string | undefined;
        for (;;) {
          const page = await enrolledPage(db, institutionId, after, 2000);
          for (const { enrolment: e, learner: l } of page) {
            const row: Record<string, Cell> = {
              externalId: e.externalId,
              fullName: l.fullName,
              fullNameLatin: l.fullNameLatin,
              birthDate: l.birthDate,
              idType: l.idType ? ID_TYPE_ZH[l.idType] : null,
              idNumber: l.idNumber ? maskId(l.idNumber) : null,
              idCountry: l.idCountry,
              idTypeName: l.idTypeName,
              email: l.email,
              enrolledOn: e.enrolledOn,
              programmeCode: e.programmeId ? programmes.get(e.programmeId) : null,
            };
            yield COLUMNS.learners.map((c) => row[c.key] ?? null);
          }
          if (page.length < 2000) return;
          after = page[page.length - 1]!.enrolment.externalId;
        }
      })(),
    };
  }
  // results: student numbers at this institution, by learner
  const students = new Map<string, { externalId: string; fullName: string }>();
  let after: string | undefined;
  for (;;) {
    const page = await enrolledPage(db, institutionId, after, 5000);
    for (const { enrolment: e, learner: l } of page) students.set(l.id, { externalId: e.externalId, fullName: l.fullName });
    if (page.length < 5000) break;
    after = page[page.length - 1]!.enrolment.externalId;
  }
  return {
    name,
    header,
    rows: (async function* () {
      for await (const { o, courseCode } of resultsOfInstitution(db, institutionId)) {
        const s = students.get(o.learnerId);
        // the status as 教务系统 write it (缺考, 免修 …); a normal result leaves the column empty
        yield [
          s?.externalId,
          s?.fullName,
          courseCode,
          o.term,
          o.attempt,
          o.grade,
          o.completedOn,
          o.resultStatus === 'normal' ? null : STATUS_ZH[o.resultStatus],
        ] as Cell[];
      }
    })(),
  };
}

/** A learner's whole record: their outcomes, and the ledger, as sheets. */
export async function learnerExport(db: Db, p: Principal, learnerId: string): Promise<{ filename: string; sheets: Sheet[] }> {
  const view = await accountView(db, p, learnerId, 'export');
  const outcomes: Sheet = {
    name: 'outcomes',
    header: [
      '机构 Institution',
      '课程代码 Course code',
      '课程名称 Course title',
      'Course title',
      '学期 Term',
      '修读次数 Attempt',
      '成绩 Grade',
      '成绩标志 Result status',
      '通过 Passed',
      '学分 Credits',
      '学分制 Unit',
      '学时 Hours',
      '完成日期 Completed on',
      '状态 Status',
    ],
    rows: view.outcomes.map((o) => [
      o.institutionCode,
      o.courseCode,
      o.courseTitleZh,
      o.courseTitleEn,
      o.term,
      o.attempt,
      o.grade,
      statusName(o.resultStatus),
      o.passed ? '是 yes' : '否 no',
      o.credits,
      o.unit,
      o.hours,
      o.completedOn,
      o.status,
    ]),
  };
  const balances: Sheet = {
    name: 'balances',
    // where the credits are held: a transfer shows as a move (used at the source, available at the target)
    header: ['机构 Institution', 'Institution', '学分制 Unit', '可用 Available', '已使用 Used'],
    rows: view.byInstitution.map((b) => [b.nameZh, b.nameEn, b.unit, b.available, b.used]),
  };
  const filename = `${view.learner.accountNo}-${view.learner.fullNameLatin ?? view.learner.fullName}`.replace(/\s+/g, '_');
  return { filename, sheets: [outcomes, balances] };
}
