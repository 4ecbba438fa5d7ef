// The request log holds no secrets: share ids, tokens in URLs, Authorization and Cookie headers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { backends, openTestDatabase, type TestDatabase } from '../test/db.js';
import { makeAlliance, signIn, TEST_MASTER_KEY } from '../test/fixture.js';
import type { App } from './types.js';
import { redactUrl } from './logging.js';

describe('redactUrl', () => {
  it('hides share ids and secret query parameters, and keeps the rest', () => {
    expect(redactUrl('/verify/AbC_123-xyz')).toBe('/verify/[redacted]');
    expect(redactUrl('/api/v1/shares/AbC_123/withdraw')).toBe('/api/v1/shares/[redacted]/withdraw');
    expect(redactUrl('/api/v1/credentials/4f1c/pdf?share=AbC&lang=en')).toBe('/api/v1/credentials/4f1c/pdf?share=[redacted]&lang=en');
    expect(redactUrl('/x?access_token=s3cr3t&token=t0k')).toBe('/x?access_token=[redacted]&token=[redacted]');
    expect(redactUrl('/api/v1/institutions?limit=10')).toBe('/api/v1/institutions?limit=10');
  });
});

describe.each(backends)('the request log on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  const lines: string[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-log-'));

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await makeAlliance(database);
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      BACKGROUND_JOBS: '0',
      CREDENTIALS_MASTER_KEY: TEST_MASTER_KEY,
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
    });
    app = await buildApp({ database, config }, { logger: { level: 'info', stream } });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs requests without share ids, tokens or session cookies', async () => {
    const cookie = await signIn(app, 'alice');
    const session = /cb_session=([^;]+)/.exec(cookie)![1]!;
    const start = lines.length;
    await app.inject({ method: 'GET', url: '/api/v1/shares/SHAREsecret0001' });
    await app.inject({ method: 'POST', url: '/api/v1/shares/SHAREsecret0002/withdraw', headers: { cookie } });
    await app.inject({ method: 'GET', url: '/verify/SHAREsecret0003' });
    await app.inject({ method: 'GET', url: '/api/v1/credentials/00000000-0000-4000-8000-000000000000/pdf?share=SHAREsecret0004', headers: { cookie } });
    await app.inject({ method: 'GET', url: '/api/v1/institutions', headers: { authorization: 'Bearer cbk_deadbeef_TOKENsecret0005' } });
    await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });

    const log = lines.join('');
    // one line per request, when it is answered, with its status and time
    const answered = lines.slice(start).filter((l) => l.includes('request completed'));
    expect(answered).toHaveLength(6);
    expect(JSON.parse(answered.at(-1)!)).toMatchObject({
      req: { method: 'GET', url: '/api/v1/auth/me' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    expect(log).not.toContain('incoming request');
    expect(log).toContain('/api/v1/shares/[redacted]/withdraw');
    expect(log).toContain('/verify/[redacted]');
    for (const secret of ['SHAREsecret', 'TOKENsecret', 'cbk_deadbeef', session]) expect(log, secret).not.toContain(secret);
  });
});
