// Who is calling, and the questions services ask about it. Authorisation is decided in services
// with these helpers; routes only pass the principal along.
import { forbidden, unauthorized } from '../../errors.js';

export type Role = 'learner' | 'registrar' | 'reviewer' | 'committee' | 'admin';

export interface RoleGrant {
  role: Role;
  institutionId: string | null;
}

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; username: string; displayName: string; learnerId: string | null; grants: RoleGrant[] }
  /** An institution's system calling with a bearer API token: acts as that institution's registrar. */
  | { kind: 'token'; tokenId: string; institutionId: string }
  /** The operator at the command line (the `creditbank` CLI on the server): acts as an administrator. */
  | { kind: 'system'; name: string };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

export type Actor = Exclude<Principal, { kind: 'anonymous' }>;

export function requireSignedIn(p: Principal): Actor {
  if (p.kind === 'anonymous') throw unauthorized();
  return p;
}

export function isAdmin(p: Principal): boolean {
  return p.kind === 'system' || (p.kind === 'user' && p.grants.some((g) => g.role === 'admin'));
}

/** Whether the principal holds `role` at `institutionId` (API tokens count as that institution's registrar). */
export function hasInstitutionRole(p: Principal, institutionId: string, roles: Role[]): boolean {
  if (p.kind === 'token') return p.institutionId === institutionId && roles.includes('registrar');
  if (p.kind !== 'user') return false;
  return p.grants.some((g) => g.institutionId === institutionId && roles.includes(g.role));
}

/** Institutions where the principal works as one of `roles`. */
export function institutionsWithRole(p: Principal, roles: Role[]): string[] {
  if (p.kind === 'token') return roles.includes('registrar') ? [p.institutionId] : [];
  if (p.kind !== 'user') return [];
  return p.grants.filter((g) => g.institutionId && roles.includes(g.role)).map((g) => g.institutionId!);
}

/** Registrar of the institution (or its API token), or an administrator. */
export function requireRegistrarOf(p: Principal, institutionId: string): Actor {
  const actor = requireSignedIn(p);
  if (isAdmin(actor) || hasInstitutionRole(actor, institutionId, ['registrar'])) return actor;
  throw forbidden('Only a registrar of this institution may do this');
}

export function requireAdmin(p: Principal): Actor {
  const actor = requireSignedIn(p);
  if (!isAdmin(actor)) throw forbidden('Only a bank administrator may do this');
  return actor;
}

/** The audit fields of an actor. */
export function actorIds(p: Actor): { actorUserId: string | null; actorTokenId: string | null } {
  if (p.kind === 'user') return { actorUserId: p.userId, actorTokenId: null };
  return { actorUserId: null, actorTokenId: p.kind === 'token' ? p.tokenId : null };
}
