/**
 * Money is shown and entered in 元 with two decimals and sent to the gateway in integer fen
 * (1 元 = 100 fen). Parsing is done on the text, never through floating point, so 0.29 元 is 29 fen.
 */

/** The gateway's bound on every amount (MAX_AMOUNT_FEN = 10^12 fen = 10^10 元). */
export const MAX_AMOUNT_FEN = 1_000_000_000_000;

/** 元 as typed ("1,234.5", "12", "0.07") to fen; undefined when it is not an amount of at most two decimals within the bound. */
export function yuanToFen(text: string): number | undefined {
  const m = /^\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return undefined;
  const whole = (m[1] ?? '').replace(/,/g, '');
  const cents = (m[2] ?? '').padEnd(2, '0');
  const fen = BigInt(whole) * 100n + BigInt(cents || '0');
  return fen > BigInt(MAX_AMOUNT_FEN) ? undefined : Number(fen);
}

/** Fen (a number, or a decimal string for totals beyond 2^53) as 元 with two decimals and thousands separators. */
export function fenToYuan(fen: number | string | bigint): string {
  const value = BigInt(fen);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${cents}`;
}

/** Fen as a plain number of 元 for charts (a chart axis may round; what is shown in text never does). */
export const fenToYuanNumber = (fen: number | string | bigint): number => Number(BigInt(fen)) / 100;

/** Basis points (10000 = 100%) as a percentage with two decimals. */
export function bpsToPercent(bps: number): string {
  return `${(bps / 100).toFixed(2)}%`;
}
