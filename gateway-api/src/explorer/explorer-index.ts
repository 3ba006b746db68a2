import { mkdirSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import { writeBatch } from '../ledger/embedded/level-batch';
import { BlockView, Ledger } from '../ledger/ledger';

/** A block's header facts as the explorer lists them (no transactions). */
export interface BlockSummary {
  readonly number: number;
  readonly headerHash: string;
  readonly previousHash: string;
  readonly dataHash: string;
  readonly txCount: number;
  readonly time: string | null;
}

/** How far the index is: blocks 0 … indexedHeight − 1 are in it, of the ledger's `height`. */
export interface IndexProgress {
  readonly indexedHeight: number;
  readonly height: number;
  /** A background catch-up is running. */
  readonly catchingUp: boolean;
}

/** Transactions a county's members created on a CST day, and how many of them the committer found valid. */
export interface DailyCount {
  readonly day: string;
  readonly mspId: string;
  readonly transactions: number;
  readonly valid: number;
}

export interface ExplorerIndexOptions {
  /** Most blocks one query waits to have indexed before it is answered; the rest is indexed in the background (default 200). */
  readonly maxBlocksPerQuery?: number;
  /** Blocks indexed per LevelDB batch (default 50). */
  readonly batchBlocks?: number;
  readonly log?: (message: string, details?: Record<string, unknown>) => void;
}

const INDEX_VERSION = 1;
const META_KEY = 'm';
const blockKey = (n: number) => `b!${String(n).padStart(16, '0')}`;
const hashKey = (hash: string) => `h!${hash}`;
const dayKey = (day: string, mspId: string) => `d!${day}!${mspId}`;
const CST_OFFSET_MS = 8 * 3600 * 1000;
/** Rows one daily query reads at most: a year of days for many counties. */
const MAX_DAY_ROWS = 366 * 64;

interface Meta {
  readonly version: number;
  readonly height: number;
  /** Header hash of block height − 1 ('' at height 0): the next block must link to it. */
  readonly lastHash: string;
}

/** The CST calendar day of an ISO timestamp. */
export function cstDayOf(timestamp: string): string {
  return new Date(Date.parse(timestamp) + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The gateway's explorer index, for both ledgers: block summaries by number, block numbers by
 * header hash (the embedded ledger has no hash index of its own) and transactions per creating
 * county per CST day. A small LevelDB under the gateway's state folder, fed from the ledger's
 * blocks in order and only ever extended: each batch of blocks is written with its counts and the
 * new head in one write, so a crash leaves a whole prefix. A block that does not link to the
 * indexed head (the ledger folder was restored or rebuilt from another chain) starts it again
 * from block 0. Work per query is bounded (maxBlocksPerQuery); a catch-up beyond that runs in the
 * background, one batch at a time, and every answer says how far the index is.
 */
export class ExplorerIndex {
  readonly #db: ClassicLevel<string, string>;
  readonly #ledger: Ledger;
  readonly #options: Required<Omit<ExplorerIndexOptions, 'log'>> & Pick<ExplorerIndexOptions, 'log'>;
  #meta: Meta = { version: INDEX_VERSION, height: 0, lastHash: '' };
  /** Index writes run one at a time, in this chain. */
  #exclusive: Promise<unknown> = Promise.resolve();
  #background: Promise<void> | undefined;
  #closed = false;

  private constructor(dir: string, ledger: Ledger, options: ExplorerIndexOptions) {
    mkdirSync(dir, { recursive: true });
    this.#db = new ClassicLevel<string, string>(dir, { valueEncoding: 'utf8' });
    this.#ledger = ledger;
    this.#options = { maxBlocksPerQuery: 200, batchBlocks: 50, ...options };
  }

  static async open(dir: string, ledger: Ledger, options: ExplorerIndexOptions = {}): Promise<ExplorerIndex> {
    const index = new ExplorerIndex(dir, ledger, options);
    await index.#db.open();
    const stored = await index.#db.get(META_KEY);
    const meta = stored ? (JSON.parse(stored) as Meta) : undefined;
    if (meta && meta.version === INDEX_VERSION) index.#meta = meta;
    else if (meta) await index.#reset(`index format ${meta.version} is not ${INDEX_VERSION}`);
    return index;
  }

  get indexedHeight(): number {
    return this.#meta.height;
  }

  async progress(): Promise<IndexProgress> {
    return { indexedHeight: this.#meta.height, height: await this.#ledger.height(), catchingUp: this.#background !== undefined };
  }

  /**
   * Indexes up to `maxBlocks` more blocks (default maxBlocksPerQuery) and answers how far the
   * index is; when blocks remain, the background catch-up takes them on. Queries call this first.
   */
  async catchUp(maxBlocks = this.#options.maxBlocksPerQuery): Promise<IndexProgress> {
    const height = await this.#run(() => this.#index(maxBlocks));
    if (this.#meta.height < height) this.startBackground();
    return this.progress();
  }

  /** Indexes every block there is now, in the background, logging progress; at most one such run at a time. */
  startBackground(): void {
    if (this.#background || this.#closed) return;
    const log = this.#options.log;
    this.#background = (async () => {
      let lastLog = Date.now();
      for (;;) {
        if (this.#closed) return;
        const height = await this.#run(() => this.#index(this.#options.batchBlocks));
        if (this.#meta.height >= height) {
          log?.('explorer index caught up', { indexedHeight: this.#meta.height, height });
          return;
        }
        if (Date.now() - lastLog > 5000) {
          lastLog = Date.now();
          log?.('explorer index catching up', { indexedHeight: this.#meta.height, height });
        }
        await new Promise((r) => setImmediate(r));
      }
    })()
      .catch((err: unknown) => {
        // A failed read (ledger unavailable, closing) stops this run; the next query starts another.
        if (!this.#closed) log?.('explorer index catch-up stopped', { err: err instanceof Error ? err.message : String(err) });
      })
      .finally(() => (this.#background = undefined));
  }

  /** Indexed block summaries with numbers below `before`, newest first. */
  async summaries(before: number, limit: number): Promise<BlockSummary[]> {
    if (before <= 0 || limit <= 0) return [];
    const out: BlockSummary[] = [];
    for await (const value of this.#db.values({ gte: blockKey(0), lt: blockKey(Math.min(before, this.#meta.height)), reverse: true, limit })) {
      out.push(JSON.parse(value) as BlockSummary);
    }
    return out;
  }

  /** The number of the indexed block whose header hash is `hash`. */
  async blockNumberOfHash(hash: string): Promise<number | undefined> {
    const found = await this.#db.get(hashKey(hash));
    return found === undefined ? undefined : Number(found);
  }

  /** Counts per county per CST day from `from` to `to` inclusive (YYYY-MM-DD), optionally of one county. */
  async dailyCounts(from: string, to: string, county?: string): Promise<DailyCount[]> {
    const out: DailyCount[] = [];
    // '"' sorts right after '!', so the range ends after every county of day `to`.
    for await (const [key, value] of this.#db.iterator({ gte: `d!${from}!`, lt: `d!${to}"`, limit: MAX_DAY_ROWS })) {
      const [, day, mspId] = key.split('!') as [string, string, string];
      if (county && mspId !== county) continue;
      const counts = JSON.parse(value) as { transactions: number; valid: number };
      out.push({ day, mspId, ...counts });
    }
    return out;
  }

  /** Stops the background catch-up after its batch and closes the database. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#background;
    await this.#exclusive.catch(() => undefined);
    await this.#db.close();
  }

  #run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#exclusive
      .catch(() => undefined)
      .then(() => {
        if (this.#closed) throw new Error('the explorer index is closed');
        return work();
      });
    this.#exclusive = next;
    return next;
  }

  /** Indexes at most `maxBlocks` blocks after the indexed head; answers the ledger's height. */
  async #index(maxBlocks: number): Promise<number> {
    const height = await this.#ledger.height();
    if (height < this.#meta.height) await this.#reset(`the ledger has ${height} blocks, fewer than the ${this.#meta.height} indexed`);
    const end = Math.min(height, this.#meta.height + maxBlocks);
    while (this.#meta.height < end && !this.#closed) {
      const batch: BlockView[] = [];
      const until = Math.min(end, this.#meta.height + this.#options.batchBlocks);
      let linkTo = this.#meta.lastHash;
      for (let n = this.#meta.height; n < until; n++) {
        const block = await this.#ledger.blockView(n);
        if (!block) return height;
        if (n > 0 && block.previousHash !== linkTo) {
          // Only a block the index had as its head can be unlinked from it: start again from block 0.
          await this.#reset(`block ${n} does not link to the indexed block ${n - 1}`);
          return height;
        }
        linkTo = block.headerHash;
        batch.push(block);
      }
      if (batch.length === 0) break;
      await this.#write(batch);
    }
    return height;
  }

  async #write(blocks: readonly BlockView[]): Promise<void> {
    const ops: Array<{ type: 'put'; key: string; value: string }> = [];
    const days = new Map<string, { transactions: number; valid: number }>();
    for (const b of blocks) {
      const summary: BlockSummary = {
        number: b.number,
        headerHash: b.headerHash,
        previousHash: b.previousHash,
        dataHash: b.dataHash,
        txCount: b.txCount,
        time: b.time,
      };
      ops.push({ type: 'put', key: blockKey(b.number), value: JSON.stringify(summary) });
      ops.push({ type: 'put', key: hashKey(b.headerHash), value: String(b.number) });
      for (const tx of b.transactions) {
        if (!tx.timestamp) continue;
        const key = dayKey(cstDayOf(tx.timestamp), tx.creator.mspId);
        const c = days.get(key) ?? { transactions: 0, valid: 0 };
        c.transactions++;
        if (tx.validationCode === 'VALID') c.valid++;
        days.set(key, c);
      }
    }
    const keys = [...days.keys()];
    const stored = await this.#db.getMany(keys);
    keys.forEach((key, i) => {
      const before = stored[i] ? (JSON.parse(stored[i] as string) as { transactions: number; valid: number }) : { transactions: 0, valid: 0 };
      const add = days.get(key) as { transactions: number; valid: number };
      ops.push({ type: 'put', key, value: JSON.stringify({ transactions: before.transactions + add.transactions, valid: before.valid + add.valid }) });
    });
    const last = blocks[blocks.length - 1] as BlockView;
    const meta: Meta = { version: INDEX_VERSION, height: last.number + 1, lastHash: last.headerHash };
    ops.push({ type: 'put', key: META_KEY, value: JSON.stringify(meta) });
    await writeBatch(this.#db, ops);
    this.#meta = meta;
  }

  async #reset(why: string): Promise<void> {
    this.#options.log?.(`explorer index rebuilt from block 0: ${why}`);
    await this.#db.clear();
    this.#meta = { version: INDEX_VERSION, height: 0, lastHash: '' };
  }
}
