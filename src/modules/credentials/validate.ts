// What the VC-API issue endpoint checks before it signs: the MUSTs of the VC Data Model 2.0 (and
// of 1.1 for the wallets that still use it) that can be judged on the JSON itself. Pure; the
// first problem found is thrown as a 400 naming the field. What only a JSON-LD processor can judge
// (undefined or redefined terms) is left to signing, which refuses it with a 422.
import { decode as base58 } from 'base58-universal';
import { invalid } from '../../errors.js';
import { VC_V1, VC_V2, type Json } from './loader.js';

export type VcVersion = '1.1' | '2.0';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
/** An absolute URL (a DID or a URN counts): a scheme, no spaces. */
export const isUrl = (v: unknown): v is string => typeof v === 'string' && /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(v) && URL.canParse(v);
/** XML Schema dateTimeStamp: a date and time with its time zone. */
const DATE_TIME_STAMP = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const isDateTime = (v: unknown): v is string => typeof v === 'string' && DATE_TIME_STAMP.test(v) && !Number.isNaN(Date.parse(v));

function fail(field: string, message: string): never {
  throw invalid(`body.credential.${field}`, message);
}

/** A string or a language value object ({ "@value", "@language"?, "@direction"? }), or an array of them. */
function checkText(field: string, v: unknown) {
  for (const t of asArray(v)) {
    if (typeof t === 'string') continue;
    if (!isObject(t) || typeof t['@value'] !== 'string' || Object.keys(t).some((k) => !['@value', '@language', '@direction'].includes(k))) {
      fail(field, 'must be a string or a language value object with @value');
    }
  }
}

function checkType(field: string, v: unknown) {
  const types = asArray(v);
  if (v === undefined || types.length === 0 || types.some((t) => typeof t !== 'string' || t === ''))
    fail(field, 'must be a type name or URL, or an array of them');
}

/** credentialStatus, termsOfUse, evidence, refreshService, credentialSchema, relatedResource: objects with a type (and more for some). */
function checkObjects(c: Json, field: string, rule: { id?: 'required'; digest?: true; type?: false } = {}) {
  if (!(field in c)) return;
  const items = asArray(c[field]);
  if (items.length === 0) fail(field, 'must not be empty');
  items.forEach((o, i) => {
    const at = Array.isArray(c[field]) ? `${field}.${i}` : field;
    if (!isObject(o)) fail(at, 'must be an object');
    if (rule.type !== false) checkType(`${at}.type`, o.type);
    if ('id' in o || rule.id === 'required') {
      if (!isUrl(o.id)) fail(`${at}.id`, rule.id === 'required' ? 'is required and must be a URL' : 'must be a single URL');
    }
    if (rule.digest && typeof o.digestSRI !== 'string' && typeof o.digestMultibase !== 'string')
      fail(at, 'each related resource needs a digestSRI or digestMultibase');
    if (rule.digest) checkDigests(at, o);
  });
}

/**
 * Digests of the resources the bank knows the published bytes of, as the VC 2.0 specification
 * gives them (§B.1: the base context). The local copies the JSON-LD processor reads come from npm
 * and are formatted differently, so their bytes are not what a related resource's digest covers.
 */
const KNOWN_DIGESTS: Record<string, Partial<Record<'sha256' | 'sha384', string>>> = {
  [VC_V2]: {
    sha256: '24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9',
    sha384: '35239c36999d2155312091af194a1edb61634d6ad789a5e5b19f2aebdd762dd9d1dcaada40eda7ef921c6b8c0ae107a0',
  },
};

/** base64 or base64url, as SRI hashes and multibase 'u' values are written. */
const fromBase64 = (s: string) => Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');

/** The algorithm and bytes of a digestMultibase: a bare SHA-256 (32 bytes) or a sha2-256 / sha2-384 multihash. */
function multibaseDigest(v: string): { alg: 'sha256' | 'sha384'; bytes: Buffer } | undefined {
  let raw: Buffer;
  try {
    raw = v.startsWith('u') ? fromBase64(v.slice(1)) : v.startsWith('z') ? Buffer.from(base58(v.slice(1))) : Buffer.alloc(0);
  } catch {
    return undefined;
  }
  if (raw.length === 32) return { alg: 'sha256', bytes: raw };
  if (raw.length === 34 && raw[0] === 0x12 && raw[1] === 0x20) return { alg: 'sha256', bytes: raw.subarray(2) };
  if (raw.length === 50 && raw[0] === 0x20 && raw[1] === 0x30) return { alg: 'sha384', bytes: raw.subarray(2) };
  return undefined;
}

/**
 * A related resource's digests, where the bank knows the resource: each one it can compute must
 * match (VC 2.0 §5.3). Other resources are not fetched (the bank runs offline): their digests are
 * signed as given, for the credential's verifiers to check.
 */
function checkDigests(at: string, r: Json) {
  const known = KNOWN_DIGESTS[String(r.id)];
  if (!known) return;
  const wrong = (field: string, alg: string) => fail(`${at}.${field}`, `does not match the ${alg} digest of ${String(r.id)} (${known[alg as 'sha256']})`);
  if (typeof r.digestSRI === 'string') {
    for (const expression of r.digestSRI.trim().split(/\s+/)) {
      const [alg, value] = [expression.slice(0, expression.indexOf('-')), expression.slice(expression.indexOf('-') + 1)];
      const want = known[alg as 'sha256'];
      if (want && fromBase64(value.split('?')[0]!).toString('hex') !== want) wrong('digestSRI', alg);
    }
  }
  if (typeof r.digestMultibase === 'string') {
    const d = multibaseDigest(r.digestMultibase);
    const want = d && known[d.alg];
    if (d && want && d.bytes.toString('hex') !== want) wrong('digestMultibase', d.alg);
  }
}

/**
 * Checks a credential sent for issuing and says which data model it follows. `@context` must be
 * an array that starts with the VC 2.0 or VC 1.1 context; every other item a URL or an object.
 */
export function validateCredential(c: Json): VcVersion {
  const contexts = c['@context'];
  if (!Array.isArray(contexts) || contexts.length === 0) fail('@context', `must be an array starting with ${VC_V2} (or ${VC_V1})`);
  const version: VcVersion | undefined = contexts[0] === VC_V2 ? '2.0' : contexts[0] === VC_V1 ? '1.1' : undefined;
  if (!version) fail('@context.0', `the first context must be ${VC_V2} (or ${VC_V1})`);
  contexts.slice(1).forEach((x, i) => {
    if (!isUrl(x) && !isObject(x)) fail(`@context.${i + 1}`, 'each context must be a URL or an object');
  });
  if ('id' in c && !isUrl(c.id)) fail('id', 'must be a single URL');
  checkType('type', c.type);
  if (!asArray(c.type).includes('VerifiableCredential')) fail('type', 'must include VerifiableCredential');

  const issuerId = isObject(c.issuer) ? c.issuer.id : c.issuer;
  if (!isUrl(issuerId)) fail(isObject(c.issuer) ? 'issuer.id' : 'issuer', 'the issuer must be a URL or an object whose id is a URL');
  for (const field of ['name', 'description'] as const) {
    if (field in c) checkText(field, c[field]);
    if (isObject(c.issuer) && field in c.issuer) checkText(`issuer.${field}`, c.issuer[field]);
  }

  const subjects = asArray(c.credentialSubject);
  if (c.credentialSubject === undefined || subjects.length === 0) fail('credentialSubject', 'is required');
  subjects.forEach((s, i) => {
    const at = Array.isArray(c.credentialSubject) ? `credentialSubject.${i}` : 'credentialSubject';
    if (!isObject(s) || Object.keys(s).length === 0) fail(at, 'each subject must be an object with at least one claim');
    if ('id' in s && !isUrl(s.id)) fail(`${at}.id`, 'must be a single URL');
  });

  const dates = version === '2.0' ? (['validFrom', 'validUntil'] as const) : (['issuanceDate', 'expirationDate'] as const);
  for (const field of dates) if (field in c && !isDateTime(c[field])) fail(field, 'must be a date and time with a time zone, such as 2025-09-01T00:00:00Z');
  const [from, until] = dates.map((f) => (typeof c[f] === 'string' ? Date.parse(c[f]) : undefined));
  if (from !== undefined && until !== undefined && until < from) fail(dates[1], `must not be before ${dates[0]}`);

  checkObjects(c, 'credentialStatus');
  checkObjects(c, 'termsOfUse');
  checkObjects(c, 'evidence');
  checkObjects(c, 'refreshService');
  checkObjects(c, 'credentialSchema', { id: 'required' });
  checkObjects(c, 'relatedResource', { id: 'required', digest: true, type: false });
  const related = asArray(c.relatedResource ?? []).map((r) => (r as Json).id);
  if (new Set(related).size !== related.length) fail('relatedResource', 'each related resource must have its own id');
  return version;
}
