import type { ChainTrust, LedgerProof, Signer } from '../../verify/bundle';
import { fabricDecoder } from '../../verify/fabric-decoder';
import { BlockTransactionView, SignedView, TransactionView } from '../../verify/view';
import { LedgerError } from '../errors';

const b64 = (b: Buffer) => b.toString('base64');
const signer = (s: SignedView): Signer => ({ mspId: s.mspId, certificate: s.certificate, signature: b64(s.signature) });

/**
 * The ledger's part of a proof bundle on Fabric (docs/proof-bundle.md) from the Block protobuf
 * that holds transaction `txId`, as the peer's qscc answers it: the transaction's envelope exactly
 * as in the block's data, its creator and endorsements, its write of `recordKey`, the block header
 * and the orderers' signatures (SIGNATURES metadata). Every field is read back through the
 * verifier's own Fabric decoder, so the bundle says what the verifier will re-derive.
 */
export function fabricProofOf(args: {
  readonly txId: string;
  readonly recordKey: string;
  readonly blockRaw: Buffer;
  readonly channel: string;
  readonly chaincode: string;
  readonly chainHeight: number;
  readonly trust: ChainTrust;
}): LedgerProof | undefined {
  const block = fabricDecoder.block(args.blockRaw);
  let found: { index: number; entry: BlockTransactionView; view: TransactionView } | undefined;
  for (const [index, entry] of block.transactions.entries()) {
    let view: TransactionView;
    try {
      view = entry.decode();
    } catch {
      continue;
    }
    if (view.txId === args.txId) {
      found = { index, entry, view };
      break;
    }
  }
  if (!found) return undefined;
  const { index, entry, view } = found;
  const value = view.writes.get(args.recordKey);
  if (!value) throw new LedgerError('INTERNAL', `transaction ${args.txId} does not write ${args.recordKey.replace(/\u0000/g, '/')}`);
  return {
    ledger: 'fabric',
    channel: args.channel,
    chaincode: args.chaincode,
    transaction: {
      txId: view.txId,
      index,
      validationCode: entry.validationCode,
      raw: b64(entry.raw),
      creator: { mspId: view.creator.mspId, certificate: view.creator.certificate },
      signature: b64(view.creator.signature),
      endorsements: view.endorsements.map(signer),
      write: { key: args.recordKey, value: b64(value) },
    },
    block: {
      number: block.number,
      header: { number: block.number, previousHash: block.previousHash, dataHash: block.dataHash },
      headerHash: block.headerHash,
      raw: b64(args.blockRaw),
      signatures: block.signatures.map(signer),
      chainHeight: args.chainHeight,
    },
    trust: args.trust,
  };
}
