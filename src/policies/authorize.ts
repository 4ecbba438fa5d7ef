// The one question services and the route guard ask of the policy table: may this caller take this
// action on this resource? `can` answers; `authorize` throws the 403 (or the 404 of a hidden
// resource) that the table's action names.
import { AppError, forbidden, notFound } from '../errors.js';
import { hasInstitutionRole, isAdmin, requireSignedIn, type Actor, type Principal, type Role } from '../modules/auth/principal.js';
import { POLICIES, policyOf, type ActionId, type CallerRole, type Rule } from './table.js';

/** What the table needs to know of the resource an action is taken on. */
export interface ResourceRef {
  /** The institution(s) the resource belongs to: its institution, a learner's institutions, an agreement's parties. */
  institutionIds?: readonly (string | null | undefined)[];
  /** The learner whose resource it is. */
  learnerId?: string | null;
  /** Its workflow state. */
  state?: string;
}

/** The roles a caller holds, as the table names them (without scope). */
export function callerRoles(p: Principal): CallerRole[] {
  const roles: CallerRole[] = ['anyone'];
  if (p.kind === 'token') roles.push('token');
  if (p.kind === 'system') roles.push('admin');
  if (p.kind === 'user') {
    roles.push('person');
    if (p.learnerId) roles.push('learner');
    for (const g of p.grants) if (g.role !== 'learner' && !roles.includes(g.role)) roles.push(g.role);
  }
  return roles;
}

function holds(p: Principal, r: Rule, ref: ResourceRef | undefined): boolean {
  if (!callerRoles(p).includes(r.role)) return false;
  if (!ref) return true; // the role alone: what the route guard asks before it knows the resource
  if (r.states && ref.state !== undefined && !r.states.includes(ref.state)) return false;
  const self = p.kind === 'user' && !!p.learnerId && p.learnerId === ref.learnerId;
  if (r.notOnSelf && self) return false;
  const institutions = (ref.institutionIds ?? []).filter((i): i is string => typeof i === 'string');
  switch (r.scope) {
    case 'any':
    case 'own':
      return r.role !== 'admin' || isAdmin(p);
    case 'self':
      return self;
    case 'institution':
      if (r.role === 'token') return p.kind === 'token' && institutions.includes(p.institutionId);
      return p.kind === 'user' && institutions.some((i) => hasInstitutionRole(p, i, [r.role as Role]));
  }
}

/**
 * Whether the caller may take the action. Without a resource, whether their role may take it at all
 * (somewhere, in some state): what the route guard and the permissions endpoint ask.
 */
export function can(p: Principal, action: ActionId, ref?: ResourceRef): boolean {
  return policyOf(action).rules.some((r) => holds(p, r, ref));
}

/** The rules of the action that the caller's roles hold, whatever the resource. */
export function rulesFor(p: Principal, action: ActionId): Rule[] {
  return policyOf(action).rules.filter((r) => holds(p, r, undefined));
}

/**
 * Where the caller may take the action: everywhere (a rule of scope `any`), else at these institutions
 * (the rules of scope `institution`). What a list or an indicator narrows its rows to.
 */
export function reachOf(p: Principal, action: ActionId): { everywhere: boolean; institutionIds: string[] } {
  const rules = rulesFor(p, action);
  return {
    everywhere: rules.some((r) => r.scope === 'any'),
    institutionIds: [...new Set(rules.filter((r) => r.scope === 'institution').flatMap((r) => institutionsOf(p, r.role)))],
  };
}

/** The refusal the table names for the action: 404 where existence is hidden, else 403 with `message`. */
export function refusal(action: ActionId, message: string, hidden?: { what: string; id: string }): AppError {
  const deny = policyOf(action).deny;
  if (deny === 404 && hidden) return notFound(hidden.what, hidden.id);
  return forbidden(message);
}

/**
 * Throws unless the caller may take the action on the resource: `forbidden(message)`, or, for an
 * action whose table entry hides existence, `notFound` of `hidden`.
 */
export function authorize(p: Principal, action: ActionId, ref: ResourceRef | undefined, message: string, hidden?: { what: string; id: string }): void {
  const rules = policyOf(action).rules;
  // first who (role and scope, in any state), then when: an action nobody may take in this state is
  // left to the service's state check (409), as the certification workflow does
  const theirs = rules.filter((r) => holds(p, r, ref && { ...ref, state: undefined }));
  if (theirs.length === 0) throw refusal(action, message, hidden);
  const state = ref?.state;
  if (state === undefined) return;
  const inState = (r: Rule) => !r.states || r.states.includes(state);
  if (rules.some(inState) && !theirs.some(inState)) throw refusal(action, message, hidden);
}

/** Every action the caller's roles may take somewhere, by resource: the permissions endpoint's answer. */
export function permissionsOf(p: Principal) {
  const resources: Record<string, Record<string, { scope: Rule['scope']; states?: string[]; institutionIds?: string[] }[]>> = {};
  for (const [resource, policy] of Object.entries(POLICIES)) {
    for (const action of Object.keys(policy.actions)) {
      const rules = rulesFor(p, `${resource}.${action}` as ActionId);
      if (rules.length === 0) continue;
      const grants = rules.map((r) => ({
        scope: r.scope,
        ...(r.states ? { states: [...r.states] } : {}),
        ...(r.scope === 'institution' ? { institutionIds: institutionsOf(p, r.role) } : {}),
      }));
      (resources[resource] ??= {})[action] = grants;
    }
  }
  return resources;
}

function institutionsOf(p: Principal, role: CallerRole): string[] {
  if (p.kind === 'token') return role === 'token' ? [p.institutionId] : [];
  if (p.kind !== 'user') return [];
  return [...new Set(p.grants.filter((g) => g.role === role && g.institutionId).map((g) => g.institutionId!))];
}

/** `authorize`, for a signed-in caller: 401 for an anonymous one, then the table; returns the actor. */
export function authorized(p: Principal, action: ActionId, ref: ResourceRef | undefined, message: string, hidden?: { what: string; id: string }): Actor {
  const actor = requireSignedIn(p);
  authorize(actor, action, ref, message, hidden);
  return actor;
}

/** The refusals of the registrar's and the administrator's actions. */
export const REGISTRAR_ONLY = 'Only a registrar of this institution may do this';
export const ADMIN_ONLY = 'Only a bank administrator may do this';
