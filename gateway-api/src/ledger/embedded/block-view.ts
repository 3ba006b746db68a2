import { BlockView, TransactionView } from '../ledger';
import { memberOfCertificate } from '../certificate-member';
import { Block, headerHash, TxRecord } from './block-format';

/**
 * The explorer's view of an embedded block (Ledger.blockView): facts read from the stored
 * block, keys without values. Reads only the fields it shows, so fields added to the block
 * format later pass through unseen.
 */
export function viewOfBlock(block: Block): BlockView {
  const transactions = block.data.map((tx, i) => viewOfTransaction(tx, i, block.metadata.validationCodes[i] ?? 'UNKNOWN'));
  return {
    number: block.header.number,
    headerHash: headerHash(block.header),
    previousHash: block.header.previousHash,
    dataHash: block.header.dataHash,
    txCount: transactions.length,
    time: transactions[0]?.timestamp ?? null,
    transactions,
  };
}

export function viewOfTransaction(tx: TxRecord, txIndex: number, validationCode: string): TransactionView {
  const writes = tx.rwset.writes;
  return {
    txId: tx.txId,
    txIndex,
    type: 'ENDORSER_TRANSACTION',
    validationCode,
    timestamp: new Date(tx.timestamp.seconds * 1000 + Math.floor(tx.timestamp.nanos / 1e6)).toISOString(),
    creator: { mspId: tx.creator.mspId, member: memberOfCertificate(tx.creator.certificate) },
    endorsingOrganisations: [...new Set(tx.endorsements.map((e) => e.mspId))].sort(),
    chaincode: tx.chaincode,
    transactionName: tx.transaction.name,
    readKeys: tx.rwset.reads.map(([key]) => key),
    rangeReads: tx.rwset.ranges.map((r) => ({ startKey: r.start, endKey: r.end })),
    writeKeys: writes.map(([key]) => key),
    deletedKeys: writes.filter(([, value]) => value === null).map(([key]) => key),
    privateCollections: [...new Set(tx.rwset.privateWrites.map(([collection]) => collection))].sort(),
  };
}
