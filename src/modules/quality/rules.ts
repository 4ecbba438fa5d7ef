// The rule audit for a third-party auditor: every conversion standard and equivalence of the scope
// with its use, acceptance, reviewers' disagreement and changes in the period, stamped with the
// transparency-log checkpoint it was computed at.
import { AUDIT_OPTIONS, ruleAudit, type Rule } from '../../core/quality/rules.js';
import type { Db } from '../../db/connection.js';
import { invalid } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import type { Sheet } from '../imports/files.js';
import { institutionSummaries } from '../institutions/service.js';
import { checkpoint } from '../log/service.js';
import { dayStart, scopeOf } from './service.js';
import * as store from './store.js';

const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

export async function rulesReport(db: Db, principal: Principal, q: { from: string; to: string; institutionId?: string; offset: string }) {
  const from = dayStart(q.from, q.offset);
  const to = dayStart(q.to, q.offset);
  if (!(from < to)) throw invalid('query.to', 'the period must end after it starts');
  const { ids } = scopeOf(principal, q.institutionId);
  const { standards, equivalences } = await store.ruleRows(db, ids);
  const targetCodes = await store.courseCodes(
    db,
    equivalences.flatMap((e) => (e.target.kind === 'courses' ? (e.target.courseIds ?? []) : [])),
  );
  const rules: Rule[] = [
    ...standards.map((s) => ({
      id: s.id,
      kind: 'standard' as const,
      label: `${s.code} v${s.version} ${s.name_zh} (${s.name_en})`,
      institutionId: s.institution_id,
      status: s.status,
    })),
    ...equivalences.map((e) => ({
      id: e.id,
      kind: 'equivalence' as const,
      label: `${e.source_code} ${e.courses ?? '?'} → ${e.target_code} ${e.target.kind === 'courses' ? (e.target.courseIds ?? []).map((c) => targetCodes.get(c) ?? '?').join('+') : `elective ${e.target.category ?? ''}`} v${e.version}`,
      institutionId: e.target_institution_id,
      status: e.status,
    })),
  ];
  const uses = (await store.ruleUses(db)).map((u) => ({ ruleId: u.rule_id, at: new Date(u.at), approved: u.approved, reviewer: u.reviewer }));
  const changes = (await store.ruleChanges(db)).map((c) => ({
    ruleId: c.entity_id,
    at: new Date(c.at),
    action: c.action,
    actor: c.actor,
    why: typeof c.details.reason === 'string' ? c.details.reason : null,
  }));
  const rows = ruleAudit(rules, uses, changes, { from, to });
  // what names each rule, field by field, beside the label
  const names = await institutionSummaries(
    db,
    rules.map((r) => r.institutionId),
  );
  type Parts = {
    code: string | null;
    version: number;
    nameZh: string | null;
    nameEn: string | null;
    source: { institution: string; courses: string } | null;
    target: { institution: string; courses: string | null; elective: string | null } | null;
  };
  const parts = new Map<string, Parts>();
  for (const s of standards) parts.set(s.id, { code: s.code, version: s.version, nameZh: s.name_zh, nameEn: s.name_en, source: null, target: null });
  for (const e of equivalences) {
    const courses = e.target.kind === 'courses' ? (e.target.courseIds ?? []).map((c) => targetCodes.get(c) ?? '?').join('+') : null;
    parts.set(e.id, {
      code: null,
      version: e.version,
      nameZh: null,
      nameEn: null,
      source: { institution: e.source_code, courses: e.courses ?? '' },
      target: { institution: e.target_code, courses, elective: courses === null ? (e.target.category ?? '') : null },
    });
  }
  const note = await checkpoint(db);
  const [origin, size, root] = note.split('\n');
  return {
    period: { from: q.from, to: q.to },
    computedAt: new Date().toISOString(),
    checkpoint: { origin: origin!, size: Number(size), root: root! },
    thresholds: { minDecisionsPerReviewer: AUDIT_OPTIONS.minPerReviewer, gapPoints: AUDIT_OPTIONS.spread * 100 },
    rules: rows.map((r, i) => ({
      ...r,
      institution: names.get(rules[i]!.institutionId)!,
      ...parts.get(r.id)!,
      changes: r.changes.map((c) => ({ ...c, at: c.at.toISOString() })),
    })),
  };
}

export function rulesSheets(r: Awaited<ReturnType<typeof rulesReport>>): Sheet[] {
  const stamp = `log ${r.checkpoint.origin} size ${r.checkpoint.size} root ${r.checkpoint.root}`;
  return [
    {
      name: 'rules',
      header: [
        'kind 类型',
        'rule 规则',
        'status 状态',
        'uses 使用次数',
        'approved 通过',
        'acceptance % 通过率',
        'reviewers 审核人',
        'disagreement 分歧',
        'never used 未使用',
        'period 期间',
        'checkpoint 日志检查点',
      ],
      rows: r.rules.map((x) => [
        x.kind,
        x.label,
        x.status,
        x.uses,
        x.approved,
        pct(x.acceptanceRate),
        x.reviewers.map((v) => `${v.reviewer} ${v.uses}× ${pct(v.acceptanceRate)}%`).join('; '),
        x.disagreement === null ? '' : `${pct(x.disagreement)} points`,
        x.uses === 0 ? 'yes' : '',
        `${r.period.from}…${r.period.to}`,
        stamp,
      ]),
      widths: [12, 60, 10, 10, 10, 12, 40, 14, 10, 24, 60],
    },
    {
      name: 'changes',
      header: ['rule 规则', 'when 时间', 'what 操作', 'who 操作人', 'why 原因'],
      rows: r.rules.flatMap((x) => x.changes.map((c) => [x.label, c.at, c.action, c.actor ?? '', c.why ?? ''])),
      widths: [60, 24, 24, 20, 50],
    },
  ];
}
