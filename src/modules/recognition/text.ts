// Words of course titles and learning outcomes, for ranking candidate equivalents: Chinese is
// segmented with jieba in search mode (a long word also yields its parts), English words are kept
// whole and plain plurals folded; case and width are folded.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

let jieba: Jieba | undefined;
const STOP = new Set([
  '的',
  '和',
  '与',
  '及',
  '能',
  '能够',
  '并',
  '在',
  '等',
  '了',
  '对',
  'a',
  'an',
  'and',
  'the',
  'of',
  'to',
  'in',
  'for',
  'with',
  'on',
  'by',
  'is',
  'are',
]);

export function tokens(text: string): string[] {
  jieba ??= Jieba.withDict(dict);
  const out: string[] = [];
  for (const w of jieba.cutForSearch(text.normalize('NFKC').toLowerCase(), true)) {
    const word = w.trim();
    if (!word || STOP.has(word) || !/[\p{L}\p{N}]/u.test(word)) continue;
    // English words come out of jieba whole; plain plurals are folded so "systems" meets "system"
    out.push(/^[a-z]{4,}s$/.test(word) ? word.slice(0, -1) : word);
  }
  return out;
}
