// Every error leaves as application/problem+json (RFC 9457), naming the failing field where there is one.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { codeForStatus, ERROR_CODES, type ErrorCode } from '../error-codes.js';
import { hasChinese, readerHalf } from '../core/text/bilingual.js';
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

const TITLES_ZH: Record<number, string> = {
  400: '请求有误',
  401: '未登录',
  403: '无权操作',
  404: '未找到',
  405: '不支持的请求方法',
  406: '无法以所需格式应答',
  409: '冲突',
  412: '记录已变化',
  413: '内容过大',
  415: '不支持的内容类型',
  422: '无法处理',
  429: '请求过于频繁',
  500: '服务器内部错误',
  503: '服务暂不可用',
};

/**
 * The detail of a generic code in words for a person (the others use their documented meaning). A
 * caller who reads Chinese gets these instead of the English sentence written where the error arose.
 */
const DETAIL_ZH: Partial<Record<ErrorCode, string>> = {
  invalid: '提交的内容有误，请按下列字段修改后重试。',
  validation_failed: '提交的内容有误，请按下列字段修改后重试。',
  unauthorized: '请先登录。',
  forbidden: '你无权执行此操作。',
  not_found: '找不到该记录，或你无权查看。',
  conflict: '此操作与记录的当前状态冲突，请刷新后再试。',
  unprocessable: '此操作违反了业务规则，未执行。',
  internal: '服务器出错，已记录日志，请稍后再试。',
  unavailable: '服务暂不可用，请稍后再试。',
};

/** A field's message in Chinese where the English one was written where the error arose, by status. */
const FIELD_ZH: Record<number, string> = { 400: '取值无效', 409: '与现有记录冲突', 422: '不符合业务规则' };

/**
 * The language a problem is written in for this caller: the one of Chinese and English its
 * Accept-Language header prefers (the web app sends its interface language); none when it names
 * neither, and then the problem is sent as written.
 */
export function problemLanguage(acceptLanguage: string | undefined): 'zh' | 'en' | undefined {
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = Number(
        params
          .find((x) => x.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { tag, q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.q > 0 && /^(zh|en)\b/.test(x.tag))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return tags[0] && (tags[0].tag.startsWith('zh') ? 'zh' : 'en');
}

/** A problem's field errors as its detail sentence: "path: message; path: message". */
const joined = (errors: FieldError[]) => errors.map((e) => `${e.path}: ${e.message}`).join('; ');

/**
 * The problem in the caller's language (issue 22). A text written in both languages ("中文 / English")
 * gives its half; in Chinese the title is translated, and a detail or field message written in English
 * only becomes what the code (or the status) means. The code, its parameters and the fields' paths are
 * the same in every language.
 */
export function inLanguage(p: Problem, lang: 'zh' | 'en' | undefined): Problem {
  if (!lang) return p;
  const own = (text: string) => {
    const half = readerHalf(lang, text);
    return lang === 'en' || hasChinese(half) ? half : undefined;
  };
  const generic = p.code === codeForStatus(p.status) || p.code === 'validation_failed';
  const meaning = () => DETAIL_ZH[p.code] ?? ERROR_CODES[p.code]?.zh.replace(/`/g, '') ?? '请求未能完成。';
  // a field's message: what a specific code means, else what is wrong with a field refused with this status
  const fieldMeaning = () => (generic ? (FIELD_ZH[p.status] ?? '取值无效') : meaning());
  const errors = p.errors?.map((e) => ({ path: e.path, message: own(e.message) ?? fieldMeaning() }));
  // a detail that only lists the fields is listed again from their messages in this language
  const detail = errors?.length && p.detail === joined(p.errors!) ? joined(errors) : (own(p.detail) ?? meaning());
  return {
    ...p,
    ...(lang === 'zh' ? { title: TITLES_ZH[p.status] ?? '错误' } : {}),
    detail,
    ...(errors ? { errors } : {}),
  };
}

const zodZh = z.locales.zhCN().localeError;
const zodEn = z.locales.en().localeError;
const text = (m: unknown) => (typeof m === 'string' ? m : ((m as { message?: string } | undefined)?.message ?? undefined));

/** A schema's refusal of one value, in the caller's language: Zod's own words, unless the schema wrote its own. */
function zodMessage(v: { keyword: string; params: Record<string, unknown>; message?: string }, lang: 'zh' | 'en' | undefined): string {
  const message = v.message ?? 'is invalid';
  if (lang !== 'zh') return message;
  const issue = { ...v.params, code: v.keyword, message } as never;
  return (text(zodEn(issue)) === message && text(zodZh(issue))) || message;
}

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
  const lang = problemLanguage(reply.request.headers['accept-language']);
  const body = inLanguage(p, lang);
  // A problem is never shaped by the route's response schema (a route may declare its own 400 body):
  // serialising it against that schema would turn the client's 400 into a 500.
  if (lang) reply.header('content-language', lang === 'zh' ? 'zh-CN' : 'en');
  return reply.code(p.status).type('application/problem+json').serializer(JSON.stringify).send(body);
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
    const lang = problemLanguage(req.headers['accept-language']);
    const errors = e.validation.map((v) => {
      const path = [where, ...v.instancePath.split('/').filter(Boolean)].join('.');
      return { path, message: zodMessage(v as never, lang) };
    });
    return { problem: problem(400, joined(errors), errors, 'validation_failed'), unexpected: false };
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
