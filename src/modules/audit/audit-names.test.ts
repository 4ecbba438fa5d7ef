// Issue 22 (names instead of identifiers): the audit log names what each event is about — a learner,
// a course, an institution, a user — and who acted, in one extra query for the page; an entity with
// no name (or an id that is not a UUID) has none, and nothing fails.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';

type Event = {
  action: string;
  entityType: string;
  entityId: string;
  actorName: string | null;
  actorTokenName: string | null;
  entityNameZh: string | null;
  entityNameEn: string | null;
};

describe.each(backends)('audit log names on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let admin: ReturnType<typeof as>;
  let registrarA: ReturnType<typeof as>;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    admin = as(app, { cookie: await signIn(app, 'admin') });
    registrarA = as(app, { cookie: await signIn(app, 'registrar.a') });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('names learners, courses, outcomes and institutions, and who acted', async () => {
    const recorded = await registrarA({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/outcomes`,
      payload: { externalId: 'A001', courseCode: 'CS101', term: '2023-2024-1', grade: '86', completedOn: '2024-01-15' },
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    // events the log cannot name: an id that is no UUID, an entity that is gone, a type with no name
    await database.db.execute(sql`insert into audit_events (actor_user_id, institution_id, action, entity_type, entity_id, details) values
      (null, null, 'settings.certification', 'settings', 'certification', '{}'::jsonb),
      (null, null, 'learner.read', 'learner', '00000000-0000-4000-8000-000000000000', '{}'::jsonb),
      (null, null, 'course.update', 'course', 'not-a-uuid', '{}'::jsonb)`);

    const res = await admin({ method: 'GET', url: '/api/v1/audit-events?limit=200' });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Event[];
    const named = (type: string, id: string) => items.find((e) => e.entityType === type && e.entityId === id);
    expect(named('outcome', recorded.json().id)).toMatchObject({
      action: 'outcome.record',
      actorName: 'Registrar a',
      entityNameZh: 'CS101 程序设计基础',
      entityNameEn: 'CS101 Programming Fundamentals',
    });
    expect(named('institution', fx.a.id)).toMatchObject({ entityNameZh: '甲大学', entityNameEn: 'University A' });
    const learner = items.find((e) => e.entityType === 'learner' && e.entityId === fx.alice.id);
    expect(learner).toMatchObject({ entityNameZh: '张爱丽', entityNameEn: 'Zhang Aili' });
    for (const [type, id] of [
      ['settings', 'certification'],
      ['learner', '00000000-0000-4000-8000-000000000000'],
      ['course', 'not-a-uuid'],
    ]) {
      expect(named(type!, id!)).toMatchObject({ entityNameZh: null, entityNameEn: null });
    }
  });
});
