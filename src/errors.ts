// Errors a use case raises on purpose. The HTTP layer turns each into application/problem+json
// (RFC 9457) with the failing field; nothing here knows about HTTP.

export type ErrorKind = 'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'precondition_failed' | 'too_large' | 'unprocessable' | 'too_many_requests';

export interface FieldError {
  /** Where the problem is, e.g. "body.grade" or "row 14, column grade". */
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly errors: FieldError[] = [],
    /** A stable code and its parameters, for clients that explain the refusal in their own words. */
    readonly extra?: { code: string } & Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const invalid = (path: string, message: string) => new AppError('invalid', `${path}: ${message}`, [{ path, message }]);
export const notFound = (what: string, id: string) => new AppError('not_found', `${what} ${id} was not found`);
export const forbidden = (message: string) => new AppError('forbidden', message);
export const unauthorized = (message = 'Sign in first') => new AppError('unauthorized', message);
export const conflict = (message: string, path?: string) =>
  new AppError('conflict', message, path ? [{ path, message }] : []);
export const unprocessable = (message: string, path?: string) =>
  new AppError('unprocessable', message, path ? [{ path, message }] : []);
/** 429: the caller should wait retryAfter seconds (sent as Retry-After). */
export const tooManyRequests = (message: string, retryAfter: number, code = 'rate_limited') =>
  new AppError('too_many_requests', message, [], { code, retryAfter: Math.max(1, Math.ceil(retryAfter)) });
