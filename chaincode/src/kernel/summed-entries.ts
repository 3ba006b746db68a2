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

  /**
   * The entries under `partialKey` from the key `[...partialKey, ...from]` on (inclusive), e.g.
   * from the first day of a window: one paginated range read, so read-only transactions only (as
   * on Fabric: a transaction with a paginated query may not write). Refuses like `entries`.
   */
  async entriesFrom<T>(ctx: Context, rt: RecordType<T>, partialKey: string[], from: string[], what: string): Promise<T[]> {
    const bookmark = ctx.stub.createCompositeKey(rt.type, [...partialKey, ...from]);
    const { iterator } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(rt.type, partialKey, this.#left + 1, bookmark);
    const items: T[] = [];
    try {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        items.push(JSON.parse(Buffer.from(r.value.value).toString('utf8')) as T);
      }
    } finally {
      await iterator.close();
    }
    if (items.length > this.#left) throw conflict(`more than ${MAX_SUMMED_ENTRIES} ${what} to sum in one transaction; ask for a shorter period`);
    this.#left -= items.length;
    return items;
  }
}
