import { api } from './client';

/** A learner's account: `accountPath` is `/me/account` (the learner's own) or `/learners/<id>/account` (staff). */
export function fetchAccount(accountPath: string, signal?: AbortSignal) {
  const staff = /^\/learners\/([^/]+)\/account$/.exec(accountPath);
  return staff ? api.get('/learners/{id}/account', { params: { id: decodeURIComponent(staff[1]!) }, signal }) : api.get('/me/account', { signal });
}
