// The mail worker: claims due messages from the outbox, sends them over SMTP (nodemailer) and marks
// them sent; a failure puts the message back with an exponential backoff. A claim is made before
// sending and lasts a lease: on PostgreSQL `FOR UPDATE SKIP LOCKED` gives each message to one
// process, so several server processes never send one message twice. Should a process die between
// sending and marking, the lease lapses and the message goes again with the same Message-ID (its
// outbox id), which lets the receiving side recognise the duplicate. Once a day (DIGEST_HOUR, in the
// bank's time zone) the notifications that users want in a digest become one e-mail each.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../../db/connection.js';
import type { App, Deps } from '../../http/types.js';
import { languageOf, renderDigest, renderMail, type Params } from './messages.js';
import { namesFor } from './service.js';
import * as store from './store.js';

export interface MailOptions {
  from: string;
  publicUrl: string;
  /** The first retry waits this long; each further one twice as long, up to retryMaxSeconds. */
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  /** A message the SMTP server refuses outright (5xx) is given up after this many attempts; one that cannot reach the server is never given up. */
  maxAttempts: number;
  /** How long a claim lasts: longer than one sending can take. */
  leaseSeconds?: number;
}

export function smtpTransport(url: string): Transporter {
  return nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never);
}

export function backoffSeconds(attempts: number, base: number, max: number) {
  return Math.min(max, base * 2 ** Math.max(0, attempts - 1));
}

/** Sends what is due, in batches, until nothing is due; returns how many were sent and how many failed this round. */
export async function sendDue(db: Db, transport: Pick<Transporter, 'sendMail'>, o: MailOptions, batch = 20) {
  const host = new URL(o.publicUrl).hostname || 'localhost';
  let sent = 0;
  let failed = 0;
  for (;;) {
    const claimed = await store.claimDue(db, batch, o.leaseSeconds ?? 300);
    if (claimed.length === 0) break;
    const names = await namesFor(
      db,
      claimed.map((m) => m.params),
    );
    let failedHere = 0;
    for (const m of claimed) {
      try {
        const lang = languageOf(m.user_id ? m.locale : m.language);
        const { _link, html, ...params } = m.params as Params & { _link?: string | null; html?: string };
        const content =
          m.kind === 'plain'
            ? { subject: m.subject ?? '', text: m.body ?? '', html: typeof html === 'string' ? html : undefined }
            : m.kind === 'digest'
              ? renderDigest((params.items as { kind: string; params: Params; link: string | null }[]) ?? [], lang, names, o.publicUrl)
              : renderMail(m.kind, params, (_link as string | null) ?? null, lang, names, o.publicUrl);
        await transport.sendMail({ from: o.from, to: m.to_address, messageId: `<${m.id}@${host}>`, ...content });
        await store.markSent(db, m.id);
        sent++;
      } catch (err) {
        failed++;
        failedHere++;
        const e = err as { responseCode?: number; message?: string };
        const refused = typeof e.responseCode === 'number' && e.responseCode >= 500;
        await store.markRetry(
          db,
          m.id,
          e.message ?? String(err),
          backoffSeconds(m.attempts, o.retryBaseSeconds, o.retryMaxSeconds),
          refused && m.attempts >= o.maxAttempts,
        );
      }
    }
    // the server is down or refusing: the rest waits for its backoff instead of being tried now
    if (failedHere === claimed.length || claimed.length < batch) break;
  }
  return { sent, failed };
}

/** The most recent moment the digest was due: DIGEST_HOUR today in the bank's time zone, or yesterday's if that is still ahead. */
export function digestCutoff(now: Date, hour: number, utcOffset: string) {
  const sign = utcOffset.startsWith('-') ? -1 : 1;
  const [h, m] = utcOffset.slice(1).split(':').map(Number);
  const offsetMs = sign * ((h ?? 0) * 60 + (m ?? 0)) * 60_000;
  const local = new Date(now.getTime() + offsetMs);
  let cutoff = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour) - offsetMs;
  if (cutoff > now.getTime()) cutoff -= 86_400_000;
  return new Date(cutoff);
}

/** Turns each user's waiting digest notifications made before the cutoff into one outbox e-mail. */
export async function queueDigests(db: Db, cutoff: Date) {
  let queued = 0;
  for (const userId of await store.digestDue(db, cutoff)) {
    await db.transaction(async (tx) => {
      const items = await store.takeDigest(tx, userId, cutoff);
      if (items.length === 0) return; // another process took them
      const contact = await store.userContact(tx, userId);
      if (!contact?.email) return;
      items.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      await store.insertMails(tx, [
        { userId, toAddress: contact.email, kind: 'digest', params: { items: items.map((i) => ({ kind: i.kind, params: i.params, link: i.link })) } },
      ]);
      queued++;
    });
  }
  return queued;
}

/** Runs the worker in the server process when SMTP_URL is set (and BACKGROUND_JOBS). */
export function startMailWorker(app: App, { database, config }: Deps) {
  const mail = config.mail;
  if (!config.backgroundJobs || !mail.smtpUrl) return;
  const transport = smtpTransport(mail.smtpUrl);
  const options: MailOptions = {
    from: mail.from,
    publicUrl: config.publicUrl,
    retryBaseSeconds: mail.retryBaseSeconds,
    retryMaxSeconds: mail.retryMaxSeconds,
    maxAttempts: mail.maxAttempts,
  };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> | undefined;
  let lastDigest = 0;
  const round = async () => {
    try {
      if (Date.now() - lastDigest > 60_000) {
        lastDigest = Date.now();
        const n = await queueDigests(database.db, digestCutoff(new Date(), mail.digestHour, config.reportUtcOffset));
        if (n) app.log.info({ digests: n }, 'notifications: daily digests queued');
      }
      const { sent, failed } = await sendDue(database.db, transport, options);
      if (sent || failed) app.log.info({ sent, failed }, 'notifications: e-mail sent');
    } catch (err) {
      app.log.error({ err }, 'notifications: mail round failed; the next round tries again');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().finally(schedule);
    }, mail.pollSeconds * 1000);
    timer.unref();
  };
  app.addHook('onReady', async () => schedule());
  app.addHook('onClose', async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
    transport.close();
  });
}
