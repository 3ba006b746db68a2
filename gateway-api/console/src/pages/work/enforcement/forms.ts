/** Evidence references typed one a line (or separated by commas or spaces), as the API takes them. */
export const refsOf = (text: string): string[] =>
  text
    .split(/[\s,，;；]+/)
    .map((r) => r.trim())
    .filter((r) => r.length > 0);

/** What every submit route answers: the transaction and the result. */
export interface Submitted<T> {
  txId: string;
  blockNumber: number;
  result: T;
}

/** Splits a list into chunks of at most `size` (bulk checks go in several requests, so progress shows). */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
