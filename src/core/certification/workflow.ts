// The certification workflow as data: which action moves an application from which state to which,
// and who may take it. Pure: the service asks, records the answer and writes nothing here.

export const STATUSES = ['draft', 'submitted', 'more_info', 'committee', 'approved', 'rejected', 'appealed', 'withdrawn', 'revoked'] as const;
export type Status = (typeof STATUSES)[number];
export type Route = 'reviewer' | 'committee';
/** The part someone plays on an application: its learner, the responsible reviewer, a committee member, an administrator. */
export type Part = 'learner' | 'reviewer' | 'committee' | 'admin';
export type Action = 'submit' | 'resubmit' | 'withdraw' | 'request_info' | 'approve' | 'reject' | 'vote' | 'appeal' | 'revoke';

export interface AppState {
  status: Status;
  route: Route;
  /** An application is appealed at most once. */
  appealed: boolean;
}

interface Transition {
  from: Status;
  action: Action;
  by: Part[];
  /** The next state; `vote` may stay (`null`) until the committee has decided. */
  to: (s: AppState) => Status;
}

const queueOf = (s: AppState): Status => (s.route === 'committee' ? 'committee' : 'submitted');

export const TRANSITIONS: Transition[] = [
  { from: 'draft', action: 'submit', by: ['learner'], to: queueOf },
  { from: 'draft', action: 'withdraw', by: ['learner'], to: () => 'withdrawn' },
  { from: 'submitted', action: 'approve', by: ['reviewer'], to: () => 'approved' },
  { from: 'submitted', action: 'reject', by: ['reviewer'], to: () => 'rejected' },
  { from: 'submitted', action: 'request_info', by: ['reviewer'], to: () => 'more_info' },
  { from: 'submitted', action: 'withdraw', by: ['learner'], to: () => 'withdrawn' },
  { from: 'more_info', action: 'resubmit', by: ['learner'], to: queueOf },
  { from: 'more_info', action: 'withdraw', by: ['learner'], to: () => 'withdrawn' },
  { from: 'committee', action: 'vote', by: ['committee'], to: () => 'committee' },
  { from: 'committee', action: 'request_info', by: ['committee'], to: () => 'more_info' },
  { from: 'committee', action: 'withdraw', by: ['learner'], to: () => 'withdrawn' },
  { from: 'rejected', action: 'appeal', by: ['learner'], to: () => 'appealed' },
  { from: 'appealed', action: 'vote', by: ['committee'], to: () => 'appealed' },
  { from: 'approved', action: 'revoke', by: ['admin', 'reviewer'], to: () => 'revoked' },
];

export class WorkflowError extends Error {
  constructor(
    message: string,
    /** state: not possible in this state; role: possible, but not for this person. */
    readonly kind: 'state' | 'role',
  ) {
    super(message);
  }
}

const STATUS_WORDS: Record<Status, string> = {
  draft: 'a draft',
  submitted: 'waiting for the reviewer',
  more_info: 'waiting for more information from the learner',
  committee: 'with the expert committee',
  approved: 'approved',
  rejected: 'rejected',
  appealed: 'under appeal',
  withdrawn: 'withdrawn',
  revoked: 'revoked',
};

export const describeStatus = (s: Status) => STATUS_WORDS[s];

/** The state an action leads to, or a WorkflowError saying why it cannot be taken now. */
export function next(s: AppState, action: Action, parts: Part[]): Status {
  const candidates = TRANSITIONS.filter((t) => t.from === s.status && t.action === action);
  if (candidates.length === 0) throw new WorkflowError(`The application is ${describeStatus(s.status)}; it cannot be ${ACTION_WORDS[action]} now`, 'state');
  const t = candidates.find((c) => c.by.some((b) => parts.includes(b)));
  if (!t)
    throw new WorkflowError(
      `Only ${candidates[0]!.by.map((b) => PART_WORDS[b]).join(' or ')} may ${action.replace('_', ' ')} an application ${describeStatus(s.status)}`,
      'role',
    );
  if (action === 'appeal' && s.appealed) throw new WorkflowError('This decision was already appealed; the decision on the appeal is final', 'state');
  return t.to(s);
}

const PART_WORDS: Record<Part, string> = {
  learner: 'the learner who applied',
  reviewer: 'a reviewer of the responsible institution',
  committee: 'a member of the expert committee',
  admin: 'an administrator',
};

const ACTION_WORDS: Record<Action, string> = {
  submit: 'submitted',
  resubmit: 'resubmitted',
  withdraw: 'withdrawn',
  request_info: 'sent back for more information',
  approve: 'approved',
  reject: 'rejected',
  vote: 'voted on',
  appeal: 'appealed',
  revoke: 'revoked',
};

/** The actions open to someone playing `parts` on an application in state `s`. */
export function allowedActions(s: AppState, parts: Part[]): Action[] {
  const out = new Set<Action>();
  for (const t of TRANSITIONS) {
    if (t.from !== s.status || !t.by.some((b) => parts.includes(b))) continue;
    if (t.action === 'appeal' && s.appealed) continue;
    out.add(t.action);
  }
  return [...out];
}

export interface Vote {
  decision: 'approve' | 'reject';
  /** Credits an approving member would grant, in hundredths (individual assessments). */
  credits: number | null;
}

export type Tally =
  | { decided: false; approve: number; reject: number; needed: number }
  | { decided: true; approve: number; reject: number; decision: 'approve' | 'reject'; credits: number | null };

/**
 * The committee decides when `quorum` members have voted, by simple majority; a tie rejects, because
 * the applicant carries the burden of showing the learning. The credits granted are the lower median
 * of what the approving members proposed.
 */
export function tally(votes: Vote[], quorum: number): Tally {
  const approve = votes.filter((v) => v.decision === 'approve');
  const reject = votes.length - approve.length;
  if (votes.length < quorum) return { decided: false, approve: approve.length, reject, needed: quorum - votes.length };
  const decision = approve.length > reject ? 'approve' : 'reject';
  const proposed = approve
    .map((v) => v.credits)
    .filter((c): c is number => c !== null)
    .sort((x, y) => x - y);
  const credits = decision === 'approve' && proposed.length > 0 ? proposed[Math.floor((proposed.length - 1) / 2)]! : null;
  return { decided: true, approve: approve.length, reject, decision, credits };
}

/** Whether an appeal may still be lodged `windowDays` after the decision. */
export function appealDeadline(decidedAt: Date, windowDays: number): Date {
  return new Date(decidedAt.getTime() + windowDays * 86_400_000);
}

export interface Caps {
  standard: number | null;
  kind: number | null;
  total: number | null;
}

/** What a learner already holds from certification, in hundredths of one unit. */
export interface Held {
  standard: number;
  kind: number;
  total: number;
}

export type CapBreach = { cap: keyof Caps; limit: number; held: number; amount: number };

/** The first cap that granting `amount` more would exceed, or null. */
export function capBreach(caps: Caps, held: Held, amount: number): CapBreach | null {
  for (const cap of ['standard', 'kind', 'total'] as const) {
    const limit = caps[cap];
    if (limit !== null && held[cap] + amount > limit) return { cap, limit, held: held[cap], amount };
  }
  return null;
}

/** The version whose window [from, to) holds `date` (ISO dates compare as strings). */
export function versionInForce<T extends { effectiveFrom: string; effectiveTo: string | null }>(versions: T[], date: string): T | undefined {
  return versions.find((v) => v.effectiveFrom <= date && (v.effectiveTo === null || date < v.effectiveTo));
}

/** The day an outcome dated `issuedOn` stops being recent enough for a standard valid `months` months. */
export function validUntil(issuedOn: string, months: number): string {
  const [y, m, d] = issuedOn.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export interface Step {
  status: Status;
  since: Date;
  until: Date | null;
  /** Milliseconds spent in this state (until now when it is the current one). */
  waitedMs: number;
}

/** How long the application spent in each state, from its events in order. */
export function steps(events: { at: Date; toStatus: Status }[], now: Date): Step[] {
  return events.map((e, i) => {
    const until = events[i + 1]?.at ?? null;
    return { status: e.toStatus, since: e.at, until, waitedMs: (until ?? now).getTime() - e.at.getTime() };
  });
}
