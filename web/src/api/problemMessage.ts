// A server refusal in the reader's language (issue 22): the problem's stable `code` (docs/errors.md)
// picks the message `errors.code.<code>` of the UI catalogue, filled with the parameters the server
// sent beside the code. A code without a translation, or whose message needs a parameter the server
// did not send, falls back to the server's own words (`detail`, then `title`).
import type { i18n as I18n } from 'i18next';
import type { CreditUse, Problem } from './types';

/** The part of the i18next instance this needs (the app's, or a test's). */
export type Translator = Pick<I18n, 't' | 'exists' | 'getResource' | 'languages' | 'language'>;

/** Members of a problem that are not a code's parameters. */
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'errors', 'code']);

function template(i18n: Translator, key: string): string | undefined {
  for (const lng of i18n.languages?.length ? i18n.languages : [i18n.language]) {
    const raw: unknown = i18n.getResource(lng, 'translation', key);
    if (typeof raw === 'string') return raw;
  }
  return undefined;
}

/** The code's parameters as interpolation values: text and numbers as they are, lists joined. */
function parameters(i18n: Translator, problem: Problem): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(problem as unknown as Record<string, unknown>)) {
    if (RESERVED.has(name)) continue;
    if (typeof value === 'string' || typeof value === 'number') out[name] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
      out[name] = value.join(i18n.t('errors.code.separator'));
  }
  return out;
}

/** `key` filled with `values`, or undefined when the catalogue lacks it or it needs a value not given. */
function fill(i18n: Translator, key: string, values: Record<string, string | number>): string | undefined {
  const raw = template(i18n, key);
  if (raw === undefined) return undefined;
  const needed = [...raw.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!);
  if (needed.some((name) => values[name] === undefined || values[name] === '')) return undefined;
  return i18n.t(key, values);
}

function creditUses(i18n: Translator, uses: CreditUse[]): string {
  const zh = (i18n.language ?? '').startsWith('zh');
  const list = uses.map((u) =>
    i18n.t(`errors.code.creditUsed.${u.useType}`, {
      label: u.label,
      institution: zh ? u.institution.nameZh : u.institution.nameEn,
      since: u.since.slice(0, 10),
      id: u.useId.split(':')[0]!.slice(0, 8),
    }),
  );
  return `${list.join(i18n.t('errors.code.separator'))}${i18n.t('errors.code.creditUsed.oneUse')}`;
}

/** The message for a problem's code in the UI language; undefined when the code has none (or there is no code). */
export function codeMessage(problem: Problem | null | undefined, i18n: Translator): string | undefined {
  const code = problem?.code;
  if (!problem || !code || !/^[a-z][a-z0-9_]*$/.test(code)) return undefined;
  if (code === 'credit_already_used' && problem.uses?.length) return creditUses(i18n, problem.uses);
  const values = parameters(i18n, problem);
  if (code === 'evidence_missing' && !values.missing) return fill(i18n, 'errors.code.evidence_none', values);
  if (code === 'cap_exceeded') {
    const scope = typeof values.scope === 'string' ? values.scope : '';
    const cap = /^[a-z]+$/.test(scope) ? fill(i18n, `errors.code.capScope.${scope}`, { code: values.scopeCode ?? '' }) : undefined;
    return cap === undefined ? undefined : fill(i18n, 'errors.code.cap_exceeded', { ...values, cap });
  }
  return fill(i18n, `errors.code.${code}`, values);
}

/** A server problem as a message in the UI language, else the server's detail or title; undefined for none. */
export function problemMessage(problem: Problem | null | undefined, i18n: Translator): string | undefined {
  if (!problem) return undefined;
  return codeMessage(problem, i18n) ?? (problem.detail || problem.title || undefined);
}
