import { Context } from 'fabric-contract-api';
import { getRecord, putRecord } from '../kernel/state';
import { ParameterValues } from '../parameters/schemas';
import { AlertReason, CategoryIndex, CategoryIndexes, PairBucket, PairBuckets, PairOpenOrders, PairOpenOrdersCount } from './records';

/** The shared parameters the risk rules read (parameters/, changed by a majority of counties). */
export type RiskParameters = Pick<ParameterValues, 'priceDeviationBp' | 'indexWindow' | 'indexMinSamples' | 'pairTradeLimit'>;

const HOUR_MS = 3600 * 1000;
const WINDOW_MS = 24 * HOUR_MS;
/** Settlement times kept per pair bucket; beyond it the bucket only counts (and is counted whole). */
export const MAX_BUCKET_TIMES = 200;

/** The two subjects of a trade in a fixed order: the pair rule does not care who bought from whom. */
export function pairOf(x: string, y: string): [string, string] {
  return x < y ? [x, y] : [y, x];
}

/** Settled trades between two subjects within the 24 hours before `nowMs` (reads 25 hourly buckets). */
export async function settledBetweenInWindow(ctx: Context, x: string, y: string, nowMs: number): Promise<number> {
  const [a, b] = pairOf(x, y);
  const nowHour = Math.floor(nowMs / HOUR_MS);
  const since = nowMs - WINDOW_MS;
  let total = 0;
  for (let hour = nowHour - 24; hour <= nowHour; hour++) {
    const bucket = await getRecord(ctx, PairBuckets, [a, b, String(hour).padStart(10, '0')]);
    if (!bucket) continue;
    const exact = bucket.timesMs.length === bucket.count;
    const whollyInside = hour * HOUR_MS > since;
    total += exact && !whollyInside ? bucket.timesMs.filter((t) => t > since && t <= nowMs).length : bucket.count;
  }
  return total;
}

/** Counts a settled trade in its pair's hourly bucket. */
export async function countPairTrade(ctx: Context, x: string, y: string, nowMs: number): Promise<void> {
  const [a, b] = pairOf(x, y);
  const hour = Math.floor(nowMs / HOUR_MS);
  const previous = await getRecord(ctx, PairBuckets, [a, b, String(hour).padStart(10, '0')]);
  const times = previous?.timesMs ?? [];
  const bucket: PairBucket = {
    subjectA: a,
    subjectB: b,
    hour,
    count: (previous?.count ?? 0) + 1,
    timesMs: times.length < MAX_BUCKET_TIMES ? [...times, nowMs] : times,
  };
  await putRecord(ctx, PairBuckets, bucket, previous);
}

/** The pair's open-order counter as stored (absent: none open). One key read. */
export async function readPairOpenOrders(ctx: Context, x: string, y: string): Promise<PairOpenOrders | undefined> {
  return getRecord(ctx, PairOpenOrdersCount, pairOf(x, y));
}

/**
 * Moves the pair's count of open orders (ordered, suspended or verified) by `delta`: +1 when an
 * order is placed, −1 when it settles or is cancelled. `previous` is the counter as this
 * transaction read it (the count never goes below zero, e.g. for orders placed before it existed).
 */
export async function movePairOpenOrders(ctx: Context, x: string, y: string, previous: PairOpenOrders | undefined, delta: 1 | -1): Promise<void> {
  const [a, b] = pairOf(x, y);
  await putRecord(ctx, PairOpenOrdersCount, { subjectA: a, subjectB: b, open: Math.max(0, (previous?.open ?? 0) + delta) }, previous);
}

/** Adds a settled price to its category's moving index. */
export async function updateCategoryIndex(ctx: Context, category: string, priceFen: number, params: RiskParameters, at: string): Promise<CategoryIndex> {
  const previous = await getRecord(ctx, CategoryIndexes, [category]);
  const prices = [...(previous?.recentPricesFen ?? []), priceFen].slice(-params.indexWindow);
  const sum = prices.reduce((s, p) => s + BigInt(p), 0n);
  const index: CategoryIndex = {
    category,
    recentPricesFen: prices,
    indexFen: Number(sum / BigInt(prices.length)),
    settledCount: (previous?.settledCount ?? 0) + 1,
    updatedAt: at,
  };
  await putRecord(ctx, CategoryIndexes, index, previous);
  return index;
}

/** The deviation rule, exactly: |price − index| × 10000 > limit × index (integers, nothing rounded first). */
export function deviatesBeyond(priceFen: number, indexFen: number, limitBp: number): boolean {
  const diff = BigInt(priceFen) - BigInt(indexFen);
  const abs = diff < 0n ? -diff : diff;
  return abs * 10000n > BigInt(limitBp) * BigInt(indexFen);
}

/**
 * Deviation of a price from an index in basis points, rounded up: ⌈|price − index| × 10000 / index⌉.
 * Rounded up, the reported figure exceeds a limit exactly when `deviatesBeyond` does.
 */
export function deviationBpRoundedUp(priceFen: number, indexFen: number): number {
  const diff = BigInt(priceFen) - BigInt(indexFen);
  const abs = (diff < 0n ? -diff : diff) * 10000n;
  const index = BigInt(indexFen);
  return Number((abs + index - 1n) / index);
}

/** An order as the risk rules see it. */
export interface RiskSubject {
  readonly category: string;
  readonly priceFen: number;
  readonly buyerSubjectId: string;
  readonly sellerSubjectId: string;
}

/**
 * The risk rules (异常交易预警) for an order, at ordering (`stage: 'order'`, the order not yet
 * counted as open) or at settlement (`'settlement'`, the order open and counted); empty when it
 * may proceed. (1) Its price against the category's moving index, once the index has
 * `indexMinSamples` prices. (2) The pair's orders — open ones, this one included, and those
 * settled within the last 24 h — more than `pairTradeLimit`.
 */
export async function riskReasons(
  ctx: Context,
  order: RiskSubject,
  params: RiskParameters,
  pairOpen: PairOpenOrders | undefined,
  nowMs: number,
  stage: 'order' | 'settlement',
): Promise<AlertReason[]> {
  const reasons: AlertReason[] = [];
  const index = await getRecord(ctx, CategoryIndexes, [order.category]);
  if (index && index.recentPricesFen.length >= params.indexMinSamples && index.indexFen > 0) {
    if (deviatesBeyond(order.priceFen, index.indexFen, params.priceDeviationBp)) {
      reasons.push({
        rule: 'price-deviation',
        priceFen: order.priceFen,
        indexFen: index.indexFen,
        deviationBp: deviationBpRoundedUp(order.priceFen, index.indexFen),
        limitBp: params.priceDeviationBp,
      });
    }
  }
  const openOrders = (pairOpen?.open ?? 0) + (stage === 'order' ? 1 : 0);
  const settled = await settledBetweenInWindow(ctx, order.buyerSubjectId, order.sellerSubjectId, nowMs);
  if (openOrders + settled > params.pairTradeLimit) {
    reasons.push({ rule: 'pair-frequency', openOrders, settledInWindow: settled, limit: params.pairTradeLimit, windowHours: 24 });
  }
  return reasons;
}
