// Every operation of the OpenAPI document, fed what a careless or hostile client sends: malformed
// JSON, wrong types for each field, huge strings and arrays, empty values, broken percent-encoding,
// upper-case and non-UUID ids, unicode; as an anonymous caller, a registrar and a learner. Nothing a
// client can send earns a 5xx. Seeded (FUZZ_SEED) so a failure reproduces; FUZZ_REQUESTS sets the
// requests per operation and caller (3 in CI; e.g. FUZZ_REQUESTS=50 for a long run). And private
// routes refuse anonymous callers with 401 before they look at the request.
import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../core/random.js';
import { backends, openTestDatabase, type TestDatabase } from '../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../test/fixture.js';
import type { App } from './types.js';
import { isErrorCode } from '../error-codes.js';

/** A problem+json answer of ours carries a code from docs/errors.md; other answers (a VC-API verification result) are not asked. */
function documentedCode(body: string): boolean {
  try {
    const p = JSON.parse(body) as { type?: unknown; code?: unknown };
    return typeof p.type !== 'string' || !p.type.startsWith('urn:creditbank:problem') || isErrorCode(p.code);
  } catch {
    return true;
  }
}

const PER_CALLER = Number(process.env.FUZZ_REQUESTS ?? 3);
const SEED = Number(process.env.FUZZ_SEED ?? 17);
/** FUZZ_LOG=<file>: every request and its status, one a line. */
const LOG = process.env.FUZZ_LOG;

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
}
interface Operation {
  method: string;
  path: string;
  parameters: { in: string; name: string; schema?: JsonSchema }[];
  body?: { json?: JsonSchema; multipart: boolean };
  public: boolean;
}

/** Operations of the published document (hidden routes are not in it). */
function operationsOf(doc: { paths: Record<string, Record<string, Record<string, unknown>>>; security?: unknown }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const content = (op.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)?.content;
      const security = (op.security ?? doc.security) as Record<string, unknown>[] | undefined;
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters as Operation['parameters'] | undefined) ?? [],
        body: content ? { json: content['application/json']?.schema, multipart: 'multipart/form-data' in content } : undefined,
        public: !path.startsWith('/api/v1/') || (security ?? []).some((r) => Object.keys(r).length === 0),
      });
    }
  }
  return ops;
}

const HUGE = 'x'.repeat(20_000);
/** Path and query values, already as they go on the wire. */
const ODD_URL_VALUES = [
  '',
  ' ',
  '%E0%A4%A',
  '%ZZ',
  '%C0%AF',
  '%00',
  '%E5%AD%A6%E5%88%86',
  'not-a-uuid',
  '0',
  '-1',
  '1e309',
  'null',
  'true',
  '..%2F..%2Fetc',
  "'%20OR%201%3D1--",
  'x'.repeat(3000),
  'A'.repeat(36),
];
const ODD_BODY_VALUES: unknown[] = [
  null,
  '',
  ' ',
  0,
  -1,
  1.5,
  1e308,
  2 ** 53 + 1,
  true,
  [],
  {},
  'not-a-uuid',
  '学分银行',
  '\u0000',
  '\ud800',
  '%E0%A4%A',
  '2024-13-45',
  HUGE,
  Array.from({ length: 5000 }, (_, i) => i),
  { a: { b: { c: [] } } },
];
const RAW_BODIES = [
  '{',
  '{"a":',
  'null',
  '[]',
  '"text"',
  '42',
  'true',
  '{"a":1,"a":2}',
  '\u0000',
  '['.repeat(5000) + ']'.repeat(5000),
  JSON.stringify(nest(200)),
];

function nest(depth: number): unknown {
  let v: unknown = {};
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
}

/** A value of the wrong kind for a field of this schema. */
function wrongType(s: JsonSchema | undefined, pick: <T>(xs: T[]) => T): unknown {
  const types = [s?.type, ...(s?.anyOf ?? []).map((x) => x.type), ...(s?.oneOf ?? []).map((x) => x.type)].flat().filter(Boolean);
  if (types.includes('string')) return pick([12345, true, [], {}, null]);
  if (types.includes('integer') || types.includes('number')) return pick(['many', '1', 1.5, [], {}, null, 1e308]);
  if (types.includes('boolean')) return pick(['yes', 1, [], null]);
  if (types.includes('array')) return pick(['x', {}, 1, null, [null, {}, 'x']]);
  if (types.includes('object')) return pick(['x', [], 1, null]);
  return pick(ODD_BODY_VALUES);
}

/** A body that is almost right: each declared field gets an odd or wrongly typed value. */
function mangledBody(s: JsonSchema | undefined, rnd: () => number, pick: <T>(xs: T[]) => T): unknown {
  const props = s?.properties ?? s?.anyOf?.[0]?.properties ?? s?.oneOf?.[0]?.properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) {
    const r = rnd();
    out[k] =
      r < 0.4
        ? wrongType(v, pick)
        : r < 0.8
          ? pick(ODD_BODY_VALUES)
          : v.properties
            ? mangledBody(v, rnd, pick)
            : v.items
              ? [mangledBody(v.items, rnd, pick)]
              : pick(ODD_BODY_VALUES);
  }
  return out;
}

describe.each(backends)('fuzz of every operation on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let ops: Operation[];
  const callers: [string, ReturnType<typeof as>][] = [];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    callers.push(
      ['anonymous', as(app)],
      ['registrar', as(app, { cookie: await signIn(app, 'registrar.a') })],
      ['learner', as(app, { cookie: await signIn(app, 'alice') })],
    );
    ops = operationsOf((await app.inject({ method: 'GET', url: '/api/openapi.json' })).json());
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('answers nothing a client can send with a 5xx', { timeout: 600_000 }, async () => {
    expect(ops.length).toBeGreaterThan(100);
    const rnd = mulberry32(SEED);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const ids = [fx.a.id, fx.b.id, fx.alice.id, fx.courseA[0]!.id, fx.alice.id.toUpperCase(), fx.a.id.toUpperCase(), '00000000-0000-4000-8000-000000000000'];
    const named: Record<string, string[]> = {
      format: ['csv', 'xlsx', 'pdf', 'json', 'CSV'],
      kind: ['courses', 'learners', 'outcomes', 'nothing'],
      code: ['UNIA', 'unia', 'COLB'],
      purpose: ['revocation', 'suspension'],
      list: ['0', '1', '999999999'],
      year: ['2024', '1900', '99999'],
      seq: ['1', '0', '99999999999999999999'],
      action: ['submit', 'approve', 'vote', 'appeal'],
    };
    const failures: string[] = [];
    let sent = 0;
    for (const op of ops) {
      for (const [who, call] of callers) {
        if (who !== 'anonymous' && /logout/.test(op.path)) continue; // the callers stay signed in
        for (let n = 0; n < PER_CALLER; n++) {
          // the first request of each caller is well formed where it can be; the others go astray
          const odd = n > 0 || rnd() < 0.3;
          const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
            const good = named[name] ?? ids;
            return odd && rnd() < 0.5 ? pick(ODD_URL_VALUES) : pick(good);
          });
          const query = op.parameters
            .filter((p) => p.in === 'query' && (odd ? rnd() < 0.7 : rnd() < 0.3))
            .map(
              (p) =>
                `${encodeURIComponent(p.name)}=${odd ? pick([...ODD_URL_VALUES, String(wrongType(p.schema, pick))]) : pick(['1', 'x', fx.a.id, '2024-01-01'])}`,
            );
          if (odd && rnd() < 0.1) query.push(pick(['%%%', 'a=%E0%A4%A', '=', '&&', 'cursor=%ZZ']));
          const headers: Record<string, string> = {};
          let payload: string | undefined;
          if (op.body?.json) {
            const r = rnd();
            headers['content-type'] = 'application/json';
            payload = !odd
              ? JSON.stringify(mangledBody(op.body.json, () => 0.9, pick))
              : r < 0.35
                ? pick(RAW_BODIES)
                : JSON.stringify(r < 0.5 ? pick(ODD_BODY_VALUES) : mangledBody(op.body.json, rnd, pick));
          } else if (op.body?.multipart) {
            headers['content-type'] = pick(['multipart/form-data; boundary=x', 'multipart/form-data', 'application/json']);
            payload = pick(['--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\na,b\r\n--x--\r\n', 'garbage', '{}']);
          } else if (odd && rnd() < 0.2) {
            headers['content-type'] = 'application/json';
            payload = pick(RAW_BODIES);
          }
          if (odd && rnd() < 0.1) headers['if-match'] = pick(['"x"', 'W/"%%"', '*', HUGE.slice(0, 500)]);
          if (odd && rnd() < 0.1) headers['idempotency-key'] = pick(['', 'k'.repeat(500), '学分']);
          const target = query.length ? `${url}?${query.join('&')}` : url;
          let status: number;
          let body = '';
          try {
            const res = await call({ method: op.method as 'GET', url: target, headers, ...(payload === undefined ? {} : { payload }) });
            status = res.statusCode;
            body = res.body;
          } catch (err) {
            status = 599;
            body = String(err);
          }
          sent++;
          if (LOG) appendFileSync(LOG, `${who} ${op.method} ${target.slice(0, 200)} ${payload?.slice(0, 80) ?? ''} → ${status}\n`);
          if (status >= 500) failures.push(`${who} ${op.method} ${target.slice(0, 300)} ${payload?.slice(0, 200) ?? ''} → ${status} ${body.slice(0, 300)}`);
          else if (status >= 400 && !documentedCode(body))
            failures.push(`${who} ${op.method} ${target.slice(0, 300)} → ${status} without a documented code: ${body.slice(0, 300)}`);
        }
      }
    }
    expect(sent).toBeGreaterThan(ops.length * PER_CALLER * 2.9);
    expect(failures, `seed ${SEED}`).toEqual([]);
  });

  it('refuses anonymous callers of every private route with 401 before validating anything', async () => {
    const priv = ops.filter((o) => !o.public);
    expect(priv.length).toBeGreaterThan(80);
    const wrong: string[] = [];
    for (const op of priv) {
      const url = op.path.replace(/\{(\w+)\}/g, 'not-a-uuid');
      const res = await app.inject({
        method: op.method as 'GET',
        url: `${url}?limit=-5&cursor=%%%`,
        headers: { 'content-type': 'application/json' },
        payload: op.method === 'GET' || op.method === 'DELETE' ? undefined : '{"broken":',
      });
      if (res.statusCode !== 401 || !/^application\/problem\+json/.test(String(res.headers['content-type'])))
        wrong.push(`${op.method} ${op.path} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });

  it('verifies no credential out of a body that is not one, with 400 and never 500', async () => {
    for (const payload of [
      '{}',
      'null',
      '[]',
      '"vc"',
      '{"verifiableCredential":',
      JSON.stringify(nest(100)),
      JSON.stringify({ verifiableCredential: 5 }),
      JSON.stringify({ verifiableCredential: { '@context': 7, proof: 'x' } }),
    ]) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/credentials/verify', headers: { 'content-type': 'application/json' }, payload });
      expect(res.statusCode, payload).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/(problem\+)?json/);
    }
    // this bank's own issuer DID and status list, with a code whose percent-encoding is broken
    const { did, didDocumentUrl } = (await app.inject({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/issuer` })).json() as {
      did: string;
      didDocumentUrl: string;
    };
    const bad = did.replace(/UNIA$/, '%E0%A4%A');
    const statusList = `${new URL(didDocumentUrl).origin}/api/v1/credentials/status/%E0%A4%A/revocation/0`;
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential'],
      issuer: bad,
      credentialSubject: { id: 'did:example:1' },
      credentialStatus: [{ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '1', statusListCredential: statusList }],
      proof: { type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', verificationMethod: `${bad}#k`, proofPurpose: 'assertionMethod', proofValue: 'z1' },
    };
    const res = await app.inject({ method: 'POST', url: '/api/v1/credentials/verify', payload: { verifiableCredential: credential } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ verified: false, issuer: { ofThisBank: false } });
  });

  it('reads a UUID the same in upper case: the learner gets their own account and record', async () => {
    const alice = callers.find(([w]) => w === 'learner')![1];
    const upper = fx.alice.id.toUpperCase();
    const account = await alice({ method: 'GET', url: `/api/v1/learners/${upper}/account` });
    expect(account.statusCode, account.body).toBe(200);
    const exported = await alice({ method: 'GET', url: `/api/v1/learners/${upper}/export.csv` });
    expect(exported.statusCode, exported.body.slice(0, 300)).toBe(200);
    const registrar = callers.find(([w]) => w === 'registrar')![1];
    expect((await registrar({ method: 'GET', url: `/api/v1/learners/${upper}/account` })).statusCode).toBe(200);
  });
});
