import { requirePatched } from './library-patches';
import { createHash } from 'node:crypto';
// fabric-protos is the protobuf package fabric-shim itself uses: its iterators decode these messages.
import { ledger, peer } from '@hyperledger/fabric-protos';
import { RangeRead } from './block-format';
import { BlockStore, HistoryRecord } from './block-store';
import { Version, versionString } from './versions';

const BATCH = 100;

export interface SimulationResults {
  readonly reads: Map<string, Version | undefined>;
  readonly ranges: RangeRead[];
  readonly writes: Map<string, Buffer | null>;
  readonly privateWrites: Map<string, { collection: string; key: string; value: Buffer | null }>;
  readonly paginated: boolean;
}

interface OpenQuery {
  readonly next: (n: number) => Promise<Buffer[]>;
  readonly close: () => Promise<void>;
  /** A result read ahead to learn whether there are more: the first of the next batch. */
  lookahead?: Buffer[];
}

/**
 * Plays the peer's side of the chaincode conversation for one transaction: the
 * handler that fabric-shim's real ChaincodeStub calls. Reads come from committed
 * state only (a transaction never sees its own writes), every read is recorded
 * with its version for MVCC validation at commit, and writes are only collected.
 */
export class TxSimulator {
  readonly #store: BlockStore;
  readonly #txId: string;
  readonly #reads = new Map<string, Version | undefined>();
  readonly #ranges: RangeRead[] = [];
  readonly #writes = new Map<string, Buffer | null>();
  readonly #privateWrites = new Map<string, { collection: string; key: string; value: Buffer | null }>();
  readonly #queries = new Map<string, OpenQuery>();
  #queryCounter = 0;
  #paginated = false;
  #done = false;

  constructor(store: BlockStore, txId: string) {
    this.#store = store;
    this.#txId = txId;
  }

  results(): SimulationResults {
    return { reads: this.#reads, ranges: this.#ranges, writes: this.#writes, privateWrites: this.#privateWrites, paginated: this.#paginated };
  }

  /** Closes any iterator the chaincode left open; later calls fail as on a finished transaction. */
  async finish(): Promise<void> {
    this.#done = true;
    for (const q of this.#queries.values()) await q.close();
    this.#queries.clear();
  }

  #check(): void {
    if (this.#done) throw new Error(`transaction ${this.#txId} is no longer active`);
  }

  #checkWrite(): void {
    this.#check();
    if (this.#paginated) throw new Error('transaction with paginated queries cannot perform writes');
  }

  // --- handler interface used by fabric-shim's ChaincodeStub ---

  async handleGetState(collection: string, key: string): Promise<Buffer> {
    this.#check();
    if (collection) {
      const value = await this.#store.getPrivate(collection, key);
      return value ?? Buffer.alloc(0);
    }
    const found = await this.#store.getState(key);
    if (!this.#reads.has(key)) this.#reads.set(key, found?.version);
    return found ? Buffer.from(found.value) : Buffer.alloc(0);
  }

  async handleGetPrivateDataHash(collection: string, key: string): Promise<Buffer> {
    this.#check();
    const value = await this.#store.getPrivate(collection, key);
    return value ? createHash('sha256').update(value).digest() : Buffer.alloc(0);
  }

  async handlePutState(collection: string, key: string, value: Buffer): Promise<void> {
    this.#checkWrite();
    const bytes = Buffer.from(value);
    // Fabric: putting an empty value deletes the key.
    if (collection) this.#privateWrites.set(`${collection}\u0000${key}`, { collection, key, value: bytes.length ? bytes : null });
    else this.#writes.set(key, bytes.length ? bytes : null);
  }

  async handleDeleteState(collection: string, key: string): Promise<void> {
    this.#checkWrite();
    if (collection) this.#privateWrites.set(`${collection}\u0000${key}`, { collection, key, value: null });
    else this.#writes.set(key, null);
  }

  async handlePurgeState(collection: string, key: string): Promise<void> {
    await this.handleDeleteState(collection, key);
  }

  async handleGetStateByRange(collection: string, startKey: string, endKey: string, _channel: string, _txId: string, metadata?: Uint8Array) {
    this.#check();
    if (collection) throw new Error('private data range queries are not supported by the embedded ledger');
    let pageSize = 0;
    let bookmark = '';
    if (metadata) {
      if (this.#writes.size > 0 || this.#privateWrites.size > 0) throw new Error('transaction with writes cannot perform paginated queries');
      const m = peer.QueryMetadata.deserializeBinary(metadata);
      pageSize = m.getPagesize();
      bookmark = m.getBookmark();
      this.#paginated = true;
    }
    const start = bookmark || startKey;
    const it = this.#store.stateIterator(start, endKey);
    const range = { start, end: endKey, results: [] as Array<[string, string]>, exhausted: false };
    if (!metadata) this.#ranges.push(range);

    if (metadata) {
      // One page (plus one to learn the next bookmark), returned in full.
      const rows = await it.next(pageSize + 1);
      await it.close();
      const page = rows.slice(0, pageSize);
      const nextBookmark = rows.length > pageSize ? (rows[pageSize] as [string, Buffer])[0] : '';
      const response = this.#queryResponse(
        page.map(([k, v]) => kvBytes(k, v.subarray(12))),
        false,
        '',
      );
      const meta = new peer.QueryResponseMetadata();
      meta.setFetchedRecordsCount(page.length);
      meta.setBookmark(nextBookmark);
      response.setMetadata(meta.serializeBinary());
      return this.#parseQuery(response);
    }

    const id = `q${++this.#queryCounter}`;
    const query: OpenQuery = {
      next: async (n) => {
        const rows = await it.next(n);
        if (rows.length < n) range.exhausted = true;
        return rows.map(([k, v]) => {
          const version = { block: v.readUIntBE(2, 6), tx: v.readUInt32BE(8) };
          range.results.push([k, versionString(version) as string]);
          return kvBytes(k, v.subarray(12));
        });
      },
      close: () => it.close(),
    };
    this.#queries.set(id, query);
    return this.#parseQuery(await this.#nextResponse(id, query));
  }

  async handleGetHistoryForKey(key: string) {
    this.#check();
    const it = this.#store.historyIterator(key);
    const id = `q${++this.#queryCounter}`;
    const query: OpenQuery = {
      next: async (n) => (await it.next(n)).map(historyBytes),
      close: () => it.close(),
    };
    this.#queries.set(id, query);
    const response = await this.#nextResponse(id, query);
    const { HistoryQueryIterator } = requirePatched<{ HistoryQueryIterator: new (...a: unknown[]) => unknown }>('fabric-shim', 'lib/iterators');
    return new HistoryQueryIterator(this, '', this.#txId, response);
  }

  async handleQueryStateNext(id: string) {
    this.#check();
    const query = this.#queries.get(id);
    if (!query) throw new Error(`query ${id} is not open`);
    return this.#nextResponse(id, query);
  }

  async handleQueryStateClose(id: string) {
    const query = this.#queries.get(id);
    if (query) {
      this.#queries.delete(id);
      await query.close();
    }
    return this.#queryResponse([], false, id);
  }

  async handleGetQueryResult(): Promise<never> {
    throw new Error('rich queries are not supported on a LevelDB state database');
  }

  async handleGetStateMetadata(): Promise<Record<string, never>> {
    this.#check();
    return {};
  }

  async handlePutStateMetadata(): Promise<never> {
    throw new Error('key-level endorsement policies are not supported by the embedded ledger');
  }

  async handleInvokeChaincode(): Promise<never> {
    throw new Error('chaincode-to-chaincode calls are not supported by the embedded ledger');
  }

  // --- helpers ---

  async #nextResponse(id: string, query: OpenQuery): Promise<peer.QueryResponse> {
    // As the peer does, "has more" only when a further result exists: fabric-shim's iterator
    // cannot take an empty batch after it (a range of exactly 100 keys would fail).
    const ahead = query.lookahead ?? [];
    const fetched = [...ahead, ...(await query.next(BATCH + 1 - ahead.length))];
    const items = fetched.slice(0, BATCH);
    query.lookahead = fetched.slice(BATCH);
    const hasMore = fetched.length > BATCH;
    if (!hasMore) {
      this.#queries.delete(id);
      await query.close();
    }
    return this.#queryResponse(items, hasMore, id);
  }

  #queryResponse(items: Buffer[], hasMore: boolean, id: string): peer.QueryResponse {
    const response = new peer.QueryResponse();
    response.setResultsList(
      items.map((bytes) => {
        const r = new peer.QueryResultBytes();
        r.setResultbytes(bytes);
        return r;
      }),
    );
    response.setHasMore(hasMore);
    response.setId(id);
    return response;
  }

  #parseQuery(response: peer.QueryResponse) {
    const { StateQueryIterator } = requirePatched<{ StateQueryIterator: new (...a: unknown[]) => unknown }>('fabric-shim', 'lib/iterators');
    const iterator = new StateQueryIterator(this, '', this.#txId, response);
    const result: { iterator: unknown; metadata?: { bookmark: string; fetchedRecordsCount: number } } = { iterator };
    const metaBytes = response.getMetadata_asU8();
    if (metaBytes && metaBytes.length > 0) {
      const meta = peer.QueryResponseMetadata.deserializeBinary(metaBytes);
      result.metadata = { bookmark: meta.getBookmark(), fetchedRecordsCount: meta.getFetchedRecordsCount() };
    }
    return result;
  }
}

function kvBytes(key: string, value: Buffer): Buffer {
  const kv = new ledger.queryresult.KV();
  kv.setKey(key);
  kv.setValue(value);
  return Buffer.from(kv.serializeBinary());
}

function historyBytes(r: HistoryRecord): Buffer {
  // google-protobuf's well-known types ship without type declarations.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Timestamp } = require('google-protobuf/google/protobuf/timestamp_pb') as {
    Timestamp: new () => { setSeconds(s: number): void; setNanos(n: number): void };
  };
  const km = new ledger.queryresult.KeyModification();
  km.setTxId(r.txId);
  km.setValue(r.value);
  km.setIsDelete(r.isDelete);
  const ts = new Timestamp();
  ts.setSeconds(r.seconds);
  ts.setNanos(r.nanos);
  km.setTimestamp(ts as never);
  return Buffer.from(km.serializeBinary());
}
