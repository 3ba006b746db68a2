import { createHash } from 'node:crypto';
import { common, gateway, msp, peer } from '@hyperledger/fabric-protos-v3';
import { blockDataHash, blockHeaderHash } from '../../verify/fabric-format';

export { validationCodeName } from '../../verify/fabric-format';

/**
 * Reading Fabric blocks and processed transactions returned by qscc, and the block hashes Fabric
 * itself computes (verify/fabric-format.ts): data hash = SHA-256 over the envelopes; header hash =
 * SHA-256 of the DER SEQUENCE { number, previous_hash, data_hash }.
 */

export function fabricDataHash(block: common.Block): Buffer {
  return blockDataHash(block.getData()?.getDataList_asU8() ?? []);
}

export function fabricHeaderHash(header: common.BlockHeader): Buffer {
  return blockHeaderHash({ number: header.getNumber(), previousHash: header.getPreviousHash_asU8(), dataHash: header.getDataHash_asU8() });
}

export interface DecodedTransaction {
  readonly txId: string;
  readonly timestamp: string;
  readonly creatorMspId: string;
  readonly endorsingOrganisations: string[];
  readonly transactionName: string;
}

/** Decodes an endorser transaction envelope: who created it, when, who endorsed it, what it called. */
export function decodeEnvelope(envelopeBytes: Uint8Array): DecodedTransaction {
  const envelope = common.Envelope.deserializeBinary(envelopeBytes);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const header = payload.getHeader();
  const channelHeader = common.ChannelHeader.deserializeBinary(header?.getChannelHeader_asU8() ?? new Uint8Array());
  const signatureHeader = common.SignatureHeader.deserializeBinary(header?.getSignatureHeader_asU8() ?? new Uint8Array());
  const creator = msp.SerializedIdentity.deserializeBinary(signatureHeader.getCreator_asU8());
  const ts = channelHeader.getTimestamp();
  const timestamp = ts ? new Date(ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1e6)).toISOString() : '';
  const endorsers = new Set<string>();
  let transactionName = '';
  if (channelHeader.getType() === common.HeaderType.ENDORSER_TRANSACTION) {
    const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
    for (const action of tx.getActionsList()) {
      const cap = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
      for (const e of cap.getAction()?.getEndorsementsList() ?? []) endorsers.add(msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid());
      const proposalPayload = peer.ChaincodeProposalPayload.deserializeBinary(cap.getChaincodeProposalPayload_asU8());
      const spec = peer.ChaincodeInvocationSpec.deserializeBinary(proposalPayload.getInput_asU8());
      const first = spec.getChaincodeSpec()?.getInput()?.getArgsList_asU8()[0];
      if (first) transactionName = Buffer.from(first).toString('utf8');
    }
  }
  return { txId: channelHeader.getTxId(), timestamp, creatorMspId: creator.getMspid(), endorsingOrganisations: [...endorsers].sort(), transactionName };
}

/** The chaincode's answer recorded in an endorser transaction envelope (its first action's response payload). */
export function responsePayloadOf(envelopeBytes: Uint8Array): Buffer {
  const envelope = common.Envelope.deserializeBinary(envelopeBytes);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const action = tx.getActionsList()[0];
  if (!action) return Buffer.alloc(0);
  const cap = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const responsePayload = peer.ProposalResponsePayload.deserializeBinary(cap.getAction()?.getProposalResponsePayload_asU8() ?? new Uint8Array());
  const chaincodeAction = peer.ChaincodeAction.deserializeBinary(responsePayload.getExtension_asU8());
  return Buffer.from(chaincodeAction.getResponse()?.getPayload_asU8() ?? new Uint8Array());
}

/**
 * A fabric-gateway proposal (gateway.ProposedTransaction, unsigned) rebuilt with the given nonce
 * and the transaction ID it gives: the nonce in the signature header, the ID in the channel header
 * and beside the proposal. fabric-gateway draws a random nonce and offers no option for it.
 */
export function withNonce(proposedBytes: Uint8Array, nonce: Uint8Array): { bytes: Uint8Array; txId: string } {
  const proposed = gateway.ProposedTransaction.deserializeBinary(proposedBytes);
  const signed = proposed.getProposal();
  if (!signed || signed.getSignature_asU8().length > 0) throw new Error('withNonce needs an unsigned proposal');
  const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
  const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
  const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
  const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
  signatureHeader.setNonce(nonce);
  // The ID a peer checks: SHA-256 of the nonce and the creator bytes as they stand in the header.
  const txId = createHash('sha256').update(nonce).update(signatureHeader.getCreator_asU8()).digest('hex');
  channelHeader.setTxId(txId);
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());
  proposal.setHeader(header.serializeBinary());
  signed.setProposalBytes(proposal.serializeBinary());
  proposed.setProposal(signed);
  proposed.setTransactionId(txId);
  return { bytes: proposed.serializeBinary(), txId };
}
