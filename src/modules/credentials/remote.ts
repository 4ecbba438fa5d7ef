// Other issuers' documents: their did:web DID documents and their status list credentials, fetched
// only from the hosts an operator lists in REMOTE_ISSUER_HOSTS (none by default: a bank does not
// make requests to wherever a credential points). Over https, JSON only, at most 256 kB within
// 5 s, remembered for ten minutes; anything else is refused with the reason, and a verification
// says what it could not check.
import type { Json } from './loader.js';
import type { Trust } from './trust.js';

const MAX_BYTES = 256 * 1024;
const TIMEOUT_MS = 5_000;
const KEEP_MS = 10 * 60_000;
const KEEP_AT_MOST = 1_000;

export class RemoteRefused extends Error {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`${url}: ${reason}`);
  }
}

/** Where a did:web's document is (did:web:host%3Aport:path:to → https://host:port/path/to/did.json). */
export function didWebUrl(did: string): string | undefined {
  const parts = did.split(':');
  if (parts.length < 3 || parts[0] !== 'did' || parts[1] !== 'web' || parts.some((p) => p === '')) return undefined;
  try {
    const [host, ...path] = parts.slice(2).map(decodeURIComponent);
    if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host!) || path.some((p) => p.includes('/') || p === '.' || p === '..')) return undefined;
    return `https://${host}/${path.length ? path.map(encodeURIComponent).join('/') : '.well-known'}/did.json`;
  } catch {
    return undefined;
  }
}

/** Whether the operator lets the bank fetch from the host of `url` (https only). */
export function mayFetch(trust: Trust, url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && !u.username && !u.password && (trust.remoteHosts ?? []).includes(u.host.toLowerCase());
  } catch {
    return false;
  }
}

const kept = new Map<string, { at: number; doc: Promise<Json> }>();

/** A JSON document from an allowed host, remembered for ten minutes (a failure is not remembered). */
export function fetchRemote(trust: Trust, url: string): Promise<Json> {
  if (!mayFetch(trust, url)) return Promise.reject(new RemoteRefused(url, 'not a host this bank fetches from (an operator may add it to REMOTE_ISSUER_HOSTS)'));
  const hit = kept.get(url);
  if (hit && Date.now() - hit.at < KEEP_MS) return hit.doc;
  if (kept.size >= KEEP_AT_MOST) kept.delete(kept.keys().next().value!);
  const doc = load(trust.fetch ?? fetch, url);
  kept.set(url, { at: Date.now(), doc });
  doc.catch(() => kept.delete(url));
  return doc;
}

async function load(get: typeof fetch, url: string): Promise<Json> {
  let res: Response;
  try {
    res = await get(url, {
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { accept: 'application/did+json, application/vc+ld+json, application/ld+json, application/json' },
    });
  } catch (e) {
    throw new RemoteRefused(url, `could not be fetched (${(e as Error).name === 'TimeoutError' ? 'no answer within 5 s' : (e as Error).message})`);
  }
  if (!res.ok) throw new RemoteRefused(url, `answered ${res.status}`);
  if (!/json/.test(res.headers.get('content-type') ?? '')) throw new RemoteRefused(url, 'did not answer with JSON');
  if (Number(res.headers.get('content-length') ?? 0) > MAX_BYTES) throw new RemoteRefused(url, 'is larger than 256 kB');
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > MAX_BYTES) throw new RemoteRefused(url, 'is larger than 256 kB');
  try {
    const doc: unknown = JSON.parse(body.toString('utf8'));
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) return doc as Json;
  } catch {
    /* answered below */
  }
  throw new RemoteRefused(url, 'is not a JSON object');
}

/** Forgets what was fetched (tests; an operator who changed the allowed hosts restarts anyway). */
export function forgetRemote() {
  kept.clear();
}
