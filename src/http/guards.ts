// What every request passes before its route sees it: a caller who is not signed in is refused on
// private routes before anything of the request is parsed or validated (so an anonymous caller
// always hears 401, never a 400 about a body it had no right to send), and ids in the path and the
// query string are compared without regard to case (a UUID is the same in upper case).
import type { App } from './types.js';
import { problem, sendProblem } from './problem.js';
import { unauthorized } from '../errors.js';
import { can, refusal } from '../policies/authorize.js';
import { actionOfRoute } from '../policies/routes.js';
import { policyOf } from '../policies/table.js';

/**
 * The OpenAPI security of a route anyone may call: no credentials, or either kind of credentials
 * (a signed-in caller may see more). Routes under /api/v1 without it are private.
 */
export const PUBLIC: { [scheme: string]: string[] }[] = [{}, { session: [] }, { apiToken: [] }];

/** Whether a route's schema declares it public: its security allows the empty requirement. */
export function isPublic(schema: unknown): boolean {
  const security = (schema as { security?: unknown } | undefined)?.security;
  return Array.isArray(security) && security.some((r) => r && typeof r === 'object' && Object.keys(r).length === 0);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Registered after the hook that resolves `req.principal`. */
export function guards(app: App): void {
  app.addHook('onRequest', async (req, reply) => {
    const url = req.routeOptions.url;
    if (!url?.startsWith('/api/v1/') || req.principal.kind !== 'anonymous' || isPublic(req.routeOptions.schema)) return;
    return sendProblem(reply, { ...problem(401, 'Sign in first'), instance: req.url });
  });
  // The policy table, by role: a caller whose role has no rule for the route's action is refused
  // before the request is parsed (403, or the 404 / 401 the action names); the service then decides
  // the scope (which institution, whose record, which state) with the same table.
  app.addHook('onRequest', async (req) => {
    const action = actionOfRoute(req.method, req.routeOptions.url);
    if (!action || can(req.principal, action)) return;
    const policy = policyOf(action);
    if (policy.deny === 401) throw unauthorized('An API token is not a person; use a session');
    throw refusal(action, `Your role may not do this: ${policy.summary.charAt(0).toLowerCase()}${policy.summary.slice(1)}`, {
      what: 'Resource',
      id: req.url.split('?')[0]!,
    });
  });
  app.addHook('preValidation', async (req) => {
    for (const part of [req.params, req.query] as unknown[]) {
      if (!part || typeof part !== 'object') continue;
      const o = part as Record<string, unknown>;
      for (const [k, v] of Object.entries(o)) if (typeof v === 'string' && UUID.test(v) && v !== v.toLowerCase()) o[k] = v.toLowerCase();
    }
  });
}
