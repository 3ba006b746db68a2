/**
 * What the checks see of a ledger's block and transaction, whichever ledger made them: each
 * ledger has a decoder (embedded: JSON, embedded-decoder.ts; fabric: protobuf) that turns the raw
 * bytes into this view, re-deriving the bytes each signature covers. The checks (checks.ts,
 * chain-audit.ts) work on views only.
 */

/** A signature, the certificate it names and the exact bytes it covers. */
export interface SignedView {
  readonly mspId: string;
  readonly certificate: string;
  readonly signature: Buffer;
  readonly signed: Buffer;
}

export interface TransactionView {
  readonly txId: string;
  readonly channel: string;
  readonly chaincode: string;
  /** The proposal's timestamp: certificates must be valid then. */
  readonly timestamp: Date;
  readonly creator: SignedView;
  readonly endorsements: readonly SignedView[];
  /** The public write set: key → value (null for a delete). */
  readonly writes: ReadonlyMap<string, Buffer | null>;
  /**
   * What the endorsements must satisfy (default 'channel'). Fabric records transactions outside
   * the chaincode's policy: 'creator-organisation' (a lifecycle approval: one endorsement of the
   * creator's own organisation), 'configuration' (a channel configuration: no endorsements, the
   * creator an ordering node of a trusted organisation), 'genesis' (block 0's configuration,
   * signed by nobody: every member joined the channel with its own copy).
   */
  readonly endorsement?: EndorsementRule;
}

export type EndorsementRule = 'channel' | 'creator-organisation' | 'configuration' | 'genesis';

export interface BlockTransactionView {
  /** The transaction's bytes as the block holds them (embedded: its canonical JSON; fabric: its envelope). */
  readonly raw: Buffer;
  readonly validationCode: string;
  decode(): TransactionView;
}

export interface BlockView {
  readonly number: number;
  readonly previousHash: string;
  readonly dataHash: string;
  /** The hash of this header, as the next block's previousHash names it. */
  readonly headerHash: string;
  /** The data hash recomputed from the block's transactions. */
  readonly computedDataHash: string;
  readonly transactions: readonly BlockTransactionView[];
  /** The ordering service's signatures over the block. */
  readonly signatures: readonly SignedView[];
}

export interface LedgerDecoder {
  readonly ledger: 'embedded' | 'fabric';
  /** The hash block 0 names as its previous block's. */
  readonly genesisPreviousHash: string;
  /** Throws DecodeError when the bytes are no block of this ledger. */
  block(raw: Buffer): BlockView;
  /** Throws DecodeError when the bytes are no transaction of this ledger. */
  transaction(raw: Buffer): TransactionView;
}

export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}
