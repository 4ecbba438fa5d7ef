// The demo's certification: two qualification frameworks (the EQF and a Chinese one referenced to
// it), the expert committee, a catalogue of conversion standards approved by the committee, and a
// few applications in every state a reviewer or committee member meets. All through the services.
import type { Db } from '../../db/connection.js';
import type { Principal } from '../auth/principal.js';
import { insertUserWithGrants, principalOfUser } from '../auth/service.js';
import { act, attachEvidence, createApplication, updateSettings } from '../certification/service.js';
import { approveStandard, createFramework, draftStandard } from '../certification/standards.js';
import { createInstitution } from '../institutions/service.js';
import { enrolLearner } from '../learners/service.js';
import type { DemoLogin } from './types.js';

/** A small, valid one-page PDF saying `lines` (ASCII), so demo evidence opens in any viewer. */
export function demoPdf(lines: string[]): Buffer {
  const text = lines.map((l, i) => `BT /F1 12 Tf 56 ${780 - i * 18} Td (${l.replace(/[()\\]/g, '\\$&')}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const EQF_LEVELS: [string, string, string][] = [
  ['基础的一般知识', 'Basic general knowledge', 'basic'],
  ['一个工作或学习领域的基本事实知识', 'Basic factual knowledge of a field of work or study', 'basic factual'],
  ['一个领域的事实、原理、过程和一般概念', 'Facts, principles, processes and general concepts in a field', 'facts and principles'],
  ['一个领域内广泛的事实与理论知识', 'Factual and theoretical knowledge in broad contexts within a field', 'broad factual and theoretical'],
  [
    '一个领域全面、专门的事实与理论知识，并了解其边界',
    'Comprehensive, specialised factual and theoretical knowledge, and awareness of its boundaries',
    'comprehensive',
  ],
  ['一个领域的高级知识，包括对理论和原理的批判性理解', 'Advanced knowledge of a field, with a critical understanding of theories and principles', 'advanced'],
  ['高度专业化的知识，部分处于该领域前沿', 'Highly specialised knowledge, some at the forefront of the field', 'highly specialised'],
  ['一个领域最前沿的知识以及领域交叉处的知识', 'Knowledge at the most advanced frontier of a field and at the interface between fields', 'frontier'],
];

/** A Chinese framework referenced to the EQF level by level, as a demo (not an official framework). */
const CN_LEVELS: [string, string][] = [
  ['一级 入门', 'Level 1 Entry'],
  ['二级 初级工', 'Level 2 Junior worker'],
  ['三级 中级工', 'Level 3 Intermediate worker'],
  ['四级 高级工 / 中职', 'Level 4 Senior worker / secondary vocational'],
  ['五级 技师 / 专科', 'Level 5 Technician / associate degree'],
  ['六级 高级技师 / 本科', 'Level 6 Senior technician / bachelor'],
  ['七级 硕士', 'Level 7 Master'],
  ['八级 博士', 'Level 8 Doctorate'],
];

type Std = Parameters<typeof draftStandard>[2];

export async function seedCertification(
  db: Db,
  ctx: { admin: Principal; password: string; logins: DemoLogin[]; institutions: Map<string, { id: string; courseIds: Map<string, string> }> },
) {
  const { admin, password, logins, institutions } = ctx;
  const inst = (code: string) => institutions.get(code)!;
  const course = (code: string, c: string) => ({ institutionId: inst(code).id, courseId: inst(code).courseIds.get(c)! });

  const eqf = await createFramework(db, admin, {
    code: 'EQF',
    nameZh: '欧洲资历框架',
    nameEn: 'European Qualifications Framework',
    levels: EQF_LEVELS.map(([zh, en], i) => ({
      level: i + 1,
      nameZh: `EQF ${i + 1} 级`,
      nameEn: `EQF level ${i + 1}`,
      descriptorZh: zh,
      descriptorEn: en,
      eqfLevel: i + 1,
    })),
  });
  const cn = await createFramework(db, admin, {
    code: 'CBQF',
    nameZh: '学分银行资历框架（演示）',
    nameEn: 'Credit bank qualifications framework (demo)',
    levels: CN_LEVELS.map(([zh, en], i) => ({
      level: i + 1,
      nameZh: zh,
      nameEn: en,
      descriptorZh: EQF_LEVELS[i]![0],
      descriptorEn: EQF_LEVELS[i]![1],
      eqfLevel: i + 1,
    })),
  });

  for (const n of [2, 3]) {
    await insertUserWithGrants(db, {
      username: `committee${n}`,
      password,
      displayName: `专家委员会委员 ${n} Committee member ${n}`,
      grants: [{ role: 'committee', institutionId: null }],
    });
    logins.push({ role: 'committee', username: `committee${n}`, institution: null });
  }
  await updateSettings(db, admin, { committeeQuorum: 3, appealWindowDays: 30 });
  const committee = await principalOfUser(db, 'committee');

  // an enterprise's training centre: it sends its trainees' records for certification in bulk
  const enterprise = await createInstitution(db, admin, {
    code: 'HXTC',
    nameZh: '华信科技有限公司培训中心',
    nameEn: 'Huaxin Technology Training Centre',
    kind: 'enterprise',
    country: 'CN',
  });
  await insertUserWithGrants(db, {
    username: 'registrar.hxtc',
    password,
    displayName: '华信科技培训中心 管理员',
    grants: [{ role: 'registrar', institutionId: enterprise.id }],
  });
  logins.push({ role: 'registrar', username: 'registrar.hxtc', institution: 'HXTC' });
  for (const [i, u] of ['learner06', 'learner10', 'learner12'].entries()) {
    const p = await principalOfUser(db, u);
    if (p.kind !== 'user' || !p.learnerId) throw new Error(`${u} is not a learner`);
    await enrolLearner(db, admin, enterprise.id, { learnerId: p.learnerId, externalId: `T2025-${String(41 + i).padStart(4, '0')}`, enrolledOn: '2025-10-08' });
  }

  const base = {
    certificateLevel: '',
    frameworkId: cn.id,
    unit: 'credit' as const,
    substitutes: [],
    validityMonths: null,
    capStandard: null,
    capKind: null,
    capTotal: '30',
    descriptionZh: '',
    descriptionEn: '',
    effectiveFrom: '2020-09-01',
    effectiveTo: null,
  };
  const scan = ['证书扫描件 Certificate scan'];
  const standards: Std[] = [
    {
      ...base,
      code: '1X-WEB-M',
      outcomeKind: 'skill_certificate',
      issuingBody: '工业和信息化部教育与考试中心',
      nameZh: 'Web 前端开发职业技能等级证书（中级）',
      nameEn: 'Web Front-End Development skill-level certificate (intermediate), 1+X',
      certificateLevel: '中级 Intermediate',
      level: 5,
      iscedCode: '0613',
      credits: '4',
      institutionId: inst('JNVC').id,
      substitutes: [course('JNVC', 'JN-SW211'), course('JNVC', 'JN-SW111')],
      validityMonths: 36,
      capStandard: '4',
      capKind: '12',
      evidence: scan,
      descriptionZh: '1+X 证书。持证者能使用 HTML5、CSS3、JavaScript 与主流框架完成响应式页面与前端交互开发。',
      descriptionEn: 'A 1+X certificate: the holder builds responsive pages and front-end interaction with HTML5, CSS3, JavaScript and a mainstream framework.',
    },
    {
      ...base,
      code: '1X-WEB-B',
      outcomeKind: 'skill_certificate',
      issuingBody: '工业和信息化部教育与考试中心',
      nameZh: 'Web 前端开发职业技能等级证书（初级）',
      nameEn: 'Web Front-End Development skill-level certificate (elementary), 1+X',
      certificateLevel: '初级 Elementary',
      level: 4,
      iscedCode: '0613',
      credits: '2',
      institutionId: inst('JNVC').id,
      substitutes: [course('JNVC', 'JN-SW111')],
      validityMonths: 36,
      capStandard: '2',
      capKind: '12',
      evidence: scan,
    },
    {
      ...base,
      code: 'RK-SE-M',
      outcomeKind: 'vocational_certificate',
      issuingBody: '人力资源社会保障部、工业和信息化部',
      nameZh: '计算机技术与软件专业技术资格（软件设计师，中级）',
      nameEn: 'Computer Technology and Software Professional Qualification: Software Designer (intermediate)',
      certificateLevel: '中级 Intermediate',
      level: 6,
      iscedCode: '0613',
      credits: '4',
      institutionId: inst('HXU').id,
      substitutes: [course('HXU', 'CS3021')],
      capStandard: '4',
      evidence: scan,
      descriptionZh: '全国计算机技术与软件专业技术资格（水平）考试中级资格，可替代软件工程课程。',
      descriptionEn: 'The national software qualification exam at intermediate level; may replace the Software Engineering course.',
    },
    {
      ...base,
      code: 'ELEC-L3',
      outcomeKind: 'vocational_certificate',
      issuingBody: '经人力资源社会保障部门备案的职业技能等级认定机构',
      nameZh: '电工职业技能等级证书（四级 / 中级工）',
      nameEn: 'Electrician skill-level certificate (level 4 / intermediate worker)',
      certificateLevel: '四级 / 中级工 Level 4',
      level: 3,
      iscedCode: '0713',
      credits: '3',
      institutionId: inst('JNVC').id,
      substitutes: [{ institutionId: inst('JNVC').id, category: '专业选修 Major elective' }],
      validityMonths: 60,
      capStandard: '3',
      evidence: scan,
    },
    {
      ...base,
      code: 'MOOC-DS',
      outcomeKind: 'mooc',
      issuingBody: '中国大学MOOC（爱课程）',
      nameZh: '在线课程认证证书：数据结构（成绩优秀）',
      nameEn: 'MOOC certificate: Data Structures (with distinction)',
      certificateLevel: '优秀 Distinction',
      level: 6,
      iscedCode: '0613',
      credits: '2',
      institutionId: inst('HXU').id,
      substitutes: [{ institutionId: inst('HXU').id, category: '专业选修 Major elective' }],
      validityMonths: 24,
      capStandard: '2',
      capKind: '6',
      evidence: ['证书扫描件 Certificate scan', '成绩单 Score report'],
    },
    {
      ...base,
      code: 'HCIA-DATACOM',
      outcomeKind: 'skill_certificate',
      issuingBody: '华为技术有限公司',
      nameZh: '华为认证 HCIA-Datacom 数通工程师',
      nameEn: 'Huawei Certified ICT Associate – Datacom',
      certificateLevel: 'HCIA',
      level: 4,
      iscedCode: '0612',
      credits: '2',
      institutionId: inst('JNVC').id,
      substitutes: [course('JNVC', 'JN-SW203')],
      validityMonths: 36,
      capStandard: '2',
      evidence: scan,
    },
    {
      ...base,
      code: 'ENT-SAFETY-40',
      outcomeKind: 'training',
      issuingBody: '华信科技有限公司培训中心',
      nameZh: '企业安全生产培训（40 学时，考核合格）',
      nameEn: 'Workplace safety training (40 hours, assessed)',
      level: 3,
      iscedCode: '1022',
      credits: '1',
      institutionId: inst('JNVC').id,
      substitutes: [{ institutionId: inst('JNVC').id, category: '公共选修 General elective' }],
      validityMonths: 24,
      capStandard: '1',
      evidence: ['培训证明 Training record', '考核成绩 Assessment result'],
    },
    {
      ...base,
      code: 'ICPC-REGIONAL',
      outcomeKind: 'award',
      issuingBody: 'ICPC 国际大学生程序设计竞赛亚洲区域赛组委会',
      nameZh: 'ICPC 亚洲区域赛奖牌（金、银、铜）',
      nameEn: 'ICPC Asia Regional Contest medal (gold, silver, bronze)',
      certificateLevel: '奖牌 Medal',
      level: 6,
      iscedCode: '0613',
      credits: '3',
      institutionId: inst('HXU').id,
      substitutes: [course('HXU', 'CS3022')],
      capStandard: '3',
      evidence: ['获奖证书 Award certificate'],
    },
    {
      ...base,
      code: 'MC-DATA-LIT',
      outcomeKind: 'micro_credential',
      issuingBody: 'University of Northern Hansa, Centre for Continuing Education',
      nameZh: '微证书：数据素养（5 ECTS）',
      nameEn: 'Micro-credential: Data Literacy (5 ECTS)',
      frameworkId: eqf.id,
      level: 6,
      iscedCode: '0688',
      credits: '5',
      unit: 'ects',
      capTotal: null,
      institutionId: inst('UNH').id,
      substitutes: [course('UNH', 'STA-2001')],
      validityMonths: 60,
      capStandard: '5',
      evidence: ['Europass credential or certificate'],
    },
  ];
  for (const s of standards) await approveStandard(db, committee, (await draftStandard(db, admin, s)).id);
  // one draft waits for the committee
  await draftStandard(db, admin, {
    ...base,
    code: 'UAV-PILOT',
    outcomeKind: 'vocational_certificate',
    issuingBody: '中国航空运输协会',
    nameZh: '民用无人机驾驶员执照（视距内）',
    nameEn: 'Civil drone pilot licence (visual line of sight)',
    level: 4,
    iscedCode: '1041',
    credits: '2',
    institutionId: inst('JNVC').id,
    evidence: scan,
    effectiveFrom: '2026-09-01',
  });

  // applications a reviewer and the committee find waiting
  const pdf = (who: string, what: string) => demoPdf(['Credit bank demo evidence', who, what]);
  const person = (u: string) => principalOfUser(db, u);
  const applyWith = async (u: string, body: Parameters<typeof createApplication>[2], files: [string, string][]) => {
    const p = await person(u);
    const a = await createApplication(db, p, body);
    for (const [label, name] of files)
      await attachEvidence(db, p, a.id, { filename: name, label, content: pdf(u, `${label} / ${body.certificateNo ?? body.title}`) });
    return { p, id: a.id };
  };
  const reviewerHxu = await person('reviewer.hxu');
  const reviewerJnvc = await person('reviewer.jnvc');

  // approved: an award certified at HXU
  const icpc = await applyWith('learner03', { standardCode: 'ICPC-REGIONAL', certificateNo: 'ICPC-2024-NJ-0137', issuedOn: '2024-11-24', statement: '' }, [
    ['获奖证书 Award certificate', 'icpc-bronze.pdf'],
  ]);
  await act(db, icpc.p, icpc.id, 'submit', {});
  await act(db, reviewerHxu, icpc.id, 'approve', { reason: '证书核验无误 Verified with the organisers' });
  // waiting for the reviewer at JNVC
  const elec = await applyWith('learner04', { standardCode: 'ELEC-L3', certificateNo: 'S000044010203240117', issuedOn: '2025-06-20', statement: '' }, [
    ['证书扫描件 Certificate scan', '电工证.pdf'],
  ]);
  await act(db, elec.p, elec.id, 'submit', {});
  // sent back for more information
  const safety = await applyWith('learner06', { standardCode: 'ENT-SAFETY-40', issuedOn: '2025-12-12', statement: '' }, [
    ['培训证明 Training record', 'training.pdf'],
  ]);
  await attachEvidence(db, safety.p, safety.id, { filename: 'score.pdf', label: '考核成绩 Assessment result', content: pdf('learner06', 'assessment') });
  await act(db, safety.p, safety.id, 'submit', {});
  await act(db, reviewerJnvc, safety.id, 'request_info', {
    reason: '考核成绩单缺少培训机构盖章，请补充盖章版本 The score report lacks the trainer’s seal; please upload the sealed copy',
  });
  // rejected, open to appeal
  const hcia = await applyWith('learner08', { standardCode: 'HCIA-DATACOM', certificateNo: 'HCIA-2019-00871', issuedOn: '2024-03-02', statement: '' }, [
    ['证书扫描件 Certificate scan', 'hcia.pdf'],
  ]);
  await act(db, hcia.p, hcia.id, 'submit', {});
  await act(db, reviewerJnvc, hcia.id, 'reject', { reason: '证书编号在华为认证系统中查询不到 The certificate number is not found in Huawei’s register' });
  // an individual assessment the committee is voting on
  const work = await applyWith(
    'learner05',
    {
      outcomeKind: 'work_experience',
      title: '三年企业网站开发与运维',
      issuingBody: '苏州某信息科技有限公司',
      issuedOn: '2025-08-31',
      creditsRequested: '6',
      level: 5,
      iscedCode: '0613',
      statement:
        '2022–2025 年在公司负责官网与内部系统的前端开发和服务器运维，独立完成三次改版；附项目清单、代码样例与单位证明。 Three years of front-end development and server operations; project list, code samples and an employer letter attached.',
    },
    [
      ['作品集 Portfolio', 'portfolio.pdf'],
      ['单位证明 Employer letter', 'employer-letter.pdf'],
    ],
  );
  await act(db, work.p, work.id, 'submit', {});
  await act(db, committee, work.id, 'vote', {
    decision: 'approve',
    credits: '4',
    reason: '项目经历真实、与专业课程对应 The projects are real and match the programme’s courses',
  });
  return { frameworks: 2, standards: standards.length + 1, applications: 5 };
}
