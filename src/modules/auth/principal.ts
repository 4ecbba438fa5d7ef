// Who is calling, and the questions services ask about it. Whether a caller may act is the policy
// table's to say (src/policies/authorize.ts); routes only pass the principal along.
import { forbidden, unauthorized } from '../../errors.js';

export type Role = 'learner' | 'registrar' | 'reviewer' | 'committee' | 'admin';

export type ApiTokenScope = 'read' | 'import' | 'issue';

export interface RoleGrant {
  role: Role;
  institutionId: string | null;
}

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; username: string; displayName: string; learnerId: string | null; grants: RoleGrant[] }
  /** An institution's system calling with a bearer API token: acts as that institution's registrar. */
  | { kind: 'token'; tokenId: string; institutionId: string; scopes: readonly ApiTokenScope[] }
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

/** The audit fields of an actor. */
export function actorIds(p: Actor): { actorUserId: string | null; actorTokenId: string | null } {
  if (p.kind === 'user') return { actorUserId: p.userId, actorTokenId: null };
  return { actorUserId: null, actorTokenId: p.kind === 'token' ? p.tokenId : null };
}

/** Verifying credentials and presentations changes nothing: a POST that only reads. */
const READ_POSTS = new Set(['/api/v1/credentials/verify', '/api/v1/presentations/verify']);

/**
 * The scope an API token needs for a route, the one place that decides it: reads (GET, HEAD and the
 * verify POSTs) need `read`; issuing, revoking or suspending credentials and rotating an issuer's key
 * need `issue`; every other write (imports, results, learners, courses: the institution's data
 * exchange) needs `import`.
 */
export function requiredScope(method: string, routeUrl: string): ApiTokenScope {
  if (method === 'GET' || method === 'HEAD' || READ_POSTS.has(routeUrl)) return 'read';
  if (routeUrl.startsWith('/api/v1/credentials/') || /^\/api\/v1\/institutions\/:id\/issuer\b/.test(routeUrl)) return 'issue';
  return 'import';
}

/** Refuses (403) an API token without the scope the route needs; people and the CLI pass. */
export function requireTokenScope(p: Principal, method: string, routeUrl: string | undefined): void {
  if (p.kind !== 'token' || routeUrl === undefined) return;
  const scope = requiredScope(method, routeUrl);
  if (!p.scopes.includes(scope)) throw forbidden(`This API token lacks the ${scope} scope`);
}
