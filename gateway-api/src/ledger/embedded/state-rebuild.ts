import { ClassicLevel } from 'classic-level';
import { Block, dataHash, GENESIS_PREVIOUS_HASH, headerHash, parseBlock } from './block-format';
import { ChainHead } from './chain-head';
import { blockKey, chainInfoValue, decodeHistory, encodeHistory, historyKey, LEVEL_OPTIONS, Sub } from './store-layout';
import { decodeVersioned, encodeVersioned } from './versions';

export interface RebuildReport {
  readonly height: number;
  readonly lastHash: string;
  /** State keys in the rebuilt store. */
  readonly stateKeys: number;
  readonly historyEntries: number;
  /** How the stored state and history differ from the rebuilt ones (at most `MAX_DIFFERENCES` listed); undefined when the stored state could not be read. */
  readonly differences?: readonly string[];
  readonly differenceCount?: number;
}

const MAX_DIFFERENCES = 20;
/** Blocks rebuilt per LevelDB batch. */
const BLOCKS_PER_BATCH = 200;

type Level = ClassicLevel<string, Buffer>;
const open = (dir: string, create: boolean): Level =>
  new ClassicLevel<string, Buffer>(dir, { ...LEVEL_OPTIONS, keyEncoding: 'utf8', valueEncoding: 'buffer', createIfMissing: create, errorIfExists: create });
const sublevel = (db: Level, name: string): Sub => db.sublevel<string, Buffer>(name, { keyEncoding: 'utf8', valueEncoding: 'buffer' }) as unknown as Sub;

/**
 * Rebuilds a ledger's world state, history and transaction index from its blocks alone, into a new
 * folder `targetDir`: the blocks are copied and checked (numbers, hash links, data hashes) and every
 * valid transaction's write set applied in order, at the version Fabric gives it (block, index).
 * Private data cannot come from blocks (they carry only its hashes) and is copied as stored. The
 * stored state and history are then compared with the rebuilt ones.
 */
export async function rebuildState(sourceDir: string, targetDir: string, onProgress?: (blocks: number) => void): Promise<RebuildReport> {
  const source = open(sourceDir, false);
  await source.open();
  const target = open(targetDir, true);
  await target.open();
  try {
    const blocks = sublevel(source, 'blocks');
    const out = {
      blocks: sublevel(target, 'blocks'),
      state: sublevel(target, 'state'),
      history: sublevel(target, 'history'),
      txindex: sublevel(target, 'txindex'),
    };
    let previous = GENESIS_PREVIOUS_HASH;
    let height = 0;
    let ops: Array<{ type: 'put' | 'del'; sublevel: Sub; key: string; value?: Buffer }> = [];
    const flush = async () => {
      if (ops.length > 0) await target.batch(ops as never);
      ops = [];
    };
    for (;;) {
      const bytes = await blocks.get(blockKey(height));
      if (!bytes) break;
      const block: Block = parseBlock(bytes);
      if (block.header.number !== height || block.header.previousHash !== previous || dataHash(block.data) !== block.header.dataHash) {
        throw new Error(
          `block ${height} does not belong to the chain (number, previous hash or data hash); the blocks themselves are damaged: restore a backup`,
        );
      }
      ops.push({ type: 'put', sublevel: out.blocks, key: blockKey(height), value: bytes });
      block.data.forEach((tx, i) => {
        ops.push({ type: 'put', sublevel: out.txindex, key: tx.txId, value: Buffer.from(JSON.stringify({ block: height, tx: i })) });
        if (block.metadata.validationCodes[i] !== 'VALID') return;
        const version = { block: height, tx: i };
        for (const [key, encoded] of tx.rwset.writes) {
          const value = encoded === null ? null : Buffer.from(encoded, 'base64');
          if (value === null) ops.push({ type: 'del', sublevel: out.state, key });
          else ops.push({ type: 'put', sublevel: out.state, key, value: encodeVersioned(version, value) });
          const record = { txId: tx.txId, seconds: tx.timestamp.seconds, nanos: tx.timestamp.nanos, isDelete: value === null, value: value ?? Buffer.alloc(0) };
          ops.push({ type: 'put', sublevel: out.history, key: historyKey(key, version), value: encodeHistory(record) });
        }
      });
      previous = headerHash(block.header);
      height++;
      if (height % BLOCKS_PER_BATCH === 0) {
        await flush();
        onProgress?.(height);
      }
    }
    ops.push({ type: 'put', sublevel: sublevel(target, 'meta'), key: 'chain', value: chainInfoValue(height, previous) });
    await flush();
    await copySublevel(sublevel(source, 'private'), sublevel(target, 'private'), target);
    await target.put('\u0000rebuilt', Buffer.from(new Date().toISOString()), { sync: true });
    await target.del('\u0000rebuilt', { sync: true });
    onProgress?.(height);

    const stateKeys = await count(out.state);
    const historyEntries = await count(out.history);
    let comparison: { differences: string[]; count: number } | undefined;
    try {
      comparison = await compare(source, target);
    } catch {
      comparison = undefined;
    }
    const { head } = ChainHead.open(targetDir);
    head.write({ height, lastHash: previous });
    head.close();
    return {
      height,
      lastHash: previous,
      stateKeys,
      historyEntries,
      ...(comparison ? { differences: comparison.differences, differenceCount: comparison.count } : {}),
    };
  } finally {
    await target.close();
    await source.close();
  }
}

async function copySublevel(from: Sub, to: Sub, db: Level): Promise<void> {
  const it = from.iterator({});
  try {
    for (;;) {
      const entries = await it.nextv(5000);
      if (entries.length === 0) return;
      await db.batch(entries.map(([key, value]) => ({ type: 'put' as const, sublevel: to, key, value })) as never);
    }
  } finally {
    await it.close();
  }
}

/** A sublevel's entries in key order, read in batches. */
async function* entriesOf(sub: Sub): AsyncGenerator<[string, Buffer]> {
  const it = sub.iterator({});
  try {
    for (;;) {
      const batch = await it.nextv(2000);
      if (batch.length === 0) return;
      yield* batch;
    }
  } finally {
    await it.close();
  }
}

async function count(sub: Sub): Promise<number> {
  const it = sub.iterator({ values: false });
  let n = 0;
  try {
    for (;;) {
      const entries = await it.nextv(10_000);
      if (entries.length === 0) return n;
      n += entries.length;
    }
  } finally {
    await it.close();
  }
}

/** Walks the stored and the rebuilt state and history side by side, in key order. */
async function compare(stored: Level, rebuilt: Level): Promise<{ differences: string[]; count: number }> {
  const differences: string[] = [];
  let total = 0;
  const note = (text: string) => {
    total++;
    if (differences.length < MAX_DIFFERENCES) differences.push(text);
  };
  for (const name of ['state', 'history'] as const) {
    const a = entriesOf(sublevel(stored, name))[Symbol.asyncIterator]();
    const b = entriesOf(sublevel(rebuilt, name))[Symbol.asyncIterator]();
    const describe = (value: Buffer) => (name === 'state' ? describeState(value) : describeHistory(value));
    let left = await a.next();
    let right = await b.next();
    while (!left.done || !right.done) {
      const l = left.done ? undefined : left.value;
      const r = right.done ? undefined : right.value;
      if (l && (!r || l[0] < r[0])) {
        note(`${name} ${l[0]}: stored but not written by any block`);
        left = await a.next();
      } else if (r && (!l || r[0] < l[0])) {
        note(`${name} ${r[0]}: written by the blocks but missing from the stored ${name}`);
        right = await b.next();
      } else if (l && r) {
        if (!l[1].equals(r[1])) note(`${name} ${l[0]}: stored ${describe(l[1])}, blocks say ${describe(r[1])}`);
        left = await a.next();
        right = await b.next();
      }
    }
  }
  return { differences, count: total };
}

function describeState(value: Buffer): string {
  const { version, value: v } = decodeVersioned(value);
  return `${v.length} bytes at ${version.block}:${version.tx}`;
}

function describeHistory(value: Buffer): string {
  const record = decodeHistory(value);
  return `${record.isDelete ? 'a delete' : `${record.value.length} bytes`} by ${record.txId}`;
}
