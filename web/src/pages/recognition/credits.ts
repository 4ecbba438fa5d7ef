// Sums of decimal credit strings ("3.5" + "4" = "7.5") in hundredths, without floats.

/** "3.5" → 350; null for anything that is not a plain decimal with at most two places. */
export function toHundredths(text: string): number | null {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 750 → "7.5", 400 → "4", 1 → "0.01" */
export function fromHundredths(n: number): string {
  const whole = Math.trunc(n / 100);
  const frac = String(n % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** The total of each unit: [{ unit: 'credit', total: '7.5' }], in the order the units first appear. */
export function sumByUnit<U extends string>(items: { credits: string | null; unit: U | null }[]): { unit: U; total: string }[] {
  const totals = new Map<U, number>();
  for (const i of items) {
    if (i.credits === null || i.unit === null) continue;
    const n = toHundredths(i.credits);
    if (n === null) continue;
    totals.set(i.unit, (totals.get(i.unit) ?? 0) + n);
  }
  return [...totals].map(([unit, n]) => ({ unit, total: fromHundredths(n) }));
}
