import { Context } from 'fabric-contract-api';

/** Chaincode time comes only from the transaction timestamp, identical on every endorsing peer. */
export interface TxTime {
  /** Milliseconds since the epoch, from the proposal's timestamp. */
  readonly epochMs: number;
  /** ISO-8601 UTC, millisecond precision. */
  readonly iso: string;
}

const CST_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export function txTime(ctx: Context): TxTime {
  const ts = ctx.stub.getTxTimestamp();
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : Number(ts.seconds.toString());
  const epochMs = seconds * 1000 + Math.floor(ts.nanos / 1e6);
  return { epochMs, iso: new Date(epochMs).toISOString() };
}

/** Calendar date (YYYY-MM-DD) in China Standard Time, UTC+8. */
export function cstDate(epochMs: number): string {
  return new Date(epochMs + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Adds calendar days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * DAY_MS;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Today's date (CST) as the transaction sees it: the day of its timestamp. */
export function today(ctx: Context): string {
  return cstDate(txTime(ctx).epochMs);
}
