// The columns of each import kind: a canonical key, the bilingual headers the templates carry,
// and other headers that real academic-affairs exports use for the same thing.

import { ID_TYPE_LABELS, ID_TYPES } from '../../core/identity.js';

export type ImportKind = 'courses' | 'programmes' | 'learners' | 'results' | 'certifications';
export const IMPORT_KINDS: ImportKind[] = ['courses', 'programmes', 'learners', 'results', 'certifications'];

export interface ColumnSpec {
  /** The canonical key the row validators use. */
  key: string;
  zh: string;
  en: string;
  required: boolean;
  /** Other header texts accepted for this column (matched case- and space-insensitively, after NFKC). */
  aliases?: string[];
  /** What the template's example row shows. */
  example: string;
  /** One line of guidance for the template's notes. */
  hint?: string;
}

/** The header a template writes: "学号 Student number". Readers also accept either half alone. */
export const headerText = (c: ColumnSpec) => `${c.zh} ${c.en}`;

export const COLUMNS: Record<ImportKind, ColumnSpec[]> = {
  courses: [
    { key: 'code', zh: '课程代码', en: 'Course code', required: true, aliases: ['课程号', '课程编号', 'code'], example: 'CS2031' },
    { key: 'titleZh', zh: '课程名称', en: 'Course title (Chinese)', required: true, aliases: ['课程名', '中文名称'], example: '数据库系统原理' },
    {
      key: 'titleEn',
      zh: '英文名称',
      en: 'Course title (English)',
      required: true,
      aliases: ['课程英文名称', 'title'],
      example: 'Principles of Database Systems',
    },
    { key: 'credits', zh: '学分', en: 'Credits', required: true, example: '3.5', hint: 'at most two decimals' },
    { key: 'hours', zh: '学时', en: 'Hours', required: true, aliases: ['总学时'], example: '56' },
    {
      key: 'iscedCode',
      zh: 'ISCED-F代码',
      en: 'ISCED-F code',
      required: true,
      aliases: ['学科代码', 'ISCED'],
      example: '0613',
      hint: '2, 3 or 4 digits (ISCED-F 2013)',
    },
    { key: 'level', zh: '资历层级', en: 'Level', required: false, example: '6', hint: '1–8' },
    { key: 'outcomesZh', zh: '学习成果', en: 'Learning outcomes (Chinese)', required: false, example: '能够设计并规范化关系数据库。' },
    { key: 'outcomesEn', zh: '英文学习成果', en: 'Learning outcomes (English)', required: false, example: 'Designs and normalises relational databases.' },
  ],
  programmes: [
    { key: 'code', zh: '专业代码', en: 'Programme code', required: true, aliases: ['专业编号'], example: 'HXU-080901' },
    { key: 'titleZh', zh: '专业名称', en: 'Programme title (Chinese)', required: true, example: '计算机科学与技术' },
    { key: 'titleEn', zh: '英文名称', en: 'Programme title (English)', required: true, example: 'Computer Science and Technology' },
    {
      key: 'qualification',
      zh: '学历层次',
      en: 'Qualification',
      required: true,
      example: '本科',
      hint: '本科 bachelor / 专科 associate / 硕士 master / 文凭 diploma / 证书 certificate',
    },
    { key: 'totalCredits', zh: '总学分', en: 'Total credits', required: true, example: '160' },
    { key: 'iscedCode', zh: 'ISCED-F代码', en: 'ISCED-F code', required: true, aliases: ['学科代码', 'ISCED'], example: '0613' },
  ],
  learners: [
    { key: 'externalId', zh: '学号', en: 'Student number', required: true, aliases: ['学生编号', 'student id'], example: '2024010001' },
    { key: 'fullName', zh: '姓名', en: 'Full name', required: true, aliases: ['学生姓名', 'name'], example: '张晓明' },
    { key: 'fullNameLatin', zh: '姓名拼音', en: 'Name (Latin letters)', required: false, aliases: ['拼音', '英文名'], example: 'Zhang Xiaoming' },
    { key: 'birthDate', zh: '出生日期', en: 'Date of birth', required: true, aliases: ['生日'], example: '2005-03-14' },
    {
      key: 'idType',
      zh: '证件类型',
      en: 'ID type',
      required: true,
      example: '居民身份证',
      hint: ID_TYPES.map((t) => `${ID_TYPE_LABELS[t].zh} ${ID_TYPE_LABELS[t].en}`).join(' / '),
    },
    {
      key: 'idNumber',
      zh: '证件号码',
      en: 'ID number',
      required: true,
      aliases: ['身份证号', '身份证号码', '证件号'],
      example: '11010520050314001X',
      hint: '旧的 15 位身份证号码按 18 位号码登记；回乡证的 2 位换证次数不计入号码 / an old 15-digit resident ID is recorded as its 18-character number; a Home Return Permit is recorded without the 2-digit issue count',
    },
    {
      key: 'idCountry',
      zh: '证件签发国家',
      en: 'ID country',
      required: false,
      aliases: ['签发国家', '护照签发国家', 'issuing country', 'passport country'],
      example: '',
      hint: '护照必填：签发国家的 ISO 3166-1 三字母代码，如 CHN、USA / required for a passport: the issuing country, ISO 3166-1 alpha-3 (e.g. CHN, USA)',
    },
    {
      key: 'idTypeName',
      zh: '证件名称',
      en: 'ID type name',
      required: false,
      aliases: ['document name'],
      example: '',
      hint: '证件类型为 其他 时必填，如 军官证 / required when the ID type is other (其他), e.g. 军官证',
    },
    { key: 'email', zh: '电子邮箱', en: 'Email', required: false, aliases: ['邮箱'], example: 'zhangxm@example.edu.cn' },
    { key: 'enrolledOn', zh: '入学日期', en: 'Enrolment date', required: false, example: '2024-09-01' },
    { key: 'programmeCode', zh: '专业代码', en: 'Programme code', required: false, example: 'HXU-080901' },
  ],
  results: [
    { key: 'externalId', zh: '学号', en: 'Student number', required: true, aliases: ['学生编号', 'student id'], example: '2024010001' },
    {
      key: 'fullName',
      zh: '姓名',
      en: 'Full name',
      required: false,
      aliases: ['学生姓名', 'name'],
      example: '张晓明',
      hint: 'checked against the learner when given',
    },
    { key: 'courseCode', zh: '课程代码', en: 'Course code', required: true, aliases: ['课程号', '课程编号'], example: 'CS2031' },
    {
      key: 'term',
      zh: '学期',
      en: 'Term',
      required: true,
      aliases: ['学年学期', '开课学期'],
      example: '2024-2025-1',
      hint: 'academic year and semester, e.g. 2024-2025-1',
    },
    { key: 'attempt', zh: '修读次数', en: 'Attempt', required: false, aliases: ['重修次数'], example: '1', hint: '1 for the first attempt (default)' },
    {
      key: 'grade',
      zh: '成绩',
      en: 'Grade',
      required: true,
      aliases: ['总评成绩', '最终成绩', '考试成绩', 'score'],
      example: '86',
      hint: "in your institution's grading scale, or a status in its place (缺考 …); empty when the status column says the result has none",
    },
    { key: 'completedOn', zh: '完成日期', en: 'Completion date', required: false, example: '2025-01-15', hint: 'defaults to the end of the term' },
    // last, so that files laid out as before (and positional rows) keep their columns
    {
      key: 'resultStatus',
      zh: '成绩标志',
      en: 'Result status',
      required: false,
      aliases: ['考试性质', '考核性质', '成绩性质', '成绩状态', '考试状态', '修读性质', 'status', 'exam type'],
      example: '正常',
      hint: '正常 normal / 补考 resit / 重修 retake / 免修 exempted / 免考 exam exempted / 缺考 absent / 缓考 deferred / 旷考 absent without leave / 取消考试资格 barred / 作弊 misconduct; empty: normal',
    },
  ],
  certifications: [
    {
      key: 'externalId',
      zh: '学员编号',
      en: 'Trainee number',
      required: true,
      aliases: ['学号', '工号', 'student number', 'employee number'],
      example: 'T2025-0042',
      hint: 'the learner as enrolled at your institution (import learners first)',
    },
    {
      key: 'fullName',
      zh: '姓名',
      en: 'Full name',
      required: false,
      aliases: ['学员姓名', 'name'],
      example: '张晓明',
      hint: 'checked against the learner when given',
    },
    {
      key: 'standardCode',
      zh: '转换标准代码',
      en: 'Standard code',
      required: true,
      aliases: ['标准代码', 'standard'],
      example: 'ENT-SAFETY-40',
      hint: 'a conversion standard of the catalogue; the version in force on the issue date is used',
    },
    {
      key: 'certificateNo',
      zh: '证书编号',
      en: 'Certificate number',
      required: false,
      aliases: ['证书号'],
      example: 'AQ-2025-000317',
      hint: 'required for certificates, awards, MOOCs and micro-credentials',
    },
    { key: 'issuedOn', zh: '发证日期', en: 'Issue date', required: true, aliases: ['完成日期', '结业日期'], example: '2025-12-12' },
    { key: 'expiresOn', zh: '有效期至', en: 'Valid until', required: false, example: '', hint: 'leave empty when the certificate does not expire' },
  ],
};
