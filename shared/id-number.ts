/**
 * Resident ID numbers (居民身份证号码), GB 11643-1999: 6-digit area code, 8-digit birth date,
 * 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';
/** Province-level prefixes in use (GB/T 2260), including Taiwan, Hong Kong and Macao. */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
]);

export interface IdNumberFacts {
  /** Upper-case, trimmed: the form that is fingerprinted and sealed. */
  readonly normalized: string;
  readonly areaCode: string;
  readonly birthDate: string;
  readonly gender: 'male' | 'female';
  readonly masked: string;
}

export type IdNumberCheck = { ok: true; facts: IdNumberFacts } | { ok: false; reason: string };

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** Shows the area code and the last four characters, as Chinese services commonly do. */
export const maskIdNumber = (n: string): string => `${n.slice(0, 6)}${'*'.repeat(8)}${n.slice(-4)}`;

/** Validates format, area, a real birth date not in the future, and the check character. */
export function parseIdNumber(input: string, today: string): IdNumberCheck {
  const n = input.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(n)) return { ok: false, reason: 'must be 18 characters: 17 digits and a digit or X' };
  if (!PROVINCES.has(Number(n.slice(0, 2)))) return { ok: false, reason: 'area code does not name a province' };
  const y = Number(n.slice(6, 10));
  const m = Number(n.slice(10, 12));
  const d = Number(n.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  const birthDate = `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`;
  if (!real || y < 1880) return { ok: false, reason: 'birth date is not a real date' };
  if (birthDate > today) return { ok: false, reason: 'birth date is in the future' };
  if (checkCharacter(n) !== n[17]) return { ok: false, reason: 'check character does not match' };
  return {
    ok: true,
    facts: {
      normalized: n,
      areaCode: n.slice(0, 6),
      birthDate,
      gender: Number(n[16]) % 2 === 1 ? 'male' : 'female',
      masked: maskIdNumber(n),
    },
  };
}
