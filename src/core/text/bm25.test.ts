import { describe, expect, it } from 'vitest';
import { bm25 } from './bm25.js';

describe('bm25', () => {
  const docs = [
    { item: 'db', tokens: ['数据库', '原理', 'database', 'sql', '关系', '设计'] },
    { item: 'os', tokens: ['操作系统', 'operating', 'system', '进程', '内存'] },
    { item: 'web', tokens: ['web', '前端', '开发', 'html', 'css', 'javascript'] },
    { item: 'db2', tokens: ['数据库', '应用', 'mysql', 'sql'] },
  ];
  it('ranks the documents sharing the rarer query terms first, and drops those sharing none', () => {
    const r = bm25(docs, ['数据库', '原理', 'sql']);
    expect(r.map((x) => x.item)).toEqual(['db', 'db2']);
    expect(r[0]!.score).toBeGreaterThan(r[1]!.score);
  });
  it('returns nothing for an empty catalogue or query', () => {
    expect(bm25([], ['x'])).toEqual([]);
    expect(bm25(docs, [])).toEqual([]);
  });
});
