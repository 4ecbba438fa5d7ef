// Learning counts once: of the attempts of one course, one counts (the best passing attempt, or the
// latest if the programme says so); of two outcomes that cover the same content (an equivalence
// declares them so, or a certificate replaces the course), one side counts: the one with more
// credits (what the learner would choose), at the awarding institution when equal. Pure.
import type { CreditItem, Overlap } from './model.js';

export interface NotCounted {
  id: string;
  reason: 'retake' | 'duplicate';
  /** The items that count instead. */
  of: string[];
}

const contentOf = (it: CreditItem) => it.content ?? it.id;
const byDate = (a: CreditItem, b: CreditItem) =>
  a.completedOn < b.completedOn ? -1 : a.completedOn > b.completedOn ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * The attempt of a course that counts. `best`: the highest grade (attempts whose grades cannot be
 * compared rank lowest), the later of equal grades; `latest`: the last completed.
 */
export function countingAttempt(attempts: CreditItem[], rule: 'best' | 'latest'): CreditItem {
  const rank = (it: CreditItem) => it.rank ?? -Infinity;
  return attempts.reduce((keep, it) => {
    if (rule === 'best' && rank(it) !== rank(keep)) return rank(it) > rank(keep) ? it : keep;
    return byDate(it, keep) > 0 ? it : keep;
  });
}

/** How strongly a side of an overlap claims to count: more credits first (the learner keeps the larger), then learning at the awarding institution, then the earlier. */
function sideScore(items: CreditItem[]): [number, number, string] {
  const credits = items.reduce((t, it) => t + it.credits, 0);
  const home = items.some((it) => it.origin === 'home' || it.origin === 'transfer') ? 1 : 0;
  const first = items.map((it) => it.completedOn).sort()[0] ?? '';
  return [credits, home, first];
}

/** Removes retakes and duplicated content; says for each item left out which ones count instead. */
export function countOnce(items: CreditItem[], rule: 'best' | 'latest', overlaps: readonly Overlap[] = []): { kept: CreditItem[]; notCounted: NotCounted[] } {
  const notCounted: NotCounted[] = [];
  const byContent = new Map<string, CreditItem[]>();
  for (const it of items) {
    const list = byContent.get(contentOf(it));
    if (list) list.push(it);
    else byContent.set(contentOf(it), [it]);
  }
  const kept = new Map<string, CreditItem>();
  for (const [content, attempts] of byContent) {
    const keep = countingAttempt(attempts, rule);
    kept.set(content, keep);
    for (const it of attempts) if (it !== keep) notCounted.push({ id: it.id, reason: 'retake', of: [keep.id] });
  }
  for (const o of overlaps) {
    const a = o.a.flatMap((c) => (kept.has(c) ? [kept.get(c)!] : []));
    const b = o.b.flatMap((c) => (kept.has(c) ? [kept.get(c)!] : []));
    if (a.length === 0 || b.length === 0) continue;
    const [sa, sb] = [sideScore(a), sideScore(b)];
    const aWins = sa[0] !== sb[0] ? sa[0] > sb[0] : sa[1] !== sb[1] ? sa[1] > sb[1] : sa[2] <= sb[2];
    const [keep, drop] = aWins ? [a, b] : [b, a];
    for (const it of drop) {
      kept.delete(contentOf(it));
      notCounted.push({ id: it.id, reason: 'duplicate', of: keep.map((k) => k.id) });
    }
  }
  const counts = new Set([...kept.values()]);
  return { kept: items.filter((it) => counts.has(it)), notCounted };
}
