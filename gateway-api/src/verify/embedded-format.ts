import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * The embedded ledger's block format and what each of its signatures covers, in one place for
 * the ledger that signs and the verifier that checks (docs/proof-bundle.md, "Embedded ledger").
 * The same facts a Fabric block carries: a header with number, previous hash and data hash; the
 * transactions with creator, proposal, response, read/write set, event and endorsements; and,
 * outside the data hash, the validation codes and the orderer's signature in the metadata.
 */
export interface RangeRead {
  readonly start: string;
  readonly end: string;
  /** Keys and versions returned, in order. */
  readonly results: ReadonlyArray<readonly [string, string]>;
  readonly exhausted: boolean;
}

export interface ReadWriteSet {
  readonly reads: ReadonlyArray<readonly [string, string | null]>;
  readonly ranges: readonly RangeRead[];
  /** Key and new value (base64), or null for a delete. */
  readonly writes: ReadonlyArray<readonly [string, string | null]>;
  /** Private writes appear only as hashes: collection, SHA-256 of key, SHA-256 of value or null. */
  readonly privateWrites: ReadonlyArray<readonly [string, string, string | null]>;
}

/** One endorsing peer's signature over the proposal response, with its certificate. */
export interface RecordedEndorsement {
  readonly mspId: string;
  /** The endorsing peer's name, e.g. peer0.huixian (informative). */
  readonly endorser: string;
  readonly certificate: string;
  readonly signature: string;
}

export interface TxRecord {
  readonly txId: string;
  readonly channelId: string;
  readonly chaincode: string;
  readonly timestamp: { readonly seconds: number; readonly nanos: number };
  readonly creator: { readonly mspId: string; readonly certificate: string };
  /** The creator's signature over the proposal's canonical JSON (proposalBytes), base64. */
  readonly signature: string;
  /** SHA-256 of proposalBytes, hex. */
  readonly proposalHash: string;
  readonly transaction: { readonly name: string; readonly args: readonly string[] };
  readonly response: { readonly status: number; readonly payload: string };
  readonly rwset: ReadWriteSet;
  readonly event: { readonly name: string; readonly payload: string } | null;
  readonly endorsements: readonly RecordedEndorsement[];
}

export interface BlockHeader {
  readonly number: number;
  readonly previousHash: string;
  readonly dataHash: string;
}

/** The orderer's signature over the block header hash, kept in the metadata like Fabric's SIGNATURES. */
export interface BlockSignature {
  readonly mspId: string;
  /** The ordering node's name, e.g. orderer0.liangdang (informative). */
  readonly orderer: string;
  readonly certificate: string;
  readonly signature: string;
}

export interface BlockMetadata {
  readonly validationCodes: readonly string[];
  readonly signatures: readonly BlockSignature[];
}

export interface Block {
  readonly header: BlockHeader;
  readonly data: readonly TxRecord[];
  readonly metadata: BlockMetadata;
}

export const GENESIS_PREVIOUS_HASH = '0'.repeat(64);

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The canonical JSON of a block's transactions, from each transaction's canonical JSON. */
export function dataJsonOf(txJson: readonly string[]): string {
  return `[${txJson.join(',')}]`;
}

export function dataHash(data: readonly TxRecord[]): string {
  return sha256Hex(dataJsonOf(data.map((tx) => canonicalJson(tx))));
}

export function headerHash(header: BlockHeader): string {
  return sha256Hex(canonicalJson(header));
}

/** What a client proposes, without its transient data (never recorded): the fields of the record the creator signs. */
export function proposalOf(tx: TxRecord) {
  return { channelId: tx.channelId, chaincode: tx.chaincode, creator: tx.creator, timestamp: tx.timestamp, transaction: tx.transaction, txId: tx.txId };
}

/** The bytes the creator signs: the proposal's canonical JSON. */
export function proposalBytes(proposal: ReturnType<typeof proposalOf>): Buffer {
  return Buffer.from(canonicalJson(proposal));
}

/** The proposal response every endorser signs (Fabric's ProposalResponsePayload): the proposal hash, response, read/write set and event. */
export function responseJson(tx: Pick<TxRecord, 'proposalHash' | 'response' | 'rwset' | 'event'>): string {
  return canonicalJson({ event: tx.event, proposalHash: tx.proposalHash, response: tx.response, rwset: tx.rwset });
}

/** The bytes an endorser signs: the response followed by its own identity (as Fabric appends the endorser's serialized identity). */
export function endorsementBytes(response: string, endorser: { readonly mspId: string; readonly certificate: string }): Buffer {
  return Buffer.from(response + canonicalJson({ certificate: endorser.certificate, mspId: endorser.mspId }));
}

/** The bytes an orderer signs for a block: the header hash (32 bytes) followed by its own identity. */
export function blockSignatureBytes(headerHashHex: string, orderer: { readonly mspId: string; readonly certificate: string }): Buffer {
  return Buffer.concat([Buffer.from(headerHashHex, 'hex'), Buffer.from(canonicalJson({ certificate: orderer.certificate, mspId: orderer.mspId }))]);
}
