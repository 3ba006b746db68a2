import { Context } from 'fabric-contract-api';
import { getRecord, putRecord } from '../kernel/state';
import { AlertReason, CategoryIndex, CategoryIndexes, PairBucket, PairBuckets, Party, RiskConfig, RiskConfigs } from './records';

export const DEFAULT_RISK_CONFIG: RiskConfig = {
  priceDeviationBp: 5000,
  indexWindow: 20,
  indexMinSamples: 3,
  pairTradeLimit: 3,
  verificationDays: 7,
  paymentDays: 3,
};

const HOUR_MS = 3600 * 1000;
const WINDOW_MS = 24 * HOUR_MS;
/** Settlement times kept per pair bucket; beyond it the bucket only counts (and is counted whole). */
export const MAX_BUCKET_TIMES = 200;

export async function loadRiskConfig(ctx: Context): Promise<RiskConfig> {
  const stored = await getRecord(ctx, RiskConfigs, ['market']);
  if (!stored) return DEFAULT_RISK_CONFIG;
  const { id: _id, ...config } = stored;
  return { ...DEFAULT_RISK_CONFIG, ...config };
}

export async function saveRiskConfig(ctx: Context, config: RiskConfig, by: Party, at: string): Promise<RiskConfig> {
  const stored = { ...config, id: 'market' as const, updatedBy: { mspId: by.mspId, member: by.member }, updatedAt: at };
  await putRecord(ctx, RiskConfigs, stored);
  const { id: _id, ...out } = stored;
  return out;
}

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

/** Adds a settled price to its category's moving index. */
export async function updateCategoryIndex(ctx: Context, category: string, priceFen: number, config: RiskConfig, at: string): Promise<CategoryIndex> {
  const previous = await getRecord(ctx, CategoryIndexes, [category]);
  const prices = [...(previous?.recentPricesFen ?? []), priceFen].slice(-config.indexWindow);
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

/** Deviation of a price from an index in basis points, rounded down: |price − index| × 10000 / index. */
export function deviationBp(priceFen: number, indexFen: number): number {
  const diff = BigInt(priceFen) - BigInt(indexFen);
  const abs = diff < 0n ? -diff : diff;
  return Number((abs * 10000n) / BigInt(indexFen));
}

/** The risk rules for a new order; empty when it may proceed. */
export async function orderRiskReasons(
  ctx: Context,
  order: { category: string; priceFen: number; buyerSubjectId: string; sellerSubjectId: string },
  config: RiskConfig,
  nowMs: number,
): Promise<AlertReason[]> {
  const reasons: AlertReason[] = [];
  const index = await getRecord(ctx, CategoryIndexes, [order.category]);
  if (index && index.recentPricesFen.length >= config.indexMinSamples && index.indexFen > 0) {
    const bp = deviationBp(order.priceFen, index.indexFen);
    if (bp > config.priceDeviationBp) {
      reasons.push({ rule: 'price-deviation', priceFen: order.priceFen, indexFen: index.indexFen, deviationBp: bp, limitBp: config.priceDeviationBp });
    }
  }
  // This order would be one more settled trade between the pair within 24 h.
  const settled = await settledBetweenInWindow(ctx, order.buyerSubjectId, order.sellerSubjectId, nowMs);
  if (settled + 1 > config.pairTradeLimit) {
    reasons.push({ rule: 'pair-frequency', settledInWindow: settled, limit: config.pairTradeLimit, windowHours: 24 });
  }
  return reasons;
}
