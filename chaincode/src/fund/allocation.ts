import { ruleViolation } from '../kernel/errors';
import { fenBig, largestRemainderSplit } from '../kernel/money';

/** A metric value: an exact non-negative integer (a decimal string as rounds store it, or a number or bigint). */
export type MetricValue = string | number | bigint;

export interface AllocationCounty {
  readonly county: string;
  /** Metric value by metric key; a missing key is 0. */
  readonly values: Readonly<Record<string, MetricValue>>;
  readonly eligible: boolean;
}

export interface AllocationMetric {
  readonly key: string;
  readonly weightBp: number;
}

export interface AllocationResult {
  /** Amount per county, in the order given; 0 for an ineligible county. Sums exactly to the pool. */
  readonly amountsFen: number[];
  /** Each metric's total over eligible counties, exact. */
  readonly eligibleTotals: Record<string, bigint>;
}

/**
 * Amount per county = pool × weighted share, with largest-remainder rounding so the parts
 * sum exactly to the pool.
 *
 * A county's weighted share is Σ_m (w_m / W) × v_m,c / T_m over the metrics m whose total
 * T_m over ELIGIBLE counties is positive (W is the sum of their weights): an ineligible
 * county counts as having no value, so its share is spread over the others by the same
 * rule, and a metric no eligible county has carries no weight. The shares are computed
 * exactly as integers: N_c = Σ_m w_m × v_m,c × (P / T_m) with P = Π T_m, and the pool is
 * split in proportion to N_c. Values and totals are BigInts throughout: no size of metric
 * refuses a round.
 */
export function allocate(poolFen: number, metrics: readonly AllocationMetric[], counties: readonly AllocationCounty[]): AllocationResult {
  const valueOf = (c: AllocationCounty, key: string): bigint => fenBig(c.values[key] ?? 0);
  const eligibleTotals: Record<string, bigint> = {};
  for (const m of metrics) {
    let total = 0n;
    for (const c of counties) if (c.eligible) total += valueOf(c, m.key);
    eligibleTotals[m.key] = total;
  }
  const counted = metrics.filter((m) => (eligibleTotals[m.key] ?? 0n) > 0n);
  if (counted.length === 0 || !counties.some((c) => c.eligible)) {
    throw ruleViolation('no eligible county has a value for any metric of the round: nothing to allocate by');
  }
  const product = counted.reduce((p, m) => p * (eligibleTotals[m.key] as bigint), 1n);
  const weights = counties.map((c) => {
    if (!c.eligible) return 0n;
    let n = 0n;
    for (const m of counted) n += BigInt(m.weightBp) * valueOf(c, m.key) * (product / (eligibleTotals[m.key] as bigint));
    return n;
  });
  return { amountsFen: largestRemainderSplit(poolFen, weights), eligibleTotals };
}
