// OpenID Connect through openid-client: discovery, authorization code with PKCE (S256), state and
// nonce, and the ID token checked (signature, issuer, audience, expiry, nonce) before it is believed.
import * as client from 'openid-client';
import { addAttribute, SsoError, type ExternalIdentity } from './types.js';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** Space-separated scopes; openid is always asked for. */
  scopes?: string;
}

const discovered = new Map<string, { at: number; config: Promise<client.Configuration> }>();

/** The provider's configuration, discovered once per 10 minutes per provider version. */
function configOf(key: string, s: OidcSettings, secret: string | null): Promise<client.Configuration> {
  const hit = discovered.get(key);
  if (hit && Date.now() - hit.at < 600_000) return hit.config;
  const insecure = new URL(s.issuer).protocol === 'http:';
  const config = client
    .discovery(new URL(s.issuer), s.clientId, secret ?? undefined, secret ? client.ClientSecretPost(secret) : client.None(), {
      ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
      timeout: 10,
    })
    .catch((e: unknown) => {
      discovered.delete(key);
      throw new SsoError('bad_token', `The OpenID provider could not be discovered: ${(e as Error).message}`);
    });
  discovered.set(key, { at: Date.now(), config });
  return config;
}

export async function oidcBegin(key: string, s: OidcSettings, secret: string | null, redirectUri: string, state: string) {
  const config = await configOf(key, s, secret);
  const codeVerifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const scope = [...new Set(['openid', ...(s.scopes ?? 'profile email').split(/\s+/).filter(Boolean)])].join(' ');
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { url: url.href, codeVerifier, nonce };
}

export async function oidcFinish(
  key: string,
  s: OidcSettings,
  secret: string | null,
  currentUrl: string,
  checks: { state: string; nonce: string; codeVerifier: string },
): Promise<ExternalIdentity> {
  const config = await configOf(key, s, secret);
  let claims: Record<string, unknown>;
  let accessToken: string;
  try {
    const tokens = await client.authorizationCodeGrant(config, new URL(currentUrl), {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    claims = { ...tokens.claims() };
    accessToken = tokens.access_token;
  } catch (e) {
    throw new SsoError('bad_token', `The OpenID provider's answer was refused: ${(e as Error).message}`);
  }
  const sub = String(claims['sub']);
  // the ID token may carry only `sub`; the rest is asked of the userinfo endpoint (for the same subject)
  if (config.serverMetadata().userinfo_endpoint) {
    try {
      Object.assign(claims, await client.fetchUserInfo(config, accessToken, sub), { sub });
    } catch {
      // userinfo is a nicety: the ID token has already proved who this is
    }
  }
  const attributes: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(claims)) addAttribute(attributes, k, v);
  return { subject: sub, attributes };
}
