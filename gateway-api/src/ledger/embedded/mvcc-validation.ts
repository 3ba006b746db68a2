import { ValidationCode } from '../ledger';
import { RangeRead } from './block-format';
import { BlockStore } from './block-store';
import { SimulationResults } from './tx-simulator';
import { sameVersion, Version, versionString } from './versions';

/**
 * Fabric's MVCC check of one transaction at commit. `committed` holds the committed
 * versions of the keys the block's transactions read; `pending` the writes of the
 * valid transactions before this one in the same block, which a later reader in the
 * block did not see.
 */
export async function validateTransaction(
  store: Pick<BlockStore, 'stateIterator'>,
  results: SimulationResults,
  committed: Map<string, Version | undefined>,
  pending: Map<string, Buffer | null>,
): Promise<ValidationCode> {
  for (const [key, version] of results.reads) {
    if (pending.has(key) || !sameVersion(committed.get(key), version)) return 'MVCC_READ_CONFLICT';
  }
  for (const range of results.ranges) {
    if (!(await rangeUnchanged(store, range, pending))) return 'PHANTOM_READ_CONFLICT';
  }
  return 'VALID';
}

/** Re-executes a range read, as Fabric does, to detect keys added, changed or removed since simulation. */
async function rangeUnchanged(store: Pick<BlockStore, 'stateIterator'>, range: RangeRead, pending: Map<string, Buffer | null>): Promise<boolean> {
  const last = range.results[range.results.length - 1]?.[0];
  const end = range.exhausted ? range.end : last === undefined ? range.start : `${last}\u0000`;
  // Compare as LevelDB orders keys (UTF-8 bytes), not as JavaScript orders strings (UTF-16 code units):
  // the two disagree for characters from U+E000 on, e.g. fullwidth punctuation after a composite-key prefix.
  const inRange = (k: string) => compareKeys(k, range.start) >= 0 && (end === '' || compareKeys(k, end) < 0);
  for (const key of pending.keys()) if (inRange(key)) return false;
  if (!range.exhausted && last === undefined) return true;
  const it = store.stateIterator(range.start, end);
  try {
    let i = 0;
    for (;;) {
      const rows = await it.next(200);
      for (const [k, v] of rows) {
        const expected = range.results[i++];
        const version = versionString({ block: v.readUIntBE(2, 6), tx: v.readUInt32BE(8) });
        if (!expected || expected[0] !== k || expected[1] !== version) return false;
      }
      if (rows.length < 200) break;
    }
    return i === range.results.length;
  } finally {
    await it.close();
  }
}

/** Orders keys as the state database does: by their UTF-8 bytes. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
