// What the VC-API issue endpoint checks before it signs: the MUSTs of the VC Data Model 2.0 (and
// of 1.1 for the wallets that still use it) that can be judged on the JSON itself. Pure; the
// first problem found is thrown as a 400 naming the field. What only a JSON-LD processor can judge
// (undefined or redefined terms) is left to signing, which refuses it with a 422.
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
  if (v === undefined || types.length === 0 || types.some((t) => typeof t !== 'string' || t === '')) fail(field, 'must be a type name or URL, or an array of them');
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
    if (rule.digest && typeof o.digestSRI !== 'string' && typeof o.digestMultibase !== 'string') fail(at, 'each related resource needs a digestSRI or digestMultibase');
  });
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
