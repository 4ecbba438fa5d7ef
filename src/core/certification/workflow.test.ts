import { describe, expect, it } from 'vitest';
import { allowedActions, appealDeadline, capBreach, next, steps, tally, validUntil, versionInForce, WorkflowError, type AppState } from './workflow.js';

const state = (over: Partial<AppState> = {}): AppState => ({ status: 'draft', route: 'reviewer', appealed: false, ...over });

describe('certification workflow', () => {
  it('sends a submitted application to the reviewer or to the committee by its route', () => {
    expect(next(state(), 'submit', ['learner'])).toBe('submitted');
    expect(next(state({ route: 'committee' }), 'submit', ['learner'])).toBe('committee');
    expect(next(state({ status: 'more_info', route: 'committee' }), 'resubmit', ['learner'])).toBe('committee');
  });

  it('says whether the state or the person is wrong', () => {
    expect(() => next(state({ status: 'approved' }), 'approve', ['reviewer'])).toThrow(expect.objectContaining({ kind: 'state' }));
    const err = (() => {
      try {
        next(state({ status: 'submitted' }), 'approve', ['learner', 'committee']);
      } catch (e) {
        return e as WorkflowError;
      }
    })();
    expect(err).toBeInstanceOf(WorkflowError);
    expect(err!.kind).toBe('role');
    expect(err!.message).toContain('a reviewer of the responsible institution');
  });

  it('allows one appeal of a rejection', () => {
    expect(next(state({ status: 'rejected' }), 'appeal', ['learner'])).toBe('appealed');
    expect(() => next(state({ status: 'rejected', appealed: true }), 'appeal', ['learner'])).toThrow(/final/);
    expect(allowedActions(state({ status: 'rejected', appealed: true }), ['learner'])).toEqual([]);
    expect(allowedActions(state({ status: 'rejected' }), ['learner'])).toEqual(['appeal']);
  });

  it('lists the actions open to each part', () => {
    expect(allowedActions(state({ status: 'submitted' }), ['reviewer']).sort()).toEqual(['approve', 'reject', 'request_info']);
    expect(allowedActions(state({ status: 'committee', route: 'committee' }), ['committee']).sort()).toEqual(['request_info', 'vote']);
    expect(allowedActions(state({ status: 'approved' }), ['admin'])).toEqual(['revoke']);
  });
});

describe('committee tally', () => {
  const a = (credits: number | null = null) => ({ decision: 'approve' as const, credits });
  const r = { decision: 'reject' as const, credits: null };
  it('waits for the quorum', () => {
    expect(tally([a(300), a(400)], 3)).toEqual({ decided: false, approve: 2, reject: 0, needed: 1 });
  });
  it('decides by majority, ties rejecting, granting the lower median of proposals', () => {
    expect(tally([a(500), a(300), r], 3)).toEqual({ decided: true, approve: 2, reject: 1, decision: 'approve', credits: 300 });
    expect(tally([a(500), a(300), a(400)], 3)).toMatchObject({ decision: 'approve', credits: 400 });
    expect(tally([a(500), r], 2)).toMatchObject({ decision: 'reject', credits: null });
  });
});

describe('caps, validity and versions', () => {
  it('names the first cap exceeded', () => {
    const caps = { standard: 400, kind: 800, total: null };
    expect(capBreach(caps, { standard: 0, kind: 0, total: 9999 }, 400)).toBeNull();
    expect(capBreach(caps, { standard: 400, kind: 400, total: 400 }, 400)).toEqual({ cap: 'standard', limit: 400, held: 400, amount: 400 });
    expect(capBreach({ standard: null, kind: 800, total: null }, { standard: 0, kind: 500, total: 500 }, 400)).toMatchObject({ cap: 'kind' });
  });
  it('counts validity in calendar months, clamping to month ends', () => {
    expect(validUntil('2024-01-31', 1)).toBe('2024-02-29');
    expect(validUntil('2023-11-15', 36)).toBe('2026-11-15');
  });
  it('finds the version in force on a date, windows half-open', () => {
    const vs = [
      { v: 2, effectiveFrom: '2026-09-01', effectiveTo: null },
      { v: 1, effectiveFrom: '2020-01-01', effectiveTo: '2026-09-01' },
    ];
    expect(versionInForce(vs, '2026-08-31')?.v).toBe(1);
    expect(versionInForce(vs, '2026-09-01')?.v).toBe(2);
    expect(versionInForce(vs, '2019-12-31')).toBeUndefined();
  });
  it('measures each step until the next, the last until now', () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    const s = steps(
      [
        { at: t0, toStatus: 'draft' },
        { at: new Date('2026-01-02T00:00:00Z'), toStatus: 'submitted' },
      ],
      new Date('2026-01-05T00:00:00Z'),
    );
    expect(s.map((x) => x.waitedMs / 86_400_000)).toEqual([1, 3]);
    expect(appealDeadline(t0, 30).toISOString()).toBe('2026-01-31T00:00:00.000Z');
  });
});
