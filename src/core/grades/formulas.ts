// Grade conversion by formula, in exact arithmetic: decimals are scaled to integers and compared as
// fractions, so a tie is a tie (floats would turn 2.5 − 2.3 and 2.7 − 2.5 into different numbers).

/** A decimal string or number as an integer numerator over 10^scale. */
function toScaled(x: number | string, scale: number): number {
  const text = typeof x === 'number' ? String(x) : x.trim();
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new RangeError(`not a decimal number: ${text}`);
  const frac = (m[3] ?? '').padEnd(scale, '0');
  if (frac.length > scale && /[1-9]/.test(frac.slice(scale))) throw new RangeError(`more than ${scale} decimals: ${text}`);
  const v = Number(m[2]) * 10 ** scale + Number(frac.slice(0, scale) || '0');
  return m[1] ? -v : v;
}

/** The German grades a converted grade is rounded to, best first. */
export const GERMAN_GRADES = ['1.0', '1.3', '1.7', '2.0', '2.3', '2.7', '3.0', '3.3', '3.7', '4.0'] as const;

/**
 * The modified Bavarian formula x = 1 + 3·(Nmax − Nd)/(Nmax − Nmin), for a passing grade Nd on a scale
 * whose best passing grade is Nmax and lowest passing grade Nmin, rounded to the nearest German grade,
 * ties to the better. Returns the grade and the unrounded value (to two decimals, for the record).
 */
export function bavarian(grade: number | string, best: number | string, lowestPass: number | string): { grade: string; exact: string } {
  const S = 4; // decimals accepted in inputs
  const nd = toScaled(grade, S);
  const nmax = toScaled(best, S);
  const nmin = toScaled(lowestPass, S);
  if (nmax === nmin) throw new RangeError('the best and the lowest passing grade must differ');
  const within = nmax > nmin ? nd <= nmax && nd >= nmin : nd >= nmax && nd <= nmin;
  if (!within) throw new RangeError(`grade ${grade} is not a passing grade between ${lowestPass} and ${best}`);
  // x·10 = (10·(nmax − nmin) + 30·(nmax − nd)) / (nmax − nmin), kept as a fraction p / q with q > 0
  let p = 10 * (nmax - nmin) + 30 * (nmax - nd);
  let q = nmax - nmin;
  if (q < 0) {
    p = -p;
    q = -q;
  }
  let chosen: string = GERMAN_GRADES[0];
  let distance = Infinity;
  for (const g of GERMAN_GRADES) {
    const d = Math.abs(p - Math.round(Number(g) * 10) * q); // |x·10 − g·10| · q
    if (d < distance) {
      distance = d;
      chosen = g;
    }
  }
  const hundredths = Math.round((p * 10) / q); // x·100
  return { grade: chosen, exact: (hundredths / 100).toFixed(2) };
}

/** Peking University's GPA: 4 − 3·(100 − x)²/1600 for 60 ≤ x ≤ 100, else 0; to two decimals, half up. */
export function pkuGpa(percentage: number | string): string {
  const x = toScaled(percentage, 2); // hundredths of a mark
  if (x < 0 || x > 10_000) throw new RangeError(`a percentage mark is between 0 and 100: ${percentage}`);
  if (x < 6000) return '0.00';
  // gpa·100 = (4·1600·10^4 − 3·(10000 − x)²) / (1600·10^4) · 100 = (64_000_000 − 3·d²) / 160_000
  const d = 10_000 - x;
  const num = 64_000_000 - 3 * d * d;
  const hundredths = Math.floor((num * 2 + 160_000) / (2 * 160_000)); // half up, num ≥ 0 here
  return (hundredths / 100).toFixed(2);
}

/** A fixed conversion table: each source grade or range maps to a target grade. Bands are data, never code. */
export type FixedTable =
  | { type: 'ranges'; bands: { min: number; to: string }[] } // numeric source, bands by lower bound
  | { type: 'labels'; map: Record<string, string> };

export function convertFixed(table: FixedTable, grade: string): string | null {
  if (table.type === 'labels') return table.map[grade.trim()] ?? null;
  const x = Number(grade);
  if (!Number.isFinite(x)) return null;
  const bands = [...table.bands].sort((a, b) => b.min - a.min);
  return bands.find((b) => x >= b.min)?.to ?? null;
}
