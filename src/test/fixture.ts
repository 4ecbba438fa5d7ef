// A small alliance for integration tests, made through the services, and helpers to call the app.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { Database } from '../db/connection.js';
import type { App } from '../http/types.js';
import type { Principal } from '../modules/auth/principal.js';
import { insertUserWithGrants } from '../modules/auth/service.js';
import { createCourses } from '../modules/catalog/service.js';
import { addScale, createInstitution } from '../modules/institutions/service.js';
import { createLearner } from '../modules/learners/service.js';

export const PASSWORD = 'correct-horse-battery';
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

export async function makeApp(database: Database, env: Record<string, string> = {}): Promise<App> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-test-'));
  // one master key for every server of a test, as every process of one deployment shares it
  // every test signs in from one address, many times a minute: the per-address limits are raised here
  // (a test of the limits passes '' for a setting, which restores its default)
  const config = loadConfig({
    NODE_ENV: 'test',
    BODY_LIMIT_BYTES: '65536',
    DATA_DIR: dataDir,
    BACKGROUND_JOBS: '0',
    CREDENTIALS_MASTER_KEY: TEST_MASTER_KEY,
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  });
  const app = await buildApp({ database, config });
  await app.ready();
  return app;
}

export async function makeAlliance(database: Pick<Database, 'db'>) {
  const { db } = database;
  const adminUser = await insertUserWithGrants(db, {
    username: 'admin',
    password: PASSWORD,
    displayName: 'Admin',
    grants: [{ role: 'admin', institutionId: null }],
  });
  const admin: Principal = {
    kind: 'user',
    userId: adminUser.id,
    username: 'admin',
    displayName: 'Admin',
    learnerId: null,
    grants: [{ role: 'admin', institutionId: null }],
  };

  const a = await createInstitution(db, admin, {
    code: 'UNIA',
    nameZh: '甲大学',
    nameEn: 'University A',
    kind: 'university',
    country: 'CN',
    creditSystem: { unit: 'credit', hoursPerCredit: '16', hourType: 'contact', effectiveFrom: '2015-09-01' },
  });
  const b = await createInstitution(db, admin, {
    code: 'COLB',
    nameZh: '乙职业学院',
    nameEn: 'College B',
    kind: 'vocational_college',
    country: 'CN',
    creditSystem: { unit: 'credit', hoursPerCredit: '16', hourType: 'contact', effectiveFrom: '2015-09-01' },
  });
  await addScale(db, admin, a.id, {
    code: 'pct',
    nameZh: '百分制',
    nameEn: 'Percentage',
    definition: { type: 'percentage', passMin: 60, decimals: 0 },
    effectiveFrom: '2015-09-01',
  });
  await addScale(db, admin, b.id, {
    code: 'five',
    nameZh: '五级制',
    nameEn: 'Five levels',
    definition: {
      type: 'levels',
      levels: [
        { code: '优', labelZh: '优', labelEn: 'Excellent', passing: true },
        { code: '良', labelZh: '良', labelEn: 'Good', passing: true },
        { code: '中', labelZh: '中', labelEn: 'Fair', passing: true },
        { code: '及格', labelZh: '及格', labelEn: 'Pass', passing: true },
        { code: '不及格', labelZh: '不及格', labelEn: 'Fail', passing: false },
      ],
    },
    effectiveFrom: '2015-09-01',
  });
  const courseA = (await createCourses(db, admin, a.id, [
    { code: 'CS101', titleZh: '程序设计基础', titleEn: 'Programming Fundamentals', credits: '3.5', hours: 56, iscedCode: '0613' },
    { code: 'MA101', titleZh: '高等数学', titleEn: 'Calculus', credits: '5', hours: 80, iscedCode: '0541' },
  ]))!;
  const courseB = await createCourses(db, admin, b.id, [
    { code: 'SW101', titleZh: '软件基础', titleEn: 'Software Basics', credits: '4', hours: 64, iscedCode: '0613' },
  ]);

  for (const [inst, code] of [
    [a, 'a'],
    [b, 'b'],
  ] as const) {
    await insertUserWithGrants(db, {
      username: `registrar.${code}`,
      password: PASSWORD,
      displayName: `Registrar ${code}`,
      grants: [{ role: 'registrar', institutionId: inst.id }],
    });
    await insertUserWithGrants(db, {
      username: `reviewer.${code}`,
      password: PASSWORD,
      displayName: `Reviewer ${code}`,
      grants: [{ role: 'reviewer', institutionId: inst.id }],
    });
  }
  await insertUserWithGrants(db, { username: 'committee', password: PASSWORD, displayName: 'Committee', grants: [{ role: 'committee', institutionId: null }] });
  const alice = await createLearner(db, admin, a.id, {
    fullName: '张爱丽',
    fullNameLatin: 'Zhang Aili',
    birthDate: '2002-05-01',
    externalId: 'A001',
    login: { username: 'alice', password: PASSWORD },
  });
  const bob = await createLearner(db, admin, b.id, {
    fullName: '李博',
    fullNameLatin: 'Li Bo',
    birthDate: '2001-01-09',
    externalId: 'B001',
    login: { username: 'bob', password: PASSWORD },
  });
  return { admin, a, b, courseA, courseB, alice, bob };
}

export type Alliance = Awaited<ReturnType<typeof makeAlliance>>;

/** Signs in through the API and returns the cookie header to send. */
export async function signIn(app: App, username: string, password = PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'cb_session');
  return `cb_session=${cookie!.value}`;
}

/** A caller bound to a cookie or bearer token. */
export function as(app: App, auth?: { cookie?: string; token?: string }) {
  return (opts: InjectOptions): Promise<LightMyRequestResponse> =>
    app.inject({
      ...opts,
      headers: {
        ...(auth?.cookie ? { cookie: auth.cookie } : {}),
        ...(auth?.token ? { authorization: `Bearer ${auth.token}` } : {}),
        ...(opts.headers ?? {}),
      },
    });
}
