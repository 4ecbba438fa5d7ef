// Quality indicators for a period: administrators and the committee see the whole alliance (or one
// institution); registrars and reviewers see their own institution and the pairs it is part of,
// with cells about fewer learners than the configured minimum withheld.
import { passingPosition, type ScaleDefinition } from '../../core/grades/scales.js';
import { broadField, BROAD_FIELDS } from '../../core/isced.js';
import {
  awardFigures,
  breakdown,
  certificationFigures,
  PENDING,
  conversionSpread,
  DEFINITIONS,
  funnels,
  ledgerFigures,
  satisfactionFigures,
  suppressed,
  transferFigures,
  type AwardFacts,
  type CertificationFacts,
  type ConversionFacts,
} from '../../core/quality/indicators.js';
import type { Executor } from '../../db/connection.js';
import { forbidden, invalid } from '../../errors.js';
import { requireSignedIn, type Principal } from '../auth/principal.js';
import { reachOf, refusal } from '../../policies/authorize.js';
import { institutionSummaries } from '../institutions/service.js';
import { setting } from '../settings/service.js';
import type { Sheet } from '../imports/files.js';
import * as store from './store.js';

export const MIN_CELL_KEY = 'quality.minCell';

export function scopeOf(principal: Principal, institutionId: string | undefined): { ids: string[] | null; whole: boolean } {
  const { everywhere, institutionIds: own } = reachOf(requireSignedIn(principal), 'quality.read');
  if (everywhere) return { ids: institutionId ? [institutionId] : null, whole: true };
  if (own.length === 0) throw refusal('quality.read', 'Quality indicators are for institution staff, the committee and administrators');
  if (institutionId && !own.includes(institutionId)) throw refusal('quality.read', 'Registrars and reviewers see their own institution’s indicators');
  return { ids: institutionId ? [institutionId] : own, whole: false };
}

/** The instant a report's day starts, in the bank's reporting time zone (REPORT_UTC_OFFSET, default China Standard Time). */
export const dayStart = (day: string, offset: string) => new Date(`${day}T00:00:00${offset}`);

export interface PeriodQuery {
  from: string;
  to: string;
  offset: string;
  /** An ISCED-F broad field ('06'): only what is about it; all fields when absent. */
  field?: string;
}

export async function indicators(db: Executor, principal: Principal, q: PeriodQuery & { institutionId?: string }) {
  const from = dayStart(q.from, q.offset);
  const to = dayStart(q.to, q.offset);
  if (!(from < to)) throw invalid('query.to', 'the period must end after it starts');
  const scope = scopeOf(principal, q.institutionId);
  // A field's headline figures are a cell of the breakdown, which staff see with small cells withheld;
  // narrowed to a small field they would show what the breakdown hides, so the filter is not theirs.
  if (q.field !== undefined && !scope.whole)
    throw forbidden(
      'Narrowing the indicators to one field is for the committee and administrators; the breakdown by field shows each field, small cells withheld',
    );
  return indicatorsFor(db, scope, q);
}

/**
 * The indicators of the institutions (all when `ids` is null) for the days [from, to), of one broad
 * field when `q.field` is given. `whole`: the viewer may see every cell; otherwise cells about fewer
 * learners than the minimum are withheld.
 */
export async function indicatorsFor(db: Executor, { ids, whole }: { ids: string[] | null; whole: boolean }, q: PeriodQuery) {
  const from = dayStart(q.from, q.offset);
  const to = dayStart(q.to, q.offset);
  const minCell = Number((await setting(db, MIN_CELL_KEY)) ?? 5);
  const inField = <T>(rows: T[], fieldOf: (r: T) => string | null | undefined) =>
    q.field === undefined ? rows : rows.filter((r) => broadField(fieldOf(r)) === q.field);

  const apps = inField(await certificationFacts(db, ids, from), (a) => a.field);
  const period = { from, to };
  const cert = certificationFigures(apps, period);
  const lines = inField(await transferFacts(db, ids, from), (l) => l.field);
  const transfers = transferFigures(lines, period);
  // An institution's own transfer figures are the decisions it made (lines into it); the pairs show both directions.
  if (ids !== null)
    transfers.values = transferFigures(
      lines.filter((l) => ids.includes(l.targetInstitutionId)),
      period,
    ).values;
  const ledger = await ledgerOf(db, { from: q.from, to: q.to }, ids, q.offset, q.field);
  const awards = awardFacts(inField(await store.awardRows(db, ids, from), (a) => a.field));
  const applied = inField(await store.transferApplicationRows(db, ids, from), (l) => l.field).map((l) => ({
    learnerId: l.learner_id,
    appliedAt: new Date(l.created_at),
    status: l.status,
  }));
  const conversions = inField(await store.convertedGradeRows(db, ids, from), (r) => r.field).flatMap((r): ConversionFacts[] => {
    const before = passingPosition(r.source_scale as ScaleDefinition, r.source_grade);
    const after = passingPosition(r.target_scale as ScaleDefinition, r.grade);
    return before === null || after === null
      ? []
      : [
          {
            source: r.source_institution_id,
            target: r.target_institution_id,
            learnerId: r.learner_id,
            decidedAt: new Date(r.decided_at),
            from: before,
            to: after,
          },
        ];
  });
  const spread = conversionSpread(conversions, period);
  const names = await institutionSummaries(
    db,
    [...transfers.pairs, ...spread].flatMap((p) => [p.source, p.target]),
  );
  const ratings = (await store.ratingRows(db, ids, from))
    .filter((r) => q.field === undefined || (r.fields ?? []).some((f) => broadField(f) === q.field))
    .map((r) => ({ rating: r.rating, at: new Date(r.updated_at) }));
  const withheld = (learners: number) => !whole && suppressed(learners, minCell);
  // Secondary suppression: a total less one withheld pair would give that pair away, so withhold the
  // smallest other pair into the same institution too; with nothing left to hide behind, the total goes.
  const hidden = new Set(transfers.pairs.filter((p) => withheld(p.learners)));
  for (const target of new Set(transfers.pairs.map((p) => p.target))) {
    const into = transfers.pairs.filter((p) => p.target === target && ids?.includes(target));
    const shown = into.filter((p) => !hidden.has(p)).sort((a, b) => a.learners - b.learners);
    if (into.length - shown.length === 1 && shown.length > 0) hidden.add(shown[0]!);
    else if (into.length - shown.length === 1)
      for (const id of ['transfer.decided', 'transfer.acceptance_rate', 'transfer.credits'] as const) transfers.values[id] = null;
  }
  transfers.values['transfer.backlog'] = await store.transferBacklog(db, ids, to, q.field);
  const values = { ...cert.values, ...transfers.values, ...ledger.values, ...awardFigures(awards, period), ...satisfactionFigures(ratings, period) };
  return {
    period: { from: q.from, to: q.to },
    field: q.field ? { key: q.field, labelZh: BROAD_FIELDS[q.field]!.zh, labelEn: BROAD_FIELDS[q.field]!.en } : null,
    scope: ids === null ? ('alliance' as const) : ('institutions' as const),
    institutionIds: ids ?? [],
    minCell,
    indicators: DEFINITIONS.map((d) => ({ ...d, value: values[d.id] ?? null })),
    rejectionReasons: cert.rejectionReasons.map((r) =>
      withheld(r.learners) ? { reason: null, count: r.count, learners: r.learners, suppressed: true } : { ...r, suppressed: false },
    ),
    pairs: transfers.pairs
      .map((p) => {
        const label = { source: names.get(p.source)!, target: names.get(p.target)! };
        return hidden.has(p)
          ? { ...label, decided: null, accepted: null, credits: null, learners: null, suppressed: true }
          : { ...label, decided: p.decided, accepted: p.accepted, credits: p.credits, learners: p.learners, suppressed: false };
      })
      .sort((x, y) => x.source.code.localeCompare(y.source.code) || x.target.code.localeCompare(y.target.code)),
    ledger: { through: ledger.through?.toISOString() ?? null, rows: ledger.rows },
    // by kind of outcome and by field: the decisions into the scope's institutions, as for the headline figures
    breakdown: breakdown(apps, ids === null ? lines : lines.filter((l) => ids.includes(l.targetInstitutionId)), period, broadField).map(
      ({ learners, ...b }) => ({
        ...b,
        labelZh: b.dimension === 'field' ? BROAD_FIELDS[b.key]!.zh : null,
        labelEn: b.dimension === 'field' ? BROAD_FIELDS[b.key]!.en : null,
        suppressed: withheld(learners),
        ...(withheld(learners) ? { certification: null, transfer: null } : {}),
      }),
    ),
    funnels: funnels({ certification: apps, transferLines: applied, awards }, period).map((f) => ({
      workflow: f.workflow,
      stages: f.stages.map(({ learners, ...st }) => ({ ...st, count: withheld(learners) ? null : st.count })),
    })),
    spread: spread
      .map(({ learners, ...x }) => {
        const label = { source: names.get(x.source)!, target: names.get(x.target)! };
        return withheld(learners)
          ? { ...label, lines: null, meanShift: null, sd: null, lower: null, same: null, higher: null, suppressed: true }
          : { ...x, ...label, suppressed: false };
      })
      .sort((x, y) => x.source.code.localeCompare(y.source.code) || x.target.code.localeCompare(y.target.code)),
  };
}

/** Applications a period from `since` can count (see store.certificationRows), with their events. */
async function certificationFacts(db: Executor, ids: string[] | null, since: Date): Promise<CertificationFacts[]> {
  const apps = new Map<string, CertificationFacts>();
  for (const r of await store.certificationRows(db, ids, since, [...PENDING])) {
    const a = apps.get(r.id) ?? {
      id: r.id,
      learnerId: r.learner_id,
      status: r.status,
      kind: r.kind,
      field: r.field,
      creditsGranted: r.credits_granted === null ? null : Number(r.credits_granted),
      events: [],
    };
    if (r.at && r.action && r.to_status) a.events.push({ at: new Date(r.at), action: r.action, toStatus: r.to_status, reason: r.reason });
    apps.set(r.id, a);
  }
  return [...apps.values()];
}

async function transferFacts(db: Executor, ids: string[] | null, since: Date) {
  return (await store.transferRows(db, ids, since)).map((l) => ({
    sourceInstitutionId: l.source_institution_id,
    targetInstitutionId: l.target_institution_id,
    learnerId: l.learner_id,
    status: l.status,
    credits: l.credits === null ? null : Number(l.credits),
    decidedAt: l.decided_at ? new Date(l.decided_at) : null,
    appliedAt: new Date(l.applied_at),
    field: l.field,
  }));
}

async function ledgerOf(db: Executor, days: { from: string; to: string }, ids: string[] | null, offset: string, field?: string) {
  const sums = await store.ledgerSums(db, days, ids, offset, field);
  return {
    ...ledgerFigures(
      sums.rows.map((r) => ({
        causeType: r.cause_type,
        kind: r.kind,
        fromState: r.from_state,
        toState: r.to_state,
        unit: r.unit,
        postings: r.postings,
        credits: Number(r.credits),
      })),
    ),
    through: sums.through,
  };
}

/** The first day of the month and of the next one. */
export function monthDays(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${month}-01`, to: `${next}-01` };
}

/** A few headline figures for each month, from one read of the records (for a report's year of trend). */
export async function monthlyTrend(db: Executor, ids: string[] | null, months: string[], offset: string) {
  const since = dayStart(monthDays(months[0]!).from, offset);
  const apps = await certificationFacts(db, ids, since);
  const lines = (await transferFacts(db, ids, since)).filter((l) => ids === null || ids.includes(l.targetInstitutionId));
  const out = [];
  for (const month of months) {
    const days = monthDays(month);
    const period = { from: dayStart(days.from, offset), to: dayStart(days.to, offset) };
    const c = certificationFigures(apps, period).values;
    const t = transferFigures(lines, period).values;
    const money = (await ledgerOf(db, days, ids, offset)).values;
    out.push({
      month,
      submitted: c['certification.submitted'] ?? null,
      decided: c['certification.decided'] ?? null,
      acceptance: c['certification.acceptance_rate'] ?? null,
      daysP50: c['certification.days_p50'] ?? null,
      transfers: t['transfer.decided'] ?? null,
      creditsIn: money['ledger.credits_in'] ?? null,
    });
  }
  return out;
}

/** Awards with the credits of their counted items by origin. */
function awardFacts(rows: Awaited<ReturnType<typeof store.awardRows>>): AwardFacts[] {
  const byId = new Map<string, AwardFacts>();
  for (const r of rows) {
    const a = byId.get(r.id) ?? {
      id: r.id,
      learnerId: r.learner_id,
      status: r.status,
      appliedAt: new Date(r.applied_at),
      decidedAt: r.decided_at ? new Date(r.decided_at) : null,
      unit: r.unit,
      credits: {},
    };
    if (r.origin && r.item_credits !== null) a.credits[r.origin as keyof AwardFacts['credits']] = Number(r.item_credits);
    byId.set(r.id, a);
  }
  return [...byId.values()];
}

export type Report = Awaited<ReturnType<typeof indicatorsFor>>;

/** The report as sheets for a spreadsheet: the indicators with their formulas, the rejection reasons, the institution pairs. */
export function reportSheets(r: Report): Sheet[] {
  const withheld = '(withheld 已隐藏)';
  return [
    {
      name: 'indicators',
      header: ['indicator', '指标', 'indicator (en)', 'value', 'unit', '口径', 'formula', 'from', 'to', 'field 领域'],
      rows: r.indicators.map((i) => [
        i.id,
        i.titleZh,
        i.titleEn,
        i.value,
        i.unit,
        i.formulaZh,
        i.formulaEn,
        r.period.from,
        r.period.to,
        r.field ? `${r.field.key} ${r.field.labelZh} ${r.field.labelEn}` : 'all 全部',
      ]),
      widths: [30, 24, 36, 10, 8, 50, 60, 12, 12, 30],
    },
    {
      name: 'rejection reasons',
      header: ['reason 原因', 'decisions 决定数', 'learners 学习者'],
      rows: r.rejectionReasons.map((x) => [x.reason ?? withheld, x.count, x.learners]),
      widths: [60, 16, 16],
    },
    {
      name: 'institution pairs',
      header: ['from 转出', 'to 转入', 'decided 决定', 'accepted 接受', 'credits 学分', 'learners 学习者'],
      rows: r.pairs.map((p) => [p.source.code, p.target.code, p.decided ?? withheld, p.accepted ?? withheld, p.credits ?? withheld, p.learners ?? withheld]),
      widths: [12, 12, 14, 14, 14, 14],
    },
    {
      name: 'breakdown',
      header: [
        'by 维度',
        'key 分类',
        '名称',
        'name',
        'certification submitted 认定申请',
        'decided 决定',
        'acceptance 通过率',
        'credits certified 认定学分',
        'transfer decided 转换决定',
        'acceptance 接受率',
        'credits transferred 转入学分',
      ],
      rows: r.breakdown.map((b) => [
        b.dimension,
        b.key,
        b.labelZh,
        b.labelEn,
        b.certification?.submitted ?? withheld,
        b.certification?.decided ?? withheld,
        b.certification?.acceptanceRate,
        b.certification?.credits ?? withheld,
        b.transfer ? b.transfer.decided : b.suppressed ? withheld : null,
        b.transfer?.acceptanceRate,
        b.transfer ? b.transfer.credits : b.suppressed ? withheld : null,
      ]),
      widths: [8, 24, 20, 36, 14, 10, 12, 14, 14, 12, 14],
    },
    {
      name: 'ledger',
      header: ['cause 来源', 'unit 单位', 'credited 入账', 'used 使用', 'postings 记账笔数'],
      rows: r.ledger.rows.map((x) => [x.cause, x.unit, x.credited, x.used, x.postings]),
      widths: [16, 10, 14, 14, 16],
    },
    {
      name: 'funnels',
      header: ['workflow 流程', 'stage 阶段', '阶段', 'stage (en)', 'count 数量'],
      rows: r.funnels.flatMap((f) => f.stages.map((x) => [f.workflow, x.id, x.labelZh, x.labelEn, x.count ?? withheld])),
      widths: [16, 12, 24, 30, 14],
    },
    {
      name: 'spread',
      header: ['from 转出', 'to 转入', 'conversions 转换数', 'mean shift 平均偏移', 'sd 标准差', 'lower 降低', 'same 持平', 'higher 提高'],
      rows: r.spread.map((x) => [
        x.source.code,
        x.target.code,
        x.lines ?? withheld,
        x.meanShift ?? withheld,
        x.sd ?? withheld,
        x.lower ?? withheld,
        x.same ?? withheld,
        x.higher ?? withheld,
      ]),
      widths: [12, 12, 16, 18, 12, 12, 12, 12],
    },
  ];
}
