// ECTS grading tables built from the passing grades an institution has recorded, per ISCED-F field
// and cycle over at least two years; published tables convert grades between institutions.
import type { z } from 'zod';
import { compareGrades } from '../../core/grades/scales.js';
import { buildTable, convertByTable, TableError, type Policy } from '../../core/grades/tables.js';
import type { Db, Executor } from '../../db/connection.js';
import type { GradeDistribution } from '../../db/json.js';
import { unprocessable } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, type Principal } from '../auth/principal.js';
import { authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import { defaultScale, institutionSummaries } from '../institutions/service.js';
import { passingGradeCounts } from '../outcomes/service.js';
import type { buildTableRequest } from './schema.js';
import * as store from './store.js';

/** The framework levels of courses counted in each cycle (short cycle EQF 5 … doctorate EQF 8). */
const CYCLE_LEVELS = { short: [5], first: [6], second: [7], third: [8] } as const;

/** Counts when built from recorded grades; percentages when imported (an EWP table gives no counts). */
type Grades = GradeDistribution;

async function present(
  db: Executor,
  t: {
    id: string | null;
    institutionId: string;
    iscedCode: string;
    cycle: store.TableRow['cycle'];
    fromYear: number;
    toYear: number;
    grades: Grades;
    source?: store.TableRow['source'];
    publishedAt: Date | null;
  },
) {
  const table = buildTable(t.grades);
  const inst = (await institutionSummaries(db, [t.institutionId])).get(t.institutionId)!;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    id: t.id,
    institution: inst,
    iscedCode: t.iscedCode,
    cycle: t.cycle,
    fromYear: t.fromYear,
    toYear: t.toYear,
    total: table.total,
    small: table.small,
    source: t.source ?? 'recorded',
    rows: table.rows.map((r) => ({ label: r.label, count: r.count, percentage: round(r.percentage), cumulative: round(r.cumulative) })),
    publishedAt: t.publishedAt?.toISOString() ?? null,
    ewp: { iscedCode: t.iscedCode, gradeFrequencies: table.rows.map((r) => ({ label: r.label, percentage: r.percentage.toFixed(1) })) },
  };
}

/** Counts the institution's passing grades for the reference group; publishes the table when asked. */
export async function buildGradingTable(db: Db, p: Principal, institutionId: string, body: z.infer<typeof buildTableRequest>) {
  const actor = authorized(p, 'gradingTable.publish', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  const scale = await defaultScale(db, institutionId);
  if (!scale) throw unprocessable('The institution has no grading scale in force; publish one first', undefined, { code: 'grading_scale_missing' });
  const counts = await passingGradeCounts(db, {
    institutionId,
    scaleId: scale.id,
    iscedPrefix: body.iscedCode,
    levels: [...CYCLE_LEVELS[body.cycle]],
    from: `${body.fromYear}-01-01`,
    to: `${body.toYear}-12-31`,
  });
  if (counts.length === 0)
    throw unprocessable(
      `No passing grades were recorded in field ${body.iscedCode} (${body.cycle} cycle) from ${body.fromYear} to ${body.toYear}`,
      'body.iscedCode',
    );
  const grades = counts.map((c) => ({ label: c.grade, count: c.n })).sort((a, b) => compareGrades(scale.definition, b.label, a.label));
  const t = {
    id: null as string | null,
    institutionId,
    iscedCode: body.iscedCode,
    cycle: body.cycle,
    fromYear: body.fromYear,
    toYear: body.toYear,
    grades,
    publishedAt: null as Date | null,
  };
  if (!body.publish) return present(db, t);
  const row = await db.transaction(async (tx) => {
    const { id: _id, publishedAt: _at, ...fields } = t;
    const r = await store.insertTable(tx, {
      ...fields,
      total: grades.reduce((s, g) => s + g.count, 0),
      createdBy: actor.kind === 'user' ? actor.userId : null,
    });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId,
        action: 'grading_table.publish',
        entityType: 'grading_table',
        entityId: r.id,
        details: { iscedCode: r.iscedCode, cycle: r.cycle, fromYear: r.fromYear, toYear: r.toYear, total: r.total },
      },
    ]);
    return r;
  });
  return present(db, { ...row, grades: row.grades });
}

/** The institution's published tables, newest first per group (public: they are meant to be exchanged). */
export async function publishedTables(db: Db, institutionId: string) {
  const rows = await store.tablesOf(db, [institutionId]);
  return Promise.all(rows.map((r) => present(db, { ...r, grades: r.grades })));
}

/** The newest published table of each institution for a field: the exact code, else its narrower prefixes. */
export async function tablesForFields(db: Executor, institutionIds: string[]) {
  const rows = await store.tablesOf(db, institutionIds);
  return (institutionId: string, iscedCode: string) => {
    for (let n = iscedCode.length; n >= 2; n--) {
      const hit = rows.find((r) => r.institutionId === institutionId && r.iscedCode === iscedCode.slice(0, n));
      if (hit) return hit;
    }
    return undefined;
  };
}

/** Converts a grade between two published tables, or says why it cannot. */
export function convertWithTables(from: store.TableRow | undefined, to: store.TableRow | undefined, grade: string, policy: Policy) {
  if (!from || !to)
    return {
      grade,
      method: 'none',
      candidates: [],
      note: `no grading table published by the ${!from ? 'sending' : 'receiving'} institution for this field: the grade is shown as given`,
    };
  try {
    const r = convertByTable(buildTable(from.grades), buildTable(to.grades), grade, policy);
    const small = buildTable(from.grades).small || buildTable(to.grades).small;
    return {
      grade: r.grade,
      method: `grading table, ${policy}`,
      candidates: r.candidates,
      note: small ? 'a table has fewer than 30 grades: the suggestion is only indicative' : null,
    };
  } catch (err) {
    // a table of one passing grade (pass/fail) does not convert into a finer one: nothing is made up
    if (err instanceof TableError && err.path === 'from.grades')
      return {
        grade,
        method: 'none',
        candidates: [],
        note: 'the sending table has a single passing grade: it says nothing about how well, so it does not convert by distribution',
      };
    return { grade, method: 'none', candidates: [], note: `grade ${grade} is not in the sending institution's table` };
  }
}

/**
 * Publishes grading tables read from an Erasmus Without Paper file (percentages per grade, per field
 * and cycle) as the institution's tables, all in one transaction: every table or none. The caller has
 * read and checked them (core/europe/grading-import).
 */
export async function importGradingTables(
  db: Db,
  p: Principal,
  institutionId: string,
  years: { fromYear: number; toYear: number },
  tables: { iscedCode: string; cycle: store.TableRow['cycle']; grades: { label: string; percentage: number }[] }[],
) {
  const actor = authorized(p, 'gradingTable.publish', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  const rows = await db.transaction(async (tx) => {
    const out: store.TableRow[] = [];
    for (const t of tables) {
      out.push(
        await store.insertTable(tx, {
          institutionId,
          iscedCode: t.iscedCode,
          cycle: t.cycle,
          fromYear: years.fromYear,
          toYear: years.toYear,
          grades: t.grades,
          total: null,
          source: 'ewp',
          createdBy: actor.kind === 'user' ? actor.userId : null,
        }),
      );
    }
    await recordAudit(
      tx,
      out.map((r) => ({
        ...actorIds(actor),
        institutionId,
        action: 'grading_table.import',
        entityType: 'grading_table',
        entityId: r.id,
        details: { source: 'ewp', iscedCode: r.iscedCode, cycle: r.cycle, fromYear: r.fromYear, toYear: r.toYear },
      })),
    );
    return out;
  });
  return Promise.all(rows.map((r) => present(db, { ...r, grades: r.grades })));
}
