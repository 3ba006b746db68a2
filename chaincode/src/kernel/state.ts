import { Context } from 'fabric-contract-api';
import { canonicalJson } from './canonical-json';
import { invalidArgument, notFound } from './errors';

/**
 * Typed access to world state. A record type names its composite-key object type,
 * how a record's key is formed, and which secondary indexes it keeps. Indexes are
 * composite keys `<type>~<index>` + index attributes + record key, kept in step with
 * the record on every write.
 */
export interface RecordType<T> {
  readonly type: string;
  keyOf(record: T): string[];
  /** Index name → attributes, or undefined when the record should not appear in that index. */
  readonly indexes?: Readonly<Record<string, (record: T) => string[] | undefined>>;
  /**
   * Index name → every attribute list the record appears under (none: not in that index), for
   * a record listed under several values at once, e.g. under each of its measures and under '*'.
   * Kept in step on every write like `indexes`: only the entries that change are written.
   */
  readonly multiIndexes?: Readonly<Record<string, (record: T) => string[][]>>;
}

export interface Page<T> {
  readonly items: T[];
  /** Opaque cursor for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

export const MAX_PAGE_SIZE = 200;
/** Fabric treats an empty value as a delete, so index entries hold a single zero byte. */
const INDEX_VALUE = Buffer.from([0]);

// Writes this transaction made, to catch any attempt to read them back: Fabric
// does not show a transaction its own uncommitted writes, and code relying on it is a bug.
const written = new WeakMap<object, Set<string>>();

function noteWrite(ctx: Context, key: string): void {
  let set = written.get(ctx.stub);
  if (!set) written.set(ctx.stub, (set = new Set()));
  set.add(key);
}

function assertNotWritten(ctx: Context, key: string): void {
  if (written.get(ctx.stub)?.has(key)) {
    throw new Error(`internal: read of a key written earlier in the same transaction (${readableKey(key)})`);
  }
}

function readableKey(key: string): string {
  return key.replace(/\u0000/g, '/');
}

export function recordKey<T>(ctx: Context, rt: RecordType<T>, keyAttrs: string[]): string {
  return ctx.stub.createCompositeKey(rt.type, keyAttrs);
}

export async function getRecord<T>(ctx: Context, rt: RecordType<T>, keyAttrs: string[]): Promise<T | undefined> {
  const key = recordKey(ctx, rt, keyAttrs);
  assertNotWritten(ctx, key);
  const bytes = await ctx.stub.getState(key);
  if (!bytes || bytes.length === 0) return undefined;
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}

export async function mustGetRecord<T>(ctx: Context, rt: RecordType<T>, keyAttrs: string[], what: string): Promise<T> {
  const record = await getRecord(ctx, rt, keyAttrs);
  if (record === undefined) throw notFound(`${what} ${keyAttrs.join('/')} does not exist`);
  return record;
}

/** Writes a record and brings its indexes in step; `previous` is the record as read in this transaction, if any. */
export async function putRecord<T>(ctx: Context, rt: RecordType<T>, record: T, previous?: T): Promise<void> {
  const attrs = rt.keyOf(record);
  const key = recordKey(ctx, rt, attrs);
  await ctx.stub.putState(key, Buffer.from(canonicalJson(record)));
  noteWrite(ctx, key);
  for (const [name, entriesOf] of indexesOf(rt)) {
    const before = previous === undefined ? [] : indexKeys(ctx, rt, name, entriesOf(previous), rt.keyOf(previous));
    const after = indexKeys(ctx, rt, name, entriesOf(record), attrs);
    for (const k of before) {
      if (after.includes(k)) continue;
      await ctx.stub.deleteState(k);
      noteWrite(ctx, k);
    }
    for (const k of after) {
      if (before.includes(k)) continue;
      await ctx.stub.putState(k, INDEX_VALUE);
      noteWrite(ctx, k);
    }
  }
}

export async function deleteRecord<T>(ctx: Context, rt: RecordType<T>, previous: T): Promise<void> {
  const attrs = rt.keyOf(previous);
  const key = recordKey(ctx, rt, attrs);
  await ctx.stub.deleteState(key);
  noteWrite(ctx, key);
  for (const [name, entriesOf] of indexesOf(rt)) {
    for (const k of indexKeys(ctx, rt, name, entriesOf(previous), attrs)) {
      await ctx.stub.deleteState(k);
      noteWrite(ctx, k);
    }
  }
}

/** Every index of a record type, single-entry ones first, as name → the attribute lists a record appears under. */
function indexesOf<T>(rt: RecordType<T>): Array<[string, (record: T) => string[][]]> {
  const single = Object.entries(rt.indexes ?? {}).map(([name, indexOf]): [string, (record: T) => string[][]] => [
    name,
    (record) => {
      const attrs = indexOf(record);
      return attrs === undefined ? [] : [attrs];
    },
  ]);
  return [...single, ...Object.entries(rt.multiIndexes ?? {})];
}

function hasIndex<T>(rt: RecordType<T>, name: string): boolean {
  return rt.indexes?.[name] !== undefined || rt.multiIndexes?.[name] !== undefined;
}

/** The distinct index keys of a record under one index: `<type>~<index>` + index attributes + record key. */
function indexKeys<T>(ctx: Context, rt: RecordType<T>, name: string, entries: string[][], keyAttrs: string[]): string[] {
  return [...new Set(entries.map((indexAttrs) => ctx.stub.createCompositeKey(`${rt.type}~${name}`, [...indexAttrs, ...keyAttrs])))];
}

export function checkPageSize(limit: number | undefined, fallback = 50): number {
  const size = limit ?? fallback;
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw invalidArgument(`limit must be an integer between 1 and ${MAX_PAGE_SIZE}`);
  }
  return size;
}

function encodeCursor(bookmark: string): string {
  return Buffer.from(bookmark, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | undefined): string {
  if (!cursor) return '';
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidArgument('cursor is malformed');
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

async function pageOfKeys(
  ctx: Context,
  objectType: string,
  partial: string[],
  limit: number,
  cursor: string | undefined,
  from?: string[],
): Promise<{ keys: Array<{ key: string; value: Buffer }>; nextCursor?: string }> {
  const prefix = ctx.stub.createCompositeKey(objectType, partial);
  let bookmark = decodeCursor(cursor);
  if (bookmark && !bookmark.startsWith(prefix)) throw invalidArgument('cursor does not belong to this listing');
  if (from !== undefined) {
    // With a start position an empty bookmark would mean "from `from`", so a cursor that decodes to nothing names no page.
    if (cursor && !bookmark) throw invalidArgument('cursor does not belong to this listing');
    if (!bookmark) bookmark = ctx.stub.createCompositeKey(objectType, [...partial, ...from]);
  }
  const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(objectType, partial, limit, bookmark);
  const keys: Array<{ key: string; value: Buffer }> = [];
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      keys.push({ key: r.value.key, value: Buffer.from(r.value.value) });
    }
  } finally {
    await iterator.close();
  }
  const next = metadata?.bookmark;
  return keys.length === limit && next ? { keys, nextCursor: encodeCursor(next) } : { keys };
}

/** One page of records whose key starts with `partialKey` (read-only transactions only, as on Fabric). */
export async function listRecords<T>(ctx: Context, rt: RecordType<T>, partialKey: string[], limit: number, cursor?: string): Promise<Page<T>> {
  const { keys, nextCursor } = await pageOfKeys(ctx, rt.type, partialKey, limit, cursor);
  const items = keys.map((k) => JSON.parse(k.value.toString('utf8')) as T);
  return nextCursor ? { items, nextCursor } : { items };
}

/**
 * One page of records found through a secondary index (read-only transactions only, as on Fabric).
 * `from`: further index attributes the first page starts at (inclusive), so entries sorting before
 * them, e.g. dates already past, are never visited. A page may hold fewer records than `limit`
 * and still have a next page when index entries point to records no longer there.
 */
export async function listByIndex<T>(
  ctx: Context,
  rt: RecordType<T>,
  index: string,
  partialIndexAttrs: string[],
  limit: number,
  cursor?: string,
  from?: string[],
): Promise<Page<T>> {
  if (!hasIndex(rt, index)) throw new Error(`internal: ${rt.type} has no index ${index}`);
  const { keys, nextCursor } = await pageOfKeys(ctx, `${rt.type}~${index}`, partialIndexAttrs, limit, cursor, from);
  const items: T[] = [];
  for (const k of keys) {
    const { attributes } = ctx.stub.splitCompositeKey(k.key);
    // The record key is the tail of the index key; its length is the record type's key arity.
    const record = await getRecordByIndexTail(ctx, rt, attributes);
    if (record !== undefined) items.push(record);
  }
  return nextCursor ? { items, nextCursor } : { items };
}

async function getRecordByIndexTail<T>(ctx: Context, rt: RecordType<T>, attributes: string[]): Promise<T | undefined> {
  const arity = KEY_ARITY.get(rt.type);
  if (arity === undefined) throw new Error(`internal: key arity of ${rt.type} not declared`);
  return getRecord(ctx, rt, attributes.slice(attributes.length - arity));
}

const KEY_ARITY = new Map<string, number>();
/** Declares a record type; `keyArity` is how many attributes its key has (needed to read through indexes). */
export function defineRecordType<T>(definition: RecordType<T> & { keyArity: number }): RecordType<T> {
  for (const name of Object.keys(definition.multiIndexes ?? {})) {
    if (definition.indexes?.[name] !== undefined) throw new Error(`internal: ${definition.type} declares index ${name} twice`);
  }
  KEY_ARITY.set(definition.type, definition.keyArity);
  return definition;
}

/**
 * Reads at most `max` records under a partial key inside an update transaction
 * (no pagination there on Fabric). Returns whether more exist so callers never
 * act on a silently truncated set.
 */
export async function scanBounded<T>(ctx: Context, rt: RecordType<T>, partialKey: string[], max: number): Promise<{ items: T[]; truncated: boolean }> {
  const iterator = await ctx.stub.getStateByPartialCompositeKey(rt.type, partialKey);
  const items: T[] = [];
  let truncated = false;
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      if (items.length === max) {
        truncated = true;
        break;
      }
      items.push(JSON.parse(Buffer.from(r.value.value).toString('utf8')) as T);
    }
  } finally {
    await iterator.close();
  }
  return { items, truncated };
}

/** Scans index entries (bounded) and returns the record keys they point to. */
export async function scanIndexBounded<T>(
  ctx: Context,
  rt: RecordType<T>,
  index: string,
  partialIndexAttrs: string[],
  max: number,
): Promise<{ keys: string[][]; truncated: boolean }> {
  const arity = KEY_ARITY.get(rt.type);
  if (arity === undefined) throw new Error(`internal: key arity of ${rt.type} not declared`);
  const iterator = await ctx.stub.getStateByPartialCompositeKey(`${rt.type}~${index}`, partialIndexAttrs);
  const keys: string[][] = [];
  let truncated = false;
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      if (keys.length === max) {
        truncated = true;
        break;
      }
      const { attributes } = ctx.stub.splitCompositeKey(r.value.key);
      keys.push(attributes.slice(attributes.length - arity));
    }
  } finally {
    await iterator.close();
  }
  return { keys, truncated };
}

export interface HistoryEntry<T> {
  readonly txId: string;
  readonly timestamp: string;
  readonly isDelete: boolean;
  readonly value?: T;
}

/** A record's modifications, newest first as Fabric returns them, bounded to `max`. */
export async function recordHistory<T>(ctx: Context, rt: RecordType<T>, keyAttrs: string[], max: number): Promise<HistoryEntry<T>[]> {
  const iterator = await ctx.stub.getHistoryForKey(recordKey(ctx, rt, keyAttrs));
  const out: HistoryEntry<T>[] = [];
  try {
    for (let r = await iterator.next(); !r.done && out.length < max; r = await iterator.next()) {
      const m = r.value;
      const seconds = Number(m.timestamp.seconds.toString());
      const iso = new Date(seconds * 1000 + Math.floor(m.timestamp.nanos / 1e6)).toISOString();
      const bytes = Buffer.from(m.value);
      out.push(
        m.isDelete || bytes.length === 0
          ? { txId: m.txId, timestamp: iso, isDelete: true }
          : { txId: m.txId, timestamp: iso, isDelete: false, value: JSON.parse(bytes.toString('utf8')) as T },
      );
    }
  } finally {
    await iterator.close();
  }
  return out;
}
