import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { Block, BlockHeader, GENESIS_PREVIOUS_HASH, headerHash, parseBlock } from './block-format';
import { copyLevel } from '../../backup/level-copy';
import { auditChain } from './chain-audit';
import { CHAIN_HEAD_FILE, ChainHead } from './chain-head';
import { DamagedLedgerError, droppedOnOpen, fileNamedBy, isNewLedgerFolder, markDamaged, preflightExistingFolder } from './store-integrity';
import { decodeVersioned, encodeVersioned, Version } from './versions';
import { writeBatch } from './level-batch';
import {
  PREFIX,
  RootBatchOp,
  blockKey,
  chainInfoValue,
  META_CHAIN_KEY,
  decodeHistory,
  encodeHistory,
  historyKey,
  historyPrefix,
  HistoryRecord,
  LEVEL_OPTIONS,
  privateKey,
  Sub,
} from './store-layout';

export type { HistoryRecord };

/** A state change to apply with a block. */
export interface StateWrite {
  readonly key: string;
  readonly value: Buffer | null;
  readonly version: Version;
}

export interface PrivateWrite {
  readonly collection: string;
  readonly key: string;
  readonly value: Buffer | null;
}

export interface TxLocation {
  readonly block: number;
  readonly tx: number;
}

/**
 * LevelDB layout of the embedded ledger. A block, its state updates, history,
 * private data and transaction index are written in one synced batch, so a block
 * is either wholly on disk or not at all.
 */
export interface BlockStoreOptions {
  /** Audit the whole chain at start, not only its head. */
  readonly verifyOnStart?: boolean;
  /** Told what the store found and did at start or in recovery (a warning is not a refusal). */
  readonly onWarning?: (message: string) => void;
  /** Bounds of the committed-state cache (default BlockStore.CACHE_LIMIT entries, BlockStore.CACHE_BYTES bytes). */
  readonly stateCache?: { readonly entries?: number; readonly bytes?: number };
}

/** What the committed-state cache holds (test hook): entries, the bytes it counts, and the bytes its values keep alive. */
export interface CacheFootprint {
  readonly entries: number;
  readonly bytes: number;
  /** The sizes of the distinct memory blocks behind the cached values: a value sliced from a pooled 8 KiB slab would keep the slab. */
  readonly retainedBytes: number;
}

type Cached = { value: Buffer; version: Version } | null;
/** A cache entry's cost as counted against CACHE_BYTES: its key, its value and the Map's and object's own share. */
const ENTRY_OVERHEAD = 96;
const costOf = (key: string, entry: Cached) => key.length + (entry?.value.length ?? 0) + ENTRY_OVERHEAD;

export class BlockStore {
  readonly #dir: string;
  readonly #options: BlockStoreOptions;
  #db!: ClassicLevel<string, Buffer>;
  #state!: Sub;
  #history!: Sub;
  #blocks!: Sub;
  #txIndex!: Sub;
  #private!: Sub;
  #meta!: Sub;
  #head: ChainHead | undefined;
  #height = 0;
  #lastHash = GENESIS_PREVIOUS_HASH;
  /**
   * Committed state cache (key → value and version, or null for absent). Only
   * commit() changes state and it updates the cache in the same step, so the
   * cache never disagrees with disk; it only saves native round trips. Bounded
   * in entries and in bytes, and it holds each value in a block of its own size:
   * a small Buffer is usually a slice of an 8 KiB pool slab, and a cached slice
   * kept its whole slab alive (about 3.5 KiB per entry measured, 700 MiB of
   * native memory at 200,000 entries).
   */
  readonly #cache = new Map<string, Cached>();
  #cacheBytes = 0;
  readonly #cacheEntries: number;
  readonly #cacheByteLimit: number;
  static readonly CACHE_LIMIT = 200_000;
  static readonly CACHE_BYTES = 64 * 2 ** 20;
  /** Larger values are not cached: one would push out hundreds of small records for one read saved. */
  static readonly CACHE_VALUE_MAX = 64 * 1024;

  private constructor(dir: string, options: BlockStoreOptions) {
    this.#dir = dir;
    this.#options = options;
    this.#cacheEntries = options.stateCache?.entries ?? BlockStore.CACHE_LIMIT;
    this.#cacheByteLimit = options.stateCache?.bytes ?? BlockStore.CACHE_BYTES;
  }

  #bind(createIfMissing: boolean): void {
    this.#db = new ClassicLevel<string, Buffer>(this.#dir, { ...LEVEL_OPTIONS, keyEncoding: 'utf8', valueEncoding: 'buffer', createIfMissing });
    const sub = (name: string): Sub => this.#db.sublevel<string, Buffer>(name, { keyEncoding: 'utf8', valueEncoding: 'buffer' }) as unknown as Sub;
    this.#state = sub('state');
    this.#history = sub('history');
    this.#blocks = sub('blocks');
    this.#txIndex = sub('txindex');
    this.#private = sub('private');
    this.#meta = sub('meta');
  }

  /**
   * Opens a ledger folder: a new ledger only in a missing or empty folder; an existing one only
   * after it proves whole (store-integrity.ts): LevelDB's files present, its head record matching
   * its last block and the acknowledged head outside LevelDB, and, when LevelDB says it dropped
   * data while opening (or `verifyOnStart`), the whole chain audited. DamagedLedgerError otherwise.
   */
  static async open(dir: string, options: BlockStoreOptions = {}): Promise<BlockStore> {
    const fresh = isNewLedgerFolder(dir);
    if (fresh) mkdirSync(dir, { recursive: true });
    else preflightExistingFolder(dir);
    const store = new BlockStore(dir, options);
    await store.#openDatabase(fresh);
    try {
      await store.#checkWhole(fresh, options.verifyOnStart === true);
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  async #openDatabase(fresh: boolean): Promise<void> {
    this.#bind(fresh);
    try {
      await this.#db.open();
    } catch (err) {
      const message = String((err as { cause?: unknown }).cause ?? err);
      throw new DamagedLedgerError(this.#dir, fileNamedBy(message, this.#dir), `LevelDB could not open it: ${message}`);
    }
    const info = await this.#meta.get('chain');
    if (info) {
      const { height, lastHash } = JSON.parse(info.toString('utf8')) as { height: number; lastHash: string };
      this.#height = height;
      this.#lastHash = lastHash;
    } else {
      this.#height = 0;
      this.#lastHash = GENESIS_PREVIOUS_HASH;
    }
  }

  async #checkWhole(fresh: boolean, audit: boolean): Promise<void> {
    const dir = this.#dir;
    const dropped = fresh ? [] : droppedOnOpen(dir);
    const headFile = path.join(dir, CHAIN_HEAD_FILE);
    const hadHead = ChainHead.exists(dir);
    const { head, recorded } = ChainHead.open(dir);
    this.#head = head;
    const refuse = (file: string, problem: string, remedy?: string): never => {
      // LevelDB has already dropped what it could not read: the next open would not see it, so the verdict is kept.
      if (dropped.length > 0) markDamaged(dir, problem);
      throw new DamagedLedgerError(dir, file, problem, remedy);
    };

    if (this.#height > 0) {
      const last = await this.#readBlockForCheck(this.#height - 1);
      if (!last) refuse(dir, `the chain record says ${this.#height} blocks but block ${this.#height - 1} is missing`);
      else if (headerHash(last.header) !== this.#lastHash) refuse(dir, `block ${this.#height - 1} does not hash to the recorded chain head`);
    }
    if (await this.#blocks.get(blockKey(this.#height))) refuse(dir, `a block ${this.#height} is stored beyond the recorded height ${this.#height}`);

    if (recorded) {
      if (this.#height < recorded.height) {
        refuse(
          headFile,
          `blocks ${this.#height}–${recorded.height - 1} were acknowledged but the store ends at height ${this.#height} (its write-ahead log lost them)`,
        );
      } else if (this.#height === recorded.height && this.#lastHash !== recorded.lastHash) {
        refuse(headFile, `the last block is not the one acknowledged at height ${recorded.height}`);
      } else if (this.#height > recorded.height) {
        // A crash between a block's batch and its head record: that block was never acknowledged, and is kept.
        const first = await this.#readBlockForCheck(recorded.height);
        if (!first || first.header.previousHash !== recorded.lastHash) refuse(headFile, `block ${recorded.height} does not follow the acknowledged head`);
        if (this.#height > recorded.height + 1)
          this.#options.onWarning?.(`the store is ${this.#height - recorded.height} blocks ahead of its acknowledged head`);
        this.#head.write({ height: this.#height, lastHash: this.#lastHash });
      }
    } else {
      if (!fresh && !hadHead) this.#options.onWarning?.(`${headFile} was missing: recorded from the store (height ${this.#height})`);
      this.#head.write({ height: this.#height, lastHash: this.#lastHash });
    }

    if (dropped.length > 0 || audit) {
      if (dropped.length > 0) this.#options.onWarning?.(`LevelDB discarded data while opening ${dir}: ${dropped.join(' | ')}; auditing the whole chain`);
      const verdict = await auditChain(this, {});
      if (!verdict.ok) {
        refuse(path.join(dir, 'LOG'), `block ${verdict.firstBrokenBlock}: ${verdict.problem}${dropped.length > 0 ? ` (LevelDB: ${dropped[0]?.trim()})` : ''}`);
      }
    }
  }

  async #readBlockForCheck(n: number): Promise<Block | undefined> {
    try {
      return await this.getBlock(n);
    } catch (err) {
      const message = String((err as { cause?: unknown }).cause ?? err);
      throw new DamagedLedgerError(this.#dir, fileNamedBy(message, this.#dir), `block ${n} cannot be read: ${message}`);
    }
  }

  /**
   * After a failed write: closes the database, opens it again and checks it is whole, so nothing
   * is appended behind a torn record. LevelDB drops the torn batch (never acknowledged) on open.
   */
  async reopen(): Promise<void> {
    try {
      await this.#db.close();
    } catch {
      // A handle that failed may fail to close; the reopen below is what counts.
    }
    this.#head?.close();
    this.#head = undefined;
    this.#cache.clear();
    this.#cacheBytes = 0;
    preflightExistingFolder(this.#dir);
    await this.#openDatabase(false);
    await this.#checkWhole(false, false);
  }

  get height(): number {
    return this.#height;
  }

  get lastHash(): string {
    return this.#lastHash;
  }

  async getState(key: string): Promise<{ value: Buffer; version: Version } | undefined> {
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    // A synchronous read on the root database (the sublevel's prefix added here): a state record
    // is one small LevelDB lookup, mostly in the block cache or the OS page cache, and the async
    // get's two thread-pool hops and promise cost more than the lookup. It made a read that misses
    // this cache (most of them once the state outgrows it) about 40% dearer than a hit. No commit
    // can come between the read and remembering it, so it is never stale.
    const stored = this.#db.getSync(PREFIX.state + key);
    const found = stored ? decodeVersioned(stored) : undefined;
    this.#remember(key, found ?? null);
    return found;
  }

  async getVersions(keys: readonly string[]): Promise<Array<Version | undefined>> {
    const out: Array<Version | undefined> = new Array(keys.length);
    const missing: number[] = [];
    keys.forEach((k, i) => {
      const cached = this.#cache.get(k);
      if (cached === undefined) missing.push(i);
      else out[i] = cached?.version;
    });
    if (missing.length > 0) {
      const values = await this.#state.getMany(missing.map((i) => keys[i] as string));
      missing.forEach((i, j) => {
        const v = values[j];
        out[i] = v ? decodeVersioned(v).version : undefined;
      });
    }
    return out;
  }

  #remember(key: string, entry: Cached): void {
    const old = this.#cache.get(key);
    if (old !== undefined) {
      this.#cache.delete(key);
      this.#cacheBytes -= costOf(key, old);
    }
    if (entry && entry.value.length > BlockStore.CACHE_VALUE_MAX) return;
    const kept = entry && { value: ownBlock(entry.value), version: entry.version };
    this.#cache.set(key, kept);
    this.#cacheBytes += costOf(key, kept);
    if (this.#cache.size <= this.#cacheEntries && this.#cacheBytes <= this.#cacheByteLimit) return;
    // Over a bound: drop the oldest down to nine tenths of both (Map iterates in insertion order, and a write re-inserts its key).
    const entries = Math.floor(this.#cacheEntries * 0.9);
    const bytes = Math.floor(this.#cacheByteLimit * 0.9);
    for (const [k, v] of this.#cache) {
      if (this.#cache.size <= entries && this.#cacheBytes <= bytes) break;
      this.#cache.delete(k);
      this.#cacheBytes -= costOf(k, v);
    }
  }

  /** Iterates committed state in [start, end) (end '' = unbounded), in batches. */
  stateIterator(start: string, end: string): { next(n: number): Promise<Array<[string, Buffer]>>; close(): Promise<void> } {
    const it = this.#state.iterator(end ? { gte: start, lt: end } : { gte: start });
    return {
      next: (n) => fullBatch(it, n),
      close: () => it.close(),
    };
  }

  historyIterator(key: string): { next(n: number): Promise<HistoryRecord[]>; close(): Promise<void> } {
    const prefix = historyPrefix(key);
    // Newest first, as Fabric's history query returns.
    const it = this.#history.iterator({ gte: prefix, lt: `${prefix}~`, reverse: true });
    return {
      next: async (n) => (await fullBatch(it, n)).map(([, v]) => decodeHistory(v)),
      close: () => it.close(),
    };
  }

  async getPrivate(collection: string, key: string): Promise<Buffer | undefined> {
    return (await this.#private.get(privateKey(collection, key))) ?? undefined;
  }

  async getBlock(n: number): Promise<Block | undefined> {
    const bytes = await this.#blocks.get(blockKey(n));
    return bytes ? parseBlock(bytes) : undefined;
  }

  async getBlockBytes(n: number): Promise<Buffer | undefined> {
    return (await this.#blocks.get(blockKey(n))) ?? undefined;
  }

  async getTxLocation(txId: string): Promise<TxLocation | undefined> {
    const loc = await this.#txIndex.get(txId);
    return loc ? (JSON.parse(loc.toString('utf8')) as TxLocation) : undefined;
  }

  /** Writes a block and everything it changes in one synced batch. */
  async commit(
    block: { header: BlockHeader; txIds: readonly string[]; bytes: Buffer },
    writes: readonly StateWrite[],
    history: ReadonlyArray<{ key: string; version: Version; record: HistoryRecord }>,
    privateWrites: readonly PrivateWrite[],
  ): Promise<void> {
    if (block.header.number !== this.#height) throw new Error(`block ${block.header.number} out of order (height ${this.#height})`);
    // Whole keys (sublevel prefix and key) on the root database: the batch then skips
    // abstract-level's per-operation sublevel transcoding, the same entries as through the sublevels.
    const ops: RootBatchOp[] = [];
    const put = (prefix: string, key: string, value: Buffer) => ops.push({ type: 'put', key: prefix + key, value });
    const del = (prefix: string, key: string) => ops.push({ type: 'del', key: prefix + key });
    put(PREFIX.blocks, blockKey(block.header.number), block.bytes);
    block.txIds.forEach((txId, i) => put(PREFIX.txindex, txId, Buffer.from(`{"block":${block.header.number},"tx":${i}}`)));
    for (const w of writes) {
      if (w.value === null) del(PREFIX.state, w.key);
      else put(PREFIX.state, w.key, encodeVersioned(w.version, w.value));
    }
    for (const h of history) put(PREFIX.history, historyKey(h.key, h.version), encodeHistory(h.record));
    for (const p of privateWrites) {
      if (p.value === null) del(PREFIX.private, privateKey(p.collection, p.key));
      else put(PREFIX.private, privateKey(p.collection, p.key), p.value);
    }
    const lastHash = headerHash(block.header);
    put(PREFIX.meta, 'chain', chainInfoValue(block.header.number + 1, lastHash));
    await writeBatch(this.#db, ops, { sync: true });
    for (const w of writes) this.#remember(w.key, w.value === null ? null : { value: w.value, version: w.version });
    this.#height = block.header.number + 1;
    this.#lastHash = lastHash;
    // Recorded before anyone is answered: what is acknowledged is at most this head.
    await this.#head?.writeAsync({ height: this.#height, lastHash });
  }

  /**
   * A consistent copy of the whole store as of one block (blocks, state, history, private data,
   * transaction index), taken while it keeps committing: a new ledger folder at `target` with its
   * own acknowledged head. Answers the height and head of the copy.
   */
  async snapshotTo(target: string, onProgress?: (entries: number) => void): Promise<{ height: number; lastHash: string; entries: number }> {
    if (!isNewLedgerFolder(target)) throw new Error(`${target} is not empty`);
    let chain = { height: 0, lastHash: GENESIS_PREVIOUS_HASH };
    const entries = await copyLevel(this.#db, target, {
      ...(onProgress ? { onProgress } : {}),
      onEntry: (key, value) => {
        if (key === META_CHAIN_KEY) chain = JSON.parse(value.toString('utf8')) as typeof chain;
      },
    });
    const { head } = ChainHead.open(target);
    head.write(chain);
    head.close();
    return { ...chain, entries };
  }

  /** One of LevelDB's properties (leveldb.stats, leveldb.num-files-at-level<N>, leveldb.approximate-memory-usage), for the benchmarks. */
  levelProperty(name: string): string {
    return this.#db.getProperty(name);
  }

  async close(): Promise<void> {
    this.#head?.close();
    this.#head = undefined;
    if (this.#db.status === 'open' || this.#db.status === 'opening') await this.#db.close();
  }

  // --- test hooks: only tests call these (through EmbeddedLedger.store) ---

  /**
   * Read-only copy of the committed world state (values without versions) and of the private
   * data, as `collection -> key -> value`; for comparisons with another ledger (differential test).
   */
  async dumpState(): Promise<{ state: Map<string, Buffer>; private: Map<string, Map<string, Buffer>> }> {
    const state = new Map<string, Buffer>();
    for await (const [k, v] of this.#state.iterator({}) as unknown as AsyncIterable<[string, Buffer]>) state.set(k, decodeVersioned(v).value);
    const priv = new Map<string, Map<string, Buffer>>();
    for await (const [k, v] of this.#private.iterator({}) as unknown as AsyncIterable<[string, Buffer]>) {
      const sep = k.indexOf('\u0000');
      const collection = k.slice(0, sep);
      if (!priv.has(collection)) priv.set(collection, new Map());
      priv.get(collection)!.set(k.slice(sep + 1), v);
    }
    return { state, private: priv };
  }

  /** What the committed-state cache holds now. */
  cacheFootprint(): CacheFootprint {
    const blocks = new Set<ArrayBufferLike>();
    let retainedBytes = 0;
    for (const entry of this.#cache.values()) {
      if (!entry || blocks.has(entry.value.buffer)) continue;
      blocks.add(entry.value.buffer);
      retainedBytes += entry.value.buffer.byteLength;
    }
    return { entries: this.#cache.size, bytes: this.#cacheBytes, retainedBytes };
  }

  /** Overwrites a stored block's bytes. Only for tests that prove tampering is detected. */
  async tamperWithBlockForTest(n: number, bytes: Buffer): Promise<void> {
    await this.#blocks.put(blockKey(n), bytes);
  }
}

/**
 * The next `n` entries of an iterator, fewer only at its end. LevelDB's nextv answers at most
 * about 16 KiB of entries per call whatever is asked, so one short answer is not the end; the
 * callers (range reads, pagination, MVCC re-checks) take a short batch to mean exhausted.
 */
async function fullBatch(it: { nextv(n: number): Promise<Array<[string, Buffer]>> }, n: number): Promise<Array<[string, Buffer]>> {
  const out = (await it.nextv(n)) as Array<[string, Buffer]>;
  while (out.length < n) {
    const more = (await it.nextv(n - out.length)) as Array<[string, Buffer]>;
    if (more.length === 0) break;
    for (const entry of more) out.push(entry);
  }
  return out;
}

/** The value in a memory block of its own size when it is a slice of a larger one (Buffer.from pools small copies into 8 KiB slabs). */
function ownBlock(value: Buffer): Buffer {
  if (value.buffer.byteLength <= value.length + 64) return value;
  const own = Buffer.allocUnsafeSlow(value.length);
  value.copy(own);
  return own;
}
