// What the server logs about a request, without its secrets: share ids in share links, tokens in
// query strings, and the Authorization and Cookie headers never reach the log.
import type { FastifyServerOptions } from 'fastify';

const REDACTED = '[redacted]';

/** Path segments that are capabilities: whoever has the URL has the credential it shares. */
const SECRET_SEGMENTS = /(\/(?:verify|shares)\/)[^/?#]+/g;
/** Query parameters that carry a secret (a share id for the PDF's QR code, tokens, keys). */
const SECRET_PARAMS = new Set(['share', 'token', 'access_token', 'api_key', 'key', 'secret', 'password', 'code', 'session']);

/** The URL with its share ids and secret query parameters replaced by [redacted]. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const pathPart = (q < 0 ? url : url.slice(0, q)).replace(SECRET_SEGMENTS, `$1${REDACTED}`);
  if (q < 0) return pathPart;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decodeSafe(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
      return SECRET_PARAMS.has(name) && eq >= 0 ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
  return `${pathPart}?${query}`;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Fastify's request serializer with the URL redacted (and, as before, no headers). */
export function serializeRequest(req: LoggedRequest) {
  return { method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

/** Header paths pino blanks wherever a request or response is logged with its headers. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers.cookie',
  'res.headers["set-cookie"]',
];

type LoggerOption = FastifyServerOptions['logger'];

/** The logger options with redaction added: the one place the app's logging is made safe. */
export function redactedLogger(logger: LoggerOption): LoggerOption {
  if (!logger) return false;
  const base = logger === true ? {} : logger;
  return {
    ...base,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: { ...base.serializers, req: serializeRequest as never },
  };
}
