// Every error leaves as application/problem+json (RFC 9457), naming the failing field where there is one.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { codeForStatus, type ErrorCode } from '../error-codes.js';
import { AppError, type ErrorKind, type FieldError } from '../errors.js';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  too_large: 413,
  unprocessable: 422,
  too_many_requests: 429,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  /** A stable code from src/error-codes.ts (docs/errors.md), its parameters beside it: on every problem. */
  code: ErrorCode;
  /** Seconds to wait before trying again (429), also sent as Retry-After. */
  retryAfter?: number;
}

export function problem(status: number, detail: string, errors?: FieldError[], code: ErrorCode = codeForStatus(status)): Problem {
  const title = TITLES[status] ?? 'Error';
  return {
    type: `urn:creditbank:problem:${title.toLowerCase().replace(/ /g, '-')}`,
    title,
    status,
    detail,
    ...(errors && errors.length ? { errors } : {}),
    code,
  };
}

export function sendProblem(reply: FastifyReply, p: Problem) {
  // A problem is never shaped by the route's response schema (a route may declare its own 400 body):
  // serialising it against that schema would turn the client's 400 into a 500.
  return reply.code(p.status).type('application/problem+json').serializer(JSON.stringify).send(p);
}

/** PostgreSQL error classes that a request can provoke: answered as the client's mistake. */
function fromDatabase(err: { code?: unknown; constraint?: unknown }): Problem | undefined {
  if (typeof err.code !== 'string' || !/^[0-9A-Z]{5}$/.test(err.code)) return undefined;
  // The database's own detail names tables and keys: it stays in the log, not in the answer.
  if (err.code === '23505') return problem(409, 'A record with the same key already exists (perhaps just created by another request)', [], 'duplicate');
  if (err.code === '23503') return problem(409, 'The record refers to something that does not exist, or is still referred to', [], 'reference_conflict');
  if (err.code === '23514') {
    const constraint = typeof err.constraint === 'string' ? err.constraint : undefined;
    return {
      ...problem(422, `A rule of the data was broken${constraint ? ` (${constraint})` : ''}`, [], 'rule_violated'),
      ...(constraint ? { constraint } : {}),
    };
  }
  if (err.code.startsWith('22') || err.code === '54000')
    return problem(400, 'A value is out of range, too long, or in the wrong format', [], 'value_out_of_range');
  if (err.code === '40001' || err.code === '40P01') return problem(409, 'The request collided with another; try again', [], 'transient');
  return undefined;
}

/** The driver's error under the ORM's wrapper, if any. */
function rootCause(err: unknown): unknown {
  let e = err;
  for (let i = 0; i < 5 && e && typeof e === 'object' && !('code' in e) && 'cause' in e; i++) e = (e as { cause: unknown }).cause;
  return e;
}

export function toProblem(err: unknown, req: FastifyRequest): { problem: Problem; unexpected: boolean } {
  if (err instanceof AppError) return { problem: { ...err.extra, ...problem(STATUS[err.kind], err.message, err.errors, err.code) }, unexpected: false };
  const e = err as FastifyError & { validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(e)) {
    const where = e.validationContext ?? 'body';
    const errors = e.validation.map((v) => {
      const path = [where, ...v.instancePath.split('/').filter(Boolean)].join('.');
      return { path, message: v.message ?? 'is invalid' };
    });
    return { problem: problem(400, errors.map((x) => `${x.path}: ${x.message}`).join('; '), errors, 'validation_failed'), unexpected: false };
  }
  if (isResponseSerializationError(e)) return { problem: problem(500, 'The server produced an answer it could not present'), unexpected: true };
  const db = fromDatabase(rootCause(e) as never);
  if (db) return { problem: db, unexpected: false };
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const badJson = e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e instanceof SyntaxError;
    const detail = badJson
      ? 'The body is not valid JSON'
      : e.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'The body is larger than this server accepts'
        : e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? `Content type ${req.headers['content-type'] ?? '(none)'} is not accepted here; send application/json`
          : e.message;
    return { problem: problem(e.statusCode, detail, [], badJson && e.statusCode === 400 ? 'invalid_json' : codeForStatus(e.statusCode)), unexpected: false };
  }
  return { problem: problem(500, 'Something went wrong on our side; it has been logged'), unexpected: true };
}
