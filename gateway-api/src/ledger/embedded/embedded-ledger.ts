// fabric-contract-api installs the reflect-metadata polyfill that @peculiar/x509 (via ../../identity/county-ca)
// needs at load time; load it first so this module can be imported on its own.
import 'fabric-contract-api';
// Mutes the libraries' loggers as it loads, before fabric-shim's contract runtime below.
import { installLibraryPatches } from './library-patches';
import { EventEmitter } from 'node:events';
import { LedgerError } from '../errors';
import {
  ChainVerification,
  ChaincodeEvent,
  EventsOptions,
  Ledger,
  LedgerIdentity,
  SubmitResult,
  TransactionInfo,
  TransactionRequest,
} from '../ledger';
import { assembleBlock, Block, dataJsonOf, RangeRead, sha256Hex, TxRecord } from './block-format';
import { auditChain, ChainAuditOptions } from './chain-audit';
import { BlockStore, HistoryRecord, PrivateWrite, StateWrite } from './block-store';
import { Endorsement, Endorser, ProposalEndorser } from './endorser';
import { SimulationResults } from './tx-simulator';
import { sameVersion, Version, versionString } from './versions';

export type { Endorser };

export interface EmbeddedLedgerOptions {
  readonly dataDir: string;
  readonly contracts: ReadonlyArray<new () => unknown>;
  /** County CA certificates by MSP ID: a creator must hold a certificate issued by its county's CA. */
  readonly trustedCas: Readonly<Record<string, string>>;
  /** The peer identity that endorses for each county. */
  readonly endorsers: Readonly<Record<string, Endorser>>;
  readonly channelId?: string;
  readonly chaincodeName?: string;
  /** Most transactions cut into one block. */
  readonly maxBlockTransactions?: number;
  /** How many times submit re-simulates after an MVCC read conflict. */
  readonly mvccRetries?: number;
}

interface Pending {
  readonly record: TxRecord;
  /** The record in canonical JSON, made once at endorsement. */
  readonly recordJson: string;
  readonly results: SimulationResults;
  readonly payload: Buffer;
  readonly resolve: (r: SubmitResult) => void;
  readonly reject: (e: Error) => void;
}

/**
 * The embedded ledger: the County Ledger chaincode run in-process with Fabric's
 * semantics. Proposals are simulated against committed state (never their own
 * writes), ordered into blocks, validated with MVCC (read versions and range
 * re-execution), and committed a block at a time in one synced LevelDB batch;
 * a caller is answered only once its block is on disk.
 */
export class EmbeddedLedger implements Ledger {
  readonly kind = 'embedded' as const;
  readonly #store: BlockStore;
  readonly #options: Required<Omit<EmbeddedLedgerOptions, 'contracts' | 'trustedCas' | 'endorsers'>> & EmbeddedLedgerOptions;
  readonly #endorser: ProposalEndorser;
  readonly #blocks = new EventEmitter();
  #queue: Pending[] = [];
  #committing: Promise<void> | undefined;
  #closed = false;

  private constructor(store: BlockStore, options: EmbeddedLedgerOptions) {
    this.#store = store;
    this.#options = {
      channelId: 'countyledger',
      chaincodeName: 'countyledger',
      maxBlockTransactions: 500,
      mvccRetries: 20,
      ...options,
    };
    this.#endorser = new ProposalEndorser(store, this.#options);
    this.#blocks.setMaxListeners(0);
  }

  static async open(options: EmbeddedLedgerOptions): Promise<EmbeddedLedger> {
    installLibraryPatches();
    return new EmbeddedLedger(await BlockStore.open(options.dataDir), options);
  }

  async submit(identity: LedgerIdentity, request: TransactionRequest): Promise<SubmitResult> {
    for (let attempt = 0; ; attempt++) {
      this.#ensureOpen();
      const endorsement = await this.#endorser.endorse(identity, request);
      try {
        return await this.#order(endorsement);
      } catch (err) {
        if (err instanceof LedgerError && err.code === 'MVCC_CONFLICT' && attempt < this.#options.mvccRetries) {
          // Back off a little, with jitter, so a crowd contending for one key spreads over blocks.
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
          continue;
        }
        throw err;
      }
    }
  }

  async evaluate(identity: LedgerIdentity, request: TransactionRequest): Promise<Buffer> {
    this.#ensureOpen();
    return this.#endorser.evaluate(identity, request);
  }

  async height(): Promise<number> {
    return this.#store.height;
  }

  /** Test hook: raw access to the block store (tampering tests, world-state dumps). */
  get store(): BlockStore {
    return this.#store;
  }

  async *events(options: EventsOptions = {}): AsyncIterable<ChaincodeEvent> {
    let next = options.startBlock ?? this.#store.height;
    const signal = options.signal;
    while (!signal?.aborted && !this.#closed) {
      if (next < this.#store.height) {
        const block = await this.#store.getBlock(next);
        if (!block) throw new LedgerError('INTERNAL', `block ${next} is missing`);
        for (let i = 0; i < block.data.length; i++) {
          const tx = block.data[i] as TxRecord;
          if (block.metadata.validationCodes[i] !== 'VALID' || !tx.event) continue;
          yield { blockNumber: next, txId: tx.txId, name: tx.event.name, payload: Buffer.from(tx.event.payload, 'base64') };
        }
        next++;
      } else {
        await this.#nextBlock(signal);
      }
    }
  }

  async getTransaction(txId: string): Promise<TransactionInfo | undefined> {
    const location = await this.#store.getTxLocation(txId);
    if (!location) return undefined;
    const block = await this.#store.getBlock(location.block);
    const tx = block?.data[location.tx];
    if (!block || !tx) return undefined;
    return {
      txId,
      blockNumber: location.block,
      txIndex: location.tx,
      validationCode: block.metadata.validationCodes[location.tx] ?? 'UNKNOWN',
      timestamp: new Date(tx.timestamp.seconds * 1000 + Math.floor(tx.timestamp.nanos / 1e6)).toISOString(),
      creatorMspId: tx.creator.mspId,
      endorsingOrganisations: [...new Set(tx.endorsements.map((e) => e.mspId))],
      transactionName: tx.transaction.name,
    };
  }

  async getBlock(n: number): Promise<Block | undefined> {
    return this.#store.getBlock(n);
  }

  async verifyChain(options: ChainAuditOptions = {}): Promise<ChainVerification> {
    return auditChain(this.#store, options);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#committing) await this.#committing;
    this.#blocks.emit('block');
    await this.#store.close();
  }

  #ensureOpen(): void {
    if (this.#closed) throw new LedgerError('UNAVAILABLE', 'the ledger is closed');
  }

  // --- ordering: cut blocks from the queue, one synced write per block ---

  #order(simulated: Endorsement): Promise<SubmitResult> {
    return new Promise((resolve, reject) => {
      if (this.#closed) return reject(new LedgerError('UNAVAILABLE', 'the ledger is closed'));
      this.#queue.push({ record: simulated.record, recordJson: simulated.recordJson, results: simulated.results, payload: simulated.payload, resolve, reject });
      if (!this.#committing) this.#committing = this.#drain();
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#options.maxBlockTransactions);
        try {
          await this.#commitBlock(batch);
        } catch (err) {
          const failure = new LedgerError('UNAVAILABLE', 'the block could not be written', { cause: err });
          for (const p of batch) p.reject(failure);
        }
      }
    } finally {
      this.#committing = undefined;
    }
  }

  async #commitBlock(batch: Pending[]): Promise<void> {
    const number = this.#store.height;
    const readKeys = [...new Set(batch.flatMap((p) => [...p.results.reads.keys()]))];
    const committedVersions = new Map<string, Version | undefined>();
    (await this.#store.getVersions(readKeys)).forEach((v, i) => committedVersions.set(readKeys[i] as string, v));

    const pending = new Map<string, Buffer | null>();
    const codes: string[] = [];
    const writes: StateWrite[] = [];
    const history: Array<{ key: string; version: Version; record: HistoryRecord }> = [];
    const privateWrites: PrivateWrite[] = [];

    for (let i = 0; i < batch.length; i++) {
      const p = batch[i] as Pending;
      const code = await this.#validate(p.results, committedVersions, pending);
      codes.push(code);
      if (code !== 'VALID') continue;
      const version = { block: number, tx: i };
      for (const [key, value] of p.results.writes) {
        pending.set(key, value);
        writes.push({ key, value, version });
        history.push({
          key,
          version,
          record: { txId: p.record.txId, seconds: p.record.timestamp.seconds, nanos: p.record.timestamp.nanos, isDelete: value === null, value: value ?? Buffer.alloc(0) },
        });
      }
      for (const pw of p.results.privateWrites.values()) privateWrites.push(pw);
    }

    const dataJson = dataJsonOf(batch.map((p) => p.recordJson));
    const header = { number, previousHash: this.#store.lastHash, dataHash: sha256Hex(dataJson) };
    const bytes = assembleBlock(header, dataJson, codes);
    await this.#store.commit({ header, txIds: batch.map((p) => p.record.txId), bytes }, writes, history, privateWrites);

    batch.forEach((p, i) => {
      if (codes[i] === 'VALID') p.resolve({ txId: p.record.txId, blockNumber: number, payload: p.payload });
      else p.reject(new LedgerError('MVCC_CONFLICT', `transaction invalidated at commit: ${codes[i]}`, { transactionId: p.record.txId }));
    });
    this.#blocks.emit('block');
  }

  async #validate(results: SimulationResults, committed: Map<string, Version | undefined>, pending: Map<string, Buffer | null>): Promise<string> {
    for (const [key, version] of results.reads) {
      if (pending.has(key) || !sameVersion(committed.get(key), version)) return 'MVCC_READ_CONFLICT';
    }
    for (const range of results.ranges) {
      if (!(await this.#rangeUnchanged(range, pending))) return 'PHANTOM_READ_CONFLICT';
    }
    return 'VALID';
  }

  /** Re-executes a range read, as Fabric does, to detect keys added, changed or removed since simulation. */
  async #rangeUnchanged(range: RangeRead, pending: Map<string, Buffer | null>): Promise<boolean> {
    const last = range.results[range.results.length - 1]?.[0];
    const end = range.exhausted ? range.end : last === undefined ? range.start : `${last}\u0000`;
    // Compare as LevelDB orders keys (UTF-8 bytes), not as JavaScript orders strings (UTF-16 code units):
    // the two disagree for characters from U+E000 on, e.g. fullwidth punctuation after a composite-key prefix.
    const inRange = (k: string) => compareKeys(k, range.start) >= 0 && (end === '' || compareKeys(k, end) < 0);
    for (const key of pending.keys()) if (inRange(key)) return false;
    if (!range.exhausted && last === undefined) return true;
    const it = this.#store.stateIterator(range.start, end);
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

  #nextBlock(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.#blocks.off('block', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.#blocks.on('block', done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

/** Orders keys as the state database does: by their UTF-8 bytes. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
