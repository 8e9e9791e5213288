/**
 * NHS number check (Modulus 11). Used to refuse real identifiers where only pseudonymous
 * case references may be stored.
 */
export function isValidNhsNumber(value: string): boolean {
  const digits = value.replace(/[\s-]/g, "");
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === Number(digits[9]);
}

/** True when the text contains something that looks like an NHS number (10 digits, optionally spaced 3-3-4). */
export function containsNhsNumber(value: string): boolean {
  const candidates = value.match(/\d{3}[\s-]?\d{3}[\s-]?\d{4}/g) ?? [];
  return candidates.some(isValidNhsNumber);
}
