import { invalidArgument } from './errors';

/** Amounts are integer fen (1 yuan = 100 fen); ratios are basis points (10000 = 100%). */
export const BASIS_POINTS = 10000;

/**
 * The largest amount any input may carry: 10^12 fen = ¥10 billion (一百亿元), far above any real
 * price, payment or pool, and far enough below 2^53 that the arithmetic on one or two amounts
 * (a royalty of sales × rate + fee, a double deposit) stays an exact safe integer.
 */
export const MAX_AMOUNT_FEN = 1_000_000_000_000;

/**
 * A running total of fen (a fund balance, a county's day volume, a pair's day tax, a county's day
 * royalties), kept exact however many amounts it adds up: a decimal digit string, computed with
 * BigInt. Totals never overflow and so never block a transaction. A total written by an earlier
 * version as a JSON number reads the same.
 */
export type FenTotal = string;

/** A stored or computed total as a BigInt (undefined, a missing record, is 0). */
export function fenBig(total: FenTotal | number | bigint | undefined): bigint {
  if (total === undefined) return 0n;
  if (typeof total === 'bigint') return total;
  if (typeof total === 'number') {
    if (!Number.isSafeInteger(total)) throw new Error(`internal: a stored total is not an integer (${total})`);
    return BigInt(total);
  }
  if (!/^(0|[1-9][0-9]*)$/.test(total)) throw new Error(`internal: a stored total is not a decimal number of fen (${total})`);
  return BigInt(total);
}

/** A total as stored and answered: its decimal digits. */
export function fenTotal(value: bigint): FenTotal {
  if (value < 0n) throw new Error(`internal: a total of fen went negative (${value})`);
  return value.toString(10);
}

/** `total` plus the amounts, exactly. */
export function addFen(total: FenTotal | number | bigint | undefined, ...amounts: ReadonlyArray<FenTotal | number | bigint>): FenTotal {
  let sum = fenBig(total);
  for (const a of amounts) sum += fenBig(a);
  return fenTotal(sum);
}

export function assertFen(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw invalidArgument(`${name} must be a non-negative integer number of fen`);
  return value;
}

export function assertBasisPoints(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > BASIS_POINTS) {
    throw invalidArgument(`${name} must be an integer number of basis points between 0 and ${BASIS_POINTS}`);
  }
  return value;
}

/** floor(amount × numerator / denominator) without floating point or overflow. */
export function mulDiv(amount: number, numerator: number, denominator: number): number {
  if (![amount, numerator, denominator].every(Number.isSafeInteger)) throw invalidArgument('mulDiv takes safe integers only');
  if (denominator <= 0) throw invalidArgument('denominator must be positive');
  const product = BigInt(amount) * BigInt(numerator);
  const d = BigInt(denominator);
  // BigInt division truncates toward zero; floor means rounding negative quotients down.
  let q = product / d;
  if (product % d !== 0n && product < 0n) q -= 1n;
  if (q > BigInt(Number.MAX_SAFE_INTEGER) || q < BigInt(Number.MIN_SAFE_INTEGER)) throw invalidArgument('result exceeds the safe integer range');
  return Number(q);
}

/** floor(amount × bp / 10000). */
export function applyBasisPoints(amount: number, bp: number): number {
  return mulDiv(amount, bp, BASIS_POINTS);
}

/**
 * Splits `total` in proportion to `weights` with the largest-remainder method:
 * everyone gets the floor of their exact share, then the fen left over go one
 * each to the largest remainders (ties to the earlier entry). Parts always sum to total.
 */
export function largestRemainderSplit(total: number, weights: readonly (number | bigint)[]): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw invalidArgument('total must be a non-negative integer');
  if (weights.length === 0) throw invalidArgument('at least one weight is required');
  // Weights may be bigints when they are exact products too large for a safe integer (fund allocation).
  for (const w of weights)
    if (typeof w === 'bigint' ? w < 0n : !Number.isSafeInteger(w) || w < 0) throw invalidArgument('weights must be non-negative integers');
  const sum = weights.reduce<bigint>((a, b) => a + BigInt(b), 0n);
  if (sum === 0n) throw invalidArgument('weights must not all be zero');
  const big = BigInt(total);
  const parts = weights.map((w) => (big * BigInt(w)) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (big * BigInt(w)) % sum }));
  let left = big - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] = (parts[i] as bigint) + 1n;
    left -= 1n;
  }
  return parts.map((p) => Number(p));
}
