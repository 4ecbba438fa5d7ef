// Notifications: an in-app inbox and e-mail, written in the same transaction as the event that
// causes them (the outbox), sent later by the worker in sender.ts. Other modules call, inside their
// own transaction, `notify` (one user or address), `notifyStaff` (the staff of a queue),
// `notifyLearner` (a learner, through their account or the e-mail on record) or `queueMail` (a
// plain e-mail, e.g. a verification link). Each user chooses per kind: inbox only, inbox and e-mail,
// inbox and a daily digest e-mail, or off.
import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.js';
import { forbidden, invalid } from '../../errors.js';
import { decodeCursor, page } from '../../pagination.js';
import { requireSignedIn, type Principal } from '../auth/principal.js';
import { institutionSummaries } from '../institutions/service.js';
import { isKind, KINDS, languageOf, render, TEMPLATES, type Channel, type Language, type Names, type Params } from './messages.js';
import * as store from './store.js';

export { KINDS } from './messages.js';

/** What a notification is about (messages.ts TEMPLATES): queue.*, decision.*, enrolment.request, credential.*, import.finished. */
export type NotificationKind = string;

export interface NotifyInput {
  /** Tell a user of the bank (their inbox, and e-mail as they prefer)… */
  userId?: string;
  /** …or an e-mail address without an account (e-mail only, rendered in `language`). */
  email?: string;
  kind: NotificationKind;
  /** The values the message is rendered from, in the reader's language at send/display time; `institutionId` is shown as the institution's name. */
  params?: Params;
  /** Where the reader should go, a path in the web app (e.g. /certifications/…). */
  link?: string;
  /** For `email` recipients: 'zh-CN' (default) or 'en'. */
  language?: string;
}

interface Recipient {
  userId: string | null;
  email: string | null;
  language?: string;
}

/** Writes the inbox rows and outbox e-mails of one event for its recipients, as each prefers. */
async function deliver(tx: Executor, recipients: Recipient[], kind: string, params: Params, link: string | null) {
  if (!isKind(kind)) throw new Error(`Unknown notification kind ${kind}`);
  const seen = new Set<string>();
  const unique = recipients.filter((r) => {
    const key = r.userId ?? `mail:${r.email?.toLowerCase()}`;
    if (seen.has(key) || (!r.userId && !r.email)) return false;
    seen.add(key);
    return true;
  });
  const chosen = await store.channelsOf(
    tx,
    unique.flatMap((r) => (r.userId ? [r.userId] : [])),
    kind,
  );
  const inbox: Parameters<typeof store.insertNotifications>[1] = [];
  const mails: Parameters<typeof store.insertMails>[1] = [];
  for (const r of unique) {
    const channel: Channel = r.userId ? (chosen.get(r.userId) ?? TEMPLATES[kind]!.default) : 'email';
    if (channel === 'off') continue;
    if (r.userId) inbox.push({ userId: r.userId, kind, params, link, digest: channel === 'digest' && !!r.email });
    if (channel === 'email' && r.email)
      mails.push({ userId: r.userId, toAddress: r.email, language: r.userId ? null : languageOf(r.language), kind, params: { ...params, _link: link } });
  }
  await store.insertNotifications(tx, inbox);
  await store.insertMails(tx, mails);
}

/** Records a notification inside the caller's transaction (inbox row and/or outbox e-mail per the user's preference). */
export async function notify(tx: Executor, input: NotifyInput): Promise<void> {
  const params = input.params ?? {};
  if (input.userId) {
    const c = await store.userContact(tx, input.userId);
    if (c) await deliver(tx, [c], input.kind, params, input.link ?? null);
  } else if (input.email) {
    await deliver(tx, [{ userId: null, email: input.email, language: input.language }], input.kind, params, input.link ?? null);
  }
}

/**
 * Tells the staff who work a queue: the holders of `roles` at the institution (null: the bank-wide
 * committee or administrators), except `exceptUserId` (whoever caused the event).
 */
export async function notifyStaff(
  tx: Executor,
  input: {
    institutionId: string | null;
    roles: ('registrar' | 'reviewer' | 'committee' | 'admin')[];
    kind: NotificationKind;
    params?: Params;
    link?: string;
    exceptUserId?: string | null;
  },
): Promise<void> {
  const staff = (await store.staffOf(tx, input.institutionId, input.roles)).filter((s) => s.userId !== input.exceptUserId);
  if (staff.length === 0) return;
  await deliver(tx, staff, input.kind, { ...(input.institutionId ? { institutionId: input.institutionId } : {}), ...input.params }, input.link ?? null);
}

/** Tells a learner: through their account (inbox and e-mail as they prefer), or by e-mail to the address on record when they have none. */
export async function notifyLearner(tx: Executor, input: { learnerId: string; kind: NotificationKind; params?: Params; link?: string }): Promise<void> {
  const c = await store.learnerContact(tx, input.learnerId);
  if (!c) return;
  await deliver(tx, [c], input.kind, input.params ?? {}, input.link ?? null);
}

/**
 * A last e-mail to a learner whose personal data is erased in the same transaction: sent to the address
 * on record (no inbox: the sign-in closes), rendered now in their language, and the outbox forgets the
 * address once the message is sent or given up (store.markSent, store.markRetry). Call it before the erasure.
 */
export async function farewellLearner(tx: Executor, input: { learnerId: string; kind: NotificationKind; params?: Params }): Promise<void> {
  const c = await store.learnerContact(tx, input.learnerId);
  if (!c?.email) return;
  const lang = languageOf(c.locale);
  const { title, body } = render(input.kind, input.params ?? {}, lang, new Map());
  const subject = lang === 'en' ? `[Credit Bank] ${title}` : `【学分银行】${title}`;
  await store.insertMails(tx, [
    {
      userId: null,
      toAddress: c.email,
      language: lang,
      kind: 'plain',
      subject,
      body: `${body}\n\n${lang === 'en' ? '— The Credit Bank' : '——学分银行'}\n`,
      params: { _forget: true },
    },
  ]);
}

/** Queues one plain e-mail (no preference, no inbox: e.g. a verification link) inside the caller's transaction. */
export async function queueMail(tx: Executor, mail: { to: string; subject: string; text: string; html?: string }): Promise<void> {
  await store.insertMails(tx, [
    { userId: null, toAddress: mail.to, kind: 'plain', subject: mail.subject, body: mail.text, params: mail.html ? { html: mail.html } : {} },
  ]);
}

// ---- the inbox, for its owner

/** The institutions named in notifications' params, for rendering. */
export async function namesFor(db: Executor, params: Params[]): Promise<Names> {
  const ids = [...new Set(params.flatMap((p) => (typeof p.institutionId === 'string' ? [p.institutionId] : [])))];
  return ids.length ? await institutionSummaries(db, ids) : new Map();
}

function ownUser(p: Principal) {
  const actor = requireSignedIn(p);
  if (actor.kind !== 'user') throw forbidden('Notifications belong to people signed in, not to API tokens');
  return actor;
}

/** The language a message is shown in: what the browser asks for, else the user's own. */
async function readerLanguage(db: Executor, userId: string, acceptLanguage: string | undefined): Promise<Language> {
  if (acceptLanguage) return languageOf(acceptLanguage.split(',')[0]);
  return languageOf((await store.userContact(db, userId))?.locale);
}

export async function listInbox(db: Db, p: Principal, q: { cursor?: string; limit: number; unread: boolean }, acceptLanguage?: string) {
  const actor = ownUser(p);
  const isCursor = (v: unknown): v is [string, string] => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string');
  const before = decodeCursor(q.cursor, isCursor);
  const rows = await store.inbox(db, actor.userId, { before, limit: q.limit + 1, unread: q.unread });
  const paged = page(rows, q.limit, (last) => [last.createdAt.toISOString(), last.id]);
  const lang = await readerLanguage(db, actor.userId, acceptLanguage);
  const names = await namesFor(
    db,
    paged.items.map((r) => r.params),
  );
  return {
    items: paged.items.map((r) => ({
      id: r.id,
      kind: r.kind,
      ...render(r.kind, r.params, lang, names),
      link: r.link,
      createdAt: r.createdAt.toISOString(),
      readAt: r.readAt?.toISOString() ?? null,
    })),
    nextCursor: paged.nextCursor,
    unread: await store.unreadCount(db, actor.userId),
  };
}

export async function unreadCount(db: Db, p: Principal) {
  return { unread: await store.unreadCount(db, ownUser(p).userId) };
}

export async function markRead(db: Db, p: Principal, ids: string[] | 'all') {
  const actor = ownUser(p);
  const changed = await store.markRead(db, actor.userId, ids);
  return { changed, unread: await store.unreadCount(db, actor.userId) };
}

// ---- preferences

export async function preferences(db: Db, p: Principal) {
  const actor = ownUser(p);
  const mine = new Map((await store.preferencesOf(db, actor.userId)).map((r) => [r.kind, r.channel]));
  const contact = await store.userContact(db, actor.userId);
  return {
    email: contact?.email ?? null,
    language: languageOf(contact?.locale),
    kinds: KINDS.map((kind) => ({
      kind,
      audience: TEMPLATES[kind]!.audience,
      default: TEMPLATES[kind]!.default,
      channel: mine.get(kind) ?? TEMPLATES[kind]!.default,
    })),
  };
}

export async function setPreferences(db: Db, p: Principal, body: { language?: Language; kinds?: { kind: string; channel: Channel }[] }) {
  const actor = ownUser(p);
  body.kinds?.forEach((k, i) => {
    if (!isKind(k.kind)) throw invalid(`body.kinds.${i}.kind`, `must be one of ${KINDS.join(', ')}`);
  });
  await db.transaction(async (tx) => {
    if (body.kinds) await store.setPreferences(tx, actor.userId, body.kinds);
    // the language messages are written in: the user's locale (read again when each e-mail is sent)
    if (body.language) await tx.execute(sql`update users set locale = ${body.language} where id = ${actor.userId}`);
  });
  return preferences(db, p);
}

/** Erasure (privacy): the user's inbox, preferences and e-mails, with the address, in the caller's transaction. */
export async function eraseNotificationsOf(tx: Executor, userId: string): Promise<void> {
  await store.deleteAllOf(tx, userId);
}
