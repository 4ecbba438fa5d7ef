// Europe: a learner's results as a Europass European Learning Model (ELM 3) credential signed by the
// institution, as an EMREX ELMO transcript of records the way Erasmus Without Paper exchanges it, and
// ECTS grading tables imported from EWP files into the institution's grade-conversion tables.
// Who may: the learner (their own) and the institution's registrar (its results only); everyone
// else is told the learner does not exist.
import { parseCredits } from '../../core/credits.js';
import { elmCredential, organisation, type ElmResult } from '../../core/europe/elm.js';
import { describeScale, elmoDocument, type ElmoReport, type ElmoResult } from '../../core/europe/elmo.js';
import { ectsOf } from '../../core/europe/ects.js';
import { cycleOf, detectFormat, GradingImportError, readGradingTables, type Cycle, type ImportFormat } from '../../core/europe/grading-import.js';
import { statusName } from '../../core/grades/status.js';
import type { Db } from '../../db/connection.js';
import { AppError, conflict, forbidden, invalid } from '../../errors.js';
import { recordLearnerRead } from '../audit/service.js';
import { requireSignedIn, type Principal } from '../auth/principal.js';
import { authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import { coursesByIds } from '../catalog/service.js';
import { issueShapedForLearner, type Vc } from '../credentials/service.js';
import { getInstitution, scaleOf } from '../institutions/service.js';
import { learnerProfile, readScope } from '../learners/service.js';
import { outcomesOf } from '../outcomes/service.js';
import { importGradingTables, publishedTables } from '../recognition/tables.js';

type Outcome = Awaited<ReturnType<typeof outcomesOf>>[number];

/** The learner's passing results the caller may export, at one institution or all they may see. */
async function passingResults(db: Db, p: Principal, learnerId: string, institutionId: string | undefined, staffMust?: () => void) {
  const { actor, institutionIds: scope } = await readScope(db, p, learnerId); // 404 for anyone who may not see the learner
  const own = actor.kind === 'user' && actor.learnerId === learnerId;
  if (!own && institutionId && scope && !scope.includes(institutionId))
    throw forbidden('Only the institution’s own registrars and reviewers see its results for this learner');
  if (!own) staffMust?.();
  await recordLearnerRead(db, actor, learnerId, 'export');
  const all = (await outcomesOf(db, learnerId)).filter((o) => o.status === 'recorded' && o.passed);
  return { actor, own, results: all.filter((o) => (institutionId ? o.institutionId === institutionId : !scope || scope.includes(o.institutionId))) };
}

async function withCourses(db: Db, results: Outcome[]) {
  const courses = new Map(
    (
      await coursesByIds(
        db,
        results.map((o) => o.courseId),
      )
    ).map((c) => [c.id, c]),
  );
  return results.map((o) => {
    const c = courses.get(o.courseId)!;
    const credits = parseCredits(o.credits);
    const conversion = ectsOf({ credits, unit: o.unit, hours: o.hours, hourType: c.hourType });
    return { o, c, credits, ects: conversion.ects };
  });
}

async function learnerFacts(db: Db, learnerId: string) {
  const { learner } = await learnerProfile(db, learnerId, false);
  return { fullName: learner.fullName, fullNameLatin: learner.fullNameLatin, birthDate: learner.birthDate, accountNo: learner.accountNo };
}

/**
 * The learner's passing results at the institution as an ELM 3 EuropeanDigitalCredential, signed by
 * the institution (eddsa-jcs-2022) and kept among the learner's credentials. The learner asks for
 * their own; the institution's registrar for its learners.
 */
export async function europassCredential(x: Vc, p: Principal, learnerId: string, institutionId: string) {
  requireSignedIn(p);
  // reviewers read records; only registrars have them signed
  const { actor, results } = await passingResults(x.db, p, learnerId, institutionId, () =>
    authorized(p, 'credential.europass', { institutionIds: [institutionId] }, REGISTRAR_ONLY),
  );
  const inst = await getInstitution(x.db, institutionId);
  if (results.length === 0)
    throw conflict(`There are no passing results at ${inst.code} to put on a Europass credential`, 'body.institutionId', { code: 'nothing_to_issue' });
  const rows = await withCourses(x.db, results);
  const learner = await learnerFacts(x.db, learnerId);
  const elmResults: ElmResult[] = rows.map(({ o, c, credits, ects }) => ({
    id: o.id,
    courseId: c.id,
    courseCode: o.courseCode,
    titleZh: o.courseTitleZh,
    titleEn: o.courseTitleEn,
    iscedCode: c.iscedCode,
    level: c.level,
    grade: o.grade ?? statusName(o.resultStatus),
    completedOn: o.completedOn,
    term: o.term,
    credits,
    unit: o.unit,
    hours: o.hours,
    hourType: c.hourType,
    ects,
  }));
  const document = await issueShapedForLearner(x, actor, {
    institutionId,
    learnerId,
    shape: (did) => {
      const issuer = { id: did, nameZh: inst.nameZh, nameEn: inst.nameEn, country: inst.country, website: inst.website };
      return { body: elmCredential(issuer, learner, elmResults, new Date()), issuer: organisation(issuer) };
    },
  });
  return { document, filename: `europass-${inst.code}-${learner.accountNo}.jsonld` };
}

/**
 * The learner's passing results as an EMREX ELMO transcript of records (the XML Erasmus Without
 * Paper exchanges), one report per institution: all the learner's institutions for the learner, the
 * caller's own for staff, or the one asked for.
 */
export async function ewpTranscript(db: Db, p: Principal, learnerId: string, institutionId: string | undefined, publicUrl: string) {
  const { results } = await passingResults(db, p, learnerId, institutionId);
  const learner = await learnerFacts(db, learnerId);
  const rows = await withCourses(db, results);
  const byInstitution = new Map<string, typeof rows>();
  for (const r of rows) byInstitution.set(r.o.institutionId, [...(byInstitution.get(r.o.institutionId) ?? []), r]);
  if (institutionId && !byInstitution.has(institutionId)) byInstitution.set(institutionId, []);
  const reports: ElmoReport[] = [];
  for (const [instId, list] of byInstitution) {
    const inst = await getInstitution(db, instId);
    const tables = (await publishedTables(db, instId)).filter((t) => t.total !== null); // ELMO's distribution counts grades
    const schemes = new Map<string, ElmoReport['schemes'][number]>();
    const results: ElmoResult[] = [];
    for (const { o, c, credits, ects } of list) {
      if (!schemes.has(o.scaleId)) {
        const s = await scaleOf(db, instId, o.scaleId);
        schemes.set(o.scaleId, { id: s.id, nameZh: s.nameZh, nameEn: s.nameEn, description: describeScale(s.definition) });
      }
      const cycle = c.level ? cycleOf(c.level) : undefined;
      // the newest published table of the course's field (its exact code, else a broader one) and cycle
      const table = [4, 3, 2].map((n) => tables.find((t) => t.iscedCode === c.iscedCode.slice(0, n) && (!cycle || t.cycle === cycle))).find(Boolean);
      results.push({
        id: o.id,
        courseCode: o.courseCode,
        titleZh: o.courseTitleZh,
        titleEn: o.courseTitleEn,
        iscedCode: c.iscedCode,
        level: c.level,
        term: o.term,
        completedOn: o.completedOn,
        grade: o.grade ?? statusName(o.resultStatus),
        scaleId: o.scaleId,
        credits,
        unit: o.unit,
        hours: o.hours,
        ects,
        distribution: table ? table.rows.map((r) => ({ label: r.label, count: r.count! })) : null,
      });
    }
    reports.push({
      issuer: { code: inst.code, nameZh: inst.nameZh, nameEn: inst.nameEn, country: inst.country, url: inst.website ?? publicUrl },
      results,
      schemes: [...schemes.values()],
    });
  }
  if (reports.length === 0) throw conflict('There are no passing results to put on a transcript of records', undefined, { code: 'nothing_to_issue' });
  const suffix = institutionId && reports[0] ? `-${(await getInstitution(db, institutionId)).code}` : '';
  return { xml: elmoDocument(learner, reports, new Date()), filename: `elmo-${learner.accountNo}${suffix}.xml` };
}

/** Refuses a caller who may not import tables for the institution, before the file is read. */
export function assertCanImport(p: Principal, institutionId: string) {
  authorized(p, 'gradingTable.publish', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
}

/**
 * Imports an EWP grading table file (XML, CSV or JSON; percentages per grade, per ISCED-F field and
 * cycle) as the institution's published grading tables: all of them, or none and a 400 that names
 * each bad row, table or field.
 */
export async function importEwpTables(
  db: Db,
  p: Principal,
  institutionId: string,
  file: { filename?: string; content: Buffer },
  q: { cycle?: Cycle; fromYear: number; toYear: number; format?: ImportFormat },
) {
  assertCanImport(p, institutionId);
  if (q.toYear - q.fromYear < 1) throw invalid('query.toYear', 'a grading table covers at least two years (toYear − fromYear ≥ 1)');
  let content: string;
  try {
    content = new TextDecoder('utf-8', { fatal: true }).decode(file.content).replace(/^\ufeff/, '');
  } catch {
    throw invalid('body.file', 'the file is not UTF-8 text');
  }
  if (!content.trim()) throw invalid('body.file', 'the file is empty');
  let tables;
  try {
    tables = readGradingTables(content, q.format ?? detectFormat(file.filename, content), { cycle: q.cycle });
  } catch (e) {
    if (e instanceof GradingImportError) throw new AppError('invalid', e.message, e.problems);
    throw e;
  }
  await getInstitution(db, institutionId); // 404 for an unknown institution (an administrator may import for any)
  return importGradingTables(db, p, institutionId, { fromYear: q.fromYear, toYear: q.toYear }, tables);
}
