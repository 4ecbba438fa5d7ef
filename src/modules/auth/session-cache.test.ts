// Sessions held in the process: a signed-in request costs no statement, and what changes a
// principal (sign-out, a role taken away, a disabled user, an operator's SQL, another process) is
// seen by the next request, not five seconds later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';
import { countQueries } from '../../test/queries.js';
import { SessionCache } from './session-cache.js';

const alice = {
  kind: 'user' as const,
  userId: 'u-alice',
  username: 'alice',
  displayName: 'Alice',
  learnerId: null,
  grants: [{ role: 'learner' as const, institutionId: null }],
};
const held = (p = alice, at = 0) => ({ principal: p, expiresAt: at + 3_600_000, lastSeenAt: at });
const IDLE = 30 * 60_000;

describe('the session cache', () => {
  it('holds nothing until it hears the database, and nothing after it stops hearing it', () => {
    const c = new SessionCache(5_000);
    c.set('h', held(), c.mark(), 0);
    expect(c.get('h', 1, IDLE)).toBeUndefined();
    c.start();
    c.set('h', held(), c.mark(), 0);
    expect(c.get('h', 1, IDLE)?.username).toBe('alice');
    c.stop();
    expect(c.get('h', 1, IDLE)).toBeUndefined();
  });

  it('holds a session for a few seconds, not past its end, and not past the minute its use is written', () => {
    const c = new SessionCache(5_000);
    c.start();
    c.set('h', held(), c.mark(), 0);
    expect(c.get('h', 4_999, IDLE)).toBeDefined();
    expect(c.get('h', 5_000, IDLE)).toBeUndefined();
    c.set('h', { ...held(), expiresAt: 100 }, c.mark(), 0);
    expect(c.get('h', 100, IDLE)).toBeUndefined();
    c.set('h', held(alice, 0), c.mark(), 59_000);
    expect(c.get('h', 60_000, IDLE)).toBeUndefined();
  });

  it("drops every session of a user whose principal changed, and keeps other users'", () => {
    const c = new SessionCache();
    c.start();
    const bob = { ...alice, userId: 'u-bob', username: 'bob' };
    c.set('a1', held(), c.mark(), 0);
    c.set('a2', held(), c.mark(), 0);
    c.set('b1', held(bob), c.mark(), 0);
    c.dropUser('u-alice');
    expect([c.get('a1', 1, IDLE), c.get('a2', 1, IDLE)]).toEqual([undefined, undefined]);
    expect(c.get('b1', 1, IDLE)?.username).toBe('bob');
  });

  it('does not hold a session read before a change it may not show', () => {
    const c = new SessionCache();
    c.start();
    const mark = c.mark(); // the read begins
    c.dropUser('u-alice'); // the change commits while it runs
    c.set('h', held(), mark, 0); // the read ends with what it saw before
    expect(c.get('h', 1, IDLE)).toBeUndefined();
  });

  it('gives out a principal no request can change for the next one, and keeps to its size', () => {
    const c = new SessionCache(5_000, 2);
    c.start();
    for (const h of ['x', 'y', 'z']) c.set(h, held({ ...alice, userId: `u-${h}` }), c.mark(), 0);
    expect(c.size).toBe(2);
    expect(c.get('x', 1, IDLE)).toBeUndefined();
    const p = c.get('z', 1, IDLE)!;
    expect(() => (p.grants as { role: string }[]).push({ role: 'admin' })).toThrow(TypeError);
    expect(() => Object.assign(p.grants[0]!, { role: 'admin' })).toThrow(TypeError);
  });
});

describe.each(backends)('sessions held by the server on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let other: App; // a second server process on the same database
  let fx: Alliance;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    other = backend === 'postgres' ? await makeApp(await database.reopen()) : app;
  });
  afterAll(async () => {
    if (other !== app) await other?.close();
    await app?.close();
    await database?.drop();
  });

  const me = (cookie: string, on = app) => as(on, { cookie })({ method: 'GET', url: '/api/v1/auth/me' });
  const userId = (name: string) => sql`(select id from users where username = ${name})`;
  // any state-changing answer goes out only after the changes committed before it were heard
  const settle = () => app.inject({ method: 'POST', url: '/api/v1/auth/logout' });

  it('answers a signed-in request without asking the database again for its session', async () => {
    const cookie = await signIn(app, 'alice');
    expect((await me(cookie)).statusCode).toBe(200);
    const counter = countQueries(database);
    try {
      const res = await as(app, { cookie })({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(200);
      expect(counter.count).toBe(1); // the health check's own statement
    } finally {
      counter.stop();
    }
  });

  it('sees a role taken away by SQL at once', async () => {
    const cookie = await signIn(app, 'registrar.a');
    expect((await me(cookie)).json().roles).toHaveLength(1);
    await database.db.execute(sql`delete from role_grants where user_id = ${userId('registrar.a')}`);
    await settle();
    expect((await me(cookie)).json().roles).toEqual([]);
    await database.db.execute(sql`insert into role_grants (user_id, role, institution_id) values (${userId('registrar.a')}, 'registrar', ${fx.a.id})`);
    await settle();
    expect((await me(cookie)).json().roles).toHaveLength(1);
  });

  it('refuses a session at once after its user signed out everywhere, in another process too', async () => {
    const here = await signIn(app, 'bob');
    const there = await signIn(other, 'bob');
    expect((await me(here)).statusCode).toBe(200);
    expect((await me(there, other)).statusCode).toBe(200);
    expect((await as(other, { cookie: there })({ method: 'POST', url: '/api/v1/auth/logout-all' })).statusCode).toBe(200);
    await settle();
    expect((await me(here)).statusCode).toBe(401);
  });

  it('refuses the session of a user disabled by an operator at once', async () => {
    const cookie = await signIn(app, 'reviewer.a');
    expect((await me(cookie)).statusCode).toBe(200);
    await database.db.execute(sql`update users set disabled_at = now() where id = ${userId('reviewer.a')}`);
    await settle();
    expect((await me(cookie)).statusCode).toBe(401);
  });
});
