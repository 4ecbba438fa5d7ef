// One handler per import kind: how a row is read (pure), how a batch of rows is classified against
// what is stored (create / update / skip, or refused with reasons), and how it is written.
import { randomUUID } from 'node:crypto';
import { isCreditText, parseCredits } from '../../core/credits.js';
import type { ScaleDefinition } from '../../core/grades/scales.js';
import { resolveResult, statusName, type ResultStatus } from '../../core/grades/status.js';
import {
  checkIdDocument,
  idDocumentKey,
  idDocumentKeys,
  isSameIdDocument,
  maskId,
  normalizeIdType,
  normalizeName,
  sameName,
  unknownIdTypeReason,
  type IdDocument,
  type IdType,
} from '../../core/identity.js';
import { parseDate, parseDecimal, parseInteger } from '../../core/imports/values.js';
import { parseTerm } from '../../core/terms.js';
import type { Executor, Tx } from '../../db/connection.js';
import { conflict } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, type Actor } from '../auth/principal.js';
import * as catalog from '../catalog/service.js';
import * as certification from '../certification/service.js';
import * as learners from '../learners/service.js';
import * as outcomes from '../outcomes/service.js';
import { COLUMNS, headerText, type ImportKind } from './columns.js';
import { stagedChanges, stagedCreates, stagedDrift, type Stage, type StagedChange, type StagedResult } from './store.js';

export interface Issue {
  rowNumber: number;
  column: string | null;
  value: string | null;
  reason: string;
}

export type Action = 'create' | 'update' | 'skip';

export interface Context {
  institutionId: string;
  institutionCode: string;
  /** undefined when the institution has not declared its credit system: results are then refused. */
  unit: 'credit' | 'ects' | undefined;
  hourType: 'contact' | 'workload';
  scale: { id: string; definition: ScaleDefinition } | undefined;
  /** The institution's exemption rule: whether 免修 earns the course's credits. */
  exemptionEarnsCredit: boolean;
  actor: Actor;
  jobId: string;
  /** The catalogue, loaded once per import: code → course / programme. */
  courses: Map<string, catalog.CourseLookup>;
  programmes: Map<string, string>;
  /** Identity conflicts found on the way, recorded when the import is not a dry run. */
  conflicts: { existingLearnerId: string; submitted: Record<string, unknown> }[];
  /**
   * Identity documents looked up in the whole bank (learners imports): counted while the file is
   * checked (not again when it is written), and refused past the caller's hourly budget.
   */
  /** Identity look-ups of a learners import: counted in the check pass, each batch's claimed before it is made (IDENTITY_LOOKUPS_PER_HOUR). */
  lookups: { done: number; counting: boolean; claim?: (n: number) => Promise<void> };
}

export interface Parsed<T> {
  rowNumber: number;
  value: T;
  /** Natural keys: a second row with the same key in one file is refused as a duplicate. */
  keys: string[];
}

export interface Classified<T> extends Parsed<T> {
  action: Action;
  /** What the write needs to know about the stored record. */
  ref?: unknown;
  note?: string;
}

export interface Handler<T> {
  kind: ImportKind;
  parse(cells: Record<string, string>, rowNumber: number, ctx: Context): Parsed<T> | Issue[];
  classify(db: Executor, ctx: Context, rows: Parsed<T>[]): Promise<(Classified<T> | Issue[])[]>;
  apply(tx: Tx, ctx: Context, rows: Classified<T>[]): Promise<void>;
}

/**
 * A kind that comes by the million (course results): its checked rows are staged in the database,
 * then classified and written by statements over the whole stage rather than row by row.
 */
export interface StagedHandler<T> {
  kind: ImportKind;
  parse(cells: Record<string, string>, rowNumber: number, ctx: Context): Parsed<T> | Issue[];
  /** The rows of a batch as staged, with what they refer to resolved (or why they are refused). */
  stage(db: Executor, ctx: Context, rows: Parsed<T>[]): Promise<StagedResult[]>;
  /** Matches the staged rows with what is stored. */
  match(db: Executor, ctx: Context, stage: Stage): Promise<void>;
  /** What a changed row changes in its stored record, for the report. */
  note(row: StagedChange): string;
  /** Writes the staged rows from..to (row numbers). */
  write(tx: Tx, ctx: Context, stage: Stage, from: number, to: number): Promise<void>;
}

const col = (kind: ImportKind, key: string) => headerText(COLUMNS[kind].find((c) => c.key === key)!);

/** Collects the issues of one row while its cells are read. */
class RowReader {
  issues: Issue[] = [];
  constructor(
    private kind: ImportKind,
    private cells: Record<string, string>,
    private rowNumber: number,
  ) {}
  raw(key: string) {
    return this.cells[key] ?? '';
  }
  fail(key: string, reason: string) {
    // identity numbers never leave the learner's own view whole, reports included
    const value = key === 'idNumber' && this.raw(key) ? maskId(this.raw(key)) : this.raw(key) || null;
    this.issues.push({ rowNumber: this.rowNumber, column: col(this.kind, key), value, reason });
    return undefined;
  }
  required(key: string) {
    const v = this.raw(key);
    return v === '' ? this.fail(key, '必填 / is required') : v;
  }
  optional(key: string) {
    const v = this.raw(key);
    return v === '' ? undefined : v;
  }
  text(key: string, max: number, required = true) {
    const v = required ? this.required(key) : this.optional(key);
    if (v !== undefined && v.length > max) return this.fail(key, `超过 ${max} 个字符 / is longer than ${max} characters`);
    return v;
  }
  pattern(key: string, re: RegExp, what: string, required = true) {
    const v = required ? this.required(key) : this.optional(key);
    if (v !== undefined && !re.test(v)) return this.fail(key, `must be ${what}`);
    return v;
  }
  /** Credits: non-negative, at most two decimals and eight whole digits (the column's range). */
  credits(key: string) {
    const v = this.required(key);
    if (v === undefined) return undefined;
    const r = parseDecimal(v, 2);
    if (!r.ok) return this.fail(key, r.reason);
    return isCreditText(r.value) ? r.value : this.fail(key, '须为 0 到 99999999.99 之间的学分 / must be credits between 0 and 99999999.99');
  }
  integer(key: string, min: number, max: number, required = true) {
    const v = required ? this.required(key) : this.optional(key);
    if (v === undefined) return undefined;
    const r = parseInteger(v);
    if (!r.ok) return this.fail(key, r.reason);
    const n = Number(r.value);
    return n < min || n > max ? this.fail(key, `须在 ${min} 到 ${max} 之间 / must be between ${min} and ${max}`) : n;
  }
  date(key: string, required = true) {
    const v = required ? this.required(key) : this.optional(key);
    if (v === undefined) return undefined;
    const r = parseDate(v);
    return r.ok ? r.value : this.fail(key, r.reason);
  }
  done<T>(value: T, keys: string[]): Parsed<T> | Issue[] {
    return this.issues.length ? this.issues : { rowNumber: this.rowNumber, value, keys };
  }
}

/** "hours 64 → 72; credits 3 → 3.5": what an update changes, for the report (undefined when nothing). */
function changes(before: object, after: object, fields: string[]): string | undefined {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const show = (v: unknown) => (v === null || v === undefined || v === '' ? '(empty)' : String(v).length > 40 ? `${String(v).slice(0, 40)}…` : String(v));
  // credits come back from SQL as "3.50"; compared exactly, as hundredths
  const same = (f: string) =>
    (f === 'credits' || f === 'totalCredits') && b[f] && a[f] ? parseCredits(String(b[f])) === parseCredits(String(a[f])) : (b[f] ?? null) === (a[f] ?? null);
  const diffs = fields.filter((f) => !same(f)).map((f) => `${f} ${show(b[f])} → ${show(a[f])}`);
  return diffs.length ? diffs.join('; ') : undefined;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/;
const ISCED = /^\d{2}(\d{1,2})?$/;
const STUDENT_NO = /^[A-Za-z0-9._-]{1,40}$/;

// ---------------------------------------------------------------- courses

interface CourseRow {
  code: string;
  titleZh: string;
  titleEn: string;
  credits: string;
  hours: number;
  iscedCode: string;
  level: number | null;
  outcomesZh: string;
  outcomesEn: string;
}

export const courseHandler: Handler<CourseRow> = {
  kind: 'courses',
  parse(cells, rowNumber) {
    const r = new RowReader('courses', cells, rowNumber);
    const v = {
      code: r.pattern('code', CODE, 'letters, digits and . _ / -, at most 40 characters'),
      titleZh: r.text('titleZh', 200),
      titleEn: r.text('titleEn', 200),
      credits: r.credits('credits'),
      hours: r.integer('hours', 0, 10_000),
      iscedCode: r.pattern('iscedCode', ISCED, 'an ISCED-F 2013 code of 2, 3 or 4 digits, e.g. 0613'),
      level: r.integer('level', 1, 8, false) ?? null,
      outcomesZh: r.text('outcomesZh', 5000, false) ?? '',
      outcomesEn: r.text('outcomesEn', 5000, false) ?? '',
    };
    return r.done(v as CourseRow, [v.code ?? '']);
  },
  async classify(_db, ctx, rows) {
    return rows.map((row) => {
      const existing = ctx.courses.get(row.value.code);
      if (!existing) return { ...row, action: 'create' };
      const note = changes(existing, row.value, ['titleZh', 'titleEn', 'credits', 'hours', 'iscedCode', 'level', 'outcomesZh', 'outcomesEn']);
      return { ...row, action: note ? 'update' : 'skip', ref: existing, note };
    });
  },
  async apply(tx, ctx, rows) {
    const creates = rows.filter((r) => r.action === 'create').map((r) => ({ ...r.value, institutionId: ctx.institutionId, hourType: ctx.hourType }));
    const made = await catalog.insertCoursesInTx(tx, ctx.actor, ctx.institutionId, creates);
    for (const c of made) ctx.courses.set(c.code, c);
    for (const r of rows.filter((x) => x.action === 'update')) {
      const updated = await catalog.updateCourseInTx(tx, ctx.actor, r.ref as catalog.CourseLookup, r.value);
      ctx.courses.set(updated.code, updated);
    }
  },
};

// ---------------------------------------------------------------- programmes

const QUALIFICATIONS: Record<string, 'bachelor' | 'associate' | 'master' | 'diploma' | 'certificate'> = {
  本科: 'bachelor',
  学士: 'bachelor',
  bachelor: 'bachelor',
  专科: 'associate',
  高职: 'associate',
  associate: 'associate',
  硕士: 'master',
  master: 'master',
  文凭: 'diploma',
  diploma: 'diploma',
  证书: 'certificate',
  certificate: 'certificate',
};

interface ProgrammeRow {
  code: string;
  titleZh: string;
  titleEn: string;
  qualification: 'bachelor' | 'associate' | 'master' | 'diploma' | 'certificate';
  totalCredits: string;
  iscedCode: string;
}

export const programmeHandler: Handler<ProgrammeRow> = {
  kind: 'programmes',
  parse(cells, rowNumber) {
    const r = new RowReader('programmes', cells, rowNumber);
    const q = r.required('qualification');
    const qualification =
      q === undefined
        ? undefined
        : (QUALIFICATIONS[q.toLowerCase()] ??
          r.fail('qualification', 'must be 本科, 专科, 硕士, 文凭 or 证书 (bachelor, associate, master, diploma, certificate)'));
    const v = {
      code: r.pattern('code', CODE, 'letters, digits and . _ / -, at most 40 characters'),
      titleZh: r.text('titleZh', 200),
      titleEn: r.text('titleEn', 200),
      qualification,
      totalCredits: r.credits('totalCredits'),
      iscedCode: r.pattern('iscedCode', ISCED, 'an ISCED-F 2013 code of 2, 3 or 4 digits'),
    };
    return r.done(v as ProgrammeRow, [v.code ?? '']);
  },
  async classify(db, ctx, rows) {
    const existing = new Map((await catalog.listProgrammesOf(db, ctx.institutionId)).map((p) => [p.code, p]));
    return rows.map((row) => {
      const p = existing.get(row.value.code);
      if (!p) return { ...row, action: 'create' };
      const note = changes(p, row.value, ['titleZh', 'titleEn', 'qualification', 'totalCredits', 'iscedCode']);
      return { ...row, action: note ? 'update' : 'skip', ref: p.id, note };
    });
  },
  async apply(tx, ctx, rows) {
    for (const r of rows) {
      if (r.action === 'create') ctx.programmes.set(r.value.code, await catalog.insertProgrammeInTx(tx, ctx.actor, ctx.institutionId, r.value));
      if (r.action === 'update') await catalog.updateProgrammeInTx(tx, ctx.actor, ctx.institutionId, r.ref as string, r.value);
    }
  },
};

// ---------------------------------------------------------------- learners

interface LearnerRow {
  externalId: string;
  fullName: string;
  fullNameLatin: string | null;
  birthDate: string;
  idType: IdType;
  /** Canonical (core/identity.ts checkIdDocument): an old 15-digit resident ID as its 18 characters, a Home Return Permit without its issue count. */
  idNumber: string;
  /** A passport's issuing country (ISO 3166-1 alpha-3). */
  idCountry: string | null;
  /** What an `other` document is. */
  idTypeName: string | null;
  /** What the number was changed to on the way in (15 → 18 characters, an issue count dropped), for the report. */
  idNote?: string;
  email: string | null;
  enrolledOn: string | null;
  programmeId: string | null;
}

const mapDefined = <T, U>(v: T | undefined, f: (v: T) => U): U | undefined => (v === undefined ? undefined : f(v));

const documentOf = (v: LearnerRow): IdDocument => ({ type: v.idType, number: v.idNumber, country: v.idCountry, typeName: v.idTypeName });
const withIdNote = (v: LearnerRow, note: string | undefined) => [note, v.idNote].filter(Boolean).join('; ') || undefined;
/** The row as an identity conflict keeps it: the number masked. */
const submitted = ({ idNote: _n, ...v }: LearnerRow, institutionCode: string) => ({ ...v, idNumber: maskId(v.idNumber), institutionCode });

export const learnerHandler: Handler<LearnerRow> = {
  kind: 'learners',
  parse(cells, rowNumber, ctx) {
    const r = new RowReader('learners', cells, rowNumber);
    const externalId = r.pattern('externalId', STUDENT_NO, 'a student number of letters, digits and . _ -');
    const fullName = mapDefined(r.text('fullName', 100), normalizeName);
    const birthDate = r.date('birthDate');
    const typeText = r.required('idType');
    const idType = typeText === undefined ? undefined : (normalizeIdType(typeText) ?? r.fail('idType', unknownIdTypeReason(typeText)));
    const idText = r.required('idNumber');
    let doc: IdDocument | undefined;
    let idNote: string | undefined;
    if (idText !== undefined && idType !== undefined) {
      const id = checkIdDocument({ type: idType, number: idText, country: r.optional('idCountry'), typeName: r.optional('idTypeName') });
      if (!id.ok) r.fail(id.field, id.reason);
      else if (birthDate && id.birthDate && id.birthDate !== birthDate) {
        r.fail(
          'idNumber',
          `号码中的出生日期（${id.birthDate}）与所填出生日期（${birthDate}）不符 / the birth date in the ID number (${id.birthDate}) differs from the date of birth given (${birthDate})`,
        );
      } else {
        doc = id.value;
        idNote = id.note;
      }
    }
    const email = r.pattern('email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an email address', false) ?? null;
    const programmeCode = r.optional('programmeCode');
    const programmeId =
      programmeCode === undefined
        ? null
        : (ctx.programmes.get(programmeCode) ??
          r.fail('programmeCode', `${ctx.institutionCode} 没有专业 ${programmeCode} / no programme ${programmeCode} at ${ctx.institutionCode}`) ??
          null);
    const v = {
      externalId,
      fullName,
      fullNameLatin: mapDefined(r.text('fullNameLatin', 100, false), normalizeName) ?? null,
      birthDate,
      idType: doc?.type,
      idNumber: doc?.number,
      idCountry: doc?.country ?? null,
      idTypeName: doc?.typeName ?? null,
      email,
      enrolledOn: r.date('enrolledOn', false) ?? null,
      programmeId,
      ...(idNote ? { idNote } : {}),
    };
    return r.done(v as LearnerRow, [`student ${externalId}`, `id ${doc ? idDocumentKey(doc) : ''}`]);
  },
  async classify(db, ctx, rows) {
    const enrolled = new Map(
      (
        await learners.enrolledByExternalIds(
          db,
          ctx.institutionId,
          rows.map((r) => r.value.externalId),
        )
      ).map((e) => [e.enrolment.externalId, e]),
    );
    const docs = rows.map((r) => documentOf(r.value));
    if (ctx.lookups.counting && docs.length > 0) {
      await ctx.lookups.claim?.(docs.length); // 429 past the caller's hourly budget, decided by the database
      ctx.lookups.done += docs.length;
    }
    const stored = new Map(
      (await learners.learnersByIdentity(db, docs)).map((l) => [
        idDocumentKey({ type: l.idType!, number: l.idNumber!, country: l.idCountry, typeName: l.idTypeName }),
        l,
      ]),
    );
    // the learner holding the document: recorded as given, else as recorded before the country or type name was asked for
    const holderOf = (v: LearnerRow) =>
      idDocumentKeys(documentOf(v))
        .map((k) => stored.get(k))
        .find((l) => l !== undefined);
    // where the learners already found are enrolled: a person is shared between institutions
    const enrolledAt = new Map<string, string[]>();
    const known = [...[...enrolled.values()].map((e) => e.learner.id), ...[...stored.values()].map((l) => l.id)];
    for (const e of await learners.institutionsOfLearners(db, known)) enrolledAt.set(e.learnerId, [...(enrolledAt.get(e.learnerId) ?? []), e.institutionId]);
    const elsewhere = (learnerId: string) => (enrolledAt.get(learnerId) ?? []).some((i) => i !== ctx.institutionId);
    const here = (learnerId: string) => (enrolledAt.get(learnerId) ?? []).includes(ctx.institutionId);
    // What the report says depends only on the file and this institution's own records: a learner
    // known only at other institutions reads exactly as an unknown one (no existence oracle). The
    // difference is acted on when the rows are written (apply): linked when name, birth date and
    // document all match, else held for the bank administrator as an identity conflict.
    return rows.map((row): Classified<LearnerRow> | Issue[] => {
      const v = row.value;
      const issue = (key: string, value: string, reason: string): Issue[] => [{ rowNumber: row.rowNumber, column: col('learners', key), value, reason }];
      const mine = enrolled.get(v.externalId);
      if (mine) {
        const l = mine.learner;
        if (l.idNumber && !isSameIdDocument(l, documentOf(v))) {
          return issue(
            'idNumber',
            maskId(v.idNumber),
            `与学号 ${v.externalId} 登记的证件不符 / differs from the ID on record for student number ${v.externalId}; ask the bank administrator to correct an identity`,
          );
        }
        if (l.birthDate && l.birthDate !== v.birthDate)
          return issue('birthDate', v.birthDate, `differs from the date of birth on record (${l.birthDate}) for student number ${v.externalId}`);
        const holder = holderOf(v);
        if (holder && holder.id !== l.id && here(holder.id)) {
          ctx.conflicts.push({ existingLearnerId: holder.id, submitted: submitted(v, ctx.institutionCode) });
          return issue(
            'idNumber',
            maskId(v.idNumber),
            '身份冲突：此证件号码属于另一位学习者，已提交学分银行管理员处理 / identity conflict: this ID number belongs to another learner; flagged for the bank administrator',
          );
        }
        if (elsewhere(l.id) && (!sameName(l.fullName, v.fullName) || (l.idNumber !== null && !isSameIdDocument(l, documentOf(v))))) {
          return issue(
            'fullName',
            v.fullName,
            '该学习者也在其他机构注册，姓名和证件的更改须由学分银行管理员办理 / this learner is also enrolled elsewhere: changes of name or identity go through the bank administrator',
          );
        }
        const note = changes({ ...l, ...mine.enrolment, idNumber: l.idNumber && maskId(l.idNumber) }, { ...v, idNumber: maskId(v.idNumber) }, [
          'fullName',
          'fullNameLatin',
          'email',
          'enrolledOn',
          'programmeId',
          'idNumber',
          'idCountry',
          'idTypeName',
        ]);
        // the document is held by a learner of another institution: reported as if it were free; the
        // document is not recorded (apply), the administrator decides
        const heldBy = holder && holder.id !== l.id ? holder.id : undefined;
        return { ...row, action: note ? 'update' : 'skip', ref: { learnerId: l.id, heldBy }, note: note && withIdNote(v, note) };
      }
      const person = holderOf(v);
      if (person && here(person.id)) {
        // this institution's own learner: its own data, so the report may say so
        if (!sameName(person.fullName, v.fullName) || (person.birthDate && person.birthDate !== v.birthDate)) {
          ctx.conflicts.push({ existingLearnerId: person.id, submitted: submitted(v, ctx.institutionCode) });
          return issue(
            'idNumber',
            maskId(v.idNumber),
            '身份冲突：此证件号码已登记在另一姓名或出生日期下，已提交学分银行管理员判定 / identity conflict: a learner with this ID number is on record under another name or date of birth; flagged for the bank administrator, who decides whether they are the same person',
          );
        }
        return issue('externalId', v.externalId, '此学习者已在本机构以另一学号注册 / this learner is already enrolled here under another student number');
      }
      if (person) {
        // known elsewhere only: linked on proof (name, birth date and document all match), else held
        const proof = sameName(person.fullName, v.fullName) && person.birthDate === v.birthDate;
        // a passport recorded without its country (or another document without its name) is completed
        const complete = person.idCountry !== v.idCountry || person.idTypeName !== v.idTypeName;
        return { ...row, action: 'create', ref: { learnerId: person.id, link: proof ? 'proven' : 'held', complete }, note: withIdNote(v, undefined) };
      }
      return { ...row, action: 'create', note: withIdNote(v, undefined) };
    });
  },
  async apply(tx, ctx, rows) {
    const fresh = rows.filter((r) => r.action === 'create' && !r.ref);
    await learners.insertLearnersBulk(
      tx,
      fresh.map((r) => ({
        learner: {
          id: randomUUID(),
          fullName: r.value.fullName,
          fullNameLatin: r.value.fullNameLatin,
          birthDate: r.value.birthDate,
          email: r.value.email,
          idType: r.value.idType,
          idNumber: r.value.idNumber,
          idCountry: r.value.idCountry,
          idTypeName: r.value.idTypeName,
        },
        accountNo: learners.randomAccountNo(),
        enrolment: { institutionId: ctx.institutionId, externalId: r.value.externalId, enrolledOn: r.value.enrolledOn, programmeId: r.value.programmeId },
      })),
    );
    for (const r of rows) {
      const ref = r.ref as { learnerId: string; link?: 'proven' | 'held'; complete?: boolean; heldBy?: string } | undefined;
      if (!ref) continue;
      const enrolment = { externalId: r.value.externalId, enrolledOn: r.value.enrolledOn, programmeId: r.value.programmeId };
      const document = { idType: r.value.idType, idNumber: r.value.idNumber, idCountry: r.value.idCountry, idTypeName: r.value.idTypeName };
      if (r.action === 'create' && ref.link === 'held') {
        // not linked, not revealed: the administrator decides whether they are the same person
        ctx.conflicts.push({ existingLearnerId: ref.learnerId, submitted: submitted(r.value, ctx.institutionCode) });
      } else if (r.action === 'create') {
        await learners.enrolInTx(tx, ref.learnerId, ctx.institutionId, enrolment);
        if (ref.complete) await learners.updateLearnerRow(tx, ref.learnerId, document);
        await recordAudit(tx, [
          {
            ...actorIds(ctx.actor),
            institutionId: ctx.institutionId,
            action: 'learner.link',
            entityType: 'learner',
            entityId: ref.learnerId,
            details: { externalId: r.value.externalId, importJobId: ctx.jobId, rowNumber: r.rowNumber, matched: ['fullName', 'birthDate', 'idDocument'] },
          },
        ]);
      }
      if (r.action === 'update') {
        if (ref.heldBy) ctx.conflicts.push({ existingLearnerId: ref.heldBy, submitted: submitted(r.value, ctx.institutionCode) });
        const doc = ref.heldBy ? {} : document;
        await learners.updateLearnerRow(tx, ref.learnerId, { fullName: r.value.fullName, fullNameLatin: r.value.fullNameLatin, email: r.value.email, ...doc });
        await learners.updateEnrolmentRow(tx, ref.learnerId, ctx.institutionId, enrolment);
      }
    }
  },
};

// ---------------------------------------------------------------- course results

interface ResultRow {
  externalId: string;
  fullName: string | null;
  courseCode: string;
  term: string;
  attempt: number;
  grade: string | null;
  resultStatus: ResultStatus;
  passed: boolean;
  completedOn: string;
  /** What a row with a status records, for the report: the column that named it, its value, and the note. */
  note: { column: string; value: string | null; reason: string } | null;
}

/** When a term's results are final, if the file does not say: the end of January, July or August. */
function termEnd(term: string): string {
  const t = parseTerm(term)!;
  return t.semester === 1 ? `${t.startYear + 1}-01-31` : t.semester === 2 ? `${t.startYear + 1}-07-31` : `${t.startYear + 1}-08-31`;
}

export const resultHandler: StagedHandler<ResultRow> = {
  kind: 'results',
  parse(cells, rowNumber, ctx) {
    const r = new RowReader('results', cells, rowNumber);
    const externalId = r.pattern('externalId', STUDENT_NO, 'a student number of letters, digits and . _ -');
    const courseCode = r.required('courseCode');
    if (courseCode !== undefined && !ctx.courses.has(courseCode))
      r.fail('courseCode', `${ctx.institutionCode} 的课程目录中没有课程 ${courseCode} / no course ${courseCode} in the catalogue of ${ctx.institutionCode}`);
    const termText = r.required('term');
    const term =
      termText === undefined
        ? undefined
        : parseTerm(termText)
          ? termText
          : r.fail('term', '须为学年和学期，例如 2024-2025-1 / must be an academic year and semester such as 2024-2025-1');
    const attempt = r.integer('attempt', 1, 20, false) ?? 1;
    if (!ctx.unit)
      r.fail('grade', `${ctx.institutionCode} 尚未声明学分制 / ${ctx.institutionCode} has not declared its credit system; a registrar must do so first`);
    // the grade, or a status in its place (成绩 = 缺考), and the optional status column beside it
    const gradeText = r.optional('grade');
    const statusText = r.optional('resultStatus');
    let grade: string | null = null;
    let resultStatus: ResultStatus = 'normal';
    let passed = false;
    let note: ResultRow['note'] = null;
    if (gradeText === undefined && statusText === undefined) r.required('grade');
    else if (!ctx.scale) r.fail('grade', `${ctx.institutionCode} has no grading scale in force; a registrar must publish one first`);
    else {
      const g = resolveResult(ctx.scale.definition, { grade: gradeText, status: statusText }, { exemptionEarnsCredit: ctx.exemptionEarnsCredit });
      if (!g.ok) r.fail(g.field === 'status' ? 'resultStatus' : 'grade', g.reason);
      else {
        ({ grade, passed } = g);
        resultStatus = g.status;
        const key = g.namedBy === 'status' ? 'resultStatus' : 'grade';
        if (g.note) note = { column: col('results', key), value: r.raw(key) || null, reason: g.note };
      }
    }
    const completedOn = r.date('completedOn', false) ?? (term ? termEnd(term) : undefined);
    const v = { externalId, fullName: r.optional('fullName') ?? null, courseCode, term, attempt, grade, resultStatus, passed, note, completedOn };
    return r.done(v as ResultRow, [[externalId, courseCode, term, attempt].join(' ')]);
  },
  async stage(db, ctx, rows) {
    const enrolled = new Map(
      (await learners.enrolledByExternalIds(db, ctx.institutionId, [...new Set(rows.map((r) => r.value.externalId))])).map((e) => [
        e.enrolment.externalId,
        e.learner,
      ]),
    );
    return rows.map(({ rowNumber, value: v }): StagedResult => {
      const learner = enrolled.get(v.externalId);
      const course = ctx.courses.get(v.courseCode)!;
      const refusal: [key: string, value: string, reason: string] | undefined = !learner
        ? [
            'externalId',
            v.externalId,
            `${ctx.institutionCode} 没有该学号的在籍学习者，请先导入学习者 / no learner with this student number is enrolled at ${ctx.institutionCode}; import the learners first`,
          ]
        : v.fullName && !sameName(v.fullName, learner.fullName)
          ? ['fullName', v.fullName, `学号 ${v.externalId} 属于 ${learner.fullName} / student number ${v.externalId} belongs to ${learner.fullName}`]
          : undefined;
      return {
        rowNumber,
        externalId: v.externalId,
        learnerId: learner?.id ?? null,
        courseId: course.id,
        credits: course.credits,
        hours: course.hours,
        term: v.term,
        attempt: v.attempt,
        grade: v.grade,
        resultStatus: v.resultStatus,
        passed: v.passed,
        completedOn: v.completedOn,
        noteColumn: v.note?.column ?? null,
        noteValue: v.note?.value ?? null,
        noteReason: v.note?.reason ?? null,
        refusalColumn: refusal ? col('results', refusal[0]) : null,
        refusalValue: refusal?.[1] ?? null,
        refusalReason: refusal?.[2] ?? null,
      };
    });
  },
  match: (db, ctx, stage) => outcomes.matchStaged(db, ctx.institutionId, stage.table),
  note: (r) =>
    changes({ grade: r.oldGrade, resultStatus: statusName(r.oldStatus), completedOn: r.oldCompletedOn }, { ...r, resultStatus: statusName(r.resultStatus) }, [
      'grade',
      'resultStatus',
      'completedOn',
    ])!,
  async write(tx, ctx, stage, from, to) {
    const drifted = await stagedDrift(tx, stage, from, to);
    if (drifted !== undefined)
      throw conflict(`Row ${drifted}: its recorded result was changed by someone else after this file was checked; run the import again`, undefined, {
        code: 'import_changed',
        row: drifted,
      });
    await outcomes.recordResultsFrom(
      tx,
      ctx.actor,
      { institutionId: ctx.institutionId, unit: ctx.unit!, scaleId: ctx.scale!.id, importJobId: ctx.jobId },
      stagedCreates(stage, from, to),
    );
    const changed = await stagedChanges(tx, stage, from, to);
    await outcomes.correctResults(
      tx,
      ctx.actor,
      changed.map((r) => ({
        outcomeId: r.oldId,
        grade: r.grade,
        resultStatus: r.resultStatus,
        passed: r.passed,
        completedOn: r.completedOn,
        scaleId: ctx.scale!.id,
        importJobId: ctx.jobId,
        reason: `corrected by import (row ${r.rowNumber})`,
      })),
    );
  },
};

// ---------------------------------------------------------------- records for certification

interface CertificationRow {
  externalId: string;
  fullName: string | null;
  standardCode: string;
  certificateNo: string | null;
  issuedOn: string;
  expiresOn: string | null;
}

/**
 * An enterprise's or training provider's trainees, sent for certification under a standard: each row
 * becomes an application in the standard's review queue, attested by the sending institution.
 */
export const certificationHandler: Handler<CertificationRow> = {
  kind: 'certifications',
  parse(cells, rowNumber) {
    const r = new RowReader('certifications', cells, rowNumber);
    const externalId = r.pattern('externalId', STUDENT_NO, 'a trainee number of letters, digits and . _ -');
    const standardCode = r.pattern('standardCode', /^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/, 'a standard code such as ENT-SAFETY-40');
    const certificateNo = r.text('certificateNo', 60, false)?.replace(/\s+/g, '').toUpperCase() ?? null;
    const issuedOn = r.date('issuedOn');
    const expiresOn = r.date('expiresOn', false) ?? null;
    const v = { externalId, fullName: r.optional('fullName') ?? null, standardCode: standardCode?.toUpperCase(), certificateNo, issuedOn, expiresOn };
    return r.done(v as CertificationRow, [
      certificateNo ? `certificate ${v.standardCode} ${certificateNo}` : `record ${externalId} ${v.standardCode} ${issuedOn}`,
    ]);
  },
  async classify(db, ctx, rows) {
    const enrolled = new Map(
      (await learners.enrolledByExternalIds(db, ctx.institutionId, [...new Set(rows.map((r) => r.value.externalId))])).map((e) => [
        e.enrolment.externalId,
        e.learner,
      ]),
    );
    const standards = await certification.standardsForRecords(
      db,
      rows.map((r) => ({ code: r.value.standardCode, on: r.value.issuedOn })),
    );
    const out: (Classified<CertificationRow> | Issue[])[] = [];
    for (const row of rows) {
      const v = row.value;
      const issue = (key: string, value: string | null, reason: string): Issue[] => [
        { rowNumber: row.rowNumber, column: col('certifications', key), value, reason },
      ];
      const learner = enrolled.get(v.externalId);
      if (!learner) {
        out.push(
          issue(
            'externalId',
            v.externalId,
            `${ctx.institutionCode} 没有该编号的学员，请先导入学习者 / no learner with this number is enrolled at ${ctx.institutionCode}; import the learners first`,
          ),
        );
        continue;
      }
      if (v.fullName && !sameName(v.fullName, learner.fullName)) {
        out.push(issue('fullName', v.fullName, `编号 ${v.externalId} 属于 ${learner.fullName} / number ${v.externalId} belongs to ${learner.fullName}`));
        continue;
      }
      const standard = standards.get(`${v.standardCode} ${v.issuedOn}`)!;
      if (typeof standard === 'string') {
        out.push(issue('standardCode', v.standardCode, standard));
        continue;
      }
      const record = { learnerId: learner.id, standard, certificateNo: v.certificateNo, issuedOn: v.issuedOn, expiresOn: v.expiresOn };
      const problem = await certification.bulkRecordProblem(db, record);
      if (problem === 'same') out.push({ ...row, action: 'skip', ref: record, note: 'already submitted for this learner' });
      else if (problem) out.push(issue(problem.field, v[problem.field], problem.reason));
      else out.push({ ...row, action: 'create', ref: record });
    }
    return out;
  },
  async apply(tx, ctx, rows) {
    const records = rows.filter((r) => r.action === 'create').map((r) => r.ref as certification.BulkRecord);
    await certification.submitAttested(
      tx,
      ctx.actor,
      { institutionId: ctx.institutionId, institutionCode: ctx.institutionCode, importJobId: ctx.jobId },
      records,
    );
  },
};

export const HANDLERS: Record<ImportKind, Handler<never> | StagedHandler<never>> = {
  courses: courseHandler as Handler<never>,
  programmes: programmeHandler as Handler<never>,
  learners: learnerHandler as Handler<never>,
  results: resultHandler as StagedHandler<never>,
  certifications: certificationHandler as Handler<never>,
};
