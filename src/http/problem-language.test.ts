// Which language a problem is written in (issue 22): the caller's Accept-Language, weighed by q.
import { describe, expect, it } from 'vitest';
import { inLanguage, problem, problemLanguage } from './problem.js';

describe('problemLanguage', () => {
  it('follows the preferred of Chinese and English, by weight then by order', () => {
    expect(problemLanguage('zh-CN, zh;q=0.9, en;q=0.5')).toBe('zh');
    expect(problemLanguage('zh-TW')).toBe('zh');
    expect(problemLanguage('en')).toBe('en');
    expect(problemLanguage('en;q=0.4, zh-CN;q=0.8')).toBe('zh');
    expect(problemLanguage('fr-FR, en;q=0.5, zh;q=0.4')).toBe('en');
    expect(problemLanguage('de, zh;q=0.2')).toBe('zh');
    expect(problemLanguage('zh;q=0, en')).toBe('en');
  });
  it('is none for no header, an empty one, other languages only, or nonsense', () => {
    expect(problemLanguage(undefined)).toBeUndefined();
    expect(problemLanguage('')).toBeUndefined();
    expect(problemLanguage('fr, de;q=0.5')).toBeUndefined();
    expect(problemLanguage(';;;,q=,zh;q=abc')).toBeUndefined();
    expect(problemLanguage('zhx, english')).toBeUndefined();
  });
});

describe('inLanguage', () => {
  const p = problem(409, 'The application is not waiting for a decision', [{ path: 'body.state', message: 'is not pending' }], 'conflict');
  it('sends the problem as written to a caller with no language, and English to an English one', () => {
    expect(inLanguage(p, undefined)).toBe(p);
    expect(inLanguage(p, 'en')).toEqual(p);
  });
  it('gives each reader their half of a text written in both languages, the fields listed again in the detail', () => {
    const both = problem(
      400,
      'body.password: 密码至少 10 个字符 / at least 10 characters',
      [{ path: 'body.password', message: '密码至少 10 个字符 / at least 10 characters' }],
      'invalid',
    );
    expect(inLanguage(both, 'zh')).toMatchObject({
      title: '请求有误',
      detail: 'body.password: 密码至少 10 个字符',
      errors: [{ message: '密码至少 10 个字符' }],
    });
    expect(inLanguage(both, 'en')).toMatchObject({
      title: 'Bad request',
      detail: 'body.password: at least 10 characters',
      errors: [{ message: 'at least 10 characters' }],
    });
  });
  it('writes title, detail and field messages in Chinese, and keeps the code, status and paths', () => {
    const zh = inLanguage(p, 'zh');
    expect(zh).toMatchObject({ status: 409, code: 'conflict', title: '冲突', errors: [{ path: 'body.state', message: '与现有记录冲突' }] });
    expect(zh.detail).toMatch(/冲突/);
  });
  it('keeps what is already in Chinese, and uses a specific code’s own meaning', () => {
    const named = inLanguage(problem(409, '课程代码 EC101 已存在', [{ path: 'body.code', message: '已被占用' }], 'code_taken'), 'zh');
    expect(named.detail).toBe('课程代码 EC101 已存在');
    expect(named.errors?.[0]?.message).toBe('已被占用');
    expect(inLanguage(problem(409, 'The credential is revoked', [], 'credential_revoked'), 'zh').detail).toBe('该凭证已被撤销。');
  });
});

describe('inLanguage, a specific code', () => {
  it('says what the code means under a field written in English only', () => {
    const taken = problem(409, 'The username x is taken', [{ path: 'body.username', message: 'The username x is taken' }], 'code_taken');
    expect(inLanguage(taken, 'zh').errors).toEqual([{ path: 'body.username', message: '该代码或名称已被其他记录使用。' }]);
  });
});
