import { Context } from 'fabric-contract-api';
import { defineRecordType, getRecord, putRecord } from '../kernel/state';
import { Trade } from './records';

/**
 * Settled eco-product trade volume of one origin county on one CST day, kept as a running
 * total by every settlement, so a round reads at most days × counties records.
 */
export interface VolumeDay {
  readonly county: string;
  readonly date: string;
  readonly volumeFen: number;
  readonly trades: number;
}

export const VolumeDays = defineRecordType<VolumeDay>({
  type: 'fundvolume',
  keyArity: 2,
  keyOf: (v) => [v.county, v.date],
});

/**
 * Called by the settlement, in the settling transaction: adds a settled eco product's price to its
 * origin county's volume for the day (the fund's trade-volume metric reads these).
 * Reads only a key the settlement does not otherwise write.
 */
export async function recordTradeVolume(ctx: Context, trade: Trade): Promise<void> {
  if (trade.assetKind !== 'eco-product') return;
  const previous = await getRecord(ctx, VolumeDays, [trade.originCounty, trade.date]);
  await putRecord(
    ctx,
    VolumeDays,
    { county: trade.originCounty, date: trade.date, volumeFen: (previous?.volumeFen ?? 0) + trade.priceFen, trades: (previous?.trades ?? 0) + 1 },
    previous,
  );
}
