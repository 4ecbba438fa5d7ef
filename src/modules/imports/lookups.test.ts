// Issue 17: the hourly budget of identity look-ups (IDENTITY_LOOKUPS_PER_HOUR) is a database
// guarantee. Look-ups are claimed before they are made by one INSERT … SELECT guarded by the sum,
// under a lock on the caller: parallel imports from two servers at one look-up short of the cap let
// exactly one more through.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../core/identity.js';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';
import { recordAudit } from '../audit/service.js';
import type { Actor } from '../auth/principal.js';
import { claimIdentityLookups, IDENTITY_LOOKUPS } from '../learners/service.js';

const residentId = (seq: number) => {
  const first17 = `11010520010203${String(seq).padStart(3, '0')}`;
  return `${first17}${residentIdCheckChar(first17)}`;
};
const row = (n: number) => ({ 学号: `L-${n}`, 姓名: `测试${n}`, 出生日期: '2001-02-03', 证件类型: '居民身份证', 证件号码: residentId(n) });
const CAP = 5;

describe.each(backends)('identity look-ups budget on %s', (backend) => {
  let database: TestDatabase;
  let fx: Alliance;
  let apps: App[];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    // two servers over one database, as a deployment runs them
    apps = [await makeApp(database, { IDENTITY_LOOKUPS_PER_HOUR: String(CAP) }), await makeApp(database, { IDENTITY_LOOKUPS_PER_HOUR: String(CAP) })];
  });
  afterAll(async () => {
    for (const app of apps ?? []) await app.close();
    await database?.drop();
  });

  it('indexes the events the budget sums', async () => {
    const res = (await database.db.execute(sql`select indexname from pg_indexes where tablename = 'audit_events'`)) as unknown as {
      rows: { indexname: string }[];
    };
    expect(res.rows.map((r) => r.indexname)).toEqual(expect.arrayContaining(['audit_events_actor_user_idx', 'audit_events_actor_token_idx']));
  });

  it('claims in the database: N claims at once, one short of the cap, record exactly one', async () => {
    // the administrator as the caller (no other test here counts their look-ups)
    const event = (lookups: number) => ({
      action: IDENTITY_LOOKUPS.create,
      institutionId: fx.a.id,
      entityType: 'institution',
      entityId: fx.a.id,
      details: { lookups },
    });
    await recordAudit(database.db, [{ actorUserId: fx.admin.kind === 'user' ? fx.admin.userId : null, actorTokenId: null, ...event(CAP - 1) }]);
    const N = 12;
    const claims = await Promise.allSettled(Array.from({ length: N }, () => claimIdentityLookups(database.db, fx.admin as Actor, CAP, event(1))));
    expect(claims.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
    for (const c of claims.filter((x): x is PromiseRejectedResult => x.status === 'rejected'))
      expect(c.reason).toMatchObject({ kind: 'too_many_requests', extra: { code: 'identity_lookups_throttled' } });
    const used = (await database.db.execute(
      sql`select sum((details->>'lookups')::int)::int as n from audit_events where action = ${IDENTITY_LOOKUPS.create} and actor_user_id = ${fx.admin.kind === 'user' ? fx.admin.userId : null}`,
    )) as unknown as { rows: { n: number }[] };
    expect(used.rows[0]!.n).toBe(CAP);
  });

  it('lets exactly one of N parallel look-ups through at one short of the cap', async () => {
    const callers = await Promise.all(apps.map(async (app) => as(app, { cookie: await signIn(app, 'registrar.a') })));
    const post = (caller: (typeof callers)[number], rows: Record<string, string>[]) =>
      caller({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/imports/learners/rows`, payload: { mode: 'dry_run', rows } });
    const first = await post(callers[0]!, [row(1), row(2), row(3), row(4)]);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().status).toBe('done');

    const N = 8;
    const answers = await Promise.all(Array.from({ length: N }, (_, i) => post(callers[i % 2]!, [row(10 + i)])));
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([200, ...Array<number>(N - 1).fill(429)]);
    for (const a of answers.filter((x) => x.statusCode === 429)) expect(a.json()).toMatchObject({ code: 'identity_lookups_throttled' });

    // what the audit trail holds is exactly the cap
    const used = (await database.db.execute(
      sql`select coalesce(sum((details->>'lookups')::int), 0)::int as n from audit_events where action = 'import.identity_lookups'`,
    )) as unknown as { rows: { n: number }[] };
    expect(used.rows[0]!.n).toBe(CAP);
    expect((await post(callers[1]!, [row(99)])).statusCode).toBe(429);
  });
});
