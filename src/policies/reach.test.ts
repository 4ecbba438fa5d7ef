// reachOf: where the policy table lets a caller take an action, as lists and indicators narrow their rows.
import { describe, expect, it } from 'vitest';
import type { Principal } from '../modules/auth/principal.js';
import { reachOf } from './authorize.js';

const user = (
  grants: { role: 'learner' | 'registrar' | 'reviewer' | 'committee' | 'admin'; institutionId: string | null }[],
  learnerId: string | null = null,
): Principal => ({
  kind: 'user',
  userId: 'u',
  username: 'u',
  displayName: 'U',
  learnerId,
  grants,
});

describe('reachOf', () => {
  it('gives administrators and the committee the whole alliance, and staff their institutions by role', () => {
    expect(reachOf(user([{ role: 'admin', institutionId: null }]), 'quality.read')).toEqual({ everywhere: true, institutionIds: [] });
    expect(reachOf(user([{ role: 'committee', institutionId: null }]), 'quality.read').everywhere).toBe(true);
    const staff = user([
      { role: 'registrar', institutionId: 'A' },
      { role: 'reviewer', institutionId: 'B' },
      { role: 'reviewer', institutionId: 'A' },
    ]);
    expect(reachOf(staff, 'quality.read')).toEqual({ everywhere: false, institutionIds: ['A', 'B'] });
    // a report is asked for by registrars only: the reviewer's institution is not in reach
    expect(reachOf(staff, 'quality.requestReport')).toEqual({ everywhere: false, institutionIds: ['A'] });
    expect(reachOf(staff, 'auditLog.read')).toEqual({ everywhere: false, institutionIds: ['A'] });
  });

  it('gives an API token its own institution, and a learner or a stranger nothing', () => {
    const token: Principal = { kind: 'token', tokenId: 't', institutionId: 'C', scopes: ['read'] };
    expect(reachOf(token, 'record.read')).toEqual({ everywhere: false, institutionIds: ['C'] });
    expect(reachOf(user([{ role: 'learner', institutionId: null }], 'L1'), 'record.read')).toEqual({ everywhere: false, institutionIds: [] });
    expect(reachOf({ kind: 'anonymous' }, 'quality.read')).toEqual({ everywhere: false, institutionIds: [] });
    // the operator at the command line acts as an administrator
    expect(reachOf({ kind: 'system', name: 'cli' }, 'learner.invite').everywhere).toBe(true);
  });
});
