// SAML 2.0 through @node-saml/node-saml: SP-initiated (HTTP-Redirect AuthnRequest), the Response
// posted back to the callback (HTTP-POST binding) with a signed assertion (the IdP's certificate is
// configured), InResponseTo matched to a request this bank made, once. Also the SP metadata.
import type { CacheProvider } from '@node-saml/node-saml';
import { addAttribute, SsoError, type ExternalIdentity } from './types.js';

export interface SamlSettings {
  /** The IdP's single sign-on URL (HTTP-Redirect binding). */
  entryPoint: string;
  /** The IdP's signing certificate(s), PEM or base64. */
  idpCert: string;
  /** The IdP's entity ID; when given, the response's Issuer must be it. */
  idpIssuer?: string;
  /** This bank's entity ID at the IdP; by default the metadata URL. */
  spEntityId?: string;
}

/** Where node-saml keeps the IDs of the requests it sent: the bank's sso_requests table, through these. */
export interface RequestStore {
  save(id: string): Promise<void>;
  /** When the request was made (ISO), or null when it is unknown, expired or taken. */
  createdAt(id: string): Promise<string | null>;
  /** Takes the request once; null when already taken (a replayed response). */
  take(id: string): Promise<unknown>;
}

async function samlOf(s: SamlSettings, acs: string, spEntityId: string, requests: RequestStore, newId?: () => string) {
  const { SAML, ValidateInResponseTo } = await import('@node-saml/node-saml'); // loaded when first needed, not at every start
  let taken: unknown = null;
  const cacheProvider: CacheProvider = {
    saveAsync: async (key, value) => {
      await requests.save(key);
      return { value, createdAt: Date.now() };
    },
    getAsync: async (key) => requests.createdAt(key),
    removeAsync: async (key) => {
      // called more than once for one response: the first take is the one that counts
      if (key) taken ??= await requests.take(key);
      return key;
    },
  };
  const saml = new SAML({
    callbackUrl: acs,
    entryPoint: s.entryPoint,
    issuer: spEntityId,
    audience: spEntityId,
    idpCert: s.idpCert,
    ...(s.idpIssuer ? { idpIssuer: s.idpIssuer } : {}),
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: 600_000,
    acceptedClockSkewMs: 60_000,
    cacheProvider,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    ...(newId ? { generateUniqueId: newId } : {}),
  });
  return { saml, taken: () => taken };
}

export async function samlBegin(s: SamlSettings, acs: string, spEntityId: string, requests: RequestStore, id: string) {
  const { saml } = await samlOf(s, acs, spEntityId, requests, () => id);
  return saml.getAuthorizeUrlAsync('', undefined, {});
}

/** Validates a posted SAMLResponse; returns the identity and what the request it answers was saved with. */
export async function samlFinish(s: SamlSettings, acs: string, spEntityId: string, requests: RequestStore, body: Record<string, string>) {
  const { saml, taken } = await samlOf(s, acs, spEntityId, requests);
  let profile;
  try {
    ({ profile } = await saml.validatePostResponseAsync(body));
  } catch (e) {
    throw new SsoError('bad_assertion', `The SAML response was refused: ${(e as Error).message}`);
  }
  const request = taken();
  if (!profile || !request) throw new SsoError('bad_assertion', 'The SAML response answers no request of this bank (or was used already)');
  const attributes: Record<string, string[]> = {};
  const skip = new Set(['issuer', 'sessionIndex', 'nameQualifier', 'spNameQualifier', 'getAssertionXml', 'getAssertion', 'getSamlResponseXml', 'inResponseTo']);
  for (const [k, v] of Object.entries(profile)) if (!skip.has(k) && typeof v !== 'function') addAttribute(attributes, k, v);
  const identity: ExternalIdentity = { subject: profile.nameID, attributes };
  return { identity, request };
}

export async function samlMetadata(s: SamlSettings, acs: string, spEntityId: string): Promise<string> {
  const noRequests: RequestStore = { save: async () => {}, createdAt: async () => null, take: async () => null };
  return (await samlOf(s, acs, spEntityId, noRequests)).saml.generateServiceProviderMetadata(null, null);
}
