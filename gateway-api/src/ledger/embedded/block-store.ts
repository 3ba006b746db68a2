import { mkdirSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import { Block, GENESIS_PREVIOUS_HASH, headerHash, parseBlock, serializeBlock } from './block-format';
import { decodeVersioned, encodeVersioned, Version } from './versions';

/** The part of an abstract-level sublevel this store uses. */
interface Sub {
  get(key: string): Promise<Buffer | undefined>;
  getMany(keys: string[]): Promise<Array<Buffer | undefined>>;
  put(key: string, value: Buffer): Promise<void>;
  iterator(options: Record<string, unknown>): { nextv(n: number): Promise<Array<[string, Buffer]>>; close(): Promise<void> };
}
type BatchOp = { type: 'put'; sublevel: Sub; key: string; value: Buffer } | { type: 'del'; sublevel: Sub; key: string };

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

export interface HistoryRecord {
  readonly txId: string;
  readonly seconds: number;
  readonly nanos: number;
  readonly isDelete: boolean;
  readonly value: Buffer;
}

export interface TxLocation {
  readonly block: number;
  readonly tx: number;
}

const pad = (n: number, width: number): string => n.toString().padStart(width, '0');
const blockKey = (n: number): string => pad(n, 16);
/** History keys are hex of the state key, so one key's history never overlaps another's prefix. */
const historyPrefix = (key: string): string => `${Buffer.from(key, 'utf8').toString('hex')}/`;
const historyKey = (key: string, v: Version): string => `${historyPrefix(key)}${pad(v.block, 16)}${pad(v.tx, 8)}`;
const privateKey = (collection: string, key: string): string => `${collection}\u0000${key}`;

/**
 * LevelDB layout of the embedded ledger. A block, its state updates, history,
 * private data and transaction index are written in one synced batch, so a block
 * is either wholly on disk or not at all.
 */
export class BlockStore {
  readonly #db: ClassicLevel<string, Buffer>;
  readonly #state: Sub;
  readonly #history: Sub;
  readonly #blocks: Sub;
  readonly #txIndex: Sub;
  readonly #private: Sub;
  readonly #meta: Sub;
  #height = 0;
  #lastHash = GENESIS_PREVIOUS_HASH;

  private constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.#db = new ClassicLevel<string, Buffer>(dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    const sub = (name: string): Sub => this.#db.sublevel<string, Buffer>(name, { keyEncoding: 'utf8', valueEncoding: 'buffer' }) as unknown as Sub;
    this.#state = sub('state');
    this.#history = sub('history');
    this.#blocks = sub('blocks');
    this.#txIndex = sub('txindex');
    this.#private = sub('private');
    this.#meta = sub('meta');
  }

  static async open(dir: string): Promise<BlockStore> {
    const store = new BlockStore(dir);
    await store.#db.open();
    const info = await store.#meta.get('chain');
    if (info) {
      const { height, lastHash } = JSON.parse(info.toString('utf8')) as { height: number; lastHash: string };
      store.#height = height;
      store.#lastHash = lastHash;
    }
    return store;
  }

  get height(): number {
    return this.#height;
  }

  get lastHash(): string {
    return this.#lastHash;
  }

  async getState(key: string): Promise<{ value: Buffer; version: Version } | undefined> {
    const stored = await this.#state.get(key);
    return stored ? decodeVersioned(stored) : undefined;
  }

  async getVersions(keys: readonly string[]): Promise<Array<Version | undefined>> {
    if (keys.length === 0) return [];
    const values = await this.#state.getMany(keys as string[]);
    return values.map((v) => (v ? decodeVersioned(v).version : undefined));
  }

  /** Iterates committed state in [start, end) (end '' = unbounded), in batches. */
  stateIterator(start: string, end: string): { next(n: number): Promise<Array<[string, Buffer]>>; close(): Promise<void> } {
    const it = this.#state.iterator(end ? { gte: start, lt: end } : { gte: start });
    return {
      next: async (n) => (await it.nextv(n)) as Array<[string, Buffer]>,
      close: () => it.close(),
    };
  }

  historyIterator(key: string): { next(n: number): Promise<HistoryRecord[]>; close(): Promise<void> } {
    const prefix = historyPrefix(key);
    // Newest first, as Fabric's history query returns.
    const it = this.#history.iterator({ gte: prefix, lt: `${prefix}~`, reverse: true });
    return {
      next: async (n) => {
        const entries = (await it.nextv(n)) as Array<[string, Buffer]>;
        return entries.map(([, v]) => decodeHistory(v));
      },
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
    block: Block,
    writes: readonly StateWrite[],
    history: ReadonlyArray<{ key: string; version: Version; record: HistoryRecord }>,
    privateWrites: readonly PrivateWrite[],
  ): Promise<void> {
    if (block.header.number !== this.#height) throw new Error(`block ${block.header.number} out of order (height ${this.#height})`);
    const ops: BatchOp[] = [];
    const put = (sublevel: Sub, key: string, value: Buffer) => ops.push({ type: 'put', sublevel, key, value });
    const del = (sublevel: Sub, key: string) => ops.push({ type: 'del', sublevel, key });
    put(this.#blocks, blockKey(block.header.number), serializeBlock(block));
    block.data.forEach((tx, i) => put(this.#txIndex, tx.txId, Buffer.from(JSON.stringify({ block: block.header.number, tx: i }))));
    for (const w of writes) {
      if (w.value === null) del(this.#state, w.key);
      else put(this.#state, w.key, encodeVersioned(w.version, w.value));
    }
    for (const h of history) put(this.#history, historyKey(h.key, h.version), encodeHistory(h.record));
    for (const p of privateWrites) {
      if (p.value === null) del(this.#private, privateKey(p.collection, p.key));
      else put(this.#private, privateKey(p.collection, p.key), p.value);
    }
    const lastHash = headerHash(block.header);
    put(this.#meta, 'chain', Buffer.from(JSON.stringify({ height: block.header.number + 1, lastHash })));
    await this.#db.batch(ops as never, { sync: true });
    this.#height = block.header.number + 1;
    this.#lastHash = lastHash;
  }

  /** Overwrites a stored block's bytes. Only for tests that prove tampering is detected. */
  async tamperWithBlockForTest(n: number, bytes: Buffer): Promise<void> {
    await this.#blocks.put(blockKey(n), bytes);
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}

function encodeHistory(r: HistoryRecord): Buffer {
  const head = Buffer.from(JSON.stringify({ t: r.txId, s: r.seconds, n: r.nanos, d: r.isDelete }));
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32BE(head.length);
  return Buffer.concat([len, head, r.value]);
}

function decodeHistory(b: Buffer): HistoryRecord {
  const len = b.readUInt32BE(0);
  const head = JSON.parse(b.subarray(4, 4 + len).toString('utf8')) as { t: string; s: number; n: number; d: boolean };
  return { txId: head.t, seconds: head.s, nanos: head.n, isDelete: head.d, value: b.subarray(4 + len) };
}
