import { Context } from 'fabric-contract-api';
import { getRecord, putRecord } from '../kernel/state';
import { ParameterValues } from '../parameters/schemas';
import { recentEntries, putRecentEntry, visitRecentEntries } from '../kernel/recent-entries';
import { TxTime } from '../kernel/time';
import {
  AlertReason,
  CategoryIndex,
  CategoryIndexes,
  CategoryMarks,
  CategoryPrice,
  CategoryPrices,
  PairOpenOrders,
  PairOpenOrdersCount,
  PairTrades,
} from './records';

/** The shared parameters the risk rules read (parameters/, changed by a majority of counties). */
export type RiskParameters = Pick<ParameterValues, 'priceDeviationBp' | 'indexWindow' | 'indexMinSamples' | 'pairTradeLimit'>;

const HOUR_MS = 3600 * 1000;
const WINDOW_MS = 24 * HOUR_MS;

/** The two subjects of a trade in a fixed order: the pair rule does not care who bought from whom. */
export function pairOf(x: string, y: string): [string, string] {
  return x < y ? [x, y] : [y, x];
}

/**
 * Settled trades between two subjects within the 24 hours before `nowMs`, counted up to `atMost`:
 * one range read of the pair's trade entries from `nowMs` back, closed at the first entry older
 * than the window or at the `atMost`-th. The rule needs no more than `pairTradeLimit + 1` to decide.
 * Hourly `pairbucket` records (before the entries) are not read: for 24 h after the upgrade a
 * pair's earlier settlements are not counted.
 */
export async function settledBetweenInWindow(ctx: Context, x: string, y: string, nowMs: number, atMost: number): Promise<number> {
  const since = nowMs - WINDOW_MS;
  let count = 0;
  await visitRecentEntries(ctx, PairTrades, pairOf(x, y), nowMs, ({ epochMs }) => {
    if (epochMs <= since) return false;
    count++;
    return count < atMost;
  });
  return count;
}

/**
 * Counts a settled trade of the pair: one key-only entry at the transaction time, written without
 * reading anything, so settlements of one pair conflict only through the window each reads.
 */
export async function countPairTrade(ctx: Context, x: string, y: string, nowMs: number): Promise<void> {
  await putRecentEntry(ctx, PairTrades, pairOf(x, y), nowMs, ctx.stub.getTxID());
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

/**
 * How long after its settlement a price starts to count for its category's index. The index is
 * read from price entries settled at or before the transaction time minus this lag, so the
 * range a settlement (or an order) reads starts before the timestamps of the settlements endorsed
 * with it: their new entries are outside it and cannot invalidate it (MVCC phantom). 60 s is far
 * more than endorsement-to-commit takes; a settlement whose timestamp is older than that when it
 * commits can still conflict, and is re-run.
 */
export const INDEX_LAG_MS = 60_000;

/**
 * Records a settled price for its category's index, reading nothing: a new price entry, and the
 * category's mark (the same value every time) so the listing finds the category.
 */
export async function recordCategoryPrice(ctx: Context, category: string, priceFen: number, orderId: string, time: TxTime): Promise<void> {
  const entry: CategoryPrice = { priceFen, orderId, settledAt: time.iso };
  await putRecentEntry(ctx, CategoryPrices, [category], time.epochMs, ctx.stub.getTxID(), entry);
  await putRecord(ctx, CategoryMarks, { category });
}

/**
 * The category's moving index at `nowMs`: the floor mean of the latest `indexWindow` prices
 * settled at or before `nowMs − INDEX_LAG_MS` (one range read of at most `indexWindow` entries,
 * topped up from a legacy running record if there is one). Undefined while there is no such price.
 */
export async function categoryIndexAt(ctx: Context, category: string, indexWindow: number, nowMs: number): Promise<CategoryIndex | undefined> {
  const untilMs = nowMs - INDEX_LAG_MS;
  const newestFirst = await recentEntries<CategoryPrice>(ctx, CategoryPrices, [category], untilMs, indexWindow);
  let prices = newestFirst.map((e) => e.priceFen).reverse();
  let updatedAt = newestFirst[0]?.settledAt;
  if (prices.length < indexWindow) {
    // Settled before the entries existed, so older than every entry.
    const legacy = await getRecord(ctx, CategoryIndexes, [category]);
    if (legacy) {
      prices = [...legacy.recentPricesFen, ...prices].slice(-indexWindow);
      updatedAt ??= legacy.updatedAt;
    }
  }
  if (prices.length === 0 || updatedAt === undefined) return undefined;
  const sum = prices.reduce((s, p) => s + BigInt(p), 0n);
  return { category, recentPricesFen: prices, indexFen: Number(sum / BigInt(prices.length)), updatedAt, asOf: new Date(untilMs).toISOString() };
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
 * may proceed. (1) Its price against the category's moving index (prices settled at least
 * INDEX_LAG_MS before `nowMs`), once the index has `indexMinSamples` prices. (2) The pair's orders — open ones, this one included, and those
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
  const index = await categoryIndexAt(ctx, order.category, params.indexWindow, nowMs);
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
  const settled = await settledBetweenInWindow(ctx, order.buyerSubjectId, order.sellerSubjectId, nowMs, params.pairTradeLimit + 1);
  if (openOrders + settled > params.pairTradeLimit) {
    reasons.push({ rule: 'pair-frequency', openOrders, settledInWindow: settled, limit: params.pairTradeLimit, windowHours: 24 });
  }
  return reasons;
}
