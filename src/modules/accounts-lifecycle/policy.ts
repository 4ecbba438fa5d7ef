// Password rules per OWASP ASVS 5 (V6.2): at least 10 characters (we allow 200), every character
// allowed, no composition rules, and a check against the commonest passwords. Pure: no I/O.
import { COMMON_BASES, COMMON_LONG } from './common-passwords.js';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

const LONG = new Set<string>(COMMON_LONG);
const BASES = new Set<string>(COMMON_BASES);

/** Lengths count characters as people see them (code points), so 10 Chinese characters are 10. */
const length = (s: string) => [...s].length;

/**
 * Why a new password is refused, in both languages, or undefined when it is fine. `context` are
 * words the password must not be (the username, the person's name, the bank's name).
 */
export function passwordProblem(password: string, context: string[] = []): string | undefined {
  const n = length(password);
  if (n < PASSWORD_MIN) return `密码至少 ${PASSWORD_MIN} 个字符 / at least ${PASSWORD_MIN} characters`;
  if (n > PASSWORD_MAX) return `密码最多 ${PASSWORD_MAX} 个字符 / at most ${PASSWORD_MAX} characters`;
  const lower = password.normalize('NFKC').toLowerCase();
  const common =
    '这是最常见的密码之一，容易被猜中，请换一个（可用一句话）/ this is one of the commonest passwords and easy to guess: choose another (a phrase works well)';
  if (LONG.has(lower)) return common;
  // a common base word with up to 6 digits or symbols added before or after it (password2024!, 123qwerty)
  if (lengthened(lower)) return common;
  if (/^(.)\1+$/u.test(lower) || /^(..?.?)\1+$/u.test(lower)) return common; // aaaaaaaaaa, abababab…
  if (/^\d+$/.test(lower) && isRun(lower)) return common;
  for (const word of context) {
    const w = word.normalize('NFKC').toLowerCase().trim();
    if (w.length >= 3 && lower.includes(w) && n - length(w) < 6) return '密码不能以用户名或姓名为主 / the password must not be mostly your username or name';
  }
  return undefined;
}

/** Digits in steps of +1 or −1 (0123456789, 9876543210). */
function isRun(digits: string): boolean {
  const step = (Number(digits[1]) - Number(digits[0]) + 10) % 10;
  if (step !== 1 && step !== 9) return false;
  for (let i = 1; i < digits.length; i++) if ((Number(digits[i]) - Number(digits[i - 1]) + 10) % 10 !== step) return false;
  return true;
}

/** Whether the password is a common base word with up to 6 digits or symbols around it. */
function lengthened(lower: string): boolean {
  const head = /^[\d\W_]{0,6}/u.exec(lower)![0].length;
  const tail = /[\d\W_]{0,6}$/u.exec(lower)![0].length;
  for (let i = 0; i <= head; i++) for (let j = 0; j <= tail && i + j < lower.length; j++) if (BASES.has(lower.slice(i, lower.length - j))) return true;
  return false;
}
