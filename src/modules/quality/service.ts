// Quality indicators for a period: administrators and the committee see the whole alliance (or one
// institution); registrars and reviewers see their own institution and the pairs it is part of,
// with cells about fewer learners than the configured minimum withheld.
import { certificationFigures, DEFINITIONS, satisfactionFigures, suppressed, transferFigures, type CertificationFacts } from '../../core/quality/indicators.js';
import type { Executor } from '../../db/connection.js';
import { forbidden, invalid } from '../../errors.js';
import { institutionsWithRole, isAdmin, requireSignedIn, type Principal } from '../auth/principal.js';
import { institutionSummaries } from '../institutions/service.js';
import { setting } from '../settings/store.js';
import type { Sheet } from '../imports/files.js';
import * as store from './store.js';

export const MIN_CELL_KEY = 'quality.minCell';

export function scopeOf(principal: Principal, institutionId: string | undefined): { ids: string[] | null; whole: boolean } {
  const actor = requireSignedIn(principal);
  const everything = isAdmin(actor) || (actor.kind === 'user' && actor.grants.some((g) => g.role === 'committee'));
  if (everything) return { ids: institutionId ? [institutionId] : null, whole: true };
  const own = institutionsWithRole(actor, ['registrar', 'reviewer']);
  if (own.length === 0) throw forbidden('Quality indicators are for institution staff, the committee and administrators');
  if (institutionId && !own.includes(institutionId)) throw forbidden('Registrars and reviewers see their own institution’s indicators');
  return { ids: institutionId ? [institutionId] : own, whole: false };
}

/** The instant a report's day starts, in the bank's reporting time zone (REPORT_UTC_OFFSET, default China Standard Time). */
export const dayStart = (day: string, offset: string) => new Date(`${day}T00:00:00${offset}`);

export async function indicators(db: Executor, principal: Principal, q: { from: string; to: string; institutionId?: string; offset: string }) {
  const from = dayStart(q.from, q.offset);
  const to = dayStart(q.to, q.offset);
  if (!(from < to)) throw invalid('query.to', 'the period must end after it starts');
  const { ids, whole } = scopeOf(principal, q.institutionId);
  const minCell = Number((await setting(db, MIN_CELL_KEY)) ?? 5);

  const apps = new Map<string, CertificationFacts>();
  for (const r of await store.certificationRows(db, ids)) {
    const a = apps.get(r.id) ?? { id: r.id, learnerId: r.learner_id, status: r.status, creditsGranted: r.credits_granted === null ? null : Number(r.credits_granted), events: [] };
    if (r.at && r.action && r.to_status) a.events.push({ at: new Date(r.at), action: r.action, toStatus: r.to_status, reason: r.reason });
    apps.set(r.id, a);
  }
  const period = { from, to };
  const cert = certificationFigures([...apps.values()], period);
  const lines = (await store.transferRows(db, ids)).map((l) => ({
    sourceInstitutionId: l.source_institution_id,
    targetInstitutionId: l.target_institution_id,
    learnerId: l.learner_id,
    status: l.status,
    credits: l.credits === null ? null : Number(l.credits),
    decidedAt: l.decided_at ? new Date(l.decided_at) : null,
  }));
  const transfers = transferFigures(lines, period);
  // An institution's own transfer figures are the decisions it made (lines into it); the pairs show both directions.
  if (ids !== null) transfers.values = transferFigures(lines.filter((l) => ids.includes(l.targetInstitutionId)), period).values;
  const names = await institutionSummaries(db, transfers.pairs.flatMap((p) => [p.source, p.target]));
  const ratings = (await store.ratingRows(db, ids)).map((r) => ({ rating: r.rating, at: new Date(r.updated_at) }));
  const withheld = (learners: number) => !whole && suppressed(learners, minCell);
  // Secondary suppression: a total less one withheld pair would give that pair away, so withhold the
  // smallest other pair into the same institution too; with nothing left to hide behind, the total goes.
  const hidden = new Set(transfers.pairs.filter((p) => withheld(p.learners)));
  for (const target of new Set(transfers.pairs.map((p) => p.target))) {
    const into = transfers.pairs.filter((p) => p.target === target && ids?.includes(target));
    const shown = into.filter((p) => !hidden.has(p)).sort((a, b) => a.learners - b.learners);
    if (into.length - shown.length === 1 && shown.length > 0) hidden.add(shown[0]!);
    else if (into.length - shown.length === 1) for (const id of ['transfer.decided', 'transfer.acceptance_rate', 'transfer.credits'] as const) transfers.values[id] = null;
  }
  const values = { ...cert.values, ...transfers.values, ...satisfactionFigures(ratings, period) };
  return {
    period: { from: q.from, to: q.to },
    scope: ids === null ? ('alliance' as const) : ('institutions' as const),
    institutionIds: ids ?? [],
    minCell,
    indicators: DEFINITIONS.map((d) => ({ ...d, value: values[d.id] ?? null })),
    rejectionReasons: cert.rejectionReasons.map((r) => (withheld(r.learners) ? { reason: null, count: r.count, learners: r.learners, suppressed: true } : { ...r, suppressed: false })),
    pairs: transfers.pairs
      .map((p) => {
        const label = { source: names.get(p.source)!, target: names.get(p.target)! };
        return hidden.has(p) ? { ...label, decided: null, accepted: null, credits: null, learners: null, suppressed: true } : { ...label, decided: p.decided, accepted: p.accepted, credits: p.credits, learners: p.learners, suppressed: false };
      })
      .sort((x, y) => x.source.code.localeCompare(y.source.code) || x.target.code.localeCompare(y.target.code)),
  };
}

type Report = Awaited<ReturnType<typeof indicators>>;

/** The report as sheets for a spreadsheet: the indicators with their formulas, the rejection reasons, the institution pairs. */
export function reportSheets(r: Report): Sheet[] {
  const withheld = '(withheld 已隐藏)';
  return [
    {
      name: 'indicators',
      header: ['indicator', '指标', 'indicator (en)', 'value', 'unit', '口径', 'formula', 'from', 'to'],
      rows: r.indicators.map((i) => [i.id, i.titleZh, i.titleEn, i.value, i.unit, i.formulaZh, i.formulaEn, r.period.from, r.period.to]),
      widths: [30, 24, 36, 10, 8, 50, 60, 12, 12],
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
  ];
}
