// fabric-contract-api installs the reflect-metadata polyfill that @peculiar/x509 (identity/county-ca, via
// creator-check) needs at load time; load it first so this module can be imported on its own.
import 'fabric-contract-api';
// Mutes the libraries' loggers as it loads, before endorser.ts loads fabric-shim's contract runtime.
import { installLibraryPatches } from './library-patches';
import { LedgerError } from '../errors';
import {
  BlockView,
  ChainVerification,
  ChaincodeEvent,
  EventsOptions,
  Ledger,
  Readiness,
  LedgerIdentity,
  SubmitResult,
  TransactionInfo,
  TransactionRequest,
  TransactionView,
  ValidationCode,
} from '../ledger';
import { attemptNonce, transactionIdOf } from '../transaction-ids';
import { ChainTrust, LedgerProof } from '../../verify/bundle';
import { canonicalJson } from '../../verify/canonical-json';
import { fingerprintOf } from '../../verify/crypto';
import { headerHash } from '../../verify/embedded-format';
import { endorsementPolicyOf } from '../../verify/policy';
import { Block, parseBlock, TxRecord } from './block-format';
import { BlockSignal } from './block-signal';
import { viewOfBlock, viewOfTransaction } from './block-view';
import { auditChain, ChainAuditOptions } from './chain-audit';
import { BlockStore, BlockStoreOptions } from './block-store';
import { Committer, Orderer } from './committer';
import { Endorser, ProposalEndorser } from './endorser';

export type { Endorser, Orderer };

/** The ordering service of the embedded ledger: the node that signs its blocks, and the CA certificates of the ordering organisations. */
export interface Ordering {
  readonly orderer: Orderer;
  /** Ordering organisations' CA certificates by MSP ID (LiangdangOrdererMSP, …): roots of trust for block signatures. */
  readonly trustedCas: Readonly<Record<string, string>>;
}

export interface EmbeddedLedgerOptions {
  readonly dataDir: string;
  readonly contracts: ReadonlyArray<new () => unknown>;
  /** County CA certificates by MSP ID: a creator must hold a certificate issued by its county's CA. */
  readonly trustedCas: Readonly<Record<string, string>>;
  /** The peer identity that endorses for each county of the channel; a majority of them endorses each transaction. */
  readonly endorsers: Readonly<Record<string, Endorser>>;
  /** The ordering node that signs each block, and the ordering organisations' CAs. */
  readonly ordering: Ordering;
  readonly channelId?: string;
  readonly chaincodeName?: string;
  /** Most transactions cut into one block. */
  readonly maxBlockTransactions?: number;
  /** How many times submit re-simulates after an MVCC read conflict. */
  readonly mvccRetries?: number;
  /** Audit the whole chain before serving (`--verify-on-start`); the head is always checked. */
  readonly verifyOnStart?: boolean;
  /** Where the ledger reports what it found at start and its recovery from a failed write (default: stderr). */
  readonly onWarning?: (message: string) => void;
  /** First wait before another reopen attempt after a failed write's reopen fails. */
  readonly recoveryDelayMs?: number;
  /** Bounds of the committed-state cache (BlockStore.CACHE_LIMIT entries and BlockStore.CACHE_BYTES by default). */
  readonly stateCache?: BlockStoreOptions['stateCache'];
}

/**
 * The embedded ledger: the County Ledger chaincode run in-process with Fabric's
 * semantics, as the Ledger port. The endorser simulates proposals against committed
 * state (never their own writes); the committer orders them into blocks, validates
 * them with MVCC and commits a block at a time in one synced LevelDB batch, so a
 * caller is answered only once its block is on disk; the chain audit re-checks the
 * stored chain. This class composes them and answers the queries.
 */
export class EmbeddedLedger implements Ledger {
  readonly kind = 'embedded' as const;
  readonly #store: BlockStore;
  readonly #options: Required<Pick<EmbeddedLedgerOptions, 'channelId' | 'chaincodeName' | 'maxBlockTransactions' | 'mvccRetries'>> & EmbeddedLedgerOptions;
  readonly #endorser: ProposalEndorser;
  readonly #committer: Committer;
  readonly #blocks = new BlockSignal();
  /** Submits with a chosen nonce, by transaction ID, until committed: a second submit of the same ID waits for the first. */
  readonly #submitting = new Map<string, Promise<SubmitResult>>();
  readonly #trust: ChainTrust;
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
    this.#committer = new Committer(store, { ...this.#options, orderer: options.ordering.orderer }, () => this.#blocks.notify());
    const root = ([mspId, caCertificate]: [string, string]) => ({ mspId, caCertificate, sha256: fingerprintOf(caCertificate) ?? '' });
    this.#trust = {
      counties: [...Object.entries(options.trustedCas), ...Object.entries(options.ordering.trustedCas)].map(root),
      endorsementPolicy: endorsementPolicyOf(Object.keys(options.endorsers)),
    };
  }

  /** Opens the ledger in `dataDir`: a new one in an empty folder; an existing one only if whole (DamagedLedgerError otherwise). */
  static async open(options: EmbeddedLedgerOptions): Promise<EmbeddedLedger> {
    installLibraryPatches();
    const onWarning = options.onWarning ?? ((message: string) => process.stderr.write(`embedded ledger: ${message}\n`));
    const store = await BlockStore.open(options.dataDir, {
      verifyOnStart: options.verifyOnStart === true,
      onWarning,
      ...(options.stateCache ? { stateCache: options.stateCache } : {}),
    });
    return new EmbeddedLedger(store, { ...options, onWarning });
  }

  async submit(identity: LedgerIdentity, request: TransactionRequest): Promise<SubmitResult> {
    let readConflicts = 0;
    for (let attempt = 0; ; attempt++) {
      this.#ensureOpen();
      let attemptRequest = request;
      let txId: string | undefined;
      if (request.nonce) {
        // A chosen nonce names the transaction: one already committed is answered, not submitted again.
        attemptRequest = { ...request, nonce: attemptNonce(request.nonce, attempt) };
        txId = transactionIdOf(identity, attemptRequest.nonce as Uint8Array);
        const done = await this.#committedAs(txId);
        if (done === 'VALID') return { ...((await this.#committedResult(txId)) as SubmitResult), readConflicts };
        if (done === 'MVCC_READ_CONFLICT' || done === 'PHANTOM_READ_CONFLICT') {
          readConflicts++;
          if (attempt < this.#options.mvccRetries) continue;
          throw new LedgerError('MVCC_CONFLICT', `transaction invalidated at commit: ${done}`, { transactionId: txId });
        }
        if (done) throw new LedgerError('INTERNAL', `transaction ${txId} was committed invalid: ${done}`, { transactionId: txId });
        const running = this.#submitting.get(txId);
        if (running) {
          try {
            return await running;
          } catch (err) {
            // Its read conflict is recorded under this ID: look again, and go on to the next attempt.
            if (!(err instanceof LedgerError && err.code === 'MVCC_CONFLICT')) throw err;
            attempt--;
            continue;
          }
        }
      }
      const endorsement = this.#endorser.endorse(identity, attemptRequest);
      const ordered = endorsement.then((e) => this.#committer.order(e));
      if (txId !== undefined) {
        const id = txId;
        this.#submitting.set(id, ordered);
        void ordered.then(
          () => this.#submitting.delete(id),
          () => this.#submitting.delete(id),
        );
      }
      try {
        return { ...(await ordered), readConflicts };
      } catch (err) {
        if (err instanceof LedgerError && err.code === 'MVCC_CONFLICT') readConflicts++;
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
    this.#ensureOpen();
    return this.#store.height;
  }

  /** Ready unless closed or fail-stopped (a failed block write not yet recovered from: nothing is acknowledged). */
  async readiness(): Promise<Readiness> {
    if (this.#closed) return { ready: false, reasons: ['the ledger is closed'] };
    const failure = this.#committer.failure;
    if (failure) return { ready: false, reasons: [`the ledger acknowledges nothing: ${failure.message}`], height: this.#store.height };
    return { ready: true, reasons: [], height: this.#store.height };
  }

  async *events(options: EventsOptions = {}): AsyncIterable<ChaincodeEvent> {
    let next = options.startBlock ?? this.#store.height;
    const signal = options.signal;
    while (!signal?.aborted && !this.#closed) {
      if (this.#committer.failure) {
        // The store is being reopened; the stream goes on from the same block once it is whole.
        await Promise.race([this.#committer.recovered(), this.#blocks.next(signal)]);
        if (this.#committer.failure) throw this.#committer.failure;
      } else if (next < this.#store.height) {
        const block = await this.#store.getBlock(next);
        if (!block) throw new LedgerError('INTERNAL', `block ${next} is missing`);
        for (let i = 0; i < block.data.length; i++) {
          const tx = block.data[i] as TxRecord;
          if (block.metadata.validationCodes[i] !== 'VALID' || !tx.event) continue;
          yield { blockNumber: next, txId: tx.txId, name: tx.event.name, payload: Buffer.from(tx.event.payload, 'base64') };
        }
        next++;
        // A replay from far back gives way after each block, so one stream cannot hold the thread.
        if (next < this.#store.height) await new Promise<void>((resolve) => setImmediate(resolve));
      } else {
        await this.#blocks.next(signal);
      }
    }
  }

  async getTransaction(txId: string): Promise<TransactionInfo | undefined> {
    this.#ensureOpen();
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
      endorsingOrganisations: [...new Set(tx.endorsements.map((e) => e.mspId))].sort(),
      transactionName: tx.transaction.name,
    };
  }

  /** The validation code of a committed transaction; undefined when the ledger does not have it. */
  async #committedAs(txId: string): Promise<ValidationCode | undefined> {
    const location = await this.#store.getTxLocation(txId);
    if (!location) return undefined;
    return (await this.#store.getBlock(location.block))?.metadata.validationCodes[location.tx] ?? 'UNKNOWN';
  }

  /** A committed transaction's answer as submit gave it, read from its block. */
  async #committedResult(txId: string): Promise<SubmitResult | undefined> {
    const location = await this.#store.getTxLocation(txId);
    const tx = location ? (await this.#store.getBlock(location.block))?.data[location.tx] : undefined;
    if (!location || !tx) return undefined;
    return { txId, blockNumber: location.block, payload: Buffer.from(tx.response.payload, 'base64') };
  }

  async getBlock(n: number): Promise<Block | undefined> {
    this.#ensureOpen();
    return this.#store.getBlock(n);
  }

  async blockView(n: number): Promise<BlockView | undefined> {
    const block = await this.getBlock(n);
    return block ? viewOfBlock(block) : undefined;
  }

  async transactionView(txId: string): Promise<(TransactionView & { blockNumber: number }) | undefined> {
    this.#ensureOpen();
    const location = await this.#store.getTxLocation(txId);
    const block = location ? await this.#store.getBlock(location.block) : undefined;
    const tx = location ? block?.data[location.tx] : undefined;
    if (!location || !block || !tx) return undefined;
    return { ...viewOfTransaction(tx, location.tx, block.metadata.validationCodes[location.tx] ?? 'UNKNOWN'), blockNumber: location.block };
  }

  /** The whole chain audited: hash links, data hashes, and every creator, endorsement and block signature against the CAs and the policy. */
  async verifyChain(options: Omit<ChainAuditOptions, 'trust'> = {}): Promise<ChainVerification> {
    this.#ensureOpen();
    return auditChain(this.#store, { ...options, trust: this.#trust });
  }

  async chainTrust(): Promise<ChainTrust> {
    return this.#trust;
  }

  async rawBlock(n: number): Promise<Buffer | undefined> {
    this.#ensureOpen();
    return n < this.#store.height ? this.#store.getBlockBytes(n) : undefined;
  }

  async proofOf(txId: string, recordKey: string): Promise<LedgerProof | undefined> {
    this.#ensureOpen();
    const location = await this.#store.getTxLocation(txId);
    if (!location) return undefined;
    const raw = await this.#store.getBlockBytes(location.block);
    if (!raw) return undefined;
    const block = parseBlock(raw);
    const tx = block.data[location.tx];
    if (!tx) return undefined;
    const write = tx.rwset.writes.find(([key]) => key === recordKey);
    if (!write || write[1] === null) throw new LedgerError('NOT_FOUND', `transaction ${txId} does not write that record`);
    return {
      ledger: 'embedded',
      channel: tx.channelId,
      chaincode: tx.chaincode,
      transaction: {
        txId,
        index: location.tx,
        validationCode: block.metadata.validationCodes[location.tx] ?? 'UNKNOWN',
        raw: Buffer.from(canonicalJson(tx)).toString('base64'),
        creator: { mspId: tx.creator.mspId, certificate: tx.creator.certificate },
        signature: tx.signature,
        endorsements: tx.endorsements.map((e) => ({ mspId: e.mspId, certificate: e.certificate, signature: e.signature })),
        write: { key: recordKey, value: write[1] },
      },
      block: {
        number: location.block,
        header: { number: block.header.number, previousHash: block.header.previousHash, dataHash: block.header.dataHash },
        headerHash: headerHash(block.header),
        raw: raw.toString('base64'),
        signatures: (block.metadata.signatures ?? []).map((s) => ({ mspId: s.mspId, certificate: s.certificate, signature: s.signature })),
        chainHeight: this.#store.height,
      },
      trust: this.#trust,
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#committer.close();
    this.#blocks.notify();
    await this.#store.close();
  }

  /** UNAVAILABLE when closed, or while a failed block write has stopped the ledger (with its cause). */
  #ensureOpen(): void {
    if (this.#closed) throw new LedgerError('UNAVAILABLE', 'the ledger is closed');
    const failure = this.#committer.failure;
    if (failure) throw failure;
  }

  // --- test hooks: only tests use these ---

  /**
   * Raw access to the block store: reading stored bytes and private data, tampering
   * (store.tamperWithBlockForTest), world-state dumps (store.dumpState), and holding a
   * block by replacing store.commit, which the committer looks up for every block.
   */
  get store(): BlockStore {
    return this.#store;
  }
}
