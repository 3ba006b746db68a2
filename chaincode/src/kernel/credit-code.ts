/**
 * Unified Social Credit Code (统一社会信用代码, GB 32100-2015): 18 characters,
 * the last a check character over the first 17.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export const CREDIT_CODE_PATTERN = /^[0-9ABCDEFGHJKLMNPQRTUWXY]{18}$/;

export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new Error(`character ${i + 1} is outside the code alphabet`);
    sum += value * (WEIGHTS[i] as number);
  }
  const check = (31 - (sum % 31)) % 31;
  return ALPHABET.charAt(check);
}

/** Returns a reason the code is invalid, or undefined when it is valid. */
export function creditCodeProblem(code: string): string | undefined {
  if (typeof code !== 'string' || code.length !== 18) return 'must be 18 characters';
  if (!CREDIT_CODE_PATTERN.test(code)) return 'must use only 0-9 and A-Y without I, O, S, V, Z';
  if (creditCodeCheckCharacter(code.slice(0, 17)) !== code.charAt(17)) return 'check character does not match';
  return undefined;
}

export function isValidCreditCode(code: string): boolean {
  return creditCodeProblem(code) === undefined;
}

/** Administrative division code (GB/T 2260) embedded at positions 3–8. */
export function divisionOf(code: string): string {
  return code.slice(2, 8);
}

/**
 * A valid code from its parts: the registration authority and category (`91` an enterprise, `11` a
 * government body), the six-digit division and a serial number as the organisation code; the check
 * character is computed. Used by the demo seed, the tests and the benchmarks.
 */
export function buildCreditCode(authorityAndCategory: string, division: string, serial: number): string {
  const first17 = `${authorityAndCategory}${division}${String(serial).padStart(9, '0')}`;
  return first17 + creditCodeCheckCharacter(first17);
}
