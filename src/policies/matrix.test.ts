// The authorisation matrix: every route of the OpenAPI document, called by every kind of caller,
// answers as the policy table says. A role the table gives no rule for the route's action is refused
// (403, or the 404 / 401 the action names); a role it allows is not refused (403) when it acts on its
// own institution's or its own records (bodies are made to pass validation where a small generator
// can); a registrar of another institution is refused on an institution's or a learner's routes
// unless the table lets registrars act anywhere. Every route must be in the route map, and
// docs/policies.md must be what the table generates.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../http/types.js';
import { openTestDatabase, type TestDatabase } from '../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../test/fixture.js';
import { policiesMarkdown } from './docs.js';
import { exampleOf, operationsOf, pathFor, type Operation } from './probe.js';
import { ROUTE_ACTIONS } from './routes.js';
import { ACTIONS, policyOf, type ActionId } from './table.js';

/** Calls that would end the caller's session or erase the fixture: made only by callers the table refuses. */
const DESTRUCTIVE = new Set([
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/logout-all',
  'POST /api/v1/me/password',
  'POST /api/v1/me/totp',
  'DELETE /api/v1/me/totp',
  'POST /api/v1/learners/{id}/erase',
  'POST /api/v1/me/erasure-requests',
]);
/** Where a caller has to say which of its views it asks for. */
const QUERY_FOR: Record<string, Record<string, string>> = { committee: { 'GET /api/v1/certifications': 'scope=committee' } };

type Permissions = { roles: string[]; resources: Record<string, Record<string, unknown[]>> };

describe('authorisation matrix: every route × every kind of caller against the policy table', () => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let ops: Operation[];
  const callers: { name: string; call: ReturnType<typeof as>; permissions: Permissions }[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    fx = await makeAlliance(database);
    app = await makeApp(database);
    const registrar = await signIn(app, 'registrar.a');
    const token = (
      await app.inject({
        method: 'POST',
        url: `/api/v1/institutions/${fx.a.id}/api-tokens`,
        headers: { cookie: registrar },
        payload: { name: 'matrix', scopes: ['read', 'import', 'issue'] },
      })
    ).json().token as string;
    const auths: [string, { cookie?: string; token?: string } | undefined][] = [
      ['anonymous', undefined],
      ['learner', { cookie: await signIn(app, 'alice') }],
      ['registrar', { cookie: registrar }],
      ['reviewer', { cookie: await signIn(app, 'reviewer.a') }],
      ['committee', { cookie: await signIn(app, 'committee') }],
      ['admin', { cookie: await signIn(app, 'admin') }],
      ['token', { token }],
      ['registrar of another institution', { cookie: await signIn(app, 'registrar.b') }],
    ];
    for (const [name, auth] of auths) {
      const call = as(app, auth);
      const res = await call({ method: 'GET', url: '/api/v1/me/permissions' });
      expect(res.statusCode, res.body).toBe(200);
      callers.push({ name, call, permissions: res.json() });
    }
    ops = operationsOf((await app.inject({ method: 'GET', url: '/api/openapi.json' })).json());
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('maps every route of the document to an action of the table, and nothing else', () => {
    const keys = ops.map((o) => `${o.method} ${o.path}`);
    expect(
      keys.filter((k) => !(k in ROUTE_ACTIONS)),
      'routes missing from src/policies/routes.ts',
    ).toEqual([]);
    expect(
      Object.keys(ROUTE_ACTIONS).filter((k) => !keys.includes(k)),
      'entries of src/policies/routes.ts that are no route',
    ).toEqual([]);
    expect(Object.values(ROUTE_ACTIONS).filter((a) => !ACTIONS.includes(a))).toEqual([]);
    expect(
      ACTIONS.filter((a) => !Object.values(ROUTE_ACTIONS).includes(a)),
      'actions no route performs',
    ).toEqual([]);
  });

  it('answers each caller as the table says', { timeout: 600_000 }, async () => {
    const wrong: string[] = [];
    let probes = 0;
    /** What institution A's own registrar heard: a request it could not get past validation or a lookup never reaches the scope check. */
    const ownRegistrar = new Map<string, number>();
    for (const op of ops) {
      const key = `${op.method} ${op.path}`;
      const action = ROUTE_ACTIONS[key] as ActionId;
      const policy = policyOf(action);
      const [resource, name] = action.split('.') as [string, string];
      for (const { name: who, call, permissions } of callers) {
        const allowed = !!permissions.resources[resource]?.[name];
        const other = who === 'registrar of another institution';
        // the other institution's registrar is asked about institution A's and Alice's routes only
        if (other && !/^\/api\/v1\/(institutions|learners)\/\{id\}/.test(op.path)) continue;
        if (allowed && DESTRUCTIVE.has(key)) continue;
        const anywhere = (permissions.resources[resource]?.[name] as { scope: string }[] | undefined)?.some((g) => g.scope === 'any');
        let expected: 'allowed' | number;
        if (who === 'anonymous') expected = allowed ? 'allowed' : op.public ? (policy.deny ?? 403) : 401;
        else if (other) expected = anywhere ? 'allowed' : policy.deny === 404 ? 404 : 403;
        else expected = allowed ? 'allowed' : (policy.deny ?? 403);
        let url = pathFor(op, fx);
        const extra = QUERY_FOR[who]?.[key];
        if (extra) url += (url.includes('?') ? '&' : '?') + extra;
        const res = await call({ method: op.method as 'GET', url, ...(op.body?.json ? { payload: exampleOf(op.body.json, fx) as object } : {}) });
        probes++;
        if (who === 'registrar') ownRegistrar.set(key, res.statusCode);
        const unreached = other && [400, 404, 409].includes(ownRegistrar.get(key) ?? 0) && res.statusCode === ownRegistrar.get(key);
        // allowed: not refused (401 from a public route is a wrong password or code, not a refusal)
        const ok = expected === 'allowed' ? res.statusCode !== 403 && !(res.statusCode === 401 && !op.public) : res.statusCode === expected || unreached;
        if (!ok) wrong.push(`${who} ${key} (${action}): expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    console.info(`authorisation matrix: ${ops.length} routes × ${callers.length} kinds of caller, ${probes} requests`);
    expect(wrong).toEqual([]);
    expect(probes).toBeGreaterThan(ops.length * 6);
  });

  it('keeps docs/policies.md as the table writes it (UPDATE_POLICY_DOCS=1 rewrites it)', () => {
    const file = new URL('../../docs/policies.md', import.meta.url);
    const want = policiesMarkdown();
    if (process.env.UPDATE_POLICY_DOCS) writeFileSync(file, want);
    expect(readFileSync(file, 'utf8'), 'docs/policies.md is stale: run `npx tsx scripts/policies-doc.ts`').toBe(want);
  });
});
