import { Context } from 'fabric-contract-api';
import { conflict } from '../kernel/errors';
import { BASIS_POINTS, applyBasisPoints, largestRemainderSplit } from '../kernel/money';
import { getRecord, putRecord, scanIndexBounded } from '../kernel/state';
import { SummedEntriesBudget } from '../kernel/summed-entries';
import { TaxAgreement, TaxAgreements, TaxEntries, TaxEntry } from './records';

/**
 * Tax on a cross-region trade when no agreement is in force between the two counties:
 * 3% of the price (the small-scale taxpayer VAT rate), all of it to the origin county.
 * With an agreement in force the agreement's own rate and split apply.
 */
export const DEFAULT_TAX_RATE_BP = 300;
/** Agreements kept per county pair (all states): the in-force lookup at settlement reads at most this many. */
export const MAX_AGREEMENTS_PER_PAIR = 24;

/** The two counties of a pair in byte order, as agreement and statement keys use them. */
export function countyPair(x: string, y: string): [string, string] {
  return x < y ? [x, y] : [y, x];
}

/** Every agreement of a county pair (bounded by MAX_AGREEMENTS_PER_PAIR; refuses a truncated set). */
export async function agreementsOfPair(ctx: Context, x: string, y: string): Promise<TaxAgreement[]> {
  const [a, b] = countyPair(x, y);
  const { keys, truncated } = await scanIndexBounded(ctx, TaxAgreements, 'byPair', [a, b], MAX_AGREEMENTS_PER_PAIR);
  if (truncated) throw conflict(`more than ${MAX_AGREEMENTS_PER_PAIR} tax agreements between ${a} and ${b}; refusing to act on a partial set`);
  const out: TaxAgreement[] = [];
  for (const key of keys) {
    const agreement = await getRecord(ctx, TaxAgreements, key);
    if (agreement) out.push(agreement);
  }
  return out;
}

/** The effective agreement of the pair whose validity days include `date`, if any (effective ones never overlap). */
export function agreementInForce(agreements: readonly TaxAgreement[], date: string): TaxAgreement | undefined {
  return agreements.find((a) => a.status === 'effective' && a.validFrom <= date && date <= a.validTo);
}

/** The tax of a trade and its split between origin and buyer county: parts sum exactly to the tax. */
export function taxOf(
  priceFen: number,
  agreement: TaxAgreement | undefined,
): { taxRateBp: number; taxFen: number; originShareBp: number; originShareFen: number; buyerShareFen: number } {
  const taxRateBp = agreement?.taxRateBp ?? DEFAULT_TAX_RATE_BP;
  const originShareBp = agreement?.originShareBp ?? BASIS_POINTS;
  const taxFen = applyBasisPoints(priceFen, taxRateBp);
  const [originShareFen, buyerShareFen] = largestRemainderSplit(taxFen, [originShareBp, BASIS_POINTS - originShareBp]) as [number, number];
  return { taxRateBp, taxFen, originShareBp, originShareFen, buyerShareFen };
}

/** What the tax of a settled trade is computed from (the market's trade record has these fields). */
export interface TaxableTrade {
  readonly orderId: string;
  readonly originCounty: string;
  readonly buyerCounty: string;
  readonly crossRegion: boolean;
  readonly priceFen: number;
  /** Settlement day, CST. */
  readonly date: string;
  readonly settledAt: string;
}

/**
 * Called by the market's settlement, in the settling transaction: records a cross-region trade's
 * tax and split under the agreement in force, one entry per trade (statements sum a day's
 * entries, so concurrent settlements never read and rewrite a shared day total). Reads only
 * the pair's agreements, which the settlement does not write; writes no event.
 */
export async function recordTradeTax(ctx: Context, trade: TaxableTrade): Promise<void> {
  if (!trade.crossRegion || trade.originCounty === trade.buyerCounty) return;
  const [countyA, countyB] = countyPair(trade.originCounty, trade.buyerCounty);
  const agreement = agreementInForce(await agreementsOfPair(ctx, countyA, countyB), trade.date);
  const tax = taxOf(trade.priceFen, agreement);
  const entry: TaxEntry = {
    countyA,
    countyB,
    date: trade.date,
    orderId: trade.orderId,
    originCounty: trade.originCounty,
    buyerCounty: trade.buyerCounty,
    priceFen: trade.priceFen,
    ...tax,
    ...(agreement ? { agreementId: agreement.id } : {}),
    settledAt: trade.settledAt,
  };
  await putRecord(ctx, TaxEntries, entry);
}

/** The sums of a pair's day, as a statement shows them: its trades, their price, the tax and each county's share. */
export interface TaxDaySums {
  trades: number;
  priceFen: bigint;
  taxFen: bigint;
  shareAFen: bigint;
  shareBFen: bigint;
}

/**
 * A county pair's day, summed from its tax entries (one bounded range read, counted against
 * `budget`). Settlements before per-trade sums also kept a running `taxday` total, always
 * together with an entry per trade, so the entries alone give the same figures for those days.
 */
export async function taxOfDay(ctx: Context, countyA: string, countyB: string, date: string, budget: SummedEntriesBudget): Promise<TaxDaySums | undefined> {
  const entries = await budget.entries(ctx, TaxEntries, [countyA, countyB, date], 'tax entries');
  if (entries.length === 0) return undefined;
  const sums: TaxDaySums = { trades: entries.length, priceFen: 0n, taxFen: 0n, shareAFen: 0n, shareBFen: 0n };
  for (const e of entries) {
    const shareA = countyA === e.originCounty ? e.originShareFen : e.buyerShareFen;
    sums.priceFen += BigInt(e.priceFen);
    sums.taxFen += BigInt(e.taxFen);
    sums.shareAFen += BigInt(shareA);
    sums.shareBFen += BigInt(e.taxFen - shareA);
  }
  return sums;
}
