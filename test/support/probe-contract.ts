import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { conflict } from '../../chaincode/src/kernel/errors';

/**
 * A test-only contract that pokes the embedded ledger through fabric-shim's real
 * ChaincodeStub: it reports what a transaction saw, so tests can check Fabric's
 * semantics (no read-your-own-writes, rollback, MVCC, history, pagination).
 *
 * Gates let a test pause a transaction in the middle of its simulation, after its
 * reads and before its writes, to order concurrent transactions deterministically.
 */
export class Gate {
  #arrivals = 0;
  #released = false;
  #release!: () => void;
  readonly #opened = new Promise<void>((resolve) => (this.#release = resolve));
  #waiters: Array<{ count: number; resolve: () => void }> = [];

  get arrivals(): number {
    return this.#arrivals;
  }

  /** Called by the transaction: records the arrival, then waits until the test opens the gate. */
  async pass(): Promise<void> {
    this.#arrivals++;
    this.#waiters = this.#waiters.filter((w) => (w.count <= this.#arrivals ? (w.resolve(), false) : true));
    if (!this.#released) await this.#opened;
  }

  /** Resolves once `count` transactions have reached the gate. */
  arrived(count = 1): Promise<void> {
    if (this.#arrivals >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  open(): void {
    this.#released = true;
    this.#release();
  }
}

const gates = new Map<string, Gate>();

/** A fresh gate under `name` (replacing any earlier one); release it with open(). */
export function gate(name: string): Gate {
  const g = new Gate();
  gates.set(name, g);
  return g;
}

/** A gate that never holds anyone back but still counts arrivals. */
export function checkpoint(name: string): Gate {
  const g = gate(name);
  g.open();
  return g;
}

async function passGate(name: string): Promise<void> {
  if (!name) return;
  const g = gates.get(name);
  if (!g) throw new Error(`no gate ${name}`);
  await g.pass();
}

function text(bytes: Uint8Array | undefined): string | null {
  return bytes && bytes.length > 0 ? Buffer.from(bytes).toString('utf8') : null;
}

async function drain(iterator: { next(): Promise<{ done?: boolean; value: { key: string; value: Uint8Array } }>; close(): Promise<void> }) {
  const out: Array<{ key: string; value: string | null }> = [];
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) out.push({ key: r.value.key, value: text(r.value.value) });
  } finally {
    await iterator.close();
  }
  return out;
}

@Info({ title: 'Probe', description: 'Test-only probe of ledger semantics' })
export class ProbeContract extends Contract {
  constructor() {
    super('Probe');
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, key: string): Promise<string> {
    return JSON.stringify({ value: text(await ctx.stub.getState(key)) });
  }

  /** Typed parameters, so argument conversion and validation by the contract metadata can be tested. */
  @Transaction(false)
  async Repeat(_ctx: Context, text: string, times: number, upper: boolean): Promise<string> {
    const out = text.repeat(times);
    return JSON.stringify({ text: upper ? out.toUpperCase() : out, timesType: typeof times });
  }

  @Transaction()
  async Put(ctx: Context, key: string, value: string): Promise<void> {
    await ctx.stub.putState(key, Buffer.from(value));
  }

  /** Writes every [key, value] pair given; a null value deletes the key. */
  @Transaction()
  async PutMany(ctx: Context, pairsJson: string): Promise<void> {
    for (const [key, value] of JSON.parse(pairsJson) as Array<[string, string | null]>) {
      if (value === null) await ctx.stub.deleteState(key);
      else await ctx.stub.putState(key, Buffer.from(value));
    }
  }

  @Transaction()
  async Delete(ctx: Context, key: string): Promise<void> {
    await ctx.stub.deleteState(key);
  }

  /** Puts a value, reads the key back in the same transaction and returns what it saw. */
  @Transaction()
  @Returns('string')
  async PutThenGet(ctx: Context, key: string, value: string): Promise<string> {
    const before = text(await ctx.stub.getState(key));
    await ctx.stub.putState(key, Buffer.from(value));
    const after = text(await ctx.stub.getState(key));
    return JSON.stringify({ before, after });
  }

  /** Deletes a key, reads it back in the same transaction and returns what it saw. */
  @Transaction()
  @Returns('string')
  async DeleteThenGet(ctx: Context, key: string): Promise<string> {
    await ctx.stub.deleteState(key);
    return JSON.stringify({ after: text(await ctx.stub.getState(key)) });
  }

  /** Puts a key, then range-reads around it in the same transaction and returns the keys seen. */
  @Transaction()
  @Returns('string')
  async PutThenRange(ctx: Context, key: string, start: string, end: string): Promise<string> {
    await ctx.stub.putState(key, Buffer.from('new'));
    return JSON.stringify(await drain(await ctx.stub.getStateByRange(start, end)));
  }

  /** Writes every pair, then fails: nothing may be left behind. */
  @Transaction()
  async PutManyThenThrow(ctx: Context, pairsJson: string, coded: string): Promise<void> {
    await this.PutMany(ctx, pairsJson);
    if (coded === 'true') throw conflict('probe refused after writing');
    throw new Error('probe failed after writing');
  }

  /** Reads a counter, optionally waits at a gate, writes counter + 1 and returns the new value. */
  @Transaction()
  @Returns('string')
  async Increment(ctx: Context, key: string, gateName: string): Promise<string> {
    const current = Number(text(await ctx.stub.getState(key)) ?? '0');
    await passGate(gateName);
    await ctx.stub.putState(key, Buffer.from(String(current + 1)));
    return String(current + 1);
  }

  /** Reads `readKey`, waits at a gate, then writes every pair and sets an event. */
  @Transaction()
  async ReadWaitPut(ctx: Context, readKey: string, gateName: string, pairsJson: string): Promise<void> {
    await ctx.stub.getState(readKey);
    await passGate(gateName);
    await this.PutMany(ctx, pairsJson);
    ctx.stub.setEvent('probe.read-wait-put', Buffer.from(readKey));
  }

  /** Counts the keys in [start, end), waits at a gate, then writes the count under `countKey`. */
  @Transaction()
  @Returns('string')
  async CountRange(ctx: Context, start: string, end: string, gateName: string, countKey: string): Promise<string> {
    const rows = await drain(await ctx.stub.getStateByRange(start, end));
    await passGate(gateName);
    await ctx.stub.putState(countKey, Buffer.from(String(rows.length)));
    return String(rows.length);
  }

  /** Counts the composite keys under a partial key, waits at a gate, then writes the count. */
  @Transaction()
  @Returns('string')
  async CountPartial(ctx: Context, objectType: string, attrsJson: string, gateName: string, countKey: string): Promise<string> {
    const rows = await drain(await ctx.stub.getStateByPartialCompositeKey(objectType, JSON.parse(attrsJson) as string[]));
    await passGate(gateName);
    await ctx.stub.putState(countKey, Buffer.from(String(rows.length)));
    return String(rows.length);
  }

  /** Writes a composite key, passing a gate (if named) first. */
  @Transaction()
  async PutComposite(ctx: Context, objectType: string, attrsJson: string, value: string, gateName: string): Promise<void> {
    await passGate(gateName);
    await ctx.stub.putState(ctx.stub.createCompositeKey(objectType, JSON.parse(attrsJson) as string[]), Buffer.from(value));
  }

  /** Sets a chaincode event and writes a key (a transaction keeps only its last event). */
  @Transaction()
  async Emit(ctx: Context, name: string, payload: string): Promise<void> {
    ctx.stub.setEvent(`${name}.discarded`, Buffer.from('overwritten'));
    ctx.stub.setEvent(name, Buffer.from(payload));
    await ctx.stub.putState(`event/${name}`, Buffer.from(payload));
  }

  /** Writes the transient value `secret` as private data of a collection. */
  @Transaction()
  async PutPrivate(ctx: Context, collection: string, key: string): Promise<void> {
    const secret = ctx.stub.getTransient().get('secret');
    if (!secret) throw new Error('no transient secret');
    await ctx.stub.putPrivateData(collection, key, Buffer.from(secret));
  }

  @Transaction()
  async DeletePrivate(ctx: Context, collection: string, key: string): Promise<void> {
    await ctx.stub.deletePrivateData(collection, key);
  }

  /** A private value and its hash, as this transaction sees them. */
  @Transaction(false)
  @Returns('string')
  async GetPrivate(ctx: Context, collection: string, key: string): Promise<string> {
    const value = text(await ctx.stub.getPrivateData(collection, key));
    const hash = Buffer.from(await ctx.stub.getPrivateDataHash(collection, key)).toString('hex');
    return JSON.stringify({ value, hash });
  }

  @Transaction(false)
  @Returns('string')
  async History(ctx: Context, key: string): Promise<string> {
    const iterator = await ctx.stub.getHistoryForKey(key);
    const out: Array<{ txId: string; isDelete: boolean; value: string | null; seconds: number }> = [];
    try {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        out.push({ txId: r.value.txId, isDelete: r.value.isDelete, value: text(r.value.value), seconds: Number(r.value.timestamp.seconds.toString()) });
      }
    } finally {
      await iterator.close();
    }
    return JSON.stringify(out);
  }

  @Transaction(false)
  @Returns('string')
  async PageRange(ctx: Context, start: string, end: string, pageSize: string, bookmark: string): Promise<string> {
    const { iterator, metadata } = await ctx.stub.getStateByRangeWithPagination(start, end, Number(pageSize), bookmark);
    const rows = await drain(iterator);
    return JSON.stringify({ keys: rows.map((r) => r.key), bookmark: metadata.bookmark, fetched: metadata.fetchedRecordsCount });
  }

  @Transaction(false)
  @Returns('string')
  async PagePartial(ctx: Context, objectType: string, attrsJson: string, pageSize: string, bookmark: string): Promise<string> {
    const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(
      objectType,
      JSON.parse(attrsJson) as string[],
      Number(pageSize),
      bookmark,
    );
    const rows = await drain(iterator);
    return JSON.stringify({
      attrs: rows.map((r) => ctx.stub.splitCompositeKey(r.key).attributes),
      bookmark: metadata.bookmark,
      fetched: metadata.fetchedRecordsCount,
    });
  }

  /** Writes, then runs a paginated query: Fabric refuses pagination in a transaction that writes. */
  @Transaction()
  async PutThenPage(ctx: Context, key: string): Promise<void> {
    await ctx.stub.putState(key, Buffer.from('x'));
    const { iterator } = await ctx.stub.getStateByRangeWithPagination('', '', 10, '');
    await drain(iterator);
  }

  /** Runs a paginated query, then writes: refused as well. */
  @Transaction()
  async PageThenPut(ctx: Context, key: string): Promise<void> {
    const { iterator } = await ctx.stub.getStateByRangeWithPagination('', '', 10, '');
    await drain(iterator);
    await ctx.stub.putState(key, Buffer.from('x'));
  }
}
