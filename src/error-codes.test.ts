// The registry of error codes is the contract: docs/errors.md is generated from it and must not go stale.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeForStatus, ERROR_CODES, errorCodesMarkdown, isErrorCode } from './error-codes.js';
import { AppError, conflict, forbidden, invalid, notFound, tooManyRequests, unauthorized, unprocessable } from './errors.js';

describe('error codes', () => {
  it('keeps docs/errors.md as the registry writes it', () => {
    const file = new URL('../docs/errors.md', import.meta.url);
    expect(readFileSync(file, 'utf8'), 'docs/errors.md is stale: run `npm run docs:errors`').toBe(errorCodesMarkdown());
  });

  it('documents every code in both languages, in snake_case, with an error status', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(info.status, code).toBeGreaterThanOrEqual(400);
      expect(info.en.length, code).toBeGreaterThan(5);
      expect(info.zh.length, code).toBeGreaterThan(2);
      // a parameter stands beside the problem's own members, so it never takes one of their names
      for (const name of Object.keys(info.params ?? {}))
        expect(['type', 'title', 'status', 'detail', 'instance', 'errors', 'code'], `${code}.${name}`).not.toContain(name);
    }
  });

  it('gives each status a generic code sent with that status', () => {
    for (const status of [400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422, 429, 500, 503]) {
      const code = codeForStatus(status);
      expect(isErrorCode(code)).toBe(true);
      expect(ERROR_CODES[code].status, code).toBe(status);
    }
  });

  it('gives every AppError a documented code whose status matches its kind', () => {
    const errors: AppError[] = [
      invalid('body.x', 'is wrong'),
      notFound('Thing', '1'),
      forbidden('no'),
      unauthorized(),
      conflict('taken', 'body.code', { code: 'code_taken', value: 'X' }),
      unprocessable('over', 'body.lines', { code: 'cap_exceeded', limit: '10' }),
      tooManyRequests('slow down', 3),
      new AppError('precondition_failed', 'changed'),
    ];
    const status = {
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
    for (const e of errors) {
      expect(isErrorCode(e.code)).toBe(true);
      expect(ERROR_CODES[e.code].status, e.code).toBe(status[e.kind]);
    }
    expect(conflict('x').code).toBe('conflict');
    expect(conflict('x', undefined, { code: 'code_taken', value: 'X' }).code).toBe('code_taken');
  });

  it('throws each code with the status the registry documents (a scan of the throw sites)', () => {
    const helper: Record<string, number> = { invalid: 400, unauthorized: 401, forbidden: 403, notFound: 404, conflict: 409, unprocessable: 422 };
    const kinds: Record<string, number> = {
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
    const root = new URL('./', import.meta.url);
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const seen: string[] = [];
    for (const f of files) {
      const text = readFileSync(new URL(f, root), 'utf8');
      // one statement: a helper call or new AppError(kind, …) up to the first `{ code: '…'` before the next `;`
      for (const m of text.matchAll(
        /\b(?:(invalid|unauthorized|forbidden|notFound|conflict|unprocessable)\(|new AppError\(\s*'(\w+)')[^;]*?\bcode: '(\w+)'/g,
      )) {
        const status = m[1] ? helper[m[1]] : kinds[m[2]!];
        const code = m[3]!;
        expect(isErrorCode(code), `${f}: ${code} is not in the registry`).toBe(true);
        if (isErrorCode(code)) expect(ERROR_CODES[code].status, `${f}: ${code}`).toBe(status);
        seen.push(code);
      }
    }
    expect(seen.length).toBeGreaterThan(50);
  });
});
