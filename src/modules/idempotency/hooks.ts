// Idempotency-Key (IETF draft "The Idempotency-Key HTTP Header Field") on every POST a signed-in
// caller makes: the key is claimed in the database before the request runs, so of two requests with
// one key exactly one runs. A concurrent duplicate waits for the first to finish and gets its answer,
// or 409 while it is still running; a later repeat gets the stored status and body replayed (for 24
// hours); the same key with another request is refused with 422. A request that fails on the
// server's side (5xx) or collides with another (409 transient) lets go of its key, so it may be
// retried. While a request runs its claim is renewed; a claim its process stopped renewing (it died)
// is taken over after three minutes.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/connection.js';
import { AppError, invalid, unprocessable } from '../../errors.js';
import type { App } from '../../http/types.js';
import { claimKey, finishKey, findKey, releaseKey, renewKey } from './store.js';

/** How long a duplicate waits for the first request before it is told to come back. */
const WAIT_MS = 10_000;
/** How often a running request renews its claim. */
const RENEW_MS = 60_000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { principal: string; key: string; renew: NodeJS.Timeout };
  }
}

function requestHash(req: FastifyRequest): string {
  // a multipart body is not read yet: its length stands for it (a retry draws a new boundary, of one length)
  const body = req.isMultipart() ? `multipart ${req.headers['content-length']}` : JSON.stringify(req.body ?? null);
  return createHash('sha256').update(`${req.method} ${req.url}\n${body}`).digest('hex');
}

function replay(reply: FastifyReply, statusCode: number, body: unknown) {
  reply.header('idempotent-replayed', 'true');
  return reply
    .code(statusCode)
    .type(statusCode >= 400 ? 'application/problem+json' : 'application/json')
    .send(body);
}

export function idempotency(app: App, db: Db) {
  app.addHook('preHandler', async (req, reply) => {
    const header = req.headers['idempotency-key'];
    if (req.method !== 'POST' || header === undefined || req.principal.kind === 'anonymous') return;
    const key = String(header);
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw invalid('headers.idempotency-key', 'must be 1–200 visible ASCII characters');
    const p = req.principal;
    const principal = p.kind === 'user' ? `user:${p.userId}` : p.kind === 'token' ? `token:${p.tokenId}` : `system:${p.name}`;
    const hash = requestHash(req);
    for (let waited = 0; ; waited += 50) {
      if (await claimKey(db, principal, key, hash)) {
        req.idempotency = { principal, key, renew: setInterval(() => void renewKey(db, principal, key).catch(() => undefined), RENEW_MS).unref() };
        return;
      }
      const seen = await findKey(db, principal, key);
      if (!seen) continue; // the first one failed and let go meanwhile: claim it again
      if (seen.requestHash !== hash)
        throw unprocessable('This Idempotency-Key was used for a different request', 'headers.idempotency-key', { code: 'idempotency_key_reused' });
      if (seen.state === 'done') return replay(reply, seen.statusCode!, seen.body);
      if (waited >= WAIT_MS) {
        reply.header('retry-after', '5');
        throw new AppError(
          'conflict',
          'A request with this Idempotency-Key is still in progress; repeat it later to get its answer',
          [{ path: 'headers.idempotency-key', message: 'in progress' }],
          {
            code: 'idempotency_in_progress',
          },
        );
      }
      await sleep(50);
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const k = req.idempotency;
    if (!k) return payload;
    req.idempotency = undefined;
    clearInterval(k.renew);
    let body: unknown;
    try {
      body = typeof payload === 'string' ? JSON.parse(payload) : undefined;
    } catch {
      body = undefined;
    }
    // an answer that cannot be stored (a file, a stream), a failure of ours or a collision is not replayed
    const transient = reply.statusCode === 409 && (body as { code?: unknown } | undefined)?.code === 'transient';
    if (reply.statusCode >= 500 || body === undefined || transient) await releaseKey(db, k.principal, k.key);
    else await finishKey(db, k.principal, k.key, reply.statusCode, body);
    return payload;
  });
}
