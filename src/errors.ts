// Errors a use case raises on purpose. The HTTP layer turns each into application/problem+json
// (RFC 9457) with the failing field; nothing here knows about HTTP.
import type { ErrorCode } from './error-codes.js';

export type { ErrorCode } from './error-codes.js';

export type ErrorKind =
  'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'precondition_failed' | 'too_large' | 'unprocessable' | 'too_many_requests';

export interface FieldError {
  /** Where the problem is, e.g. "body.grade" or "row 14, column grade". */
  path: string;
  message: string;
}

/**
 * A documented code (src/error-codes.ts, docs/errors.md) and its parameters, sent beside it. A parameter
 * never takes the name of a member of the problem itself (a record's status is `state`).
 */
export type ErrorExtra = { code: ErrorCode; type?: never; title?: never; status?: never; detail?: never; instance?: never; errors?: never } & Record<
  string,
  unknown
>;

/** The code of an error raised without one. */
const DEFAULT_CODE: Record<ErrorKind, ErrorCode> = {
  invalid: 'invalid',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  not_found: 'not_found',
  conflict: 'conflict',
  precondition_failed: 'precondition_failed',
  too_large: 'too_large',
  unprocessable: 'unprocessable',
  too_many_requests: 'rate_limited',
};

export class AppError extends Error {
  /** The stable code clients branch on: the one given, else the generic code of the kind. */
  readonly code: ErrorCode;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly errors: FieldError[] = [],
    /** A stable code and its parameters, for clients that explain the refusal in their own words. */
    readonly extra?: ErrorExtra,
  ) {
    super(message);
    this.name = 'AppError';
    this.code = extra?.code ?? DEFAULT_CODE[kind];
  }
}

export const invalid = (path: string, message: string, extra?: ErrorExtra) => new AppError('invalid', `${path}: ${message}`, [{ path, message }], extra);
export const notFound = (what: string, id: string, extra?: ErrorExtra) => new AppError('not_found', `${what} ${id} was not found`, [], extra);
export const forbidden = (message: string, extra?: ErrorExtra) => new AppError('forbidden', message, [], extra);
export const unauthorized = (message = 'Sign in first', extra?: ErrorExtra) => new AppError('unauthorized', message, [], extra);
export const conflict = (message: string, path?: string, extra?: ErrorExtra) => new AppError('conflict', message, path ? [{ path, message }] : [], extra);
export const unprocessable = (message: string, path?: string, extra?: ErrorExtra) =>
  new AppError('unprocessable', message, path ? [{ path, message }] : [], extra);
/** 429: the caller should wait retryAfter seconds (sent as Retry-After). */
export const tooManyRequests = (message: string, retryAfter: number, code: ErrorCode = 'rate_limited', params: Record<string, unknown> = {}) =>
  new AppError('too_many_requests', message, [], { ...params, code, retryAfter: Math.max(1, Math.ceil(retryAfter)) });
