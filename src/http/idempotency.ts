// Idempotency-Key on creating POSTs: a retried request with the same key and body gets the first
// answer again instead of creating a second record; the same key with another body is refused.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/connection.js';
import { invalid, unprocessable } from '../errors.js';
import { findKey, saveKey } from '../modules/idempotency/store.js';

export async function idempotent<T>(db: Db, req: FastifyRequest, status: number, run: () => Promise<T>): Promise<{ status: number; body: T; replayed: boolean }> {
  const header = req.headers['idempotency-key'];
  const p = req.principal;
  if (header === undefined || p.kind === 'anonymous') return { status, body: await run(), replayed: false };
  const key = String(header);
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw invalid('headers.idempotency-key', 'must be 1–200 visible ASCII characters');
  const principal = p.kind === 'user' ? `user:${p.userId}` : p.kind === 'token' ? `token:${p.tokenId}` : `system:${p.name}`;
  const requestHash = createHash('sha256').update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
  const seen = await findKey(db, principal, key);
  if (seen) {
    if (seen.requestHash !== requestHash) throw unprocessable('This Idempotency-Key was used for a different request', 'headers.idempotency-key');
    return { status: seen.statusCode, body: seen.body as T, replayed: true };
  }
  const body = await run();
  await saveKey(db, { principal, key, requestHash, statusCode: status, body: body as object });
  return { status, body, replayed: false };
}
