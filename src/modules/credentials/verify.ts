// Verifying a credential or presentation, ours or another issuer's (did:key, this bank's did:web
// issuers, or did:web on a host the operator allows, with its status lists: remote.ts): signature through the Data Integrity libraries (or Ed25519Signature2020), then dates and, for this bank's status
// lists, status straight from the database. The verdict names one status and says why.
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as rdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { createVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import * as vc from '@digitalbazaar/vc';
import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import type { Executor } from '../../db/connection.js';
import * as institutions from '../institutions/api.js';
import { codeOfDid, decodeOrUndefined } from './keys.js';
import { checkProof } from './proofs.js';
import { UnknownDocumentError, VC_V1, VC_V2, type DocumentLoader, type Json } from './loader.js';
import { fetchRemote, mayFetch } from './remote.js';
import { flaggedOf, LIST_SIZE, PURPOSES } from './status.js';
import * as store from './store.js';
import type { Trust } from './trust.js';

export const VERDICTS = ['valid', 'revoked', 'suspended', 'expired', 'not_yet_valid', 'altered', 'unknown_issuer', 'malformed'] as const;
export type Verdict = (typeof VERDICTS)[number];

interface Problem {
  code: string;
  message: string;
}

export interface Verification {
  verified: boolean;
  status: Verdict;
  checks: string[];
  warnings: Problem[];
  errors: Problem[];
  credentialId: string | null;
  issuer: { id: string | null; name: string | null; ofThisBank: boolean };
  holder: string[];
  achievement: {
    name: string | null;
    type: string | null;
    code: string | null;
    field: string | null;
    creditsEarned: number | null;
    creditsAvailable: number | null;
    result: string | null;
    term: string | null;
  } | null;
  validFrom: string | null;
  validUntil: string | null;
  cryptosuite: string | null;
  statusChange: { status: string; reason: string; at: string } | null;
  /** For a transcript (CLR): the credentials inside it, each verified in turn. */
  included: { name: string | null; status: Verdict }[] | null;
}

/** What other issuers sign with: Data Integrity (eddsa-rdfc-2022, eddsa-jcs-2022) and the older Ed25519Signature2020. */
const verifySuites = () => [
  new DataIntegrityProof({ cryptosuite: rdfc }),
  new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() }),
  new Ed25519Signature2020(),
];

/**
 * Each proof must verify and be made for assertion by a key its controller lists; whether the
 * issuer signed is checked before (one proof by the issuer is enough: the others are co-signers').
 */
class AssertionByAnySigner extends vc.CredentialIssuancePurpose {
  override async validate(proof: unknown, options: unknown) {
    const r = await super.validate(proof, options);
    return !r.valid && /issuer must match/.test(String(r.error?.message)) ? { valid: true } : r;
  }
}
const purpose = () => new AssertionByAnySigner();

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const str = (v: unknown) => (typeof v === 'string' ? v : null);
const numOrNull = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : null);

/** What the credential says, read defensively: it may be anything a visitor pasted. */
function summary(c: Json) {
  const issuer = isObject(c.issuer) ? c.issuer : { id: c.issuer };
  const subject: Json = asArray(c.credentialSubject).find(isObject) ?? {};
  const achievement: Json | null = isObject(subject.achievement) ? subject.achievement : null;
  const names = asArray(subject.identifier as Json[])
    .filter((i) => isObject(i) && i.identityType === 'name' && i.hashed !== true)
    .map((i) => String(i.identityHash));
  const proof = asArray(c.proof as Json[]).find(isObject);
  return {
    credentialId: str(c.id),
    issuer: { id: str(issuer.id), name: str(issuer.name) },
    holder: names.length ? names : asArray(subject.name as string).filter((n) => typeof n === 'string'),
    achievement: achievement && {
      name: str(achievement.name),
      type: str(achievement.achievementType),
      code: str(achievement.humanCode),
      field: str(achievement.fieldOfStudy),
      creditsEarned: numOrNull(subject.creditsEarned),
      creditsAvailable: numOrNull(achievement.creditsAvailable),
      result: str(asArray(subject.result as Json[]).find(isObject)?.value),
      term: str(subject.term),
    },
    validFrom: str(c.validFrom) ?? str(c.issuanceDate),
    validUntil: str(c.validUntil) ?? str(c.expirationDate),
    cryptosuite: str(proof?.cryptosuite) ?? str(proof?.type),
    proofCreated: str(proof?.created),
    verificationMethod: str(proof?.verificationMethod),
  };
}

/** Every error inside a library's error, depth first. */
function* causes(e: unknown): Generator<Json> {
  if (!isObject(e) && !(e instanceof Error)) return;
  const err = e as Json;
  yield err;
  for (const inner of asArray(err.errors as unknown[])) yield* causes(inner);
  if (err.cause) yield* causes(err.cause);
  if (err.details?.cause) yield* causes(err.details.cause);
}

function signatureProblem(e: unknown): { status: Verdict; problem: Problem } {
  for (const c of causes(e)) {
    if (c instanceof UnknownDocumentError) {
      return c.url.startsWith('did:')
        ? {
            status: 'unknown_issuer',
            problem: {
              code: 'unknown_issuer',
              message:
                c.reason ??
                `The signing key ${c.url} cannot be resolved: only did:key, this bank's issuers and did:web on the hosts this bank fetches from are known here`,
            },
          }
        : { status: 'malformed', problem: { code: 'unknown_context', message: `The context ${c.url} is not one this bank knows` } };
    }
    if (c.name === 'jsonld.ValidationError') {
      const term = c.details?.event?.details?.term ?? c.details?.event?.details?.property;
      return {
        status: 'altered',
        problem: {
          code: 'undefined_term',
          message: term ? `"${term}" is not defined by the credential's contexts: it was added or renamed` : String(c.message),
        },
      };
    }
  }
  const messages = [...causes(e)].map((c) => String(c.message ?? '')).filter(Boolean);
  const key = messages.find((m) => /verification method|controller|not authorized|assertionMethod/i.test(m));
  if (key) return { status: 'unknown_issuer', problem: { code: 'key_not_authorized', message: key } };
  return {
    status: 'altered',
    problem: { code: 'invalid_signature', message: 'The signature does not match the content: the credential was changed after it was signed' },
  };
}

/** The public key of a verification method for assertion: from a did:key itself, or from one of this bank's issuers' DID documents. */
async function keyOf(x: { loader: DocumentLoader }, vm: string): Promise<string | undefined> {
  const [did, fragment] = vm.split('#');
  if (did!.startsWith('did:key:')) return did!.slice(8) === fragment ? fragment : undefined;
  const { document } = await x.loader(did!);
  const method = (document as Json).verificationMethod?.find((m: Json) => m.id === vm);
  return (document as Json).assertionMethod?.includes(vm) ? method?.publicKeyMultibase : undefined;
}

/**
 * The status of one of this bank's credentials, from its status list entries (other issuers' lists
 * are not fetched): 'active', or the credential row when it is revoked or suspended.
 */
async function ownStatus(db: Executor, trust: Trust, c: Json, warnings: Problem[]) {
  const prefix = `${trust.publicUrl}/api/v1/credentials/status/`;
  for (const entry of asArray(c.credentialStatus as Json[]).filter(isObject)) {
    const url = str(entry.statusListCredential) ?? '';
    const m = url.startsWith(prefix) ? /^([^/]+)\/(revocation|suspension)\/(\d+)$/.exec(url.slice(prefix.length)) : null;
    const index = Number(entry.statusListIndex);
    const code = m ? decodeOrUndefined(m[1]!) : undefined;
    if (!m || code === undefined || !PURPOSES.includes(m[2] as never) || !Number.isInteger(index) || index < 0 || index >= LIST_SIZE) {
      if (!mayFetch(trust, url))
        warnings.push({
          code: 'status_not_checked',
          message: `The status list ${url || '(none given)'} is not this bank's, nor on a host it fetches from (REMOTE_ISSUER_HOSTS); it was not checked`,
        });
      continue;
    }
    const place = Number(m[3]) * LIST_SIZE + index;
    if ((await flaggedOf(db, code))?.has(place)) {
      const inst = await institutions.institutionByCode(db, code);
      const row = inst && (await store.credentialAt(db, inst.id, place));
      if (row && row.status !== 'active') return row;
    }
  }
  return 'active' as const;
}

/**
 * The status of another issuer's credential from its status lists on hosts the operator allows:
 * each list must itself verify and be issued by the credential's issuer. A list that cannot be
 * read is a warning (the status was not checked), not a verdict.
 */
async function remoteStatus(x: { db: Executor; trust: Trust; loader: DocumentLoader }, c: Json, issuer: string, warnings: Problem[], now: Date) {
  for (const entry of asArray(c.credentialStatus as Json[]).filter(isObject)) {
    const url = str(entry.statusListCredential) ?? '';
    if (url.startsWith(`${x.trust.publicUrl}/`) || !mayFetch(x.trust, url)) continue;
    const notChecked = (why: string) => warnings.push({ code: 'status_not_checked', message: `The status list ${url} ${why}; the status was not checked` });
    const purpose = str(entry.statusPurpose);
    const index = Number(entry.statusListIndex);
    if ((purpose !== 'revocation' && purpose !== 'suspension') || !Number.isInteger(index) || index < 0) {
      notChecked(`is named with a purpose (${purpose ?? 'none'}) or index (${String(entry.statusListIndex)}) this bank does not read`);
      continue;
    }
    let list: Json;
    try {
      list = await fetchRemote(x.trust, url);
    } catch (e) {
      notChecked(`could not be read (${(e as Error).message})`);
      continue;
    }
    const listIssuer = isObject(list.issuer) ? str(list.issuer.id) : str(list.issuer);
    if (listIssuer !== issuer) {
      notChecked(`was issued by ${listIssuer ?? 'nobody'}, not by the credential's issuer`);
      continue;
    }
    // a list has no status of its own to check here (it would point at itself)
    const checked = await verifyCredential(x, { ...list, credentialStatus: undefined }, now);
    const subject = isObject(list.credentialSubject) ? list.credentialSubject : {};
    if (checked.status !== 'valid' || typeof subject.encodedList !== 'string' || (subject.statusPurpose ?? purpose) !== purpose) {
      notChecked(checked.status !== 'valid' ? `does not verify (${checked.errors[0]?.message ?? checked.status})` : 'is not a status list of that purpose');
      continue;
    }
    let bits: Awaited<ReturnType<typeof decodeList>>;
    try {
      bits = await decodeList({ encodedList: subject.encodedList });
    } catch {
      notChecked('holds no readable list');
      continue;
    }
    if (index >= bits.length) {
      notChecked(`is shorter than the credential's index ${index}`);
      continue;
    }
    if (bits.getStatus(index)) return { status: purpose === 'revocation' ? ('revoked' as const) : ('suspended' as const), url };
  }
  return 'active' as const;
}

const retired = new Map<string, { at: number; key: Promise<store.KeyRow | undefined> }>();
/** An issuer key by its public key, remembered for five seconds (keys are retired rarely). */
function keyRow(db: Executor, publicKeyMultibase: string) {
  const hit = retired.get(publicKeyMultibase);
  if (hit && Date.now() - hit.at < 5_000) return hit.key;
  const key = store.keyByPublicKey(db, publicKeyMultibase);
  retired.set(publicKeyMultibase, { at: Date.now(), key });
  return key;
}

export async function verifyCredential(x: { db: Executor; trust: Trust; loader: DocumentLoader }, input: unknown, now = new Date()): Promise<Verification> {
  const c: Json = isObject(input) ? input : {};
  const s = summary(c);
  const result: Verification = {
    verified: false,
    status: 'valid',
    // a credential without a status entry has no status to check: say so rather than 'passed'
    checks: asArray(c.credentialStatus as Json[]).some(isObject) ? ['proof', 'validity', 'status'] : ['proof', 'validity'],
    warnings: [],
    errors: [],
    credentialId: s.credentialId,
    issuer: {
      ...s.issuer,
      ofThisBank:
        s.issuer.id !== null &&
        (codeOfDid(x.trust, s.issuer.id) !== undefined || (s.issuer.id.startsWith('did:key:') && (await keyRow(x.db, s.issuer.id.slice(8))) !== undefined)),
    },
    holder: s.holder,
    achievement: s.achievement,
    validFrom: s.validFrom,
    validUntil: s.validUntil,
    cryptosuite: s.cryptosuite,
    statusChange: null,
    included: null,
  };
  const contexts = asArray(c['@context'] as unknown[]);
  const malformed = !isObject(input)
    ? 'This is not a JSON object'
    : contexts[0] !== VC_V2 && contexts[0] !== VC_V1
      ? `The first @context must be ${VC_V2} (or ${VC_V1})`
      : !asArray(c.type as string[]).includes('VerifiableCredential')
        ? 'The type does not include VerifiableCredential'
        : !c.proof
          ? 'There is no proof: the credential is not signed'
          : null;
  if (malformed) return { ...result, status: 'malformed', errors: [{ code: 'malformed', message: malformed }] };

  // A key speaks for its controller only: some proof must be by the issuer (a did:key, or a key in the issuer's DID document).
  const signers = [...new Set(asArray(c.proof as Json[]).map((p) => (isObject(p) ? str(p.verificationMethod)?.split('#')[0] : null)))];
  if (!s.issuer.id || !signers.includes(s.issuer.id)) {
    const by = signers.filter(Boolean).join(', ') || 'no key';
    return {
      ...result,
      status: 'unknown_issuer',
      errors: [
        {
          code: 'issuer_not_key_controller',
          message: `The issuer ${s.issuer.id ?? '(none given)'} did not sign this credential: it is signed by ${by}, which does not speak for that issuer`,
        },
      ],
    };
  }

  // A proof that builds on another (previousProof) needs that proof to be there.
  const proofs = asArray(c.proof as Json[]).filter(isObject);
  const missing = proofs.flatMap((p) => asArray(p.previousProof as string[])).filter((id) => !proofs.some((q) => q.id === id));
  if (missing.length)
    return {
      ...result,
      status: 'malformed',
      errors: [{ code: 'previous_proof_missing', message: `A proof builds on ${missing.join(', ')}, which is not among the credential's proofs` }],
    };

  // Dates are judged here; the library checks the signature at a moment the credential was valid.
  const from = s.validFrom ? new Date(s.validFrom) : null;
  const until = s.validUntil ? new Date(s.validUntil) : null;
  const at = until && now > until ? new Date(until.getTime() - 1000) : from && now < from ? from : now;
  // The common case is checked directly (fast, cached); anything else, and every failure, by the libraries, which also say why.
  // A JCS proof that fails is altered whatever its contexts say (JCS signs the JSON as it is).
  const fast = await checkProof(c, x.loader, (vm) => keyOf(x, vm)).catch(() => 'fallback' as const);
  if (fast === 'invalid' && s.cryptosuite === 'eddsa-jcs-2022') {
    return {
      ...result,
      status: 'altered',
      errors: [{ code: 'invalid_signature', message: 'The signature does not match the content: the credential was changed after it was signed' }],
    };
  }
  if (fast !== 'valid') {
    try {
      const r = await vc.verifyCredential({
        credential: c,
        suite: verifySuites(),
        purpose: purpose(),
        documentLoader: x.loader,
        checkStatus: async () => ({ verified: true }),
        now: at,
      });
      if (!r.verified) {
        const { status, problem } = signatureProblem(r.error ?? r.results?.find((p: Json) => !p.verified)?.error);
        return { ...result, status, errors: [problem] };
      }
    } catch (e) {
      const { status, problem } = signatureProblem(e);
      return { ...result, status, errors: [problem] };
    }
  }

  if (asArray(c.type as string[]).includes('ClrCredential')) {
    const parts = asArray((asArray(c.credentialSubject).find(isObject) as Json | undefined)?.verifiableCredential as unknown[]);
    result.included = await Promise.all(
      parts.map(async (part) => ({ name: isObject(part) ? str(part.name) : null, status: (await verifyCredential(x, part, now)).status })),
    );
    const notValid = result.included.filter((p) => p.status !== 'valid');
    if (notValid.length) {
      result.warnings.push({
        code: 'included_not_valid',
        message: `${notValid.length} of the ${result.included.length} credentials inside are no longer valid: ${notValid.map((p) => `${p.name ?? '?'} (${p.status})`).join('; ')}`,
      });
    }
  }
  if (result.issuer.ofThisBank && s.verificationMethod && s.proofCreated) {
    const key = await keyRow(x.db, s.verificationMethod.split('#')[1] ?? '');
    if (key?.retiredAt && key.retiredAt < new Date(s.proofCreated)) {
      return {
        ...result,
        status: 'altered',
        errors: [{ code: 'key_retired', message: `Signed with a key that was retired on ${key.retiredAt.toISOString()}` }],
      };
    }
  }
  const own = await ownStatus(x.db, x.trust, c, result.warnings);
  if (own !== 'active') {
    // an erased learner's credential says revoked, and not why (the reason stays inside the bank)
    const last = own.documentSha256 === null ? (await store.eventsOf(x.db, [own.id])).at(-1) : undefined;
    if (last) result.statusChange = { status: last.status, reason: last.reason, at: last.at.toISOString() };
    const status = own.status === 'revoked' ? 'revoked' : 'suspended';
    const message = `${status === 'revoked' ? 'Revoked' : 'Suspended'} by the issuer${last ? `: ${last.reason}` : ''}`;
    return { ...result, status, errors: [{ code: status, message }] };
  }
  if (!result.issuer.ofThisBank) {
    const theirs = await remoteStatus(x, c, s.issuer.id, result.warnings, now);
    if (theirs !== 'active')
      return {
        ...result,
        status: theirs.status,
        errors: [{ code: theirs.status, message: `${theirs.status === 'revoked' ? 'Revoked' : 'Suspended'} by the issuer (its status list ${theirs.url})` }],
      };
  }
  if (until && now > until) return { ...result, status: 'expired', errors: [{ code: 'expired', message: `Expired on ${s.validUntil}` }] };
  if (from && now < from) return { ...result, status: 'not_yet_valid', errors: [{ code: 'not_yet_valid', message: `Valid only from ${s.validFrom}` }] };
  return { ...result, verified: true };
}

/** VC-API presentation verification: the holder's proof (with challenge and domain) and every credential in it. */
export async function verifyPresentation(
  x: { db: Executor; trust: Trust; loader: DocumentLoader },
  input: unknown,
  options: { challenge?: string; domain?: string },
) {
  const p: Json = isObject(input) ? input : {};
  const errors: Problem[] = [];
  if (!asArray(p.type as string[]).includes('VerifiablePresentation'))
    errors.push({ code: 'malformed', message: 'The type does not include VerifiablePresentation' });
  let proofVerified = false;
  if (errors.length === 0) {
    if (!p.proof) {
      errors.push({ code: 'no_proof', message: 'The presentation is not signed by its holder' });
    } else {
      try {
        const r = await vc.verify({
          presentation: p,
          challenge: options.challenge,
          domain: options.domain,
          suite: verifySuites(),
          documentLoader: x.loader,
          checkStatus: async () => ({ verified: true }),
        });
        proofVerified = r.presentationResult?.verified === true;
        if (!proofVerified) {
          const msg = [...causes(r.presentationResult?.results?.find((q: Json) => !q.verified)?.error ?? r.error)]
            .map((e) => String(e.message ?? ''))
            .find(Boolean);
          errors.push({
            code: 'invalid_presentation_proof',
            message: msg ?? 'The holder’s proof does not verify (wrong challenge or domain, or changed content)',
          });
        }
      } catch (e) {
        errors.push({ code: 'invalid_presentation_proof', message: (e as Error).message });
      }
    }
  }
  const credentials = await Promise.all(asArray(p.verifiableCredential as unknown[]).map((cred) => verifyCredential(x, cred)));
  return {
    verified: proofVerified && errors.length === 0 && credentials.every((c) => c.verified),
    checks: ['proof', 'challenge', 'domain'],
    errors,
    warnings: [],
    credentials,
  };
}
