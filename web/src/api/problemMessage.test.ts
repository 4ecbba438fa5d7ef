// A server problem becomes a message in the UI language by its code, with the code's parameters.
import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import zhCN from '../i18n/zh-CN.json';
import en from '../i18n/en.json';
import { codeMessage, problemMessage } from './problemMessage';
import type { Problem } from './types';

async function translator(lng: 'zh-CN' | 'en') {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng, fallbackLng: 'zh-CN', interpolation: { escapeValue: false } });
  return i18n;
}

const problem = (p: Partial<Problem> & Record<string, unknown>): Problem =>
  ({ type: 'urn:x', title: 'Conflict', status: 409, detail: 'The server’s words', ...p }) as Problem;

describe('problemMessage', () => {
  it('says a coded refusal in the UI language, with its parameters', async () => {
    const zh = await translator('zh-CN');
    const enT = await translator('en');
    const taken = problem({ code: 'student_number_taken', externalId: 'A-001' });
    expect(problemMessage(taken, zh)).toBe('学号 A-001 已在本机构注册。');
    expect(problemMessage(taken, enT)).toBe('Student number A-001 is already enrolled at this institution.');
    expect(problemMessage(problem({ status: 429, code: 'login_throttled', retryAfter: 42 }), zh)).toContain('42 秒');
    expect(problemMessage(problem({ code: 'evidence_missing', missing: ['portfolio', 'letter'] }), enT)).toBe(
      'Evidence is missing: portfolio; letter. Attach a file for each before submitting.',
    );
    expect(problemMessage(problem({ code: 'evidence_missing', missing: [] }), enT)).toMatch(/^Attach at least one file/);
    expect(problemMessage(problem({ code: 'invalid_state', state: 'approved' }), enT)).toBe('This cannot be done while the record is approved.');
  });

  it('names the cap that would be exceeded', async () => {
    const zh = await translator('zh-CN');
    const cap = problem({
      status: 422,
      code: 'cap_exceeded',
      scope: 'agreement',
      scopeCode: 'AG-1',
      limit: '30',
      held: '28',
      credits: '4',
      institution: 'HXU',
      line: 2,
    });
    expect(problemMessage(cap, zh)).toBe('协议 AG-1 最多 30 学分；该学习者已有 28，再增加 4 就会超过。');
    // an agreement cap without the agreement's code: the server's words
    expect(problemMessage({ ...cap, scopeCode: null } as unknown as Problem, zh)).toBe('The server’s words');
  });

  it('lists the live uses of a credit already used', async () => {
    const enT = await translator('en');
    const used = problem({
      code: 'credit_already_used',
      uses: [
        {
          credit: 'o1',
          label: 'CS101 Programming',
          useType: 'transfer',
          useId: '0123456789abcdef:1',
          institution: { code: 'HXU', nameZh: '华夏大学', nameEn: 'Huaxia University' },
          since: '2026-03-01T08:00:00Z',
        },
      ],
    });
    expect(problemMessage(used, enT)).toBe(
      'The credits of CS101 Programming are already used: transfer application 01234567 to Huaxia University holds them (since 2026-03-01). A credit has one use at a time: withdraw that use first.',
    );
  });

  it('falls back to the server’s detail for a code without a translation or a missing parameter', async () => {
    const zh = await translator('zh-CN');
    expect(problemMessage(problem({ code: 'conflict' }), zh)).toBe('The server’s words');
    expect(problemMessage(problem({ code: 'validation_failed', detail: 'body.hours: expected number' }), zh)).toBe('body.hours: expected number');
    expect(problemMessage(problem({ code: 'no_such_code_yet' }), zh)).toBe('The server’s words');
    expect(problemMessage(problem({ code: 'student_number_taken' }), zh)).toBe('The server’s words'); // no externalId sent
    expect(codeMessage(problem({ code: 'conflict' }), zh)).toBeUndefined();
    expect(problemMessage(problem({ code: undefined, detail: '', title: 'Conflict' }), zh)).toBe('Conflict');
    expect(problemMessage(null, zh)).toBeUndefined();
  });
});
