import { canonicalJson } from './canonical-json';
import {
  Block,
  blockSignatureBytes,
  dataJsonOf,
  endorsementBytes,
  GENESIS_PREVIOUS_HASH,
  headerHash,
  proposalBytes,
  proposalOf,
  responseJson,
  sha256Hex,
  TxRecord,
} from './embedded-format';
import { BlockTransactionView, BlockView, DecodeError, LedgerDecoder, SignedView, TransactionView } from './view';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

function parse(raw: Buffer, what: string): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DecodeError(`${what} is not JSON`);
  }
}

/** Checks the fields the view is made of; anything else in a record is covered by the hashes and signatures. */
function asRecord(value: unknown): TxRecord {
  const tx = value as TxRecord;
  const ok =
    isObject(value) &&
    isString(tx.txId) &&
    isString(tx.channelId) &&
    isString(tx.chaincode) &&
    isObject(tx.timestamp) &&
    Number.isSafeInteger(tx.timestamp.seconds) &&
    Number.isSafeInteger(tx.timestamp.nanos) &&
    isObject(tx.creator) &&
    isString(tx.creator.mspId) &&
    isString(tx.creator.certificate) &&
    isString(tx.signature) &&
    isObject(tx.transaction) &&
    isObject(tx.response) &&
    isObject(tx.rwset) &&
    Array.isArray(tx.rwset.writes) &&
    Array.isArray(tx.endorsements) &&
    tx.endorsements.every((e) => isObject(e) && isString(e.mspId) && isString(e.certificate) && isString(e.signature));
  if (!ok) throw new DecodeError('the transaction record lacks fields of the embedded format');
  return tx;
}

/** The view of an embedded transaction record, with the bytes its creator and endorsers signed re-derived from it. */
export function viewOfRecord(tx: TxRecord): TransactionView {
  const proposal = proposalBytes(proposalOf(tx));
  // Endorsers signed the hash of the proposal as it is, whatever the record says it was.
  const response = responseJson({ ...tx, proposalHash: sha256Hex(proposal) });
  const writes = new Map<string, Buffer | null>();
  for (const w of tx.rwset.writes) {
    if (!Array.isArray(w) || !isString(w[0])) throw new DecodeError('a write of the write set is malformed');
    writes.set(w[0], w[1] === null ? null : Buffer.from(String(w[1]), 'base64'));
  }
  return {
    txId: tx.txId,
    channel: tx.channelId,
    chaincode: tx.chaincode,
    timestamp: new Date(tx.timestamp.seconds * 1000 + Math.floor(tx.timestamp.nanos / 1e6)),
    creator: { mspId: tx.creator.mspId, certificate: tx.creator.certificate, signature: Buffer.from(tx.signature, 'base64'), signed: proposal },
    endorsements: tx.endorsements.map((e): SignedView => ({
      mspId: e.mspId,
      certificate: e.certificate,
      signature: Buffer.from(e.signature, 'base64'),
      signed: endorsementBytes(response, e),
    })),
    writes,
  };
}

const DATA_START = Buffer.from('{"data":');
const DATA_END = Buffer.from('],"header":{"dataHash":"');

/**
 * The hash of the block's data as stored: the bytes of its "data" array, when the block is laid
 * out canonically (data first, then header). Inside JSON strings every quote is escaped, so the
 * unescaped DATA_END occurs only where the array ends. Hashing the stored bytes spares
 * canonicalising every transaction again, and holds them to the exact bytes.
 */
function storedDataHash(raw: Buffer): string | undefined {
  if (!raw.subarray(0, DATA_START.length).equals(DATA_START)) return undefined;
  const end = raw.lastIndexOf(DATA_END);
  return end < 0 ? undefined : sha256Hex(raw.subarray(DATA_START.length, end + 1));
}

/** The decoder of the embedded ledger: blocks and transactions are canonical JSON (verify/embedded-format.ts). */
export const embeddedDecoder: LedgerDecoder = {
  ledger: 'embedded',
  genesisPreviousHash: GENESIS_PREVIOUS_HASH,
  block(raw: Buffer): BlockView {
    const block = parse(raw, 'the block') as Block;
    if (!isObject(block) || !isObject(block.header) || !Array.isArray(block.data) || !isObject(block.metadata)) {
      throw new DecodeError('the block lacks header, data or metadata');
    }
    const { header } = block;
    if (!Number.isSafeInteger(header.number) || !isString(header.previousHash) || !isString(header.dataHash)) {
      throw new DecodeError('the block header lacks number, previous hash or data hash');
    }
    const codes = Array.isArray(block.metadata.validationCodes) ? block.metadata.validationCodes : [];
    const transactions = block.data.map((tx, i): BlockTransactionView => ({
      // Made only when asked for (a proof's "transaction in block"), not for every transaction of an audit.
      get raw() {
        return Buffer.from(canonicalJson(tx));
      },
      validationCode: String(codes[i] ?? 'MISSING'),
      decode: () => viewOfRecord(asRecord(tx)),
    }));
    const hash = headerHash(header);
    const signatures = Array.isArray(block.metadata.signatures) ? block.metadata.signatures : [];
    return {
      number: header.number,
      previousHash: header.previousHash,
      dataHash: header.dataHash,
      headerHash: hash,
      computedDataHash: storedDataHash(raw) ?? sha256Hex(dataJsonOf(block.data.map((tx) => canonicalJson(tx)))),
      transactions,
      signatures: signatures.map((s): SignedView => {
        if (!isObject(s) || !isString(s.mspId) || !isString(s.certificate) || !isString(s.signature)) throw new DecodeError('a block signature is malformed');
        return {
          mspId: s.mspId,
          certificate: s.certificate,
          signature: Buffer.from(s.signature, 'base64'),
          signed: blockSignatureBytes(hash, { mspId: s.mspId, certificate: s.certificate }),
        };
      }),
    };
  },
  transaction(raw: Buffer): TransactionView {
    return viewOfRecord(asRecord(parse(raw, 'the transaction')));
  },
};
