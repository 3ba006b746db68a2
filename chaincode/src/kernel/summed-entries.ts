import { Context } from 'fabric-contract-api';
import { conflict } from './errors';
import { RecordType, scanBounded } from './state';

/**
 * Most per-transaction entries one transaction sums on read, over all the prefixes it reads: a day
 * total kept as one entry per trade (so concurrent settlements write distinct keys and never
 * conflict, fabric-samples' high-throughput pattern) costs a bounded range read per county-day,
 * and this caps their sum, below Fabric's per-transaction totalQueryLimit (100 000 by default).
 * A reader that would need more is refused with CONFLICT (nothing written); a shorter period fits.
 */
export const MAX_SUMMED_ENTRIES = 50_000;

/** What is left of one transaction's MAX_SUMMED_ENTRIES; pass the same budget to every read. */
export class SummedEntriesBudget {
  #left: number;

  constructor(max = MAX_SUMMED_ENTRIES) {
    this.#left = max;
  }

  /** The entries under `partialKey` (one bounded range read); refuses a set larger than what is left. */
  async entries<T>(ctx: Context, rt: RecordType<T>, partialKey: string[], what: string): Promise<T[]> {
    const { items, truncated } = await scanBounded(ctx, rt, partialKey, this.#left);
    if (truncated) throw conflict(`more than ${MAX_SUMMED_ENTRIES} ${what} to sum in one transaction; ask for a shorter period`);
    this.#left -= items.length;
    return items;
  }
}
