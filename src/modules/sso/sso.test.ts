// Single sign-on against real protocol servers on localhost: a CAS server, an OpenID provider
// (oidc-provider), a misbehaving OpenID provider, and SAML responses signed with a key made here.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { createLearner } from '../learners/service.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';
import { browseUntil, samlIdpKeys, samlResponse, startBadOidc, startCas, startOidc, type Running } from './testing/servers.js';

const BANK = 'http://localhost:8080';
const cookieOf = (res: { cookies: { name: string; value: string }[] }, name: string) => res.cookies.find((c) => c.name === name)?.value;

describe.each(backends)('single sign-on on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let admin: ReturnType<typeof as>;
  const servers: Running[] = [];
  const casWho = { user: 'T2001', attributes: { cn: ['王老师'], mail: ['wang@unia.edu.cn'], userType: ['staff'] } as Record<string, string[]> };
  const oidcWho = { sub: 'oidc-reviewer-7', claims: { name: 'Reviewer Seven', email: 'r7@unia.edu.cn', affiliation: ['faculty'] } as Record<string, unknown> };
  let cas: Running;
  const saml = samlIdpKeys();

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    admin = as(app, { cookie: await signIn(app, 'admin') });
    await createLearner(database.db, fx.admin, fx.a.id, { fullName: '陈一', birthDate: '2003-03-03', externalId: 'A002' });
    cas = await startCas(casWho);
    servers.push(cas);
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await app?.close();
    await database?.drop();
  });

  const addProvider = async (body: Record<string, unknown>) => {
    const res = await admin({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/sso-providers`, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  /** Begins at the bank, goes through the provider, returns the callback URL and the bank's browser cookie. */
  const begin = async (slug: string, cookie?: string, query = '') => {
    const start = await app.inject({ method: 'GET', url: `/api/v1/auth/sso/${slug}/login${query}`, headers: cookie ? { cookie } : {} });
    expect(start.statusCode, start.body).toBe(302);
    const browser = cookieOf(start, 'cb_sso')!;
    return { location: start.headers.location as string, browser };
  };
  const callback = (url: string, browser?: string, cookie?: string) =>
    app.inject({
      method: 'GET',
      url: url.slice(BANK.length),
      headers: { cookie: [browser ? `cb_sso=${browser}` : '', cookie ?? ''].filter(Boolean).join('; ') },
    });
  const me = async (session: string) => (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `cb_session=${session}` } })).json();

  describe('CAS', () => {
    beforeAll(async () => {
      await addProvider({
        slug: 'unia-cas',
        nameZh: '甲大学统一身份认证',
        nameEn: 'University A CAS',
        jitStaff: true,
        mapping: { name: 'cn', email: 'mail', affiliation: 'userType', roles: { staff: ['registrar'], student: ['learner'] } },
        protocol: { kind: 'cas', settings: { serverUrl: cas.url } },
      });
    });

    it('lists the provider for the login page, without settings', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/auth/sso/providers' });
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toContainEqual({
        slug: 'unia-cas',
        kind: 'cas',
        nameZh: '甲大学统一身份认证',
        nameEn: 'University A CAS',
        institutionId: fx.a.id,
        institutionCode: 'UNIA',
      });
    });

    it('signs a staff member in, making their account with the mapped role', async () => {
      const { location, browser } = await begin('unia-cas');
      expect(location).toMatch(new RegExp(`^${cas.url}/login\\?service=`));
      const back = await browseUntil(location, BANK);
      expect(back).toMatch(/ticket=ST-/);
      const res = await callback(back, browser);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/');
      const session = cookieOf(res, 'cb_session')!;
      expect(session).toBeTruthy();
      const user = await me(session);
      expect(user.displayName).toBe('王老师');
      expect(user.roles).toEqual([expect.objectContaining({ role: 'registrar', institutionId: fx.a.id })]);
      // a second sign-in finds the same account
      const again = await begin('unia-cas');
      const res2 = await callback(await browseUntil(again.location, BANK), again.browser);
      expect((await me(cookieOf(res2, 'cb_session')!)).id).toBe(user.id);
    });

    it('refuses a bad ticket, a replayed ticket, and a callback from another browser', async () => {
      const a = await begin('unia-cas');
      const back = await browseUntil(a.location, BANK);
      const forged = await callback(back.replace(/ticket=ST-[0-9a-f]+/, 'ticket=ST-forged'), a.browser);
      expect(forged.statusCode).toBe(303);
      expect(forged.headers.location).toBe('/login?sso_error=bad_ticket');
      expect(cookieOf(forged, 'cb_session')).toBeFalsy();

      const b = await begin('unia-cas');
      const backB = await browseUntil(b.location, BANK);
      expect(cookieOf(await callback(backB, b.browser), 'cb_session')).toBeTruthy();
      const replay = await callback(backB, b.browser);
      expect(replay.headers.location).toBe('/login?sso_error=bad_state');
      // the same ticket under a fresh state: the CAS server refuses it (single use)
      const c = await begin('unia-cas');
      const stateC = new URL(c.location).searchParams.get('service')!;
      const ticketB = new URL(backB).searchParams.get('ticket')!;
      const replayed = await callback(`${stateC}&ticket=${ticketB}`, c.browser);
      expect(replayed.headers.location).toBe('/login?sso_error=bad_ticket');

      const d = await begin('unia-cas');
      const elsewhere = await callback(await browseUntil(d.location, BANK), 'another-browser');
      expect(elsewhere.headers.location).toBe('/login?sso_error=bad_state');
      expect(cookieOf(elsewhere, 'cb_session')).toBeFalsy();
    });

    it('links a student to their enrolment by student number, and refuses one not enrolled', async () => {
      casWho.user = 'A002';
      casWho.attributes = { cn: ['陈一'], userType: ['student'] };
      const a = await begin('unia-cas');
      const res = await callback(await browseUntil(a.location, BANK), a.browser);
      const user = await me(cookieOf(res, 'cb_session')!);
      expect(user.learnerId).toBeTruthy();
      expect(user.roles.map((r: { role: string }) => r.role)).toEqual(['learner']);
      // alice already has a sign-in: hers is linked
      casWho.user = 'A001';
      const b = await begin('unia-cas');
      const alice = await me(cookieOf(await callback(await browseUntil(b.location, BANK), b.browser), 'cb_session')!);
      expect(alice.username).toBe('alice');
      expect(alice.learnerId).toBe(fx.alice.id);

      casWho.user = 'A999';
      const c = await begin('unia-cas');
      expect((await callback(await browseUntil(c.location, BANK), c.browser)).headers.location).toBe('/login?sso_error=no_enrolment');
    });

    it('lets a signed-in user link a sign-in to the account they have, and unlink it', async () => {
      const session = await signIn(app, 'bob');
      casWho.user = 'T3003';
      casWho.attributes = { cn: ['Bob at A'], userType: ['visitor'] };
      const a = await begin('unia-cas', session, '?link=1');
      const res = await callback(await browseUntil(a.location, BANK), a.browser, session);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/account?sso_linked=unia-cas');
      // now T3003 signs in as bob, password kept
      const b = await begin('unia-cas');
      const bob = await me(cookieOf(await callback(await browseUntil(b.location, BANK), b.browser), 'cb_session')!);
      expect(bob.username).toBe('bob');
      expect(await signIn(app, 'bob')).toBeTruthy();
      const mine = await app.inject({ method: 'GET', url: '/api/v1/auth/sso/identities', headers: { cookie: session } });
      expect(mine.json().items).toEqual([expect.objectContaining({ slug: 'unia-cas', subject: 'T3003' })]);
      // alice cannot link the same sign-in: it is bob's; she hears so on her account page
      const aliceSession = await signIn(app, 'alice');
      const x = await begin('unia-cas', aliceSession, '?link=1&returnTo=/account');
      const taken = await callback(await browseUntil(x.location, BANK), x.browser, aliceSession);
      expect(taken.headers.location).toBe('/account?sso_error=identity_taken');
      const del = await app.inject({ method: 'DELETE', url: `/api/v1/auth/sso/identities/${mine.json().items[0].providerId}`, headers: { cookie: session } });
      expect(del.statusCode).toBe(204);
      const c = await begin('unia-cas');
      expect((await callback(await browseUntil(c.location, BANK), c.browser)).headers.location).toBe('/login?sso_error=no_role');
    });

    it('makes no staff account where the administrator does not allow it', async () => {
      const list = await admin({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/sso-providers` });
      const p = list.json().items.find((x: { slug: string }) => x.slug === 'unia-cas');
      const put = await admin({
        method: 'PUT',
        url: `/api/v1/sso-providers/${p.id}`,
        payload: { slug: p.slug, nameZh: p.nameZh, nameEn: p.nameEn, jitStaff: false, mapping: p.mapping, protocol: { kind: 'cas', settings: p.settings } },
      });
      expect(put.statusCode, put.body).toBe(200);
      casWho.user = 'T4004';
      casWho.attributes = { cn: ['新老师'], userType: ['staff'] };
      const a = await begin('unia-cas');
      expect((await callback(await browseUntil(a.location, BANK), a.browser)).headers.location).toBe('/login?sso_error=not_linked');
    });

    it('refuses a disabled account', async () => {
      casWho.user = 'T2001';
      casWho.attributes = { cn: ['王老师'], userType: ['staff'] };
      await database.db.execute(sql`update users set disabled_at = now() where username = 'T2001@unia-cas'`);
      const a = await begin('unia-cas');
      const res = await callback(await browseUntil(a.location, BANK), a.browser);
      expect(res.headers.location).toBe('/login?sso_error=disabled');
      expect(cookieOf(res, 'cb_session')).toBeFalsy();
      await database.db.execute(sql`update users set disabled_at = null where username = 'T2001@unia-cas'`);
    });

    it('in production takes identity providers over https only', async () => {
      const { createProvider } = await import('./service.js');
      const { trustOf } = await import('../credentials/trust.js');
      const ctx = {
        trust: trustOf({ publicUrl: BANK, masterKey: { base64: Buffer.alloc(32, 7).toString('base64') } }),
        publicUrl: BANK,
        sessionTtlHours: 1,
        production: true,
      };
      const body = { slug: 'prod-cas', nameZh: 'x', nameEn: 'x', protocol: { kind: 'cas' as const, settings: { serverUrl: 'http://cas.unia.example/cas' } } };
      await expect(createProvider(database.db, ctx, fx.admin, fx.a.id, body)).rejects.toThrow(/https/);
      await expect(
        createProvider(database.db, ctx, fx.admin, fx.a.id, { ...body, protocol: { kind: 'cas', settings: { serverUrl: 'https://cas.unia.example/cas' } } }),
      ).resolves.toMatchObject({ slug: 'prod-cas' });
    });

    it('lets only administrators configure providers', async () => {
      const registrar = as(app, { cookie: await signIn(app, 'registrar.a') });
      expect((await registrar({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/sso-providers` })).statusCode).toBe(403);
      expect((await as(app)({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/sso-providers` })).statusCode).toBe(401);
    });
  });

  describe('OpenID Connect', () => {
    let oidc: Running;
    beforeAll(async () => {
      oidc = await startOidc(oidcWho, {
        clientId: 'creditbank',
        clientSecret: 'bank-client-secret-123',
        redirectUris: [`${BANK}/api/v1/auth/sso/unia-oidc/callback`],
      });
      servers.push(oidc);
      const p = await addProvider({
        slug: 'unia-oidc',
        nameZh: '甲大学 OIDC',
        nameEn: 'University A OIDC',
        jitStaff: true,
        mapping: { affiliation: 'affiliation', roles: { faculty: ['reviewer'] } },
        protocol: { kind: 'oidc', settings: { issuer: oidc.url, clientId: 'creditbank' }, clientSecret: 'bank-client-secret-123' },
      });
      expect(p.hasSecret).toBe(true);
      expect(JSON.stringify(p)).not.toContain('bank-client-secret-123');
    });

    it('keeps the client secret sealed at rest', async () => {
      const { rows } = (await database.db.execute(sql`select secret_sealed from sso_providers where slug = 'unia-oidc'`)) as unknown as {
        rows: { secret_sealed: string }[];
      };
      expect(rows[0]!.secret_sealed).toMatch(/^v1\./);
      expect(rows[0]!.secret_sealed).not.toContain('bank-client-secret');
    });

    it('signs a reviewer in with the authorization code and PKCE', async () => {
      const { location, browser } = await begin('unia-oidc');
      const auth = new URL(location);
      expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
      expect(auth.searchParams.get('nonce')).toBeTruthy();
      const back = await browseUntil(location, BANK);
      const res = await callback(back, browser);
      expect(res.headers.location, res.body).toBe('/');
      const user = await me(cookieOf(res, 'cb_session')!);
      expect(user.displayName).toBe('Reviewer Seven');
      expect(user.roles).toEqual([expect.objectContaining({ role: 'reviewer', institutionId: fx.a.id })]);
      // the code is used once
      expect((await callback(back, browser)).headers.location).toBe('/login?sso_error=bad_state');
    });

    it('refuses a state that is not the one sent', async () => {
      const a = await begin('unia-oidc');
      const b = await begin('unia-oidc');
      const backA = new URL(await browseUntil(a.location, BANK));
      backA.searchParams.set('state', new URL(b.location).searchParams.get('state')!);
      // b's state with a's code: b's browser, but the code was issued for a's PKCE and state
      const res = await callback(backA.href, b.browser);
      expect(res.headers.location).toBe('/login?sso_error=bad_token');
      expect(cookieOf(res, 'cb_session')).toBeFalsy();
    });

    it.each(['audience', 'expired', 'nonce'] as const)('refuses an ID token with the wrong %s', async (fault) => {
      const bad = await startBadOidc({ fault });
      servers.push(bad);
      const slug = `bad-${fault}`;
      await addProvider({
        slug,
        nameZh: slug,
        nameEn: slug,
        jitStaff: true,
        mapping: { defaultRoles: ['reviewer'] },
        protocol: { kind: 'oidc', settings: { issuer: bad.url, clientId: 'creditbank' } },
      });
      const a = await begin(slug);
      const res = await callback(await browseUntil(a.location, BANK), a.browser);
      expect(res.headers.location).toBe('/login?sso_error=bad_token');
      expect(cookieOf(res, 'cb_session')).toBeFalsy();
    });

    it('accepts the misbehaving provider when it behaves (the refusals above are for the faults alone)', async () => {
      const good = await startBadOidc({ fault: 'none' });
      servers.push(good);
      await addProvider({
        slug: 'good-oidc',
        nameZh: 'g',
        nameEn: 'g',
        jitStaff: true,
        mapping: { defaultRoles: ['reviewer'] },
        protocol: { kind: 'oidc', settings: { issuer: good.url, clientId: 'creditbank' } },
      });
      const a = await begin('good-oidc');
      const res = await callback(await browseUntil(a.location, BANK), a.browser);
      expect(res.headers.location).toBe('/');
    });
  });

  describe('SAML 2.0', () => {
    const idpIssuer = 'https://idp.unia.example/idp';
    const acs = `${BANK}/api/v1/auth/sso/unia-saml/callback`;
    const audience = `${BANK}/api/v1/auth/sso/unia-saml/metadata`;
    beforeAll(async () => {
      await addProvider({
        slug: 'unia-saml',
        nameZh: '甲大学 SAML',
        nameEn: 'University A SAML',
        jitStaff: true,
        mapping: { name: 'displayName', affiliation: 'eduPersonAffiliation', roles: { staff: ['registrar'], student: ['learner'] } },
        protocol: { kind: 'saml', settings: { entryPoint: 'https://idp.unia.example/sso', idpCert: saml.publicPem, idpIssuer } },
      });
    });

    const requestId = async () => {
      const { location } = await begin('unia-saml');
      expect(location.startsWith('https://idp.unia.example/sso?SAMLRequest=')).toBe(true);
      const { inflateRawSync } = await import('node:zlib');
      const xml = inflateRawSync(Buffer.from(new URL(location).searchParams.get('SAMLRequest')!, 'base64')).toString();
      return /ID="([^"]+)"/.exec(xml)![1]!;
    };
    const post = (SAMLResponse: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/sso/unia-saml/callback',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'cross-site',
          origin: 'https://idp.unia.example',
          cookie: 'cb_session=whatever',
        },
        payload: new URLSearchParams({ SAMLResponse, RelayState: '' }).toString(),
      });

    it('publishes the SP metadata', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/auth/sso/unia-saml/metadata' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`entityID="${audience}"`);
      expect(res.body).toContain(acs);
    });

    it('signs in with a signed assertion posted cross-site, once', async () => {
      const id = await requestId();
      const response = samlResponse({
        idpIssuer,
        acs,
        audience,
        inResponseTo: id,
        nameId: 'saml-staff-1',
        attributes: { displayName: ['SAML 老师'], eduPersonAffiliation: ['staff'] },
        privateKey: saml.privateKey,
      });
      const res = await post(response);
      expect(res.statusCode, res.body).toBe(303);
      expect(res.headers.location).toBe('/');
      const user = await me(cookieOf(res, 'cb_session')!);
      expect(user.displayName).toBe('SAML 老师');
      expect(user.roles).toEqual([expect.objectContaining({ role: 'registrar', institutionId: fx.a.id })]);
      const replay = await post(response);
      expect(replay.headers.location).toBe('/login?sso_error=bad_assertion');
    });

    it('refuses an unsigned assertion, one signed by another key, one for another audience, and one answering no request', async () => {
      const other = samlIdpKeys();
      const base = { idpIssuer, acs, audience, nameId: 'saml-staff-2', attributes: { eduPersonAffiliation: ['staff'] } };
      for (const r of [
        { ...base, inResponseTo: await requestId() },
        { ...base, inResponseTo: await requestId(), privateKey: other.privateKey },
        { ...base, inResponseTo: await requestId(), privateKey: saml.privateKey, audience: 'https://another.sp/' },
        { ...base, inResponseTo: '_never-asked', privateKey: saml.privateKey },
      ]) {
        const res = await post(samlResponse(r));
        expect(res.statusCode).toBe(303);
        expect(res.headers.location).toBe('/login?sso_error=bad_assertion');
        expect(cookieOf(res, 'cb_session')).toBeFalsy();
      }
      // a tampered signed assertion (another NameID after signing)
      const signed = Buffer.from(samlResponse({ ...base, inResponseTo: await requestId(), privateKey: saml.privateKey }), 'base64')
        .toString()
        .replace('saml-staff-2', 'admin');
      expect((await post(Buffer.from(signed).toString('base64'))).headers.location).toBe('/login?sso_error=bad_assertion');
    });

    it('keeps the cross-site check for every other POST with the session cookie', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout-all',
        headers: { 'sec-fetch-site': 'cross-site', cookie: 'cb_session=whatever' },
      });
      expect(res.statusCode).toBe(403);
    });
  });
});
