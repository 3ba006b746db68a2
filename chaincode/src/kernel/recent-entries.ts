import { Context } from 'fabric-contract-api';
import { canonicalJson } from './canonical-json';

/**
 * Entries written once each (one new key per transaction, written blind: fabric-samples'
 * high-throughput pattern) and read newest first from a point in time, inside update
 * transactions too. A moving window over "the latest N before time t" needs a range read that
 * *starts* at t: a partial composite key read always starts at the prefix's first key, and
 * Fabric's getStateByRange refuses composite keys (they begin with U+0000). So these are simple
 * keys: the composite key without its leading U+0000,
 * `<type>\0<attrs…>\0<inverted epoch ms>\0<tie>\0`, in which ascending order is newest first.
 * A reader that starts at a time before every concurrent writer's timestamp never has their
 * keys in its range read, so they cannot invalidate it (no phantom read).
 */
export interface RecentEntryType {
  /** Key prefix, distinct from every record type's. */
  readonly type: string;
}

/** Epoch ms are inverted against this (13 digits, past the year 2286) so the newest sorts first. */
const MAX_EPOCH_MS = 9_999_999_999_999;
/** Above every character an attribute may hold (what fabric-shim ends a partial composite key with). */
const MAX_UNICODE_RUNE = '\u{10FFFF}';

/** The key part of a time: MAX_EPOCH_MS − epochMs, 13 digits. */
export function invertedEpochMs(epochMs: number): string {
  if (!Number.isSafeInteger(epochMs) || epochMs < 0 || epochMs > MAX_EPOCH_MS) throw new Error(`internal: epoch ms ${epochMs} out of range`);
  return String(MAX_EPOCH_MS - epochMs).padStart(13, '0');
}

/** createCompositeKey checks the attributes (no U+0000, no U+10FFFF); the leading U+0000 is dropped to make it a simple key. */
function simpleKey(ctx: Context, type: string, attrs: string[]): string {
  return ctx.stub.createCompositeKey(type, attrs).slice(1);
}

/** The key of the entry under `partial` at `epochMs`; `tie` (e.g. the transaction ID) tells apart entries of one millisecond. */
export function recentEntryKey(ctx: Context, et: RecentEntryType, partial: string[], epochMs: number, tie: string): string {
  return simpleKey(ctx, et.type, [...partial, invertedEpochMs(epochMs), tie]);
}

/** Fabric treats an empty value as a delete: a key-only entry holds a single zero byte. */
const KEY_ONLY = Buffer.from([0]);

/** Writes an entry without reading anything; without `entry`, a key-only entry (its time and tie are all it says). */
export async function putRecentEntry<T>(ctx: Context, et: RecentEntryType, partial: string[], epochMs: number, tie: string, entry?: T): Promise<void> {
  await ctx.stub.putState(recentEntryKey(ctx, et, partial, epochMs, tie), entry === undefined ? KEY_ONLY : Buffer.from(canonicalJson(entry)));
}

/**
 * Visits the entries under `partial` written at or before `untilMs`, newest first, while `visit`
 * answers true: one range read from `untilMs` on, closed at the first false (or throw), so the
 * caller bounds what is read. Each entry comes with the time and tie of its key.
 */
export async function visitRecentEntries(
  ctx: Context,
  et: RecentEntryType,
  partial: string[],
  untilMs: number,
  visit: (entry: { epochMs: number; tie: string; value: Buffer }) => boolean,
): Promise<void> {
  const start = simpleKey(ctx, et.type, [...partial, invertedEpochMs(Math.max(0, untilMs))]);
  const end = simpleKey(ctx, et.type, partial) + MAX_UNICODE_RUNE;
  const iterator = await ctx.stub.getStateByRange(start, end);
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      // <type>, ...partial, <inverted ms>, <tie>, '' (the key ends with U+0000).
      const parts = r.value.key.split('\u0000');
      const epochMs = MAX_EPOCH_MS - Number(parts[parts.length - 3]);
      if (!visit({ epochMs, tie: parts[parts.length - 2] as string, value: Buffer.from(r.value.value) })) break;
    }
  } finally {
    await iterator.close();
  }
}

/**
 * At most `max` entries under `partial` written at or before `untilMs`, newest first: one range
 * read from `untilMs` on, closed after the `max`-th entry (Fabric records the range only up to
 * the last key it returned), so its cost is bounded by `max` however many entries there are.
 */
export async function recentEntries<T>(ctx: Context, et: RecentEntryType, partial: string[], untilMs: number, max: number): Promise<T[]> {
  const items: T[] = [];
  if (max < 1) return items;
  await visitRecentEntries(ctx, et, partial, untilMs, ({ value }) => {
    items.push(JSON.parse(value.toString('utf8')) as T);
    return items.length < max;
  });
  return items;
}
