// The rule audit: for a period, each conversion standard and equivalence with how often it was
// applied, how often that led to credit, how its reviewers differed, and how it was changed. Pure.

export interface Rule {
  id: string;
  kind: 'standard' | 'equivalence';
  label: string;
  institutionId: string;
  status: string;
}

/** One decision that applied a rule: approved (credit given) or not, and by whom. */
export interface RuleUse {
  ruleId: string;
  at: Date;
  approved: boolean;
  reviewer: string | null;
}

export interface RuleChange {
  ruleId: string;
  at: Date;
  action: string;
  actor: string | null;
  why: string | null;
}

export interface AuditOptions {
  /** Reviewers with fewer decisions on a rule are not compared. */
  minPerReviewer: number;
  /** Acceptance rates of two reviewers further apart than this flag the rule. */
  spread: number;
}

export interface RuleAuditRow {
  id: string;
  kind: Rule['kind'];
  label: string;
  status: string;
  uses: number;
  approved: number;
  acceptanceRate: number | null;
  reviewers: { reviewer: string; uses: number; acceptanceRate: number }[];
  /** The widest gap between two compared reviewers' acceptance rates, when it exceeds the spread. */
  disagreement: number | null;
  changes: RuleChange[];
}

const within = (d: Date, from: Date, to: Date) => d >= from && d < to;

/** Reviewers are compared once they have made three decisions on a rule; 50 points apart flags it. */
export const AUDIT_OPTIONS: AuditOptions = { minPerReviewer: 3, spread: 0.5 };

export function ruleAudit(
  rules: Rule[],
  uses: RuleUse[],
  changes: RuleChange[],
  period: { from: Date; to: Date },
  o: AuditOptions = AUDIT_OPTIONS,
): RuleAuditRow[] {
  const usesOf = new Map<string, RuleUse[]>();
  for (const u of uses) if (within(u.at, period.from, period.to)) usesOf.set(u.ruleId, [...(usesOf.get(u.ruleId) ?? []), u]);
  const changesOf = new Map<string, RuleChange[]>();
  for (const c of changes) if (within(c.at, period.from, period.to)) changesOf.set(c.ruleId, [...(changesOf.get(c.ruleId) ?? []), c]);
  return rules.map((r) => {
    const mine = usesOf.get(r.id) ?? [];
    const approved = mine.filter((u) => u.approved).length;
    const byReviewer = new Map<string, RuleUse[]>();
    for (const u of mine) if (u.reviewer) byReviewer.set(u.reviewer, [...(byReviewer.get(u.reviewer) ?? []), u]);
    const reviewers = [...byReviewer]
      .map(([reviewer, us]) => ({ reviewer, uses: us.length, acceptanceRate: us.filter((u) => u.approved).length / us.length }))
      .sort((a, b) => b.uses - a.uses || a.reviewer.localeCompare(b.reviewer));
    const compared = reviewers.filter((x) => x.uses >= o.minPerReviewer).map((x) => x.acceptanceRate);
    const gap = compared.length >= 2 ? Math.max(...compared) - Math.min(...compared) : 0;
    return {
      id: r.id,
      kind: r.kind,
      label: r.label,
      status: r.status,
      uses: mine.length,
      approved,
      acceptanceRate: mine.length ? approved / mine.length : null,
      reviewers,
      disagreement: gap > o.spread ? gap : null,
      changes: (changesOf.get(r.id) ?? []).sort((a, b) => a.at.getTime() - b.at.getTime()),
    };
  });
}
