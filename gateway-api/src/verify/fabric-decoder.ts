import { common, ledger, msp, peer } from '@hyperledger/fabric-protos-v3';
import {
  blockDataHash,
  blockHeaderBytes,
  blockHeaderHash,
  blockSignatureBytes,
  endorsementBytes,
  proposalHash,
  validationCodeName,
  withBytesField,
} from './fabric-format';
import { BlockTransactionView, BlockView, DecodeError, LedgerDecoder, SignedView, TransactionView } from './view';

/**
 * The decoder of Hyperledger Fabric blocks and transaction envelopes (protobuf), for proof
 * bundles and chain exports of `ledger: "fabric"`. Every signed byte string is taken from the
 * raw bytes as recorded, never re-encoded (verify/fabric-format.ts says what each signature
 * covers).
 */

const LIFECYCLE = '_lifecycle';
// A lifecycle approval writes only to the approving organisation's implicit collection, whose
// endorsement policy is that organisation's own peer.
const OWN_ORGANISATION_LIFECYCLE = new Set(['ApproveChaincodeDefinitionForMyOrg']);

function decoded<T>(what: string, make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    throw new DecodeError(`${what} does not decode (${err instanceof Error ? err.message : String(err)})`);
  }
}

const u8 = (v: Uint8Array | undefined): Buffer => Buffer.from(v ?? new Uint8Array());

function identityOf(serialized: Uint8Array, what: string): { mspId: string; certificate: string } {
  const id = decoded(what, () => msp.SerializedIdentity.deserializeBinary(serialized));
  return { mspId: id.getMspid(), certificate: Buffer.from(id.getIdBytes_asU8()).toString('utf8') };
}

function timestampOf(header: common.ChannelHeader): Date {
  const ts = header.getTimestamp();
  return ts ? new Date(ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1e6)) : new Date(0);
}

/** The view of a transaction envelope: its creator's signature over the payload, its endorsements over the response they endorsed, its public writes. */
export function viewOfEnvelope(raw: Uint8Array): TransactionView {
  const envelope = decoded('the envelope', () => common.Envelope.deserializeBinary(raw));
  const payloadBytes = u8(envelope.getPayload_asU8());
  const payload = decoded('the envelope payload', () => common.Payload.deserializeBinary(payloadBytes));
  const header = payload.getHeader();
  if (!header) throw new DecodeError('the payload has no header');
  const channelHeaderBytes = u8(header.getChannelHeader_asU8());
  const signatureHeaderBytes = u8(header.getSignatureHeader_asU8());
  const channelHeader = decoded('the channel header', () => common.ChannelHeader.deserializeBinary(channelHeaderBytes));
  const signatureHeader = decoded('the signature header', () => common.SignatureHeader.deserializeBinary(signatureHeaderBytes));
  const creatorBytes = u8(signatureHeader.getCreator_asU8());
  const creator: SignedView = {
    ...(creatorBytes.length > 0 ? identityOf(creatorBytes, 'the creator') : { mspId: '', certificate: '' }),
    signature: u8(envelope.getSignature_asU8()),
    signed: payloadBytes,
  };
  const base = { txId: channelHeader.getTxId(), channel: channelHeader.getChannelId(), timestamp: timestampOf(channelHeader), creator };

  const type = channelHeader.getType();
  if (type === common.HeaderType.CONFIG) {
    // The genesis block's configuration is signed by nobody (every member joins the channel with
    // its own copy); a later configuration transaction is signed by the ordering node that made it.
    const genesis = creatorBytes.length === 0 && creator.signature.length === 0;
    return { ...base, chaincode: '', endorsements: [], writes: new Map(), endorsement: genesis ? 'genesis' : 'configuration' };
  }
  if (type !== common.HeaderType.ENDORSER_TRANSACTION)
    throw new DecodeError(`a transaction of header type ${type}, neither configuration nor endorser transaction`);

  const transaction = decoded('the transaction', () => peer.Transaction.deserializeBinary(payload.getData_asU8()));
  const actions = transaction.getActionsList();
  if (actions.length !== 1) throw new DecodeError(`an endorser transaction with ${actions.length} actions (Fabric accepts exactly one)`);
  const actionPayload = decoded('the chaincode action payload', () =>
    peer.ChaincodeActionPayload.deserializeBinary((actions[0] as peer.TransactionAction).getPayload_asU8()),
  );
  const endorsed = actionPayload.getAction();
  if (!endorsed) throw new DecodeError('the transaction has no endorsed action');
  const responseBytes = u8(endorsed.getProposalResponsePayload_asU8());
  const proposalPayloadBytes = u8(actionPayload.getChaincodeProposalPayload_asU8());
  // Endorsers signed their response to this very proposal: the response with this proposal's
  // hash (equal to the recorded bytes unless the endorsed response names another proposal).
  const forThisProposal = withBytesField(responseBytes, 1, proposalHash(channelHeaderBytes, signatureHeaderBytes, proposalPayloadBytes));
  if (!forThisProposal) throw new DecodeError('the proposal response payload is malformed');
  const endorsements = endorsed.getEndorsementsList().map((e): SignedView => {
    const endorser = u8(e.getEndorser_asU8());
    return { ...identityOf(endorser, 'an endorser'), signature: u8(e.getSignature_asU8()), signed: endorsementBytes(forThisProposal, endorser) };
  });

  const response = decoded('the proposal response payload', () => peer.ProposalResponsePayload.deserializeBinary(responseBytes));
  const action = decoded('the chaincode action', () => peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8()));
  const chaincode = action.getChaincodeId()?.getName() ?? '';
  const rwset = decoded('the read/write set', () => ledger.rwset.TxReadWriteSet.deserializeBinary(action.getResults_asU8()));
  const writes = new Map<string, Buffer | null>();
  for (const ns of rwset.getNsRwsetList()) {
    if (ns.getNamespace() !== chaincode) continue;
    const kv = decoded(`the write set of ${ns.getNamespace()}`, () => ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8()));
    for (const w of kv.getWritesList()) writes.set(w.getKey(), w.getIsDelete() ? null : u8(w.getValue_asU8()));
  }
  const ownOrganisation = chaincode === LIFECYCLE && OWN_ORGANISATION_LIFECYCLE.has(functionOf(proposalPayloadBytes));
  return { ...base, chaincode, endorsements, writes, endorsement: ownOrganisation ? 'creator-organisation' : 'channel' };
}

/** The function a chaincode proposal calls (its first argument). */
function functionOf(proposalPayload: Buffer): string {
  const spec = decoded('the chaincode proposal', () =>
    peer.ChaincodeInvocationSpec.deserializeBinary(peer.ChaincodeProposalPayload.deserializeBinary(proposalPayload).getInput_asU8()),
  );
  const first = spec.getChaincodeSpec()?.getInput()?.getArgsList_asU8()[0];
  return first ? Buffer.from(first).toString('utf8') : '';
}

export interface FabricBlockParts {
  readonly block: common.Block;
  readonly header: common.BlockHeader;
  readonly entries: readonly Uint8Array[];
}

export function blockParts(raw: Uint8Array): FabricBlockParts {
  const block = decoded('the block', () => common.Block.deserializeBinary(raw));
  const header = block.getHeader();
  if (!header) throw new DecodeError('the block has no header');
  return { block, header, entries: block.getData()?.getDataList_asU8() ?? [] };
}

/** The orderers' signatures of a block (SIGNATURES metadata), each with the exact bytes it covers. */
function blockSignatures(block: common.Block, headerBytes: Buffer): SignedView[] {
  const entry = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.SIGNATURES];
  if (!entry || entry.length === 0) return [];
  const metadata = decoded('the block signatures metadata', () => common.Metadata.deserializeBinary(entry));
  const value = u8(metadata.getValue_asU8());
  return metadata.getSignaturesList().map((s): SignedView => {
    const signatureHeader = u8(s.getSignatureHeader_asU8());
    // A BFT orderer names itself by consenter number (identifier header) instead: not resolvable
    // without the channel's consenter set, so such a signature does not verify here.
    const signer =
      signatureHeader.length > 0
        ? identityOf(
            u8(decoded('a block signature header', () => common.SignatureHeader.deserializeBinary(signatureHeader)).getCreator_asU8()),
            'a block signer',
          )
        : { mspId: '', certificate: '' };
    return { ...signer, signature: u8(s.getSignature_asU8()), signed: blockSignatureBytes(value, signatureHeader, headerBytes) };
  });
}

export const fabricDecoder: LedgerDecoder = {
  ledger: 'fabric',
  // Block 0 names no previous block: an empty hash.
  genesisPreviousHash: '',
  block(raw: Buffer): BlockView {
    const { block, header, entries } = blockParts(raw);
    const fields = { number: header.getNumber(), previousHash: header.getPreviousHash_asU8(), dataHash: header.getDataHash_asU8() };
    if (!Number.isSafeInteger(fields.number) || fields.number < 0) throw new DecodeError('the block number is out of range');
    const filter = u8(block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER]);
    const transactions = entries.map((entry, i): BlockTransactionView => ({
      raw: Buffer.from(entry),
      validationCode: i < filter.length ? validationCodeName(filter[i] as number) : 'MISSING',
      decode: () => viewOfEnvelope(entry),
    }));
    return {
      number: fields.number,
      previousHash: Buffer.from(fields.previousHash).toString('hex'),
      dataHash: Buffer.from(fields.dataHash).toString('hex'),
      headerHash: blockHeaderHash(fields).toString('hex'),
      computedDataHash: blockDataHash(entries).toString('hex'),
      transactions,
      signatures: blockSignatures(block, blockHeaderBytes(fields)),
    };
  },
  transaction(raw: Buffer): TransactionView {
    return viewOfEnvelope(raw);
  },
};
