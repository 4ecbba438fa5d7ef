// The mail worker against a real SMTP server (smtp-server, started here): messages go out once each;
// while the server is down they wait and retry with backoff, and go out once it is back; a claim that
// lapsed (a process died mid-send) is sent again under the same Message-ID; two workers at once never
// send one message twice; a message the server refuses outright is given up after MAIL_MAX_ATTEMPTS.
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { makeAlliance, type Alliance } from '../../test/fixture.js';
import { sendDue, smtpTransport, type MailOptions } from './sender.js';
import { notifyLearner, queueMail } from './service.js';
import * as store from './store.js';

const rowsOf = <T>(res: unknown) => (res as { rows: T[] }).rows;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Received {
  messageId: string;
  to: string;
  raw: string;
}

function startSmtp(port: number, received: Received[]) {
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith('refused')) return cb(Object.assign(new Error('550 no such mailbox'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? '';
        for (const r of session.envelope.rcptTo) received.push({ messageId, to: r.address, raw });
        cb();
      });
    },
  });
  return new Promise<SMTPServer>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
const stop = (s: SMTPServer) => new Promise<void>((r) => s.close(() => r()));

describe.each(backends)('the mail worker on %s', (backend) => {
  let database: TestDatabase;
  let fx: Alliance;
  let server: SMTPServer | undefined;
  let port: number;
  const received: Received[] = [];
  const options: MailOptions = {
    from: '学分银行 <bank@example.test>',
    publicUrl: 'https://bank.example.test',
    retryBaseSeconds: 0.2,
    retryMaxSeconds: 1,
    maxAttempts: 2,
    leaseSeconds: 60,
  };
  let transport: ReturnType<typeof smtpTransport>;

  const outbox = async () =>
    rowsOf<{ id: string; status: string; attempts: number; last_error: string | null }>(
      await database.db.execute(sql`select id, status, attempts, last_error from mail_outbox order by created_at, id`),
    );
  const queue = async (db: Database['db'], n: number, tag: string) => {
    await db.transaction(async (tx) => {
      for (let i = 0; i < n; i++) await queueMail(tx, { to: `learner${i}@example.test`, subject: `${tag} ${i}`, text: `message ${tag} ${i}` });
    });
  };
  /** Each outbox message reached the server exactly once. */
  const expectEachOnce = async () => {
    const sent = (await outbox()).filter((m) => m.status === 'sent');
    const ids = received.map((r) => r.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(sent.map((m) => `<${m.id}@bank.example.test>`).sort());
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    server = await startSmtp(0, received);
    port = (server.server.address() as { port: number }).port;
    transport = smtpTransport(`smtp://127.0.0.1:${port}`);
  });
  afterAll(async () => {
    transport?.close();
    if (server) await stop(server);
    await database?.drop();
  });

  it('sends what the outbox holds, each once, rendered in the learner’s language', async () => {
    await database.db.execute(sql`update users set email = 'alice@example.test', locale = 'en' where username = 'alice'`);
    await database.db.transaction(async (tx) => {
      await notifyLearner(tx, {
        learnerId: fx.alice.id,
        kind: 'decision.certification',
        params: { title: 'Web 前端', outcome: 'rejected', reason: 'number unknown', appealBy: '2026-04-01' },
        link: '/certifications/x',
      });
    });
    await queue(database.db, 2, 'first');
    expect(await sendDue(database.db, transport, options)).toEqual({ sent: 3, failed: 0 });
    expect(await sendDue(database.db, transport, options)).toEqual({ sent: 0, failed: 0 });
    const alice = received.find((r) => r.to === 'alice@example.test')!;
    expect(alice.raw).toContain('Subject: =?UTF-8?Q?=5BCredit_Bank=5D_Your_certification');
    const body = Buffer.from(
      alice.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
    expect(body).toContain('Your application “Web 前端” was rejected.\r\nReason: number unknown');
    expect(body).toContain('you may appeal until 2026-04-01');
    expect(body).toContain('Details: https://bank.example.test/certifications/x');
    await expectEachOnce();
  });

  it('keeps messages while the SMTP server is down and sends them, once, when it is back', async () => {
    await stop(server!);
    server = undefined;
    await queue(database.db, 3, 'during outage');
    const round = await sendDue(database.db, transport, options);
    expect(round.sent).toBe(0);
    expect(round.failed).toBeGreaterThan(0);
    let waiting = (await outbox()).filter((m) => m.status !== 'sent');
    expect(waiting).toHaveLength(3);
    expect(waiting.every((m) => m.status === 'pending')).toBe(true);
    expect(waiting[0]!.last_error).toMatch(/ECONNREFUSED|connect/i);
    // still down a while later: tried again, still kept (a connection error never gives up)
    await sleep(500);
    await sendDue(database.db, transport, options);
    await sleep(1100);
    await sendDue(database.db, transport, options);
    waiting = (await outbox()).filter((m) => m.status !== 'sent');
    expect(waiting.every((m) => m.status === 'pending')).toBe(true);
    expect(Math.max(...waiting.map((m) => m.attempts))).toBeGreaterThan(options.maxAttempts);

    server = await startSmtp(port, received);
    expect((await sendDue(database.db, transport, options)).sent).toBe(0); // not before its backoff
    await sleep(1100);
    expect(await sendDue(database.db, transport, options)).toEqual({ sent: 3, failed: 0 });
    expect((await outbox()).every((m) => m.status === 'sent')).toBe(true);
    await expectEachOnce();
  });

  it('sends again, under the same Message-ID, what a dead process had claimed; two workers never send one message twice', async () => {
    await queue(database.db, 1, 'claimed by a process that died');
    const [claimed] = await store.claimDue(database.db, 1, 0.3); // …and never marked
    expect(await sendDue(database.db, transport, options)).toEqual({ sent: 0, failed: 0 }); // its claim holds
    await sleep(400);
    expect(await sendDue(database.db, transport, options)).toEqual({ sent: 1, failed: 0 });
    expect(received.at(-1)!.messageId).toBe(`<${claimed!.id}@bank.example.test>`);

    await queue(database.db, 12, 'raced');
    const other = backend === 'postgres' ? (await database.reopen()).db : database.db;
    const [a, b] = await Promise.all([sendDue(database.db, transport, options, 3), sendDue(other, transport, options, 3)]);
    expect(a.sent + b.sent).toBe(12);
    await expectEachOnce();
  });

  it('gives up a message the server refuses outright after MAIL_MAX_ATTEMPTS, and sends the others', async () => {
    await database.db.transaction(async (tx) => {
      await queueMail(tx, { to: 'refused@example.test', subject: 'x', text: 'x' });
      await queueMail(tx, { to: 'fine@example.test', subject: 'y', text: 'y' });
    });
    await sendDue(database.db, transport, options);
    await sleep(300);
    await sendDue(database.db, transport, options);
    const rows = rowsOf<{ to_address: string; status: string; attempts: number }>(
      await database.db.execute(
        sql`select to_address, status, attempts from mail_outbox where to_address in ('refused@example.test', 'fine@example.test') order by to_address`,
      ),
    );
    expect(rows).toEqual([
      { to_address: 'fine@example.test', status: 'sent', attempts: 1 },
      { to_address: 'refused@example.test', status: 'failed', attempts: 2 },
    ]);
  });
});
