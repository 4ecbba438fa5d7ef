import { describe, expect, it } from 'vitest';
import { readerHalf } from './bilingual.js';

describe('readerHalf', () => {
  it('gives each reader their half of a "中文 / English" text', () => {
    const text = '学号 2024001 属于 张三 / student number 2024001 belongs to 张三';
    expect(readerHalf('zh', text)).toBe('学号 2024001 属于 张三');
    expect(readerHalf('en', text)).toBe('student number 2024001 belongs to 张三');
  });
  it('parts at the first " / " after Chinese, so the English half may hold one', () => {
    const text = '代码格式不对 / letters, digits and . _ / - only';
    expect(readerHalf('en', text)).toBe('letters, digits and . _ / - only');
    expect(readerHalf('zh', text)).toBe('代码格式不对');
  });
  it('parts where the Chinese ends in a bracket, with no space before the slash', () => {
    const text = '这是最常见的密码之一，请换一个（可用一句话）/ this is one of the commonest passwords';
    expect(readerHalf('zh', text)).toBe('这是最常见的密码之一，请换一个（可用一句话）');
    expect(readerHalf('en', text)).toBe('this is one of the commonest passwords');
  });
  it('does not part a Chinese text that holds a slash between Chinese words', () => {
    expect(readerHalf('en', '学分 / 学时')).toBe('学分 / 学时');
  });
  it('parts an import’s heading hint, the English half naming the column in both languages', () => {
    const text = '成绩列的表头可写作：成绩 | Grade / Grade (成绩) may be headed: 成绩 | Grade';
    expect(readerHalf('zh', text)).toBe('成绩列的表头可写作：成绩 | Grade');
    expect(readerHalf('en', text)).toBe('Grade (成绩) may be headed: 成绩 | Grade');
  });
  it('shows a text in one language whole', () => {
    expect(readerHalf('zh', 'end of data / unexpected')).toBe('end of data / unexpected');
    expect(readerHalf('en', '已提交')).toBe('已提交');
    expect(readerHalf('zh', '')).toBe('');
  });
});
