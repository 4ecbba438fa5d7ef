// Raw uploads: readable by the server's user only, and deleted after UPLOAD_RETENTION_DAYS while the
// job's report stays.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';
import { loadConfig } from '../../config.js';
import { sweepUploads } from './uploads.js';

function multipart(filename: string, content: Buffer) {
  const boundary = '----cbtest' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(backends)('raw uploads on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let registrar: ReturnType<typeof as>;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-uploads-'));
  const uploads = path.join(dataDir, 'uploads');

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    fs.mkdirSync(uploads, { mode: 0o755 }); // as an older version left it
    fs.chmodSync(uploads, 0o755);
    app = await makeApp(database, { DATA_DIR: dataDir });
    registrar = as(app, { cookie: await signIn(app, 'registrar.a') });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps an upload 0600 in a 0700 directory, deletes it after the retention and keeps the report', async () => {
    const csv = Buffer.from('学号,姓名,出生日期,证件类型,证件号码\nA900,试用,2001-01-01,其他,X-123456\n');
    const m = multipart('learners.csv', csv);
    const res = await registrar({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/imports/learners?mode=dry_run&wait=true`,
      payload: m.payload,
      headers: m.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    const job = res.json();
    const files = fs.readdirSync(uploads).filter((f) => !f.startsWith('.'));
    expect(files).toHaveLength(1);
    const file = path.join(uploads, files[0]!);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(uploads).mode & 0o777).toBe(0o700);

    // a file younger than the retention stays; one older goes
    expect(sweepUploads(uploads, 30)).toBe(0);
    const old = new Date(Date.now() - 31 * 86_400_000);
    fs.utimesSync(file, old, old);
    expect(sweepUploads(uploads, 30)).toBe(1);
    expect(fs.existsSync(file)).toBe(false);

    // the job and its report are still there
    const back = await registrar({ method: 'GET', url: `/api/v1/imports/${job.id}` });
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ id: job.id, status: 'done', rowsRead: 1 });
    const report = await registrar({ method: 'GET', url: `/api/v1/imports/${job.id}/report.csv` });
    expect(report.statusCode).toBe(200);
  });

  it('reads UPLOAD_RETENTION_DAYS, 30 by default', () => {
    expect(loadConfig({}).uploadRetentionDays).toBe(30);
    expect(loadConfig({ UPLOAD_RETENTION_DAYS: '7' }).uploadRetentionDays).toBe(7);
    expect(() => loadConfig({ UPLOAD_RETENTION_DAYS: '0' })).toThrow(/UPLOAD_RETENTION_DAYS/);
  });
});
