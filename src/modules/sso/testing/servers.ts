// Real protocol servers for the tests (vitest and the browser tests), on localhost: a minimal CAS 3.0
// server, an OpenID provider (the oidc-provider package) that signs in whoever the test says, a
// hand-made OpenID provider that misbehaves on purpose (wrong audience, expired token, wrong nonce),
// and a SAML IdP's signing of responses with a key made here.
import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signXml } from '@node-saml/node-saml/lib/xml.js';

export interface Running {
  url: string;
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const closer = (server: http.Server) => () =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const xmlEscape = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A CAS 3.0 server: /login signs in `who.user` at once and redirects with a ticket; tickets are single-use, for one service. */
export async function startCas(who: { user: string; attributes: Record<string, string[]> }): Promise<Running & { validations: number }> {
  const tickets = new Map<string, { service: string; user: string; attributes: Record<string, string[]> }>();
  const state = { validations: 0 };
  const server = http.createServer((req, res) => {
    const u = new URL(req.url!, 'http://cas');
    if (u.pathname === '/cas/login') {
      const service = u.searchParams.get('service')!;
      const ticket = `ST-${randomBytes(12).toString('hex')}`;
      tickets.set(ticket, { service, user: who.user, attributes: who.attributes });
      res.writeHead(302, { location: `${service}${service.includes('?') ? '&' : '?'}ticket=${ticket}` }).end();
      return;
    }
    if (u.pathname === '/cas/p3/serviceValidate') {
      state.validations++;
      const ticket = u.searchParams.get('ticket') ?? '';
      const t = tickets.get(ticket);
      tickets.delete(ticket); // used once, whatever the outcome
      res.setHeader('content-type', 'application/xml; charset=utf-8');
      if (!t || t.service !== u.searchParams.get('service')) {
        res.end(
          `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationFailure code="INVALID_TICKET">Ticket ${xmlEscape(ticket)} not recognized</cas:authenticationFailure></cas:serviceResponse>`,
        );
        return;
      }
      const attrs = Object.entries(t.attributes)
        .flatMap(([k, vs]) => vs.map((v) => `<cas:${k}>${xmlEscape(v)}</cas:${k}>`))
        .join('');
      res.end(
        `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>${xmlEscape(t.user)}</cas:user><cas:attributes>${attrs}</cas:attributes></cas:authenticationSuccess></cas:serviceResponse>`,
      );
      return;
    }
    res.writeHead(404).end();
  });
  const url = await listen(server);
  return {
    url: `${url}/cas`,
    close: closer(server),
    get validations() {
      return state.validations;
    },
  };
}

/**
 * An OpenID provider (oidc-provider) with one confidential client; the interaction (login and
 * consent) signs in `who.sub` without a form.
 */
export async function startOidc(
  who: { sub: string; claims: Record<string, unknown> },
  client: { clientId: string; clientSecret: string; redirectUris: string[] },
): Promise<Running> {
  const { default: Provider } = await import('oidc-provider');
  const server = http.createServer();
  const url = await listen(server);
  const provider = new Provider(url, {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: client.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name', 'affiliation', 'student_number'], email: ['email'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub, ...who.claims }) }),
  });
  server.on('request', async (req, res) => {
    if (!req.url!.startsWith('/interaction/')) return provider.callback()(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        await provider.interactionFinished(req, res, { login: { accountId: who.sub } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: details.params['client_id'] as string });
      grant.addOIDCScope(String(details.params['scope']));
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  return { url, close: closer(server) };
}

function jwt(key: KeyObject, payload: Record<string, unknown>) {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const data = `${b64({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${b64(payload)}`;
  return `${data}.${sign('sha256', Buffer.from(data), key).toString('base64url')}`;
}

/** An OpenID provider written for misbehaving: its ID tokens have the wrong audience, are expired, or carry another nonce. */
export async function startBadOidc(mode: { fault: 'audience' | 'expired' | 'nonce' | 'none' }): Promise<Running> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const codes = new Map<string, { nonce: string; clientId: string }>();
  let base = '';
  const server = http.createServer((req, res) => {
    const u = new URL(req.url!, base);
    const json = (o: unknown) => res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(o));
    if (u.pathname === '/.well-known/openid-configuration') {
      return json({
        issuer: base,
        authorization_endpoint: `${base}/authorize`,
        token_endpoint: `${base}/token`,
        jwks_uri: `${base}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (u.pathname === '/jwks') return json({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] });
    if (u.pathname === '/authorize') {
      const code = randomUUID();
      codes.set(code, { nonce: u.searchParams.get('nonce') ?? '', clientId: u.searchParams.get('client_id') ?? '' });
      const back = new URL(u.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', u.searchParams.get('state') ?? '');
      back.searchParams.set('iss', base);
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (u.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const c = codes.get(form.get('code') ?? '');
        if (!c) return res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant' }));
        codes.delete(form.get('code')!);
        const now = Math.floor(Date.now() / 1000);
        const idToken = jwt(privateKey, {
          iss: base,
          sub: 'mallory',
          aud: mode.fault === 'audience' ? 'another-client' : c.clientId,
          iat: mode.fault === 'expired' ? now - 7200 : now,
          exp: mode.fault === 'expired' ? now - 3600 : now + 300,
          nonce: mode.fault === 'nonce' ? 'not-the-nonce' : c.nonce,
          name: 'Mallory',
        });
        json({ access_token: randomUUID(), token_type: 'Bearer', expires_in: 300, id_token: idToken });
      });
      return;
    }
    res.writeHead(404).end();
  });
  base = await listen(server);
  return { url: base, close: closer(server) };
}

/** A SAML IdP's signing key (made here) and its public key in PEM, which the bank is configured with. */
export function samlIdpKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** A SAML Response answering `inResponseTo`, its assertion signed with `privateKey` (or not signed at all). */
export function samlResponse(o: {
  idpIssuer: string;
  acs: string;
  audience: string;
  inResponseTo: string;
  nameId: string;
  attributes: Record<string, string[]>;
  privateKey?: string;
}) {
  const now = new Date();
  const later = new Date(now.getTime() + 5 * 60_000).toISOString();
  const before = new Date(now.getTime() - 60_000).toISOString();
  const attrs = Object.entries(o.attributes)
    .map(
      ([k, vs]) =>
        `<saml:Attribute Name="${xmlEscape(k)}">${vs.map((v) => `<saml:AttributeValue>${xmlEscape(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`,
    )
    .join('');
  const assertionId = `_a${randomBytes(10).toString('hex')}`;
  const xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomBytes(10).toString('hex')}" Version="2.0" IssueInstant="${now.toISOString()}" Destination="${xmlEscape(o.acs)}" InResponseTo="${xmlEscape(o.inResponseTo)}">` +
    `<saml:Issuer>${xmlEscape(o.idpIssuer)}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `<saml:Assertion ID="${assertionId}" Version="2.0" IssueInstant="${now.toISOString()}"><saml:Issuer>${xmlEscape(o.idpIssuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${xmlEscape(o.nameId)}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${later}" Recipient="${xmlEscape(o.acs)}" InResponseTo="${xmlEscape(o.inResponseTo)}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${before}" NotOnOrAfter="${later}"><saml:AudienceRestriction><saml:Audience>${xmlEscape(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="_s1"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${attrs}</saml:AttributeStatement></saml:Assertion></samlp:Response>`;
  const signed = o.privateKey
    ? signXml(
        xml,
        "//*[local-name(.)='Assertion']",
        { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' },
        {
          privateKey: createPrivateKey(o.privateKey).export({ format: 'pem', type: 'pkcs8' }).toString(),
          signatureAlgorithm: 'sha256',
          digestAlgorithm: 'sha256',
        },
      )
    : xml;
  return Buffer.from(signed).toString('base64');
}

/**
 * A browser for the tests: follows redirects across real servers with a cookie jar per host, and
 * stops at the first URL under `stopAt` (the bank, which the test calls through app.inject).
 */
export async function browseUntil(start: string, stopAt: string, jar = new Map<string, Map<string, string>>()) {
  let url = start;
  for (let i = 0; i < 20; i++) {
    if (url.startsWith(stopAt)) return url;
    const host = new URL(url).host;
    const cookies = jar.get(host) ?? new Map<string, string>();
    jar.set(host, cookies);
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`${url} answered ${res.status} without a redirect: ${(await res.text()).slice(0, 300)}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects');
}
