// Helpers of the authorisation matrix test: the operations of the OpenAPI document, a URL for each
// with the fixture's own ids, and a body that passes validation where the schema allows it.
import type { Alliance } from '../test/fixture.js';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  minLength?: number;
  minItems?: number;
  pattern?: string;
  default?: unknown;
}
export interface Operation {
  method: string;
  /** OpenAPI path, e.g. /api/v1/transfers/{id} */
  path: string;
  parameters: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
  body?: { json?: JsonSchema; multipart: boolean };
  public: boolean;
}

export function operationsOf(doc: { paths: Record<string, Record<string, Record<string, unknown>>>; security?: unknown }): Operation[] {
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

const NOWHERE = '00000000-0000-4000-8000-000000000000';
const NAMED: Record<string, string> = {
  format: 'csv',
  kind: 'courses',
  code: 'UNIA',
  purpose: 'revocation',
  list: '0',
  year: '2024',
  seq: '1',
  action: 'submit',
  provider: NOWHERE,
  evidenceId: NOWHERE,
};

/** The URL of an operation, with the ids the caller's own alliance gives (institution A, Alice, A's course). */
export function pathFor(op: Operation, fx: Alliance): string {
  const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name !== 'id') return NAMED[name] ?? NOWHERE;
    if (/^\/api\/v1\/institutions\/\{id\}/.test(op.path)) return fx.a.id;
    if (/^\/api\/v1\/learners\/\{id\}/.test(op.path)) return fx.alice.id;
    if (/^\/api\/v1\/courses\/\{id\}/.test(op.path)) return fx.courseA[0]!.id;
    return NOWHERE;
  });
  const query = op.parameters
    .filter((p) => p.in === 'query' && p.required)
    .map((p) => `${p.name}=${encodeURIComponent(String(exampleOf(p.schema, fx, p.name)))}`);
  return query.length ? `${url}?${query.join('&')}` : url;
}

/** A value the schema accepts, as far as a small generator can tell. */
export function exampleOf(s: JsonSchema | undefined, fx: Alliance, name = ''): unknown {
  if (!s) return {};
  if (s.const !== undefined) return s.const;
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  if (s.allOf?.length) return exampleOf(s.allOf[0], fx, name);
  const alt = s.anyOf ?? s.oneOf;
  if (alt?.length) return exampleOf(alt.find((x) => x.type !== 'null') ?? alt[0], fx, name);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of s.required ?? []) out[k] = exampleOf(s.properties?.[k], fx, k);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 0) }, () => exampleOf(s.items, fx, name));
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return false;
    case 'string': {
      if (s.format === 'uuid')
        return /institution/i.test(name) ? fx.a.id : /learner/i.test(name) ? fx.alice.id : /course/i.test(name) ? fx.courseA[0]!.id : NOWHERE;
      if (s.format === 'date') return '2024-01-01';
      if (s.format === 'date-time') return '2030-01-01T00:00:00.000Z';
      if (s.format === 'email') return 'someone@example.org';
      if (s.format === 'uri') return 'https://example.org/';
      if (s.pattern) return /\\d\{4\}|\[0-9\]\{4\}/.test(s.pattern) ? '0613' : /\\d/.test(s.pattern) ? '10' : 'x'.repeat(Math.max(s.minLength ?? 1, 8));
      return 'some words here'.padEnd(Math.max(s.minLength ?? 1, 15), 'x');
    }
    default:
      return {};
  }
}
