import { Context } from 'fabric-contract-api';
import { addFen, FenTotal } from '../kernel/money';
import { defineRecordType, getRecord, putRecord } from '../kernel/state';
import { Trade } from './records';

/**
 * Settled cross-region eco-product trade volume of one origin county on one CST day, kept as a
 * running total by every settlement, so a round reads at most days × counties records. The volume
 * is an exact decimal total (it never overflows, so no trade is ever refused for it); the count
 * grows by one per settling transaction and stays a safe integer.
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

/** Whether a trade counts for the fund's trade-volume metric: an eco product bought from another county. */
export function countsForFund(trade: Pick<Trade, 'assetKind' | 'originCounty' | 'buyerCounty'>): boolean {
  // A trade inside one county (one county lists, buys, verifies and settles with its own members) is not cross-region.
  return trade.assetKind === 'eco-product' && trade.originCounty !== trade.buyerCounty;
}

/**
 * Called by the settlement, in the settling transaction: adds a settled cross-region eco product's
 * price to its origin county's volume for the day (the fund's trade-volume metric reads these).
 * Reads only a key the settlement does not otherwise write.
 */
export async function recordTradeVolume(ctx: Context, trade: Trade): Promise<void> {
  if (!countsForFund(trade)) return;
  const previous = await getRecord(ctx, VolumeDays, [trade.originCounty, trade.date]);
  await putRecord(
    ctx,
    VolumeDays,
    { county: trade.originCounty, date: trade.date, volumeFen: addFen(previous?.volumeFen, trade.priceFen), trades: (previous?.trades ?? 0) + 1 },
    previous,
  );
}
