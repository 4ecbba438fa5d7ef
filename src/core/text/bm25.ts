// Okapi BM25 over documents given as tokens: ranks a catalogue's courses against another course's
// title and learning outcomes, so that an evaluator sees the likely equivalents first.

export interface Bm25Options {
  k1?: number;
  b?: number;
}

export interface Ranked<T> {
  item: T;
  score: number;
}

export function bm25<T>(docs: { item: T; tokens: string[] }[], query: string[], limit = 5, { k1 = 1.2, b = 0.75 }: Bm25Options = {}): Ranked<T>[] {
  if (docs.length === 0) return [];
  const avgLen = docs.reduce((s, d) => s + d.tokens.length, 0) / docs.length || 1;
  const df = new Map<string, number>();
  const tfs = docs.map((d) => {
    const tf = new Map<string, number>();
    for (const t of d.tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    return tf;
  });
  const terms = [...new Set(query)];
  const n = docs.length;
  const scored = docs.map((d, i) => {
    let score = 0;
    for (const t of terms) {
      const f = tfs[i]!.get(t);
      if (!f) continue;
      const idf = Math.log(1 + (n - df.get(t)! + 0.5) / (df.get(t)! + 0.5));
      score += (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * d.tokens.length) / avgLen));
    }
    return { item: d.item, score };
  });
  return scored
    .filter((s) => s.score > 0)
    .sort((x, y) => y.score - x.score)
    .slice(0, limit);
}
