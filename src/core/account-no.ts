// Lifelong learning account numbers: "CB" + 11 digits + a Luhn check digit, so that a mistyped
// number is caught before any lookup (the same check bank cards use).

function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Makes an account number from 11 digits of the caller's choosing (random in production). */
export function accountNumber(body: string): string {
  if (!/^\d{11}$/.test(body)) throw new RangeError('An account number body is 11 digits');
  return `CB${body}${luhnDigit(body)}`;
}

export function isAccountNumber(text: string): boolean {
  const m = /^CB(\d{11})(\d)$/.exec(text);
  return !!m && luhnDigit(m[1]!) === Number(m[2]);
}
