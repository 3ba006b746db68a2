import { Version } from './versions';

/**
 * The embedded ledger's LevelDB layout, shared by the store (block-store.ts) and the rebuild of
 * its state from the blocks (state-rebuild.ts): sublevel names, key encodings, history records.
 */
export const SUBLEVELS = ['state', 'history', 'blocks', 'txindex', 'private', 'meta'] as const;
export type SublevelName = (typeof SUBLEVELS)[number];

/**
 * LevelDB settings of a ledger folder (the store and its rebuild). Table files of 8 MiB rather
 * than LevelDB's 2 MiB: a ledger takes about 1.8 KB per transaction, so at 1,000,000 transactions
 * 2 MiB files number about 900, at the edge of the 990 tables LevelDB keeps open (max_open_files
 * 1000 less 10), and beyond it a read of a table that was closed opens the file again and reads
 * its index and filter before its block. 8 MiB keeps it under a quarter of that up to 1,000,000
 * transactions, and reaches it near 4,000,000. The block cache (8 MiB) and write buffer (4 MiB)
 * stay LevelDB's: state reads find their blocks through the Bloom filters and the OS page cache.
 */
export const LEVEL_OPTIONS = { maxFileSize: 8 * 2 ** 20 } as const;

/** The part of an abstract-level sublevel this store uses. */
export interface Sub {
  get(key: string): Promise<Buffer | undefined>;
  getMany(keys: string[]): Promise<Array<Buffer | undefined>>;
  put(key: string, value: Buffer): Promise<void>;
  iterator(options: Record<string, unknown>): { nextv(n: number): Promise<Array<[string, Buffer]>>; close(): Promise<void> };
}
/** A batch operation on the root database, its key with the sublevel's prefix (PREFIX). */
export type RootBatchOp = { type: 'put'; key: string; value: Buffer } | { type: 'del'; key: string };
/** abstract-level's prefix of each sublevel in the root database's keys (`!name!`). */
export const PREFIX = Object.fromEntries(SUBLEVELS.map((name) => [name, `!${name}!`])) as Record<SublevelName, string>;

export interface HistoryRecord {
  readonly txId: string;
  readonly seconds: number;
  readonly nanos: number;
  readonly isDelete: boolean;
  readonly value: Buffer;
}

export const pad = (n: number, width: number): string => n.toString().padStart(width, '0');
export const blockKey = (n: number): string => pad(n, 16);
/** History keys are hex of the state key, so one key's history never overlaps another's prefix. */
export const historyPrefix = (key: string): string => `${Buffer.from(key, 'utf8').toString('hex')}/`;
export const historyKey = (key: string, v: Version): string => `${historyPrefix(key)}${pad(v.block, 16)}${pad(v.tx, 8)}`;
export const privateKey = (collection: string, key: string): string => `${collection}\u0000${key}`;

/** The chain record's key as the root database sees it (abstract-level's `!name!` sublevel prefix). */
export const META_CHAIN_KEY = `${PREFIX.meta}chain`;

/** The meta record of the chain: height and last header hash, written with every block. */
export function chainInfoValue(height: number, lastHash: string): Buffer {
  return Buffer.from(JSON.stringify({ height, lastHash }));
}

export function encodeHistory(r: HistoryRecord): Buffer {
  const head = Buffer.from(JSON.stringify({ t: r.txId, s: r.seconds, n: r.nanos, d: r.isDelete }));
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32BE(head.length);
  return Buffer.concat([len, head, r.value]);
}

export function decodeHistory(b: Buffer): HistoryRecord {
  const len = b.readUInt32BE(0);
  const head = JSON.parse(b.subarray(4, 4 + len).toString('utf8')) as { t: string; s: number; n: number; d: boolean };
  return { txId: head.t, seconds: head.s, nanos: head.n, isDelete: head.d, value: b.subarray(4 + len) };
}
