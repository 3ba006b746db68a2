import { canonicalJson } from '../../verify/canonical-json';
import { Block, BlockHeader, BlockMetadata } from '../../verify/embedded-format';

/**
 * The embedded ledger's block, as the verifier reads it: the format and what each signature
 * covers are defined once, in verify/embedded-format.ts (shared with the offline verifier); this
 * module adds what only the ledger needs, writing and reading the stored bytes.
 */
export type { Block, BlockHeader, BlockMetadata, BlockSignature, RangeRead, RecordedEndorsement, TxRecord, ReadWriteSet } from '../../verify/embedded-format';
export { dataHash, dataJsonOf, GENESIS_PREVIOUS_HASH, headerHash, sha256Hex } from '../../verify/embedded-format';

export function serializeBlock(block: Block): Buffer {
  return Buffer.from(canonicalJson(block));
}

/**
 * Serialises a block whose transactions are already in canonical JSON (their array's UTF-8
 * bytes, as the data hash covers them), giving the same bytes as serializeBlock without
 * canonicalising or encoding every transaction again. Keys in canonical order: data, header, metadata.
 */
export function assembleBlock(header: BlockHeader, dataBytes: Buffer, metadata: BlockMetadata): Buffer {
  const head = Buffer.from('{"data":');
  const tail = Buffer.from(`,"header":${canonicalJson(header)},"metadata":${canonicalJson(metadata)}}`);
  return Buffer.concat([head, dataBytes, tail], head.length + dataBytes.length + tail.length);
}

export function parseBlock(bytes: Buffer): Block {
  return JSON.parse(bytes.toString('utf8')) as Block;
}
