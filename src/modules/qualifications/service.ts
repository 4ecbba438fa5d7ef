// Qualifications: programme requirements by catalogue year, the credit items of an account seen
// from a programme, audits (several at once for what-if), the planner and the "expected to
// graduate" statement. The audit itself is pure (core/requirements); this is what feeds it.
import type { z } from 'zod';
import { formatCredits, parseCredits, type Centi } from '../../core/credits.js';
import { accepts, audit, countedTwice, type NodeResult } from '../../core/requirements/audit.js';
import { gradeRank } from '../../core/grades/scales.js';
import { checkRequirements, RequirementsError, type CreditItem, type Kind, type Overlap, type Requirements } from '../../core/requirements/model.js';
import { earliestTerm, nextTerm, termOf } from '../../core/requirements/plan.js';
import { formatTerm } from '../../core/terms.js';
import type { Db, Executor } from '../../db/connection.js';
import { conflict, invalid, notFound } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, type Principal } from '../auth/principal.js';
import { authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import * as ledger from '../ledger/service.js';
import { learnerProfile, readScope, requireCanReadLearner } from '../learners/service.js';
import type { auditView, itemView, newException, planView, RequirementsDoc } from './schema.js';
import * as store from './store.js';
import { presentAward } from './award-view.js';
import { programme, programmeRef } from './programmes.js';

export { programme, programmeRef };

type ItemView = z.infer<typeof itemView>;
type ProgrammeRow = store.ProgrammeRow;

export const today = () => new Date().toISOString().slice(0, 10);

export async function listProgrammes(db: Db) {
  return (await store.programmeRows(db)).map((p) => ({ ...programmeRef(p), catalogueYears: p.years }));
}

const centi = (text: string | undefined) => (text === undefined ? undefined : parseCredits(text));

/** The requirements document (credits as text) as the audit engine takes it (hundredths). */
export function toRequirements(doc: RequirementsDoc): Requirements {
  const cap = (c?: { count?: number; credits?: string }) => c && { count: c.count, credits: centi(c.credits) };
  return {
    ...doc,
    totalCredits: parseCredits(doc.totalCredits),
    residency: centi(doc.residency),
    expectedAt: centi(doc.expectedAt),
    nodes: doc.nodes.map((n) =>
      n.kind === 'block'
        ? { ...n, minCredits: centi(n.minCredits) }
        : n.kind === 'credits'
          ? { ...n, minCredits: parseCredits(n.minCredits), maxCredits: centi(n.maxCredits) }
          : n,
    ),
    caps: doc.caps && {
      certificates: cap(doc.caps.certificates),
      nonFormal: cap(doc.caps.nonFormal),
      transferred: centi(doc.caps.transferred),
      perSource: centi(doc.caps.perSource),
      perYear: centi(doc.caps.perYear),
      perSemester: centi(doc.caps.perSemester),
      governs: doc.caps.governs,
    },
  };
}

/** The version a learner is audited against: the latest catalogue year not after `year`, else the earliest. */
function versionFor<T extends { catalogueYear: number }>(versions: T[], year: number): T | undefined {
  return [...versions].reverse().find((v) => v.catalogueYear <= year) ?? versions[0];
}

/** The academic year (its first calendar year) a day belongs to, for catalogue years: August onwards is the new year. */
const academicYear = (day: string) => (Number(day.slice(5, 7)) >= 8 ? Number(day.slice(0, 4)) : Number(day.slice(0, 4)) - 1);

export async function getRequirements(db: Executor, programmeId: string, year?: number) {
  const p = await programme(db, programmeId);
  const versions = await store.requirementVersions(db, programmeId);
  const v = versionFor(versions, year ?? academicYear(today()));
  if (!v) throw notFound('Requirements of programme', p.code);
  return { programme: programmeRef(p), catalogueYear: v.catalogueYear, requirements: v.requirements };
}

/** Publishes (or replaces) the requirements for one catalogue year; the registrar of the programme's institution. */
export async function putRequirements(db: Db, principal: Principal, programmeId: string, year: number, doc: RequirementsDoc) {
  const p = await programme(db, programmeId);
  const actor = authorized(principal, 'programme.publishRequirements', { institutionIds: [p.institutionId] }, REGISTRAR_ONLY);
  try {
    checkRequirements(toRequirements(doc), await store.catalogueCodes(db, p.institutionId));
  } catch (e) {
    if (e instanceof RequirementsError) throw invalid(`body.${e.path}`, e.message);
    throw e;
  }
  await db.transaction(async (tx) => {
    await store.putRequirements(tx, programmeId, year, doc, actor.kind === 'user' ? actor.userId : null);
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: p.institutionId,
        action: 'programme.requirements',
        entityType: 'programme',
        entityId: programmeId,
        details: { catalogueYear: year },
      },
    ]);
  });
  return getRequirements(db, programmeId, year);
}

const CERTIFICATE_KINDS = new Set(['vocational_certificate', 'skill_certificate']);

type Facts = {
  open: Awaited<ReturnType<typeof store.openCredits>>;
  outcomes: Awaited<ReturnType<typeof store.outcomeFacts>>;
  certs: Awaited<ReturnType<typeof store.certificationFacts>>;
  transfers: Awaited<ReturnType<typeof store.transferFacts>>;
  awards: store.AwardRow[];
  uses: ledger.LiveUse[];
};

function byLearner<T extends { learnerId: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.learnerId);
    if (list) list.push(r);
    else out.set(r.learnerId, [r]);
  }
  return out;
}

/**
 * Everything in each account that could count, as the programme's institution sees it: its own
 * courses (home), credits transferred into it (in place of their source course), other
 * institutions' courses (external), and certified outcomes. Items in another credit unit are set
 * aside, as are those used by another award the programme does not let count again. A few queries
 * for the whole batch of learners.
 */
export async function creditItemsOf(db: Executor, learnerIds: string[], p: ProgrammeRow, reuseSameLevel: boolean) {
  const [open, outcomes, certs, transfers, awards, uses, equivalences] = await Promise.all([
    store.openCredits(db, learnerIds),
    store.outcomeFacts(db, learnerIds, p.id),
    store.certificationFacts(db, learnerIds),
    store.transferFacts(db, learnerIds),
    store.awardsOfLearners(db, learnerIds),
    ledger.liveUses(db, learnerIds),
    store.overlapFacts(db),
  ]);
  const targetCourses = await store.courseCodes(
    db,
    transfers.flatMap((t) => (t.target?.kind === 'courses' ? t.target.courseIds : [])),
  );
  const substituteCourses = await store.courseCodes(
    db,
    certs.flatMap((c) => c.substitutes.filter((s) => s.institutionId === p.institutionId && s.courseId).map((s) => s.courseId!)),
  );
  const awardProgrammes = new Map((await store.programmeRows(db, [...new Set(awards.map((a) => a.programmeId))])).map((r) => [r.id, r]));
  const grouped = {
    open: byLearner(open),
    outcomes: byLearner(outcomes),
    certs: byLearner(certs),
    transfers: byLearner(transfers),
    awards: byLearner(awards),
    uses: byLearner(uses),
  };
  return new Map(
    learnerIds.map((id) => [
      id,
      itemsFromFacts(
        p,
        {
          open: grouped.open.get(id) ?? [],
          outcomes: grouped.outcomes.get(id) ?? [],
          certs: grouped.certs.get(id) ?? [],
          transfers: grouped.transfers.get(id) ?? [],
          awards: grouped.awards.get(id) ?? [],
          uses: grouped.uses.get(id) ?? [],
        },
        { targetCourses, substituteCourses, awardProgrammes, reuseSameLevel, equivalences },
      ),
    ]),
  );
}

export async function creditItems(db: Executor, learnerId: string, p: ProgrammeRow, reuseSameLevel: boolean) {
  return (await creditItemsOf(db, [learnerId], p, reuseSameLevel)).get(learnerId)!;
}

function itemsFromFacts(
  p: ProgrammeRow,
  { open, outcomes, certs, transfers, awards, uses }: Facts,
  lookups: {
    targetCourses: Map<string, { code: string; titleZh: string; titleEn: string }>;
    substituteCourses: Map<string, { code: string }>;
    awardProgrammes: Map<string, ProgrammeRow>;
    reuseSameLevel: boolean;
    equivalences: Overlap[];
  },
) {
  const { targetCourses, substituteCourses } = lookups;
  const outcomeById = new Map(outcomes.map((o) => [o.id, o]));
  const certById = new Map(certs.map((c) => [c.id, c]));
  const transferByCause = new Map(transfers.map((t) => [t.causeId, t]));
  const transferredHere = new Set(transfers.filter((t) => t.targetInstitutionId === p.institutionId).map((t) => t.outcomeId));
  const sameLevelUsed = new Set<string>();
  for (const a of awards) {
    if (a.status !== 'approved' || a.programmeId === p.id || lookups.reuseSameLevel) continue;
    if (lookups.awardProgrammes.get(a.programmeId)?.qualification === p.qualification) for (const id of a.items) sameLevelUsed.add(id);
  }

  // a credit a transfer application holds (waiting or granted) counts where it went, not here
  const heldByTransfer = new Set(uses.filter((u) => u.useType === 'transfer').map((u) => u.credit));
  // owners: the institutions whose record the item is (readScope: what staff of limited scope may see whole)
  const found: { view: ItemView; category: string | null; credit: string; content: string; rank?: number | null; kind?: Kind; owners: string[] }[] = [];
  // every passing attempt of a course is offered, with its grade: the audit counts one of them
  const attemptsOf = new Map<string, Facts['outcomes']>();
  for (const o of outcomes) if (o.passed) attemptsOf.set(o.courseId, [...(attemptsOf.get(o.courseId) ?? []), o]);
  const formal = new Map(outcomes.map((o) => [o.id, o.formal]));
  for (const c of open) {
    const credits = formatCredits(parseCredits(c.amount));
    if (c.causeType === 'outcome') {
      const deposit = outcomeById.get(c.causeId);
      if (!deposit || transferredHere.has(deposit.id)) continue;
      for (const o of attemptsOf.get(deposit.courseId) ?? [deposit]) {
        const home = o.institutionId === p.institutionId;
        found.push({
          view: {
            id: `outcome:${o.id}`,
            origin: home ? 'home' : 'external',
            courseCode: home ? o.code : null,
            titleZh: `${o.code} ${o.titleZh}`,
            titleEn: `${o.code} ${o.titleEn}`,
            source: o.institutionCode,
            credits,
            unit: c.unit,
            completedOn: o.completedOn,
            field: o.field,
            level: o.level,
          },
          category: null,
          credit: ledger.courseCredit(o.courseId),
          content: o.courseId,
          rank: o.grade === null ? null : gradeRank(o.scale, o.grade),
          kind: o.formal ? 'transcript' : 'course',
          owners: [o.institutionId],
        });
      }
    } else if (c.causeType === 'transfer') {
      const t = transferByCause.get(c.causeId);
      if (!t || t.targetInstitutionId !== p.institutionId) continue; // the source course counts instead
      const o = outcomeById.get(t.outcomeId);
      const target = t.target?.kind === 'courses' ? targetCourses.get(t.target.courseIds[0]!) : undefined;
      const category = t.target?.kind === 'elective' ? t.target.category : null;
      const into = (title: 'titleZh' | 'titleEn') => `${o?.code ?? ''} → ${target ? `${target.code} ${target[title]}` : (category ?? '')}`.trim();
      found.push({
        view: {
          id: `transfer:${c.causeId}`,
          origin: 'transfer',
          courseCode: target?.code ?? null,
          titleZh: into('titleZh'),
          titleEn: into('titleEn'),
          source: o?.institutionCode ?? '',
          credits,
          unit: c.unit,
          completedOn: o?.completedOn ?? today(),
          field: o?.field ?? '00',
          level: o?.level ?? null,
        },
        category,
        credit: `transfer:${c.causeId}`,
        // it is the course it counts as here (or, as an elective, the course it came from)
        content: t.target?.kind === 'courses' ? t.target.courseIds[0]! : (o?.courseId ?? `transfer:${c.causeId}`),
        kind: o && formal.get(o.id) ? 'transcript' : 'course',
        owners: [t.targetInstitutionId, ...(o ? [o.institutionId] : [])],
      });
    } else if (c.causeType === 'certification') {
      const a = certById.get(c.causeId);
      if (!a) continue;
      const sub = a.substitutes.find((s) => s.institutionId === p.institutionId);
      const course = sub?.courseId ? substituteCourses.get(sub.courseId) : undefined;
      found.push({
        view: {
          id: `certification:${a.id}`,
          origin: CERTIFICATE_KINDS.has(a.kind) ? 'certificate' : 'nonformal',
          courseCode: course?.code ?? null,
          titleZh: a.nameZh ?? a.title,
          titleEn: a.nameEn ?? a.title,
          source: a.issuingBody,
          credits,
          unit: c.unit,
          completedOn: a.issuedOn,
          field: a.field ?? '00',
          level: a.level,
        },
        category: sub?.category ?? null,
        credit: `certification:${a.id}`,
        content: `certification:${a.id}`,
        owners: a.institutionId ? [a.institutionId] : [],
      });
    }
  }
  // content that is the same learning: equivalent courses, a certificate and the courses it replaces
  const overlaps: Overlap[] = [
    ...lookups.equivalences,
    ...certs.flatMap((a) => a.substitutes.flatMap((sub) => (sub.courseId ? [{ a: [`certification:${a.id}`], b: [sub.courseId] }] : []))),
  ];
  const items: CreditItem[] = [];
  const setAside: { id: string; reason: 'other_unit' | 'used' }[] = [];
  for (const { view: v, category, credit, content, rank, kind } of found) {
    if (v.unit !== p.unit) setAside.push({ id: v.id, reason: 'other_unit' });
    else if (sameLevelUsed.has(v.id) || heldByTransfer.has(credit)) setAside.push({ id: v.id, reason: 'used' });
    else
      items.push({
        id: v.id,
        courseCode: v.courseCode,
        category,
        source: v.source,
        origin: v.origin,
        kind,
        credits: parseCredits(v.credits),
        completedOn: v.completedOn,
        level: v.level,
        field: v.field,
        content,
        rank,
      });
  }
  const views = found.map((f) => f.view);
  /** Each item's credit (see ledger.claimUses). */
  const credits = new Map(found.map((f) => [f.view.id, f.credit]));
  const owners = new Map(found.map((f) => [f.view.id, f.owners]));
  return { items, views, setAside, credits, overlaps, owners };
}

const money = (c: Centi) => formatCredits(c);

function presentNode(n: NodeResult): z.infer<typeof auditView>['nodes'][number] {
  return {
    id: n.id,
    kind: n.kind,
    titleZh: n.titleZh,
    titleEn: n.titleEn,
    satisfied: n.satisfied,
    waived: n.waived,
    credits: money(n.credits),
    required: n.required === null ? null : money(n.required),
    items: n.items,
    missing: { ...n.missing, credits: n.missing.credits === undefined ? undefined : money(n.missing.credits) },
    children: n.children?.map(presentNode),
  };
}

type Exception = Awaited<ReturnType<typeof store.exceptionsOf>>[number];

/** The audit with a learner's waivers and substitutions applied. */
function auditWith(r: Requirements, items: CreditItem[], exceptions: Exception[], asOf: string, overlaps: Overlap[]) {
  return audit(r, items, {
    asOf,
    overlaps,
    waived: new Set(exceptions.filter((e) => e.kind === 'waive').map((e) => e.nodeId)),
    substitutions: new Map(exceptions.filter((e) => e.kind === 'substitute').map((e) => [e.itemId!, e.courseCode!])),
  });
}

async function versionsOf(db: Executor, p: ProgrammeRow) {
  const versions = await store.requirementVersions(db, p.id);
  if (versions.length === 0)
    throw conflict(`${p.code} has no published requirements yet`, 'programmes', { code: 'requirements_unpublished', programme: p.code });
  return versions;
}

/** One learner's audit against one programme, with what the UI needs to explain it. */
async function auditOne(db: Executor, learnerId: string, p: ProgrammeRow, asOf: string) {
  const entered = await store.enrolledOn(db, learnerId, p.id);
  const versions = await versionsOf(db, p);
  const year = academicYear(entered ?? asOf);
  const version = versionFor(versions, year)!;
  // why this version: the learner's year of entry (else this year) and the rule that picked it
  const chosen = {
    entryYear: year,
    from: entered ? ('enrolment' as const) : ('today' as const),
    versions: versions.map((v) => v.catalogueYear),
    rule: version.catalogueYear <= year ? ('latest_not_after_entry' as const) : ('earliest' as const),
  };
  const r = toRequirements(version.requirements);
  const { items, views, setAside, credits, overlaps, owners } = await creditItems(db, learnerId, p, r.reuseSameLevel ?? false);
  const result = auditWith(r, items, await store.exceptionsOf(db, [learnerId], p.id), asOf, overlaps);
  return { p, version, chosen, r, result, views, setAside, items, credits, owners };
}

const COHORT_HEADER = [
  '学号 Student no.',
  '姓名 Name',
  '入学 Entered',
  '要求版本 Catalogue year',
  '完成 Complete',
  '计入学分 Credits counted',
  '要求学分 Credits required',
  '预计毕业 Expected to graduate',
  '未满足的要求 Unmet requirements',
];

/**
 * Every learner enrolled in a programme, audited, for a registrar's graduation review: a sheet whose
 * rows are produced a batch of learners at a time (a few queries per batch), so a cohort of any size
 * streams out.
 */
export async function cohortAudit(db: Db, principal: Principal, programmeId: string, batch = 500) {
  const p = await programme(db, programmeId);
  authorized(principal, 'programme.cohortAudit', { institutionIds: [p.institutionId] }, 'Only the institution’s registrars and reviewers audit its cohorts');
  const versions = await versionsOf(db, p);
  const docs = new Map(versions.map((v) => [v.catalogueYear, toRequirements(v.requirements)]));
  const anyReuse = [...docs.values()].some((r) => r.reuseSameLevel);
  const asOf = today();
  const unmet = (nodes: NodeResult[]): string[] =>
    nodes.flatMap((n) => (n.satisfied ? [] : n.children?.some((c) => !c.satisfied) ? unmet(n.children) : [`${n.titleZh} ${n.titleEn}`]));
  async function* rows() {
    for (let after: string | null = null; ;) {
      const page = await store.cohortPage(db, p.id, after, batch);
      if (page.length === 0) return;
      after = page.at(-1)!.learnerId;
      const ids = page.map((l) => l.learnerId);
      const [items, reused, exceptions] = await Promise.all([
        creditItemsOf(db, ids, p, false),
        anyReuse ? creditItemsOf(db, ids, p, true) : null,
        store.exceptionsOf(db, ids, p.id),
      ]);
      const exceptionsOf = new Map(ids.map((id) => [id, exceptions.filter((e) => e.learnerId === id)]));
      for (const l of page) {
        const year = versionFor(versions, academicYear(l.enrolledOn ?? asOf))!.catalogueYear;
        const r = docs.get(year)!;
        const { items: mine, overlaps } = (r.reuseSameLevel ? reused! : items).get(l.learnerId)!;
        const res = auditWith(r, mine, exceptionsOf.get(l.learnerId)!, asOf, overlaps);
        yield [
          l.externalId,
          l.fullName,
          l.enrolledOn ?? '',
          year,
          res.complete ? '是 yes' : '否 no',
          money(res.total.credits),
          money(res.total.required),
          r.expectedAt === undefined ? '' : res.total.credits >= r.expectedAt ? '是 yes' : '否 no',
          unmet(res.nodes).join('; '),
        ];
      }
    }
  }
  return { name: `${p.code}-audit-${asOf}`, header: COHORT_HEADER, rows: rows() };
}

/**
 * The audit as the caller may see it. Staff of one of several institutions (readScope `scope`) see
 * their institutions' records whole, and of the others' only the items that count toward the
 * programme (what each is, its credits, where it was earned), none that count for nothing.
 */
function present(a: Awaited<ReturnType<typeof auditOne>>, award: z.infer<typeof auditView>['award'], scope: string[] | null = null): z.infer<typeof auditView> {
  const { p, version, r, result } = a;
  const counted = new Set(result.counted);
  const shown = (id: string) => !scope || counted.has(id) || (a.owners.get(id) ?? []).some((i) => scope.includes(i));
  const views = a.views.filter((v) => shown(v.id));
  const setAside = a.setAside.filter((x) => shown(x.id));
  return {
    programme: programmeRef(p),
    catalogueYear: version.catalogueYear,
    catalogueChoice: a.chosen,
    complete: result.complete,
    exhaustive: result.exhaustive,
    total: { credits: money(result.total.credits), required: money(result.total.required), satisfied: result.total.satisfied },
    residency: result.residency && {
      credits: money(result.residency.credits),
      required: money(result.residency.required),
      satisfied: result.residency.satisfied,
    },
    nodes: result.nodes.map(presentNode),
    items: views,
    counted: result.counted,
    unassigned: result.unassigned.filter(shown),
    excluded: [...result.excluded.filter((x) => shown(x.id)).map((x) => (x.of ? { ...x, of: x.of.filter(shown) } : x)), ...setAside],
    expected:
      r.expectedAt === undefined
        ? null
        : { threshold: money(r.expectedAt), credits: money(result.total.credits), eligible: result.total.credits >= r.expectedAt },
    award,
  };
}

/** Audits against several programmes (a major and a minor, or what-if), flagging credits counted twice. */
export async function auditLearner(db: Db, principal: Principal, learnerId: string, programmeIds: string[]) {
  const { institutionIds: scope } = await readScope(db, principal, learnerId);
  let ids = programmeIds.length ? programmeIds : await store.enrolledProgrammes(db, learnerId);
  // by default, staff of one of the learner's institutions see the audits against that institution's
  // programmes (readScope); they may name any other programme for a what-if
  if (scope && !programmeIds.length) ids = (await store.programmeRows(db, ids)).filter((r) => scope.includes(r.institutionId)).map((r) => r.id);
  // enrolled in no programme (the learners template's programme column is optional): nothing to audit yet
  if (ids.length === 0) return { audits: [], countedTwice: [] };
  const rows = await store.programmeRows(db, ids);
  const missingId = ids.find((id) => !rows.some((r) => r.id === id));
  if (missingId) throw invalid('query.programmes', `no programme ${missingId}`);
  const ordered = ids.map((id) => rows.find((r) => r.id === id)!);
  const asOf = today();
  const done = [];
  for (const p of ordered) done.push(await auditOne(db, learnerId, p, asOf));
  const awards = await store.awardsOfLearner(db, learnerId);
  const audits = [];
  for (const a of done) {
    const latest = awards.find((w) => w.programmeId === a.p.id);
    // an award of another institution's programme (a what-if against it) is not theirs to read
    const visible = latest && (!scope || scope.includes(a.p.institutionId));
    audits.push(present(a, visible ? await presentAward(db, latest) : null, scope));
  }
  return { audits, countedTwice: done.length > 1 ? countedTwice(done.map((d) => d.result)) : [] };
}

/** The audit an award is decided on: the learner's, now. */
export async function auditFor(db: Executor, learnerId: string, programmeId: string) {
  return auditOne(db, learnerId, await programme(db, programmeId), today());
}

/** What would meet each unmet requirement, at home or at partners, and the earliest term it could all be done. */
export async function plan(db: Db, principal: Principal, learnerId: string, programmeId: string): Promise<z.infer<typeof planView>> {
  const { institutionIds: scope } = await readScope(db, principal, learnerId);
  const a = await auditFor(db, learnerId, programmeId);
  if (scope && !scope.includes(a.p.institutionId)) throw notFound('Programme', programmeId);
  const { p, r, result, items } = a;
  const courses = await store.courseOffers(db, { institutionId: p.institutionId });
  const taken = new Set(items.map((i) => i.courseCode).filter(Boolean));
  const courseRef = (c: store.CourseOffer) => ({
    id: c.id,
    code: c.code,
    titleZh: c.titleZh,
    titleEn: c.titleEn,
    credits: c.credits,
    unit: c.unit,
    institution: { code: c.iCode, nameZh: c.iZh, nameEn: c.iEn },
  });

  const unmet: NodeResult[] = [];
  const walk = (n: NodeResult) => {
    if (n.satisfied) return;
    if (n.children) n.children.forEach(walk);
    else unmet.push(n);
  };
  result.nodes.forEach(walk);
  const nodes = new Map(r.nodes.map((n) => [n.id, n]));
  const wanted = new Map<string, store.CourseOffer[]>();
  const asItem = (c: store.CourseOffer): CreditItem => ({
    id: c.id,
    courseCode: c.code,
    category: null,
    source: p.institutionCode,
    origin: 'home',
    credits: parseCredits(c.credits),
    completedOn: today(),
    level: c.level,
    field: c.field,
  });
  for (const n of unmet) {
    const node = nodes.get(n.id)!;
    if (node.kind === 'block') continue;
    wanted.set(
      n.id,
      courses.filter((c) => (node.kind === 'courses' ? n.missing.courses!.includes(c.code) : !taken.has(c.code) && accepts(node, asItem(c)))),
    );
  }
  // Partner courses that an equivalence maps onto a wanted home course: Match.
  const wantedIds = [...new Set([...wanted.values()].flat().map((c) => c.id))];
  const partners = await store.partnerCoursesFor(db, p.institutionId, wantedIds, today());
  const partnerById = new Map((await store.courseOffers(db, { ids: partners.map((x) => x.sourceIds[0]!) })).map((c) => [c.id, c]));
  const requirements = unmet.map((n) => {
    const home = wanted.get(n.id) ?? [];
    const homeIds = new Set(home.map((c) => c.id));
    const via = partners
      .filter((x) => x.targetIds.some((t) => homeIds.has(t)))
      .flatMap((x) => {
        const c = partnerById.get(x.sourceIds[0]!);
        const target = home.find((h) => x.targetIds.includes(h.id));
        return c ? [{ via: 'partner' as const, course: courseRef(c), countsAs: target?.code ?? null }] : [];
      });
    return {
      nodeId: n.id,
      titleZh: n.titleZh,
      titleEn: n.titleEn,
      missing: presentNode(n).missing,
      options: [...home.map((c) => ({ via: 'home' as const, course: courseRef(c), countsAs: null })), ...via],
    };
  });
  const remaining = Math.max(0, result.total.required - result.total.credits);
  // Credits still to earn: what the unmet requirements lack (the cheapest courses that would do for a
  // course list), or what the total lacks, whichever is more.
  const lacking = unmet.reduce((t, n) => {
    if (!n.missing.courses) return t + (n.missing.credits ?? 0);
    const credits = (wanted.get(n.id) ?? []).map((c) => parseCredits(c.credits)).sort((a, b) => a - b);
    return t + credits.slice(0, n.missing.pick ?? n.missing.courses.length).reduce((a, b) => a + b, 0);
  }, 0);
  const caps = r.caps ?? {};
  const from = nextTerm(termOf(today()));
  const term = result.complete ? null : earliestTerm(Math.max(remaining, lacking, 1), from, { perSemester: caps.perSemester, perYear: caps.perYear });
  return {
    programme: programmeRef(p),
    complete: result.complete,
    remaining: money(remaining),
    earliestTerm: term && formatTerm(term),
    perSemester: caps.perSemester === undefined ? null : money(caps.perSemester),
    perYear: caps.perYear === undefined ? null : money(caps.perYear),
    requirements,
  };
}

/** "Expected to graduate" (预计毕业证明): from the programme's threshold of counted credits. */
export async function expectedGraduation(db: Db, principal: Principal, learnerId: string, programmeId: string) {
  const { institutionIds: scope } = await readScope(db, principal, learnerId);
  const { p, r, result } = await auditFor(db, learnerId, programmeId);
  if (scope && !scope.includes(p.institutionId)) throw notFound('Programme', programmeId);
  if (r.expectedAt === undefined) throw conflict(`${p.code} issues no "expected to graduate" statement`, 'programme', { code: 'invalid_state' });
  if (result.total.credits < r.expectedAt) {
    throw conflict(`${formatCredits(result.total.credits)} credits count toward ${p.code}; the statement needs ${formatCredits(r.expectedAt)}`, 'programme', {
      code: 'credits_short',
      programme: p.code,
      credits: formatCredits(result.total.credits),
      needed: formatCredits(r.expectedAt),
    });
  }
  const profile = await learnerProfile(db, learnerId, false);
  return {
    learner: { fullName: profile.learner.fullName, accountNo: profile.learner.accountNo },
    programme: programmeRef(p),
    credits: money(result.total.credits),
    threshold: money(r.expectedAt),
    issuedOn: today(),
  };
}

type ExceptionRow = Awaited<ReturnType<typeof store.exceptionsOfLearner>>[number];

/** Exceptions as the API shows them, with who granted and who revoked each. */
async function presentExceptions(db: Executor, rows: ExceptionRow[]) {
  const names = await store.displayNames(
    db,
    rows.flatMap((e) => [e.createdBy, e.revokedBy]).filter((x): x is string => x !== null),
  );
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return rows.map((e) => ({
    id: e.id,
    programmeId: e.programmeId,
    nodeId: e.nodeId,
    kind: e.kind,
    itemId: e.itemId,
    courseCode: e.courseCode,
    reason: e.reason,
    status: e.status,
    createdAt: iso(e.createdAt)!,
    createdBy: e.createdBy ? (names.get(e.createdBy) ?? null) : null,
    revokedAt: iso(e.revokedAt),
    revokedBy: e.revokedBy ? (names.get(e.revokedBy) ?? null) : null,
    revokeReason: e.revokeReason,
  }));
}

/** A registrar waives a requirement for one learner, or lets one of their items count as another course. */
export async function addException(db: Db, principal: Principal, learnerId: string, body: z.infer<typeof newException>) {
  const p = await programme(db, body.programmeId);
  const actor = authorized(principal, 'programme.grantException', { institutionIds: [p.institutionId] }, REGISTRAR_ONLY);
  await requireCanReadLearner(db, principal, learnerId);
  const { r, items } = await auditFor(db, learnerId, p.id);
  if (!r.nodes.some((n) => n.id === body.nodeId)) throw invalid('body.nodeId', `${p.code} has no requirement "${body.nodeId}"`);
  if (body.kind === 'substitute') {
    if (!body.itemId) throw invalid('body.itemId', 'name the item that counts instead');
    if (!body.courseCode) throw invalid('body.courseCode', 'name the course it counts as');
    if (!items.some((i) => i.id === body.itemId)) throw invalid('body.itemId', 'no such credit in this account');
    if (!(await store.catalogueCodes(db, p.institutionId)).has(body.courseCode))
      throw invalid('body.courseCode', `no course ${body.courseCode} in ${p.institutionCode}'s catalogue`);
  }
  const active = await store.exceptionsOf(db, [learnerId], p.id);
  if (body.kind === 'waive' && active.some((e) => e.kind === 'waive' && e.nodeId === body.nodeId))
    throw conflict(`"${body.nodeId}" is already waived for this learner`, 'body.nodeId', { code: 'exception_exists' });
  if (body.kind === 'substitute' && active.some((e) => e.kind === 'substitute' && e.itemId === body.itemId))
    throw conflict('This credit already counts as another course for this learner', 'body.itemId', { code: 'exception_exists' });
  const row = await db.transaction(async (tx) => {
    const e = await store.insertException(tx, {
      learnerId,
      programmeId: p.id,
      nodeId: body.nodeId,
      kind: body.kind,
      itemId: body.kind === 'substitute' ? body.itemId! : null,
      courseCode: body.kind === 'substitute' ? body.courseCode! : null,
      reason: body.reason,
      createdBy: actor.kind === 'user' ? actor.userId : null,
    });
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId: p.institutionId, action: `audit.${body.kind}`, entityType: 'learner', entityId: learnerId, details: body },
    ]);
    return e;
  });
  return (await presentExceptions(db, [row]))[0]!;
}

/** A learner's waivers and substitutions; staff of one of several institutions see those of their institutions' programmes (readScope). */
export async function listExceptions(db: Db, principal: Principal, learnerId: string, programmeId?: string) {
  const { institutionIds: scope } = await readScope(db, principal, learnerId);
  let rows = await store.exceptionsOfLearner(db, learnerId, programmeId);
  if (scope) {
    const ours = new Set(
      (await store.programmeRows(db, [...new Set(rows.map((e) => e.programmeId))])).filter((p) => scope.includes(p.institutionId)).map((p) => p.id),
    );
    rows = rows.filter((e) => ours.has(e.programmeId));
  }
  return presentExceptions(db, rows);
}

export async function revokeException(db: Db, principal: Principal, id: string, reason: string) {
  const e = await store.exceptionById(db, id);
  if (!e) throw notFound('Exception', id);
  const p = await programme(db, e.programmeId);
  const actor = authorized(principal, 'programme.grantException', { institutionIds: [p.institutionId] }, REGISTRAR_ONLY);
  if (e.status !== 'active') throw conflict('This exception was already revoked', undefined, { code: 'invalid_state', state: e.status });
  await db.transaction(async (tx) => {
    await store.revokeException(tx, id, actor.kind === 'user' ? actor.userId : null, reason);
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: p.institutionId,
        action: 'audit.exception_revoke',
        entityType: 'learner',
        entityId: e.learnerId,
        details: { id, reason },
      },
    ]);
  });
  return (await presentExceptions(db, [(await store.exceptionById(db, id))!]))[0]!;
}
