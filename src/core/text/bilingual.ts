// Texts the bank writes in both languages, "中文 / English" (an import's reasons, a password's
// refusal): each reader is shown their own half.

export type Half = 'zh' | 'en';

const HAN = /\p{Script=Han}/u;

/** Whether the text holds Chinese. */
export const hasChinese = (text: string) => HAN.test(text);

/**
 * The reader's half of a "中文 / English" text. The halves part at the first "/ " that follows Chinese
 * and comes before a letter or a digit (so the English half may hold a "/" or a name in Chinese); a text
 * without such a part is returned whole.
 */
export function readerHalf(lang: Half, text: string): string {
  const m = /\s?\/ (?=[A-Za-z0-9"'(])/.exec(text);
  if (!m || !HAN.test(text.slice(0, m.index))) return text;
  return lang === 'en' ? text.slice(m.index + m[0].length) : text.slice(0, m.index);
}
