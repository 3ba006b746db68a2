import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../../chaincode/src/public';

/**
 * The embedded ledger's block: the same shape of facts a Fabric block carries
 * (header with number, previous hash and data hash; the transactions with their
 * creator, proposal, read/write set, event and endorsements; validation codes in
 * the metadata, outside the data hash, as Fabric keeps them).
 */
export interface RangeRead {
  readonly start: string;
  readonly end: string;
  /** Keys and versions returned, in order. */
  readonly results: ReadonlyArray<readonly [string, string]>;
  readonly exhausted: boolean;
}

export interface TxRecord {
  readonly txId: string;
  readonly channelId: string;
  readonly chaincode: string;
  readonly timestamp: { readonly seconds: number; readonly nanos: number };
  readonly creator: { readonly mspId: string; readonly certificate: string };
  /** Creator's signature over the proposal bytes, base64. */
  readonly signature: string;
  readonly proposalHash: string;
  readonly transaction: { readonly name: string; readonly args: readonly string[] };
  readonly response: { readonly status: number; readonly payload: string };
  readonly rwset: {
    readonly reads: ReadonlyArray<readonly [string, string | null]>;
    readonly ranges: readonly RangeRead[];
    /** Key and new value (base64), or null for a delete. */
    readonly writes: ReadonlyArray<readonly [string, string | null]>;
    /** Private writes appear only as hashes: collection, SHA-256 of key, SHA-256 of value or null. */
    readonly privateWrites: ReadonlyArray<readonly [string, string, string | null]>;
  };
  readonly event: { readonly name: string; readonly payload: string } | null;
  readonly endorsements: ReadonlyArray<{ readonly mspId: string; readonly endorser: string; readonly signature: string }>;
}

export interface BlockHeader {
  readonly number: number;
  readonly previousHash: string;
  readonly dataHash: string;
}

export interface Block {
  readonly header: BlockHeader;
  readonly data: readonly TxRecord[];
  readonly metadata: { readonly validationCodes: readonly string[] };
}

export const GENESIS_PREVIOUS_HASH = '0'.repeat(64);

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function dataHash(data: readonly TxRecord[]): string {
  return sha256Hex(canonicalJson(data));
}

export function headerHash(header: BlockHeader): string {
  return sha256Hex(canonicalJson(header));
}

export function serializeBlock(block: Block): Buffer {
  return Buffer.from(canonicalJson(block));
}

/**
 * Serialises a block whose transactions are already in canonical JSON, giving the
 * same bytes as serializeBlock without canonicalising every transaction again.
 * Keys in canonical order: data, header, metadata.
 */
export function assembleBlock(header: BlockHeader, dataJson: string, validationCodes: readonly string[]): Buffer {
  return Buffer.from(`{"data":${dataJson},"header":${canonicalJson(header)},"metadata":${canonicalJson({ validationCodes })}}`);
}

/** The canonical JSON of a block's transactions, from each transaction's canonical JSON. */
export function dataJsonOf(txJson: readonly string[]): string {
  return `[${txJson.join(',')}]`;
}

export function parseBlock(bytes: Buffer): Block {
  return JSON.parse(bytes.toString('utf8')) as Block;
}
