// The European Learning Model (ELM 3) shape of a learner's results at one institution: a Europass
// `EuropeanDigitalCredential` whose subject is a Person with one LearningAchievement claim per
// passing result, each specified by a LearningAchievementSpecification (title, ISCED-F field, EQF
// level, ECTS credit points where the credits convert, workload), awarded by the institution as an
// Organisation, and derived from an assessment that carries the grade. Pure: the caller signs it.
//
// Vocabulary: ELM 3 (http://data.europa.eu/snb/model/elm/), the EDC application profile context
// http://data.europa.eu/snb/model/context/edc-ap, the Europass controlled lists (education-credit,
// isced-f, eqf, credential profiles) and the EU Publications Office authority tables (country,
// language).
import { COUNTRIES } from '../countries.js';
import { formatCredits, type Centi } from '../credits.js';

export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const EDC_CONTEXT = 'http://data.europa.eu/snb/model/context/edc-ap';
/** The SHACL shapes Europass validates a generic EDC against. */
export const EDC_SHAPES = 'http://data.europa.eu/snb/model/ap/edc-generic-full';
const ECTS = 'http://data.europa.eu/snb/education-credit/6fcec5c5af';

export interface ElmIssuer {
  /** The institution's DID: the credential's issuer and the awarding body of each claim. */
  id: string;
  nameZh: string;
  nameEn: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  website: string | null;
}

export interface ElmLearner {
  fullName: string;
  fullNameLatin: string | null;
  birthDate: string | null;
  accountNo: string;
}

export interface ElmResult {
  /** The bank's record of the result (an outcome id). */
  id: string;
  courseId: string;
  courseCode: string;
  titleZh: string;
  titleEn: string;
  iscedCode: string;
  /** EQF level 1–8 of the course, when the catalogue gives one. */
  level: number | null;
  grade: string;
  completedOn: string;
  term: string;
  credits: Centi;
  unit: 'credit' | 'ects';
  hours: number;
  hourType: 'contact' | 'workload';
  /** The credits in ECTS, or null when they do not convert. */
  ects: Centi | null;
}

type Lang = Record<string, string>;

const concept = (id: string, scheme: string, label: Lang, notation?: string) => ({
  id,
  type: 'Concept',
  inScheme: { id: scheme, type: 'ConceptScheme' },
  prefLabel: label,
  ...(notation ? { notation } : {}),
});

/** zh and en when they differ; one language otherwise. */
const langs = (zh: string, en: string): Lang => (zh && en && zh !== en ? { zh, en } : { en: en || zh });
const dateTime = (d: string) => (d.length === 10 ? `${d}T00:00:00Z` : d);

export function countryConcept(alpha2: string) {
  const alpha3 = COUNTRIES.find(([, a2]) => a2 === alpha2.toUpperCase())?.[0] ?? alpha2.toUpperCase();
  const name = (() => {
    try {
      return new Intl.DisplayNames(['en'], { type: 'region' }).of(alpha2.toUpperCase()) ?? alpha2;
    } catch {
      return alpha2;
    }
  })();
  return concept(
    `http://publications.europa.eu/resource/authority/country/${alpha3}`,
    'http://publications.europa.eu/resource/authority/country',
    { en: name },
    'country',
  );
}

export function organisation(i: ElmIssuer) {
  return {
    id: i.id,
    type: 'Organisation',
    legalName: langs(i.nameZh, i.nameEn),
    location: [
      {
        id: `${i.id}#location`,
        type: 'Location',
        address: [{ id: `${i.id}#address`, type: 'Address', countryCode: countryConcept(i.country) }],
      },
    ],
    ...(i.website ? { homepage: [{ id: `${i.id}#homepage`, type: 'WebResource', contentURL: i.website }] } : {}),
  };
}

/** ECTS credit points as an ELM CreditPoint ("point" is a string in ELM). */
export function ectsCreditPoint(id: string, ects: Centi) {
  return {
    id,
    type: 'CreditPoint',
    framework: concept(ECTS, 'http://data.europa.eu/snb/education-credit/25831c2', { en: 'European Credit Transfer and Accumulation System' }),
    point: formatCredits(ects),
  };
}

function achievement(r: ElmResult, issuer: ElmIssuer, credits: { zh: string; en: string }) {
  const urn = (kind: string) => `urn:epass:${kind}:${r.id}`;
  const native = `${formatCredits(r.credits)} ${r.unit === 'ects' ? 'ECTS' : 'credits'} (${r.hours} ${r.hourType} hours)`;
  return {
    id: urn('learningAchievement'),
    type: 'LearningAchievement',
    title: langs(r.titleZh, r.titleEn),
    awardedBy: {
      id: urn('awardingProcess'),
      type: 'AwardingProcess',
      awardingBody: [{ id: issuer.id, type: 'Organisation', legalName: langs(issuer.nameZh, issuer.nameEn) }],
      awardingDate: dateTime(r.completedOn),
    },
    wasDerivedFrom: [
      {
        id: urn('learningAssessment'),
        type: 'LearningAssessment',
        title: langs(`${r.titleZh} 成绩`, `${r.titleEn}: result`),
        grade: { id: urn('grade'), type: 'Note', noteLiteral: { en: r.grade } },
        dateIssued: dateTime(r.completedOn),
      },
    ],
    additionalNote: [{ id: urn('note'), type: 'Note', noteLiteral: { en: `Term ${r.term}; ${native}` } }],
    specifiedBy: {
      id: `urn:epass:learningAchievementSpec:${r.courseId}`,
      type: 'LearningAchievementSpecification',
      title: langs(r.titleZh, r.titleEn),
      identifier: [{ id: `urn:epass:identifier:${r.courseId}`, type: 'Identifier', notation: r.courseCode, schemeName: `${issuer.nameEn} course code` }],
      ISCEDFCode: [
        concept(`http://data.europa.eu/snb/isced-f/${r.iscedCode}`, 'http://data.europa.eu/snb/isced-f/25831c2', { en: `ISCED-F ${r.iscedCode}` }, r.iscedCode),
      ],
      ...(r.level && r.level >= 1 && r.level <= 8
        ? {
            EQFLevel: concept(`http://data.europa.eu/snb/eqf/${r.level}`, 'http://data.europa.eu/snb/eqf/25831c2', { en: `Level ${r.level}` }, String(r.level)),
          }
        : {}),
      ...(r.ects !== null ? { creditPoint: [ectsCreditPoint(`urn:epass:creditPoint:${r.id}`, r.ects)] } : {}),
      ...(r.hourType === 'workload' && r.hours > 0 ? { volumeOfLearning: `PT${r.hours}H` } : {}),
      additionalNote: [{ id: `urn:epass:note:${r.courseId}`, type: 'Note', noteLiteral: { zh: credits.zh, en: credits.en } }],
    },
  };
}

/**
 * The unsigned credential body: everything but the issuer, id, validFrom, status and proof, which the
 * signing service adds (the issuer as `organisation(issuer)`).
 */
export function elmCredential(issuer: ElmIssuer, learner: ElmLearner, results: ElmResult[], issuedAt: Date) {
  const ects = results.reduce((t, r) => t + (r.ects ?? 0), 0);
  const convertible = results.filter((r) => r.ects !== null).length;
  const titleEn = `Transcript of records, ${issuer.nameEn}`;
  const titleZh = `${issuer.nameZh}成绩证明`;
  const nameLatin = learner.fullNameLatin ?? learner.fullName;
  return {
    '@context': [VC_V2_CONTEXT, EDC_CONTEXT],
    type: ['VerifiableCredential', 'EuropeanDigitalCredential'],
    name: `${titleEn}: ${nameLatin}`,
    description: `${results.length} passing results; ${formatCredits(ects)} ECTS credits where the credits convert (${convertible} of ${results.length})`,
    credentialSchema: [{ id: EDC_SHAPES, type: 'ShaclValidator2017' }],
    credentialProfiles: [concept('http://data.europa.eu/snb/credential/e34929035b', 'http://data.europa.eu/snb/credential/25831c2', { en: 'Generic' })],
    displayParameter: {
      id: 'urn:epass:displayParameter:1',
      type: 'DisplayParameter',
      title: langs(titleZh, titleEn),
      language: [
        concept(
          'http://publications.europa.eu/resource/authority/language/ZHO',
          'http://publications.europa.eu/resource/authority/language',
          { en: 'Chinese' },
          'language',
        ),
        concept(
          'http://publications.europa.eu/resource/authority/language/ENG',
          'http://publications.europa.eu/resource/authority/language',
          { en: 'English' },
          'language',
        ),
      ],
      primaryLanguage: concept(
        'http://publications.europa.eu/resource/authority/language/ENG',
        'http://publications.europa.eu/resource/authority/language',
        { en: 'English' },
        'language',
      ),
    },
    issued: issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    credentialSubject: {
      id: `urn:epass:person:${learner.accountNo}`,
      type: 'Person',
      fullName: langs(learner.fullName, nameLatin),
      identifier: [
        { id: `urn:epass:identifier:${learner.accountNo}`, type: 'Identifier', notation: learner.accountNo, schemeName: 'Credit bank account number' },
      ],
      ...(learner.birthDate ? { dateOfBirth: dateTime(learner.birthDate) } : {}),
      hasClaim: results.map((r) =>
        achievement(r, issuer, {
          zh: `${formatCredits(r.credits)} ${r.unit === 'ects' ? 'ECTS' : '学分'}${r.ects === null ? '（学时为课堂学时，不折算 ECTS）' : ''}`,
          en: `${formatCredits(r.credits)} ${r.unit === 'ects' ? 'ECTS' : 'credits'}${r.ects === null ? ' (contact hours: not converted to ECTS)' : ''}`,
        }),
      ),
    },
  };
}
