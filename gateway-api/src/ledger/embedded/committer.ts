import { LedgerError } from '../errors';
import { SubmitResult, ValidationCode } from '../ledger';
import { assembleBlock, dataJsonOf, sha256Hex, TxRecord } from './block-format';
import { BlockStore, HistoryRecord, PrivateWrite, StateWrite } from './block-store';
import { Endorsement } from './endorser';
import { validateTransaction } from './mvcc-validation';
import { SimulationResults } from './tx-simulator';
import { Version } from './versions';

export interface CommitterOptions {
  /** Most transactions cut into one block. */
  readonly maxBlockTransactions: number;
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
 * The ordering and committing side: endorsed transactions queue up and are cut into
 * blocks of at most maxBlockTransactions; each transaction is validated with MVCC
 * against committed state and the earlier transactions of its block, and the block
 * with every change of its valid transactions is written in one synced batch. A
 * submitter is answered only once its block is on disk.
 */
export class Committer {
  readonly #store: BlockStore;
  readonly #options: CommitterOptions;
  readonly #onCommitted: () => void;
  #queue: Pending[] = [];
  #committing: Promise<void> | undefined;
  #closed = false;

  /** `onCommitted` runs after each block is on disk. */
  constructor(store: BlockStore, options: CommitterOptions, onCommitted: () => void) {
    this.#store = store;
    this.#options = options;
    this.#onCommitted = onCommitted;
  }

  /** Queues an endorsed transaction; resolves once it is committed valid, rejects with MVCC_CONFLICT if invalidated. */
  order(endorsement: Endorsement): Promise<SubmitResult> {
    return new Promise((resolve, reject) => {
      if (this.#closed) return reject(new LedgerError('UNAVAILABLE', 'the ledger is closed'));
      this.#queue.push({
        record: endorsement.record,
        recordJson: endorsement.recordJson,
        results: endorsement.results,
        payload: endorsement.payload,
        resolve,
        reject,
      });
      if (!this.#committing) this.#committing = this.#drain();
    });
  }

  /** Takes no more transactions and waits until every queued one is committed. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#committing) await this.#committing;
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
    const codes: ValidationCode[] = [];
    const writes: StateWrite[] = [];
    const history: Array<{ key: string; version: Version; record: HistoryRecord }> = [];
    const privateWrites: PrivateWrite[] = [];

    for (let i = 0; i < batch.length; i++) {
      const p = batch[i] as Pending;
      const code = await validateTransaction(this.#store, p.results, committedVersions, pending);
      codes.push(code);
      if (code !== 'VALID') continue;
      const version = { block: number, tx: i };
      for (const [key, value] of p.results.writes) {
        pending.set(key, value);
        writes.push({ key, value, version });
        history.push({
          key,
          version,
          record: {
            txId: p.record.txId,
            seconds: p.record.timestamp.seconds,
            nanos: p.record.timestamp.nanos,
            isDelete: value === null,
            value: value ?? Buffer.alloc(0),
          },
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
    this.#onCommitted();
  }
}
