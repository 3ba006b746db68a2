import { Context } from 'fabric-contract-api';
import { FenTotal, fenBig } from '../kernel/money';
import { defineRecordType, getRecord, putRecord } from '../kernel/state';
import { SummedEntriesBudget } from '../kernel/summed-entries';
import { Trade } from './records';

/**
 * A running total of one origin county's settled cross-region eco-product trade volume on one CST
 * day, as settlements before per-trade entries kept it. No longer written (every settlement read
 * and rewrote the same key, so concurrent settlements conflicted); still read, so a day begun
 * under it keeps its volume: the day's volume is this total plus its entries.
 */
export interface VolumeDay {
  readonly county: string;
  readonly date: string;
  readonly volumeFen: FenTotal;
  readonly trades: number;
}

export const VolumeDays = defineRecordType<VolumeDay>({
  type: 'fundvolume',
  keyArity: 2,
  keyOf: (v) => [v.county, v.date],
});

/** One settled cross-region eco trade's price, under its origin county and settlement day: written once, summed on read. */
export interface VolumeEntry {
  readonly county: string;
  readonly date: string;
  readonly orderId: string;
  readonly priceFen: number;
}

export const VolumeEntries = defineRecordType<VolumeEntry>({
  type: 'fundvolumeentry',
  keyArity: 3,
  keyOf: (v) => [v.county, v.date, v.orderId],
});

/** Whether a trade counts for the fund's trade-volume metric: an eco product bought from another county. */
export function countsForFund(trade: Pick<Trade, 'assetKind' | 'originCounty' | 'buyerCounty'>): boolean {
  // A trade inside one county (one county lists, buys, verifies and settles with its own members) is not cross-region.
  return trade.assetKind === 'eco-product' && trade.originCounty !== trade.buyerCounty;
}

/**
 * Called by the settlement, in the settling transaction: records a settled cross-region eco
 * product's price for its origin county and day (the fund's trade-volume metric sums these).
 * Reads nothing, so concurrent settlements never conflict on it (one key per order).
 */
export async function recordTradeVolume(ctx: Context, trade: Trade): Promise<void> {
  if (!countsForFund(trade)) return;
  await putRecord(ctx, VolumeEntries, { county: trade.originCounty, date: trade.date, orderId: trade.orderId, priceFen: trade.priceFen });
}

/**
 * An origin county's volume and trade count on one day: the legacy running total (if any) plus
 * the day's entries, exact. One point read and one bounded range read, counted against `budget`.
 * Undefined when the day has no trade.
 */
export async function volumeOfDay(
  ctx: Context,
  county: string,
  date: string,
  budget: SummedEntriesBudget,
): Promise<{ volumeFen: bigint; trades: number } | undefined> {
  const legacy = await getRecord(ctx, VolumeDays, [county, date]);
  const entries = await budget.entries(ctx, VolumeEntries, [county, date], 'trade-volume entries');
  if (!legacy && entries.length === 0) return undefined;
  let volumeFen = fenBig(legacy?.volumeFen);
  for (const e of entries) volumeFen += BigInt(e.priceFen);
  return { volumeFen, trades: (legacy?.trades ?? 0) + entries.length };
}
