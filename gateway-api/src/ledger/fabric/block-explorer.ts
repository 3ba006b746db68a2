import { common, ledger as ledgerProtos, msp, peer } from '@hyperledger/fabric-protos-v3';
import { BlockView, TransactionView } from '../ledger';
import { memberOfCertificate } from '../certificate-member';
import { fabricHeaderHash, validationCodeName } from './blocks';

const { rwset } = ledgerProtos;
const HEADER_TYPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(common.HeaderType).map(([name, code]) => [code as number, name]));

/**
 * The explorer's view of a Fabric block as qscc returns it (Ledger.blockView): the header and
 * its hash as Fabric computes it, and for each envelope its creator, endorsers, the chaincode
 * function it called and the keys of its read-write set in that chaincode's namespace (reads
 * of other namespaces, such as _lifecycle's definition check, are left out, as the embedded
 * ledger records none); never values.
 */
export function viewOfFabricBlock(block: common.Block): BlockView {
  const header = block.getHeader();
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  const transactions = (block.getData()?.getDataList_asU8() ?? []).map((envelope, i) =>
    viewOfEnvelope(envelope, i, i < filter.length ? validationCodeName(filter[i] as number) : 'UNKNOWN'),
  );
  return {
    number: header?.getNumber() ?? -1,
    headerHash: header ? fabricHeaderHash(header).toString('hex') : '',
    previousHash: Buffer.from(header?.getPreviousHash_asU8() ?? new Uint8Array()).toString('hex'),
    dataHash: Buffer.from(header?.getDataHash_asU8() ?? new Uint8Array()).toString('hex'),
    txCount: transactions.length,
    time: transactions[0]?.timestamp || null,
    transactions,
  };
}

export function viewOfEnvelope(envelopeBytes: Uint8Array, txIndex: number, validationCode: string): TransactionView {
  const envelope = common.Envelope.deserializeBinary(envelopeBytes);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const header = payload.getHeader();
  const channelHeader = common.ChannelHeader.deserializeBinary(header?.getChannelHeader_asU8() ?? new Uint8Array());
  const signatureHeader = common.SignatureHeader.deserializeBinary(header?.getSignatureHeader_asU8() ?? new Uint8Array());
  const creator = msp.SerializedIdentity.deserializeBinary(signatureHeader.getCreator_asU8());
  const ts = channelHeader.getTimestamp();
  const view = {
    txId: channelHeader.getTxId(),
    txIndex,
    type: HEADER_TYPE_NAMES[channelHeader.getType()] ?? `TYPE_${channelHeader.getType()}`,
    validationCode,
    timestamp: ts ? new Date(ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1e6)).toISOString() : '',
    creator: { mspId: creator.getMspid(), member: creatorMember(creator) },
    endorsingOrganisations: [] as string[],
    chaincode: '',
    transactionName: '',
    readKeys: [] as string[],
    rangeReads: [] as Array<{ startKey: string; endKey: string }>,
    writeKeys: [] as string[],
    deletedKeys: [] as string[],
    privateCollections: [] as string[],
  };
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return view;

  view.chaincode = peer.ChaincodeHeaderExtension.deserializeBinary(channelHeader.getExtension_asU8()).getChaincodeId()?.getName() ?? '';
  const endorsers = new Set<string>();
  const collections = new Set<string>();
  const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
  for (const action of tx.getActionsList()) {
    const cap = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const endorsed = cap.getAction();
    for (const e of endorsed?.getEndorsementsList() ?? []) endorsers.add(msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid());
    const proposalPayload = peer.ChaincodeProposalPayload.deserializeBinary(cap.getChaincodeProposalPayload_asU8());
    const spec = peer.ChaincodeInvocationSpec.deserializeBinary(proposalPayload.getInput_asU8());
    const first = spec.getChaincodeSpec()?.getInput()?.getArgsList_asU8()[0];
    if (first) view.transactionName = Buffer.from(first).toString('utf8');
    if (!endorsed) continue;
    const response = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
    const chaincodeAction = peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8());
    if (!view.chaincode) view.chaincode = chaincodeAction.getChaincodeId()?.getName() ?? '';
    const results = rwset.TxReadWriteSet.deserializeBinary(chaincodeAction.getResults_asU8());
    for (const ns of results.getNsRwsetList()) {
      if (ns.getNamespace() !== view.chaincode) continue;
      const kv = rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
      for (const r of kv.getReadsList()) view.readKeys.push(r.getKey());
      for (const q of kv.getRangeQueriesInfoList()) view.rangeReads.push({ startKey: q.getStartKey(), endKey: q.getEndKey() });
      for (const w of kv.getWritesList()) {
        view.writeKeys.push(w.getKey());
        if (w.getIsDelete()) view.deletedKeys.push(w.getKey());
      }
      for (const c of ns.getCollectionHashedRwsetList()) {
        if (rwset.kvrwset.HashedRWSet.deserializeBinary(c.getHashedRwset_asU8()).getHashedWritesList().length > 0) collections.add(c.getCollectionName());
      }
    }
  }
  view.endorsingOrganisations = [...endorsers].sort();
  view.privateCollections = [...collections].sort();
  return view;
}

/** The member an identity's certificate names; null for an identity that is not a certificate (or none). */
function creatorMember(identity: msp.SerializedIdentity): string | null {
  const bytes = identity.getIdBytes_asU8();
  return bytes.length > 0 ? memberOfCertificate(Buffer.from(bytes).toString('utf8')) : null;
}
