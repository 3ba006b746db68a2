import { ruleViolation } from '../kernel/errors';
import { largestRemainderSplit } from '../kernel/money';

export interface AllocationCounty {
  readonly county: string;
  /** Metric value by metric key; a missing key is 0. */
  readonly values: Readonly<Record<string, number>>;
  readonly eligible: boolean;
}

export interface AllocationMetric {
  readonly key: string;
  readonly weightBp: number;
}

export interface AllocationResult {
  /** Amount per county, in the order given; 0 for an ineligible county. Sums exactly to the pool. */
  readonly amountsFen: number[];
  /** Each metric's total over eligible counties. */
  readonly eligibleTotals: Record<string, number>;
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
 * split in proportion to N_c.
 */
export function allocate(poolFen: number, metrics: readonly AllocationMetric[], counties: readonly AllocationCounty[]): AllocationResult {
  const eligibleTotals: Record<string, number> = {};
  for (const m of metrics) {
    let total = 0n;
    for (const c of counties) if (c.eligible) total += BigInt(c.values[m.key] ?? 0);
    if (total > BigInt(Number.MAX_SAFE_INTEGER)) throw ruleViolation(`the total of metric ${m.key} exceeds the safe integer range`);
    eligibleTotals[m.key] = Number(total);
  }
  const counted = metrics.filter((m) => (eligibleTotals[m.key] ?? 0) > 0);
  if (counted.length === 0 || !counties.some((c) => c.eligible)) {
    throw ruleViolation('no eligible county has a value for any metric of the round: nothing to allocate by');
  }
  const product = counted.reduce((p, m) => p * BigInt(eligibleTotals[m.key] as number), 1n);
  const weights = counties.map((c) => {
    if (!c.eligible) return 0n;
    let n = 0n;
    for (const m of counted) n += BigInt(m.weightBp) * BigInt(c.values[m.key] ?? 0) * (product / BigInt(eligibleTotals[m.key] as number));
    return n;
  });
  return { amountsFen: largestRemainderSplit(poolFen, weights), eligibleTotals };
}
