// Data Integrity proofs checked directly, for speed: the verify hashes of eddsa-jcs-2022 and
// eddsa-rdfc-2022 as the W3C specification defines them, an Ed25519 check with node:crypto, and a
// cache of canonical forms (RDF canonicalisation is the costly step, and a document's canonical
// form never changes: contexts are local copies). Anything outside the common shape is left to the
// libraries ('fallback'); so is every failure, for them to say why.
import crypto from 'node:crypto';
import { decode as base58 } from 'base58-universal';
import canonicalize from 'canonicalize';
import jsonld from 'jsonld';
import { canonize as rdfCanonize } from 'rdf-canonize';
import type { DocumentLoader, Json } from './loader.js';

export type ProofCheck = 'valid' | 'invalid' | 'fallback';

const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map<string, crypto.KeyObject>();

function publicKey(multibase: string): crypto.KeyObject | undefined {
  let key = keys.get(multibase);
  if (key) return key;
  if (!multibase.startsWith('z')) return undefined;
  const raw = base58(multibase.slice(1));
  if (raw.length !== 34 || raw[0] !== 0xed || raw[1] !== 0x01) return undefined; // multicodec ed25519-pub
  key = crypto.createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw.subarray(2)]), format: 'der', type: 'spki' });
  keys.set(multibase, key);
  return key;
}

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest();

/** A bounded cache: the oldest entry goes when it is full. */
class Bounded<V> extends Map<string, V> {
  constructor(private readonly limit: number) {
    super();
  }
  override set(key: string, value: V) {
    if (this.size >= this.limit && !this.has(key)) this.delete(this.keys().next().value!);
    return super.set(key, value);
  }
}
const canonicalHashes = new Bounded<Promise<Buffer>>(20_000);

/** SHA-256 of the RDFC-1.0 canonical N-Quads of `doc` (JSON-LD safe mode), remembered by the document's JCS form. */
function rdfcHash(doc: Json, loader: DocumentLoader): Promise<Buffer> {
  const key = sha256(canonicalize(doc) ?? '').toString('base64');
  let hash = canonicalHashes.get(key);
  if (!hash) {
    hash = jsonld
      .toRDF(doc, { documentLoader: loader, base: null, safe: true, rdfDirection: 'i18n-datatype', produceGeneralizedRdf: false })
      .then((dataset) => rdfCanonize(dataset, { algorithm: 'RDFC-1.0', format: 'application/n-quads' }))
      .then(sha256);
    hash.catch(() => canonicalHashes.delete(key));
    canonicalHashes.set(key, hash);
  }
  return hash;
}

/**
 * Checks the one proof of `doc` when it is an Ed25519 DataIntegrityProof for assertion by the
 * issuer's own key; `resolveKey` gives the public key of a verification method the issuer controls.
 */
export async function checkProof(
  doc: Json,
  loader: DocumentLoader,
  resolveKey: (verificationMethod: string) => Promise<string | undefined>,
): Promise<ProofCheck> {
  const { proof, ...unsecured } = doc;
  if (typeof proof !== 'object' || proof === null || Array.isArray(proof)) return 'fallback';
  const { proofValue, ...options } = proof as Json;
  const suite = options.cryptosuite;
  if (options.type !== 'DataIntegrityProof' || (suite !== 'eddsa-jcs-2022' && suite !== 'eddsa-rdfc-2022')) return 'fallback';
  if (
    options.proofPurpose !== 'assertionMethod' ||
    typeof options.verificationMethod !== 'string' ||
    typeof proofValue !== 'string' ||
    !proofValue.startsWith('z')
  )
    return 'fallback';
  const issuer = typeof doc.issuer === 'string' ? doc.issuer : doc.issuer?.id;
  if (options.verificationMethod.split('#')[0] !== issuer) return 'fallback';
  const multibase = await resolveKey(options.verificationMethod);
  const key = multibase && publicKey(multibase);
  if (!key) return 'fallback';

  let data: Buffer;
  try {
    if (suite === 'eddsa-jcs-2022') {
      const context = options['@context'] ?? unsecured['@context'];
      if (options['@context'] !== undefined) {
        const docContext = [unsecured['@context']].flat();
        if ([context].flat().some((c, i) => c !== docContext[i])) return 'invalid';
        unsecured['@context'] = context;
      }
      const config = context === undefined ? options : { ...options, '@context': context };
      data = Buffer.concat([sha256(canonicalize(config)!), sha256(canonicalize(unsecured)!)]);
    } else {
      const contexts = [unsecured['@context']].flat();
      if (!contexts.includes('https://www.w3.org/ns/credentials/v2') && !contexts.includes('https://w3id.org/security/data-integrity/v2')) return 'fallback';
      const [proofHash, docHash] = await Promise.all([rdfcHash({ '@context': unsecured['@context'], ...options }, loader), rdfcHash(unsecured, loader)]);
      data = Buffer.concat([proofHash, docHash]);
    }
    const signature = base58(proofValue.slice(1));
    return signature.length === 64 && crypto.verify(null, data, key, signature) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}
