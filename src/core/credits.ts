// Credits are exact: integer hundredths in code, numeric(10,2) in SQL. Never a float.

/** A credit amount in hundredths of a credit (3.5 credits = 350). */
export type Centi = number;

const DECIMAL = /^(-)?(\d{1,8})(?:\.(\d{1,2}))?$/;

/** Parses "3", "3.5" or "3.50" (as SQL numeric returns it) into hundredths; throws on anything else. */
export function parseCredits(text: string): Centi {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new RangeError(`Not a credit amount with at most two decimals: "${text}"`);
  const whole = Number(m[2]);
  const frac = Number((m[3] ?? '').padEnd(2, '0'));
  const value = whole * 100 + frac;
  return m[1] && value !== 0 ? -value : value;
}

/** Hundredths → the decimal string SQL numeric and JSON show ("3.50" → "3.5", 400 → "4"). */
export function formatCredits(centi: Centi): string {
  if (!Number.isSafeInteger(centi)) throw new RangeError(`Not an integer number of hundredths: ${centi}`);
  const sign = centi < 0 ? '-' : '';
  const abs = Math.abs(centi);
  const whole = Math.trunc(abs / 100);
  const frac = abs % 100;
  if (frac === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

/** Whether a decimal string is a valid, non-negative credit amount of at most two decimals. */
export function isCreditText(text: string): boolean {
  return DECIMAL.test(text) && !text.startsWith('-');
}
