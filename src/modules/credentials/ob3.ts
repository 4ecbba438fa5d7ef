// Open Badges 3.0 documents for what the bank records: an award (a qualification) and a course
// result. Pure: the caller gathers the facts; issuing adds id, issuer, dates, status and the proof.
import { formatCredits, parseCredits } from '../../core/credits.js';
import { CLR_V2, OB_V3, VC_V2 } from './loader.js';

export interface Issuer {
  did: string;
  nameZh: string;
  nameEn: string;
  website: string | null;
}

export interface Holder {
  fullName: string;
  fullNameLatin: string | null;
  accountNo: string;
}

const ACHIEVEMENT_TYPES = {
  bachelor: 'BachelorDegree',
  associate: 'AssociateDegree',
  master: 'MasterDegree',
  diploma: 'Diploma',
  certificate: 'Certificate',
} as const;
/** ISCED 2011 levels of the programmes' qualifications. */
const ISCED_LEVELS = { certificate: 4, diploma: 5, associate: 5, bachelor: 6, master: 7 } as const;

export const bilingual = (zh: string, en: string) => (zh === en ? zh : `${zh} (${en})`);

export function issuerProfile(i: Issuer) {
  return { id: i.did, type: ['Profile'], name: bilingual(i.nameZh, i.nameEn), ...(i.website ? { url: i.website } : {}) };
}

function subject(h: Holder) {
  return {
    type: ['AchievementSubject'],
    identifier: [
      { type: 'IdentityObject', identityHash: h.fullName, identityType: 'name', hashed: false },
      ...(h.fullNameLatin ? [{ type: 'IdentityObject', identityHash: h.fullNameLatin, identityType: 'name', hashed: false }] : []),
      { type: 'IdentityObject', identityHash: h.accountNo, identityType: 'identifier', hashed: false },
    ],
  };
}

/** A credit amount as a JSON number: OB 3.0 types credits as a float. */
const num = (credits: string) => Number(credits);

export interface AwardFacts {
  awardId: string;
  decidedAt: Date;
  credits: string;
  programme: {
    id: string;
    code: string;
    titleZh: string;
    titleEn: string;
    qualification: keyof typeof ACHIEVEMENT_TYPES;
    totalCredits: string;
    iscedCode: string;
  };
}

export function awardCredential(publicUrl: string, holder: Holder, a: AwardFacts) {
  const p = a.programme;
  const total = formatCredits(parseCredits(p.totalCredits));
  return {
    '@context': [VC_V2, OB_V3],
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: bilingual(p.titleZh, p.titleEn),
    credentialSubject: {
      ...subject(holder),
      creditsEarned: num(a.credits),
      activityEndDate: a.decidedAt.toISOString(),
      achievement: {
        id: `${publicUrl}/api/v1/programmes/${p.id}/requirements`,
        type: ['Achievement'],
        achievementType: ACHIEVEMENT_TYPES[p.qualification],
        name: bilingual(p.titleZh, p.titleEn),
        description: `Awarded on a degree audit of the learner's credit bank account against programme ${p.code}. 学分银行账户经学位审核，完成${p.code}专业要求后授予。`,
        criteria: { narrative: `At least ${total} credits meeting every requirement of ${p.code}. 修满${total}学分并满足${p.code}的全部要求。` },
        humanCode: p.code,
        fieldOfStudy: `ISCED-F ${p.iscedCode}`,
        creditsAvailable: num(p.totalCredits),
        alignment: [
          {
            type: ['Alignment'],
            targetName: `ISCED 2011 level ${ISCED_LEVELS[p.qualification]}`,
            targetFramework: 'ISCED 2011',
            targetCode: String(ISCED_LEVELS[p.qualification]),
            targetType: 'ceterms:Credential',
            targetUrl: 'https://uis.unesco.org/en/topic/international-standard-classification-education-isced',
          },
        ],
      },
    },
  };
}

export interface ResultFacts {
  outcomeId: string;
  completedOn: string;
  term: string;
  grade: string;
  credits: string;
  course: { id: string; code: string; titleZh: string; titleEn: string; credits: string; hours: number; iscedCode: string; level: number | null };
}

export function resultCredential(publicUrl: string, holder: Holder, r: ResultFacts) {
  const c = r.course;
  return {
    '@context': [VC_V2, OB_V3],
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: bilingual(c.titleZh, c.titleEn),
    credentialSubject: {
      ...subject(holder),
      creditsEarned: num(r.credits),
      term: r.term,
      activityEndDate: new Date(`${r.completedOn}T00:00:00Z`).toISOString(),
      result: [{ type: ['Result'], value: r.grade }],
      achievement: {
        id: `${publicUrl}/api/v1/courses/${c.id}`,
        type: ['Achievement'],
        achievementType: 'Course',
        name: bilingual(c.titleZh, c.titleEn),
        description: `Course ${c.code}, ${c.hours} hours. 课程${c.code}，${c.hours}学时。`,
        criteria: { narrative: `Passing the course assessment. 通过课程考核。` },
        humanCode: c.code,
        fieldOfStudy: `ISCED-F ${c.iscedCode}`,
        creditsAvailable: num(c.credits),
        ...(c.level !== null
          ? {
              alignment: [
                {
                  type: ['Alignment'],
                  targetName: `Level ${c.level}`,
                  targetFramework: 'Course level',
                  targetCode: String(c.level),
                  targetType: 'ceterms:Credential',
                  targetUrl: `${publicUrl}/api/v1/courses/${c.id}`,
                },
              ],
            }
          : {}),
      },
    },
  };
}

/** A CLR 2.0 transcript: the signed OB 3.0 credentials of each result, with the holder named as in them. */
export function transcriptCredential(holder: Holder, institution: { nameZh: string; nameEn: string; credits: number }, parts: Record<string, unknown>[]) {
  const name = bilingual(`${institution.nameZh}成绩单`, `Transcript, ${institution.nameEn}`);
  return {
    '@context': [VC_V2, CLR_V2, OB_V3],
    type: ['VerifiableCredential', 'ClrCredential'],
    name,
    description: `${parts.length} course results, ${institution.credits} credits. 共${parts.length}门课程，${institution.credits}学分。`,
    credentialSubject: { ...subject(holder), type: ['ClrSubject'], verifiableCredential: parts },
  };
}

const CERTIFIED_TYPES: Record<string, string> = {
  vocational_certificate: 'Certificate',
  skill_certificate: 'Certificate',
  training: 'Course',
  mooc: 'Course',
  micro_credential: 'MicroCredential',
  work_experience: 'ApprenticeshipCertificate',
  award: 'Award',
};

export interface CertifiedFacts {
  applicationId: string;
  outcomeKind: string;
  title: string;
  issuingBody: string;
  certificateNo: string | null;
  issuedOn: string;
  credits: string;
  level: number | null;
  iscedCode: string | null;
  standard: { code: string; titleZh: string; titleEn: string } | null;
}

/** Learning outside a degree (a certificate, training, work experience) certified into credits against a published standard. */
export function certifiedCredential(publicUrl: string, holder: Holder, c: CertifiedFacts) {
  const std = c.standard;
  return {
    '@context': [VC_V2, OB_V3],
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: c.title,
    credentialSubject: {
      ...subject(holder),
      creditsEarned: num(c.credits),
      activityEndDate: new Date(`${c.issuedOn}T00:00:00Z`).toISOString(),
      achievement: {
        id: `${publicUrl}/api/v1/certification/applications/${c.applicationId}`,
        type: ['Achievement'],
        achievementType: CERTIFIED_TYPES[c.outcomeKind] ?? 'Achievement',
        name: c.title,
        description: `Issued by ${c.issuingBody}${c.certificateNo ? `, No. ${c.certificateNo}` : ''}; certified into credits by the credit bank. 由${c.issuingBody}颁发，经学分银行认定为学分。`,
        criteria: {
          narrative: std
            ? `Certified against the conversion standard ${std.code}: ${bilingual(std.titleZh, std.titleEn)}.`
            : 'Assessed individually by the expert committee. 由专家委员会个别评定。',
        },
        creditsAvailable: num(c.credits),
        ...(c.iscedCode ? { fieldOfStudy: `ISCED-F ${c.iscedCode}` } : {}),
        ...(c.level !== null
          ? {
              alignment: [
                {
                  type: ['Alignment'],
                  targetName: `Qualifications framework level ${c.level}`,
                  targetFramework: 'Qualifications framework',
                  targetCode: String(c.level),
                  targetType: 'ceterms:Credential',
                  targetUrl: `${publicUrl}/api/v1/frameworks`,
                },
              ],
            }
          : {}),
      },
    },
  };
}

interface CourseRef {
  id: string;
  code: string;
  titleZh: string;
  titleEn: string;
}

export interface TransferFacts {
  source: { did: string; nameZh: string; nameEn: string };
  course: CourseRef;
  sourceCredits: string;
  grade: string | null;
  target: { kind: 'courses' | 'elective'; courses: CourseRef[]; category: string | null };
  credits: string;
  convertedGrade: string | null;
  decidedAt: string;
}

/** A credit transferred in: what the target institution recognised, and where it came from (the assessing source). */
export function transferCredential(publicUrl: string, holder: Holder, t: TransferFacts) {
  const into =
    t.target.kind === 'courses'
      ? t.target.courses.map((c) => `${c.code} ${bilingual(c.titleZh, c.titleEn)}`).join(' + ')
      : bilingual(`选修学分（${t.target.category ?? ''}）`, `Elective credits (${t.target.category ?? ''})`);
  const from = `${t.course.code} ${bilingual(t.course.titleZh, t.course.titleEn)}`;
  return {
    '@context': [VC_V2, OB_V3],
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: into,
    credentialSubject: {
      ...subject(holder),
      creditsEarned: num(t.credits),
      activityEndDate: t.decidedAt,
      ...(t.convertedGrade ? { result: [{ type: ['Result'], value: t.convertedGrade }] } : {}),
      source: { id: t.source.did, type: ['Profile'], name: bilingual(t.source.nameZh, t.source.nameEn) },
      achievement: {
        id: t.target.kind === 'courses' ? `${publicUrl}/api/v1/courses/${t.target.courses[0]!.id}` : `${publicUrl}/api/v1/courses/${t.course.id}#transfer`,
        type: ['Achievement'],
        achievementType: 'Course',
        name: into,
        description: `Credit transferred from ${from} at ${bilingual(t.source.nameZh, t.source.nameEn)} (${t.sourceCredits} credits${t.grade ? `, grade ${t.grade}` : ''}). 由${t.source.nameZh}的${from}转换而来。`,
        criteria: { narrative: 'Recognised by the institution under the credit bank’s transfer rules. 按学分银行转换规则认定。' },
        creditsAvailable: num(t.credits),
      },
    },
  };
}
