// Monthly quality reports, for the alliance and for each institution, kept with their history: the
// server makes last month's on its own, and staff may ask for any ended month again. Each is the
// month's indicators with a year's trend, as PDF and XLSX, with small cells withheld: reports are
// shared. Made in the background, one at a time; a stop leaves them pending and the next start
// finishes them.
import type { Db, Executor } from '../../db/connection.js';
import { invalid, notFound } from '../../errors.js';
import { requireSignedIn, type Principal } from '../auth/principal.js';
import { reachOf, refusal } from '../../policies/authorize.js';
import { institutionSummaries, listInstitutions } from '../institutions/service.js';
import { xlsxStream } from '../imports/files.js';
import { dayStart, indicatorsFor, monthDays, monthlyTrend, reportSheets } from './service.js';
import { reportPdf } from './report-pdf.js';
import * as store from './store.js';

/** The month before the one that contains `now`, in the reporting time zone. */
export function lastMonth(now: Date, offset: string): string {
  const local = new Date(now.getTime() + offsetMinutes(offset) * 60_000);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth(); // 0-based: the previous month, 1-based
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}

const offsetMinutes = (offset: string) => (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));

/** Whose reports the caller reads (or, for `quality.requestReport`, asks for): all of them, or their institutions'. */
const sees = (p: Principal, action: 'quality.read' | 'quality.requestReport' = 'quality.read') => {
  const { everywhere, institutionIds } = reachOf(requireSignedIn(p), action);
  return { everything: everywhere, own: institutionIds };
};

async function present(db: Executor, rows: store.ReportSummary[]) {
  const names = await institutionSummaries(
    db,
    rows.flatMap((r) => (r.institutionId ? [r.institutionId] : [])),
  );
  return rows.map((r) => ({
    id: r.id,
    scope: r.institutionId ? ('institution' as const) : ('alliance' as const),
    institution: r.institutionId ? names.get(r.institutionId)! : null,
    month: r.month,
    status: r.status,
    error: r.error,
    createdAt: new Date(r.createdAt).toISOString(),
    finishedAt: r.finishedAt ? new Date(r.finishedAt).toISOString() : null,
    requestedBy: r.requestedBy,
    pdfBytes: r.pdfBytes || null,
    xlsxBytes: r.xlsxBytes || null,
  }));
}

export async function listReports(db: Executor, p: Principal, institutionId?: string) {
  const { everything, own } = sees(p);
  if (!everything && own.length === 0) throw refusal('quality.read', 'Quality reports are for institution staff, the committee and administrators');
  if (institutionId && !everything && !own.includes(institutionId))
    throw refusal('quality.read', 'Registrars and reviewers see their own institution’s reports');
  const ids = institutionId ? [institutionId] : everything ? null : own;
  const reports = await present(db, await store.listReports(db, ids, everything && !institutionId));
  // newest first: the first ready report of each scope and month is the one to use
  const seen = new Set<string>();
  return reports.map((r) => {
    const key = `${r.institution?.id ?? 'alliance'} ${r.month}`;
    const latest = r.status === 'ready' && !seen.has(key);
    if (latest) seen.add(key);
    return { ...r, latest };
  });
}

export async function reportFile(db: Executor, p: Principal, id: string, format: 'pdf' | 'xlsx') {
  const [r] = await present(db, [(await store.reportSummary(db, id)) ?? notFoundReport(id)]);
  const { everything, own } = sees(p);
  if (!everything && !(r!.institution && own.includes(r!.institution.id))) throw notFoundReport(id);
  const file = await store.reportFile(db, id, format);
  if (!file) throw notFound(`The ${format.toUpperCase()} of report`, id);
  return { report: r!, file };
}

function notFoundReport(id: string): never {
  throw notFound('Quality report', id);
}

/** A report of an ended month, made in the background: the alliance's (administrators and the committee) or an institution's (also its registrars). */
export async function requestReport(db: Db, p: Principal, body: { month: string; institutionId?: string }, offset: string) {
  const actor = requireSignedIn(p);
  const { everything, own } = sees(actor, 'quality.requestReport');
  if (!body.institutionId && !everything) throw refusal('quality.requestReport', 'The alliance’s report is for administrators and the committee');
  if (body.institutionId && !everything && !own.includes(body.institutionId))
    throw refusal('quality.requestReport', 'Registrars ask for their own institution’s report');
  if (body.institutionId && !(await institutionSummaries(db, [body.institutionId])).size) throw invalid('body.institution', 'no such institution');
  if (dayStart(monthDays(body.month).to, offset) > new Date()) throw invalid('body.month', `${body.month} has not ended yet; a report covers a whole month`);
  const id = await store.insertReport(db, {
    institutionId: body.institutionId ?? null,
    month: body.month,
    requestedBy: actor.kind === 'user' ? actor.userId : null,
  });
  enqueue(db, id, offset);
  return { ...(await present(db, [(await store.reportSummary(db, id))!]))[0]!, latest: false };
}

// One report at a time: each reads a year of figures.
let queue: Promise<void> = Promise.resolve();
/** Settles once every report asked for so far is made (tests and shutdown wait on it). */
export const reportsIdle = () => queue;

const queued = new Set<string>();

function enqueue(db: Db, id: string, offset: string) {
  if (queued.has(id)) return;
  queued.add(id);
  queue = queue.then(() => makeReport(db, id, offset)).finally(() => queued.delete(id));
}

async function makeReport(db: Db, id: string, offset: string) {
  const r = (await store.reportSummary(db, id))!;
  try {
    const scope = { ids: r.institutionId ? [r.institutionId] : null, whole: false };
    const report = await indicatorsFor(db, scope, { ...monthDays(r.month), offset });
    const trend = await monthlyTrend(
      db,
      scope.ids,
      Array.from({ length: 12 }, (_, i) => monthsBefore(r.month, 11 - i)),
      offset,
    );
    const [name] = await present(db, [r]);
    const title = name!.institution
      ? `${name!.institution.nameZh} ${name!.institution.nameEn} (${name!.institution.code})`
      : '学分银行联盟 The credit bank alliance';
    const sheets = [
      ...reportSheets(report),
      {
        name: 'trend',
        header: [
          'month 月份',
          'certification submitted 认定申请',
          'decided 决定',
          'acceptance rate 通过率',
          'days to decision (median) 办理天数中位数',
          'transfer decisions 转换决定',
          'credits deposited 入账学分',
        ],
        rows: trend.map((t) => [t.month, t.submitted, t.decided, t.acceptance, t.daysP50, t.transfers, t.creditsIn]),
        widths: [12, 20, 12, 16, 24, 18, 18],
      },
    ];
    const xlsx = await collect(xlsxStream(sheets));
    const pdf = await reportPdf({ title, month: r.month, report, trend, generatedAt: new Date() });
    await store.finishReport(db, id, { pdf, xlsx });
  } catch (err) {
    await store.finishReport(db, id, { error: err instanceof Error ? err.message : String(err) });
  }
}

function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) - n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/**
 * The scheduler's round: last month's report for the alliance and every institution that has none
 * yet, and any left pending by a stop. Returns how many it queued.
 */
export async function scheduleReports(db: Db, offset: string, now = new Date()): Promise<number> {
  const month = lastMonth(now, offset);
  const institutions = (await listInstitutions(db)).map((i) => i.id);
  const made = await db.transaction(async (tx) => {
    await store.lockReportSchedule(tx);
    const have = await store.reportedScopes(tx, month);
    const due = [null, ...institutions].filter((s) => !have.has(s));
    return Promise.all(due.map((s) => store.insertReport(tx, { institutionId: s, month, requestedBy: null })));
  });
  const left = (await store.pendingReports(db)).filter((id) => !queued.has(id) && !made.includes(id));
  const ids = [...left, ...made];
  for (const id of ids) enqueue(db, id, offset);
  return ids.length;
}
