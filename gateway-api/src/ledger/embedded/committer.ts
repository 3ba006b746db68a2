import { sign } from 'node:crypto';
import { LedgerError } from '../errors';
import { LedgerIdentity, SubmitResult, ValidationCode } from '../ledger';
import { blockSignatureBytes } from '../../verify/embedded-format';
import { assembleBlock, dataJsonOf, headerHash, sha256Hex, TxRecord } from './block-format';
import { BlockStore, HistoryRecord, PrivateWrite, StateWrite } from './block-store';
import { Endorsement } from './endorser';
import { validateTransaction } from './mvcc-validation';
import { DamagedLedgerError } from './store-integrity';
import { SimulationResults } from './tx-simulator';
import { Version } from './versions';

/** The ordering node that signs each block the committer cuts. */
export interface Orderer extends LedgerIdentity {
  /** The ordering node's name, e.g. orderer0.liangdang. */
  readonly name: string;
}

export interface CommitterOptions {
  /** Signs every block: its signature over the header hash goes into the block's metadata. */
  readonly orderer: Orderer;
  /** Most transactions cut into one block. */
  readonly maxBlockTransactions: number;
  /** Told of a failed block write and of each recovery attempt. */
  readonly onWarning?: (message: string) => void;
  /** First wait before another recovery attempt after one fails (doubling, at most 30 s). */
  readonly recoveryDelayMs?: number;
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
 * blocks of at most maxBlockTransactions, each signed by the ordering node; each transaction is validated with MVCC
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
  /** Set from a failed block write until the store is reopened and found whole: nothing is acknowledged meanwhile. */
  #failure: LedgerError | undefined;
  #recovering: Promise<void> | undefined;
  #wake: (() => void) | undefined;

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
      if (this.#failure) return reject(this.#failure);
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

  /** Why nothing is acknowledged now (a failed block write not yet recovered from), or undefined. */
  get failure(): LedgerError | undefined {
    return this.#failure;
  }

  /** Resolves once a recovery under way has ended (at once when there is none). */
  async recovered(): Promise<void> {
    while (this.#recovering) await this.#recovering;
  }

  /** Takes no more transactions and waits until every queued one is committed (or refused). */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#committing) await this.#committing;
    this.#wake?.();
    while (this.#recovering) await this.#recovering;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0 && !this.#failure) {
        const batch = this.#queue.splice(0, this.#options.maxBlockTransactions);
        try {
          await this.#commitBlock(batch);
        } catch (err) {
          this.#failStop(err, batch);
        }
      }
    } finally {
      this.#committing = undefined;
    }
  }

  /**
   * Fail-stop: a block write failed, so the database may hold a torn record that later appends
   * would sit behind (LevelDB discards them with it on the next open). The failed batch and
   * everything queued behind it are refused with the cause, later submits too, until the store
   * has been closed, reopened and checked.
   */
  #failStop(err: unknown, batch: Pending[]): void {
    const cause = err instanceof Error ? err.message : String(err);
    const failure = new LedgerError(
      'UNAVAILABLE',
      `the ledger stopped acknowledging transactions: a block could not be written (${cause}); it recovers by reopening its store`,
      {
        cause: err,
      },
    );
    this.#failure = failure;
    const refused = [...batch, ...this.#queue.splice(0)];
    for (const p of refused) p.reject(failure);
    this.#options.onWarning?.(`block ${this.#store.height} could not be written (${cause}); ${refused.length} transactions refused, reopening the store`);
    this.#recovering = this.#recover(failure).finally(() => (this.#recovering = undefined));
  }

  async #recover(failure: LedgerError): Promise<void> {
    let delay = this.#options.recoveryDelayMs ?? 1000;
    for (;;) {
      try {
        await this.#store.reopen();
        this.#failure = undefined;
        this.#options.onWarning?.(`the store was reopened and found whole at height ${this.#store.height}; acknowledging again`);
        this.#onCommitted();
        return;
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        this.#failure = new LedgerError('UNAVAILABLE', `${failure.message}; reopening failed: ${why}`, { cause: err });
        this.#options.onWarning?.(`reopening the store failed (${why}); trying again in ${delay} ms`);
        // A damaged store stays stopped: only an operator can restore it.
        if (err instanceof DamagedLedgerError || this.#closed) return;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = undefined;
        if (this.#closed) return;
        delay = Math.min(delay * 2, 30_000);
      }
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

    // Encoded once, for the data hash and the block's bytes alike.
    const dataBytes = Buffer.from(dataJsonOf(batch.map((p) => p.recordJson)));
    const header = { number, previousHash: this.#store.lastHash, dataHash: sha256Hex(dataBytes) };
    // Signed over the header hash and kept in the metadata, outside the data hash, as Fabric's SIGNATURES.
    // On this thread, not libuv's pool: there it queued behind every endorsement signature of the
    // next block (8 – 12 ms a block under load) while the pipeline, one block at a time, stood still.
    const orderer = this.#options.orderer;
    const signature = sign('sha256', blockSignatureBytes(headerHash(header), orderer), orderer.privateKey);
    const signatures = [{ mspId: orderer.mspId, orderer: orderer.name, certificate: orderer.certificate, signature: signature.toString('base64') }];
    const bytes = assembleBlock(header, dataBytes, { signatures, validationCodes: codes });
    await this.#store.commit({ header, txIds: batch.map((p) => p.record.txId), bytes }, writes, history, privateWrites);

    batch.forEach((p, i) => {
      if (codes[i] === 'VALID') p.resolve({ txId: p.record.txId, blockNumber: number, payload: p.payload });
      else p.reject(new LedgerError('MVCC_CONFLICT', `transaction invalidated at commit: ${codes[i]}`, { transactionId: p.record.txId }));
    });
    this.#onCommitted();
  }
}
