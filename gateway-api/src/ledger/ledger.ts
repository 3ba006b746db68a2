import { KeyObject } from 'node:crypto';
import type { ChainTrust, LedgerProof } from '../verify/bundle';

/**
 * The Ledger port: what the gateway needs from a ledger. Implemented by the
 * embedded ledger (one process, LevelDB) and by Fabric (fabric-gateway over gRPC).
 */

/** The caller's own ledger identity; its key signs the transaction so the chaincode sees the real caller. */
export interface LedgerIdentity {
  readonly mspId: string;
  readonly certificate: string;
  readonly privateKey: KeyObject;
}

export interface TransactionRequest {
  /** Contract-qualified transaction name: a catalogue definition's qualifiedName (chaincode/src/catalogue.ts). */
  readonly name: string;
  readonly args?: readonly string[];
  /** Private inputs (transient data): never written to a block. */
  readonly transient?: Readonly<Record<string, Buffer>>;
  /**
   * Submit only: the proposal nonce (24 bytes), so the transaction ID is known before it is
   * submitted (transaction-ids.ts) and a retry of the same submit is the same transaction. Unset:
   * a random nonce.
   */
  readonly nonce?: Uint8Array;
}

export interface SubmitResult {
  readonly txId: string;
  readonly blockNumber: number;
  readonly payload: Buffer;
  /** How many earlier attempts of this submit were invalidated by a read conflict and re-endorsed (for /metrics). */
  readonly readConflicts?: number;
}

export interface ChaincodeEvent {
  readonly blockNumber: number;
  readonly txId: string;
  readonly name: string;
  readonly payload: Buffer;
}

export type ValidationCode = 'VALID' | 'MVCC_READ_CONFLICT' | 'PHANTOM_READ_CONFLICT' | 'BAD_PROPOSAL' | string;

/** A transaction as recorded in its block. */
export interface TransactionInfo {
  readonly txId: string;
  readonly blockNumber: number;
  readonly txIndex: number;
  readonly validationCode: ValidationCode;
  readonly timestamp: string;
  readonly creatorMspId: string;
  readonly endorsingOrganisations: readonly string[];
  readonly transactionName: string;
}

/**
 * A transaction as the auditors' explorer shows it, the same on both ledgers: who created it
 * (county and the member named by its certificate), who endorsed it, what it called and the keys
 * it read and wrote in its chaincode's namespace, never the values.
 */
export interface TransactionView {
  readonly txId: string;
  readonly txIndex: number;
  /** ENDORSER_TRANSACTION, or CONFIG for a Fabric channel configuration. */
  readonly type: string;
  readonly validationCode: ValidationCode;
  readonly timestamp: string;
  readonly creator: { readonly mspId: string; readonly member: string | null };
  readonly endorsingOrganisations: readonly string[];
  readonly chaincode: string;
  readonly transactionName: string;
  readonly readKeys: readonly string[];
  readonly rangeReads: ReadonlyArray<{ readonly startKey: string; readonly endKey: string }>;
  /** Every key written, deletions included. */
  readonly writeKeys: readonly string[];
  readonly deletedKeys: readonly string[];
  /** Private data collections the transaction wrote to (only hashes of their keys are on the block). */
  readonly privateCollections: readonly string[];
}

/** A block as the explorer shows it; `time` is its first transaction's timestamp. */
export interface BlockView {
  readonly number: number;
  readonly headerHash: string;
  readonly previousHash: string;
  readonly dataHash: string;
  readonly txCount: number;
  readonly time: string | null;
  readonly transactions: readonly TransactionView[];
}

export interface ChainVerification {
  readonly ok: boolean;
  readonly height: number;
  readonly blocksChecked: number;
  /** Transactions in the blocks checked (whose signatures were checked, when signaturesChecked). */
  readonly transactionsChecked?: number;
  /** Whether creator, endorsement and block signatures were checked against the CAs and the policy, not only hash links and data hashes. */
  readonly signaturesChecked?: boolean;
  readonly firstBrokenBlock?: number;
  /** The first transaction of the first broken block that fails a check, when a transaction does. */
  readonly firstBadTransaction?: string;
  readonly problem?: string;
}

export interface EventsOptions {
  readonly startBlock?: number;
  readonly signal?: AbortSignal;
}

/** Whether a ledger can serve now, and why not (GET /health/ready). */
export interface Readiness {
  readonly ready: boolean;
  /** Why it is not ready (empty when ready). */
  readonly reasons: readonly string[];
  /** Its height, when it could be read. */
  readonly height?: number;
  /** Fabric: the height of every county's peer this gateway asked (undefined: unreachable). */
  readonly peers?: ReadonlyArray<{ readonly mspId: string; readonly height?: number }>;
}

export interface Ledger {
  readonly kind: 'embedded' | 'fabric';
  /**
   * Whether it can serve now; `maxBlockLag`: how many blocks its own peer may be behind the
   * highest other peer (Fabric). Left out, the gateway counts a readable height as ready.
   */
  readiness?(maxBlockLag: number): Promise<Readiness>;
  /**
   * Endorses, orders and commits a transaction; answers once it is committed valid. With a
   * `request.nonce` whose transaction (or a later attempt's, see attemptNonce) is already
   * committed, answers that committed transaction's result and submits nothing.
   */
  submit(identity: LedgerIdentity, request: TransactionRequest): Promise<SubmitResult>;
  evaluate(identity: LedgerIdentity, request: TransactionRequest): Promise<Buffer>;
  /** Chaincode events of valid transactions in commit order, from `startBlock` (default: next block) on. */
  events(options?: EventsOptions): AsyncIterable<ChaincodeEvent>;
  getTransaction(txId: string): Promise<TransactionInfo | undefined>;
  height(): Promise<number>;
  /** Block `n` as the explorer shows it; undefined at or beyond the height. */
  blockView(n: number): Promise<BlockView | undefined>;
  /** A transaction as the explorer shows it, with its block; undefined when unknown. */
  transactionView(txId: string): Promise<(TransactionView & { readonly blockNumber: number }) | undefined>;
  /**
   * The number of the block whose header hash is `hash` (hex), for a ledger that indexes block
   * hashes itself (Fabric: qscc GetBlockByHash). The embedded ledger keeps no such index; the
   * gateway's explorer index (explorer/explorer-index.ts) serves both, and asks this only for
   * blocks it has not indexed yet.
   */
  blockNumberByHash?(hash: string): Promise<number | undefined>;
  verifyChain(options?: { onProgress?: (checked: number, height: number) => void }): Promise<ChainVerification>;
  /**
   * The ledger's part of a proof bundle (docs/proof-bundle.md) for transaction `txId` and its write
   * of `recordKey`: the transaction and block as recorded (raw and decoded), their signatures, and
   * the roots of trust; undefined when the ledger has no such transaction. gateway-api/src/proof/
   * adds the evidence record and the revocations.
   */
  proofOf(txId: string, recordKey: string): Promise<LedgerProof | undefined>;
  /** Block `n` as the ledger stores it (embedded: its JSON; Fabric: the Block protobuf); undefined at or beyond the height. */
  rawBlock(n: number): Promise<Buffer | undefined>;
  /** The roots of trust (county and ordering organisations' CA certificates) and the endorsement policy that every block is checked against. */
  chainTrust(): Promise<ChainTrust>;
  close(): Promise<void>;
}
