// One-time tokens (e-mail verification, password reset, the second step of a sign-in): only their
// hash is stored. auth's sign-in starts a second-factor challenge here, without the account use
// cases (which themselves sign people in through auth), so the two modules do not import each other.
import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../../db/connection.js';
import * as store from './store.js';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
export const newSecret = () => randomBytes(32).toString('base64url');

/** How long the second step of a sign-in may wait for its code. */
const SECOND_FACTOR_MINUTES = 5;

export async function issueToken(db: Executor, userId: string, purpose: store.TokenPurpose, minutes: number) {
  const token = newSecret();
  const expiresAt = new Date(Date.now() + minutes * 60_000);
  await store.insertToken(db, { tokenHash: sha256(token), userId, purpose, expiresAt });
  return { token, expiresAt };
}

export async function issueSecondFactorChallenge(db: Executor, userId: string) {
  const { token, expiresAt } = await issueToken(db, userId, 'mfa_login', SECOND_FACTOR_MINUTES);
  return { challenge: token, expiresAt: expiresAt.toISOString() };
}
