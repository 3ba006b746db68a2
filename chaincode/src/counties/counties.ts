import { z } from 'zod';
import { Context } from 'fabric-contract-api';
import { conflict, invalidArgument } from '../kernel/errors';
import { defineRecordType, getRecord, scanBounded } from '../kernel/state';

/**
 * The set of counties taking part in the shared fund, IP library and tax sharing.
 *
 * Counties are configuration, not code: the set lives on the ledger as `county` records,
 * one per county, each written by that county's own admin (`Counties:Register`). Only an
 * organisation in the channel configuration holds certificates the peers accept, so a
 * county can only register itself. Majorities (fund rounds) are counted over this set as
 * it stands when a round is proposed; the set is bounded by MAX_COUNTIES so every read of
 * it is a bounded scan.
 */
export const countySchema = z.strictObject({
  mspId: z.string(),
  name: z.string(),
  /** Administrative division code (GB/T 2260), six digits. */
  division: z.string(),
  /** Unified social credit code of the county government (机关), used for fund-eligibility checks. */
  creditCode: z.string().optional(),
  registeredBy: z.string(),
  registeredAt: z.string(),
  registerTxId: z.string(),
});
export type County = Readonly<z.infer<typeof countySchema>>;

export const Counties = defineRecordType<County>({
  type: 'county',
  keyArity: 1,
  keyOf: (c) => [c.mspId],
});

export const MAX_COUNTIES = 32;

export async function getCounty(ctx: Context, mspId: string): Promise<County | undefined> {
  return getRecord(ctx, Counties, [mspId]);
}

/** The county record, or INVALID_ARGUMENT naming the unknown county (`what` says where it was named). */
export async function requireKnownCounty(ctx: Context, mspId: string, what = 'county'): Promise<County> {
  const county = await getCounty(ctx, mspId);
  if (!county) throw invalidArgument(`${what} ${mspId} is not a registered county`);
  return county;
}

/** Every registered county, ordered by MSP ID (bounded; refuses rather than act on a truncated set). */
export async function allCounties(ctx: Context): Promise<County[]> {
  const { items, truncated } = await scanBounded(ctx, Counties, [], MAX_COUNTIES);
  if (truncated) throw conflict(`more than ${MAX_COUNTIES} counties are registered; refusing to act on a partial set`);
  return items;
}
