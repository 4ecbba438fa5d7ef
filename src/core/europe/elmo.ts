// A transcript of records in the EMREX ELMO format, as Erasmus Without Paper exchanges it (the
// `elmo` element of the EWP Transcripts of Records APIs): the learner, then one report per
// institution with a learningOpportunitySpecification per passing result (ECTS credits where they
// convert, the result, its grading scheme, EQF level, term) and the grading schemes used. Pure.
import { formatCredits, type Centi } from '../credits.js';
import { parseTerm } from '../terms.js';
import { el, text, xmlDocument, type XmlElement } from './xml.js';

export const ELMO_NS = 'https://github.com/emrex-eu/elmo-schemas/tree/v1';

export interface ElmoResult {
  id: string;
  courseCode: string;
  titleZh: string;
  titleEn: string;
  iscedCode: string;
  level: number | null;
  term: string;
  completedOn: string;
  grade: string;
  scaleId: string;
  credits: Centi;
  unit: 'credit' | 'ects';
  hours: number;
  ects: Centi | null;
  /** The passing grades of the course's reference group (a published grading table), best first. */
  distribution: { label: string; count: number }[] | null;
}

export interface ElmoReport {
  issuer: { code: string; nameZh: string; nameEn: string; country: string; url: string };
  results: ElmoResult[];
  schemes: { id: string; nameZh: string; nameEn: string; description: string }[];
}

export interface ElmoLearner {
  fullName: string;
  fullNameLatin: string | null;
  birthDate: string | null;
  accountNo: string;
}

/**
 * The term's dates as Chinese calendars have them: the first semester from September to January,
 * the second from February to July, the summer term July and August. ELMO asks for the term's first
 * and last day; these are the usual ones, not the institution's own calendar.
 */
export function termDates(term: string): { start: string; end: string; en: string } | undefined {
  const t = parseTerm(term);
  if (!t) return undefined;
  const y = t.startYear;
  if (t.semester === 1) return { start: `${y}-09-01`, end: `${y + 1}-01-31`, en: `${y}/${y + 1} first semester` };
  if (t.semester === 2) return { start: `${y + 1}-02-01`, end: `${y + 1}-07-31`, en: `${y}/${y + 1} second semester` };
  return { start: `${y + 1}-07-01`, end: `${y + 1}-08-31`, en: `${y}/${y + 1} summer term` };
}

const titles = (zh: string, en: string) => [text('title', zh, { 'xml:lang': 'zh' }), zh !== en ? text('title', en, { 'xml:lang': 'en' }) : undefined];

function specification(r: ElmoResult, code: string): XmlElement {
  const dates = termDates(r.term);
  const cycle = r.level === 6 ? 'Bachelor' : r.level === 7 ? 'Master' : r.level === 8 ? 'PhD' : undefined;
  return el('learningOpportunitySpecification', {}, [
    text('identifier', r.courseCode, { type: 'local' }),
    ...titles(r.titleZh, r.titleEn),
    text('type', 'Course'),
    text('iscedCode', r.iscedCode),
    el('specifies', {}, [
      el('learningOpportunityInstance', {}, [
        text('identifier', r.id, { type: 'local' }),
        text('date', r.completedOn),
        dates
          ? el('academicTerm', {}, [
              text('title', r.term, { 'xml:lang': 'zh' }),
              text('title', dates.en, { 'xml:lang': 'en' }),
              text('start', dates.start),
              text('end', dates.end),
            ])
          : undefined,
        text('status', 'passed'),
        text('gradingSchemeLocalId', r.scaleId),
        text('resultLabel', r.grade),
        r.distribution && r.distribution.length > 0
          ? el(
              'resultDistribution',
              {},
              r.distribution.map((d) => el('category', { count: String(d.count), label: d.label })),
            )
          : undefined,
        r.ects !== null
          ? el('credit', {}, [text('scheme', 'ects'), cycle ? text('level', cycle) : undefined, text('value', formatCredits(r.ects))])
          : undefined,
        // the credits as the institution counts them, under its own scheme name (ELMO allows custom schemes)
        r.unit !== 'ects' ? el('credit', {}, [text('scheme', `${code.toLowerCase()}-credit`), text('value', formatCredits(r.credits))]) : undefined,
        r.level && r.level >= 1 && r.level <= 8
          ? el('level', {}, [text('type', 'EQF'), text('description', 'European Qualifications Framework'), text('value', String(r.level))])
          : undefined,
        r.hours > 0 ? text('engagementHours', String(r.hours)) : undefined,
      ]),
    ]),
  ]);
}

/** The ELMO document. The bank has no XML signing key, so it is unsigned: the ELM credential is the signed export. */
export function elmoDocument(learner: ElmoLearner, reports: ElmoReport[], generatedAt: Date): string {
  const at = generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const root = el('elmo', { xmlns: ELMO_NS }, [
    text('generatedDate', at),
    el('learner', {}, [
      text('identifier', learner.accountNo, { type: 'creditbank-account' }),
      // the bank keeps a full name, not its parts: ELMO asks for an empty string when a part is not known
      el('givenNames', {}, ''),
      el('familyName', {}, learner.fullNameLatin ?? learner.fullName),
      text('bday', learner.birthDate),
    ]),
    ...reports.map((rep) =>
      el('report', {}, [
        el('issuer', {}, [
          text('country', rep.issuer.country),
          text('identifier', rep.issuer.code, { type: 'local' }),
          ...titles(rep.issuer.nameZh, rep.issuer.nameEn),
          text('url', rep.issuer.url),
        ]),
        ...rep.results.map((r) => specification(r, rep.issuer.code)),
        text('issueDate', at),
        ...rep.schemes.map((s) =>
          el('gradingScheme', { localId: s.id }, [
            text('description', `${s.nameEn}: ${s.description}`, { 'xml:lang': 'en' }),
            text('description', s.nameZh, { 'xml:lang': 'zh' }),
          ]),
        ),
      ]),
    ),
  ]);
  return xmlDocument(root);
}

type ScaleLike =
  | { type: 'percentage'; passMin: number }
  | { type: 'levels'; levels: { code: string; labelEn: string; passing: boolean }[] }
  | { type: 'numeric'; best: number; worst: number; pass: number }
  | { type: 'pass_fail' };

/** A grading scheme in words, for ELMO's gradingScheme description. */
export function describeScale(s: ScaleLike): string {
  switch (s.type) {
    case 'percentage':
      return `marks 0–100, ${s.passMin} or more passes`;
    case 'levels':
      return `grades best first: ${s.levels.map((l) => `${l.code} (${l.labelEn}${l.passing ? '' : ', fail'})`).join(', ')}`;
    case 'numeric':
      return `marks from ${s.best} (best) to ${s.worst}; ${s.pass} is the lowest pass`;
    case 'pass_fail':
      return 'pass or fail';
  }
}
