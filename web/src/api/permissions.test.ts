import { describe, expect, it } from 'vitest';
import { holds, may, type Permissions } from './permissions';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const ME = '00000000-0000-4000-8000-0000000000ee';

const perms: Permissions = {
  roles: ['person', 'learner', 'registrar'],
  learnerId: ME,
  resources: {
    outcome: { record: [{ scope: 'institution', institutionIds: [A] }] },
    transfer: {
      withdraw: [{ scope: 'self', states: ['submitted', 'in_review'] }],
      read: [{ scope: 'self' }, { scope: 'institution', institutionIds: [A] }],
    },
    catalogue: { read: [{ scope: 'any' }] },
  },
};

describe('may: the policy table as the web app reads it', () => {
  it('holds an institution-scoped grant at that institution only', () => {
    expect(may(perms, 'outcome.record', { institutionId: A })).toBe(true);
    expect(may(perms, 'outcome.record', { institutionId: B })).toBe(false);
    expect(may(perms, 'outcome.record')).toBe(false);
  });

  it('holds a self grant on the caller’s own record, in its states', () => {
    expect(may(perms, 'transfer.withdraw', { learnerId: ME, state: 'submitted' })).toBe(true);
    expect(may(perms, 'transfer.withdraw', { learnerId: ME, state: 'decided' })).toBe(false);
    expect(may(perms, 'transfer.withdraw', { learnerId: ME })).toBe(false);
    expect(may(perms, 'transfer.withdraw', { learnerId: 'someone else', state: 'submitted' })).toBe(false);
    expect(may(perms, 'transfer.read', { learnerId: 'someone else', institutionId: A })).toBe(true);
  });

  it('holds nothing that is not in the table, and nothing before the permissions arrive', () => {
    expect(may(perms, 'catalogue.read')).toBe(true);
    expect(may(perms, 'award.decide', { institutionId: A })).toBe(false);
    expect(may(undefined, 'catalogue.read')).toBe(false);
    expect(holds(perms, 'outcome.record')).toBe(true);
    expect(holds(perms, 'award.decide')).toBe(false);
  });
});
