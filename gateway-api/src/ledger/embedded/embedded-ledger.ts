// fabric-contract-api installs the reflect-metadata polyfill that @peculiar/x509 (identity/county-ca, via
// creator-check) needs at load time; load it first so this module can be imported on its own.
import 'fabric-contract-api';
// Mutes the libraries' loggers as it loads, before endorser.ts loads fabric-shim's contract runtime.
import { installLibraryPatches } from './library-patches';
import { LedgerError } from '../errors';
import { ChainVerification, ChaincodeEvent, EventsOptions, Ledger, LedgerIdentity, SubmitResult, TransactionInfo, TransactionRequest } from '../ledger';
import { Block, TxRecord } from './block-format';
import { BlockSignal } from './block-signal';
import { auditChain, ChainAuditOptions } from './chain-audit';
import { BlockStore } from './block-store';
import { Committer } from './committer';
import { Endorser, ProposalEndorser } from './endorser';

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
  readonly #options: Required<Omit<EmbeddedLedgerOptions, 'contracts' | 'trustedCas' | 'endorsers'>> & EmbeddedLedgerOptions;
  readonly #endorser: ProposalEndorser;
  readonly #committer: Committer;
  readonly #blocks = new BlockSignal();
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
    this.#committer = new Committer(store, this.#options, () => this.#blocks.notify());
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
        return await this.#committer.order(endorsement);
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
        await this.#blocks.next(signal);
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
    await this.#committer.close();
    this.#blocks.notify();
    await this.#store.close();
  }

  #ensureOpen(): void {
    if (this.#closed) throw new LedgerError('UNAVAILABLE', 'the ledger is closed');
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
