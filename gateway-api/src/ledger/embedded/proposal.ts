import { createHash, KeyObject, randomBytes, sign } from 'node:crypto';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { LedgerIdentity, TransactionRequest } from '../ledger';

const { Timestamp } = require('google-protobuf/google/protobuf/timestamp_pb') as {
  Timestamp: new () => { setSeconds(s: number): void; setNanos(n: number): void };
};

// The creator's serialized identity is the same bytes in every proposal it makes.
const creators = new WeakMap<LedgerIdentity, Uint8Array>();
function serializedCreator(identity: LedgerIdentity): Uint8Array {
  let bytes = creators.get(identity);
  if (!bytes) {
    const creator = new msp.SerializedIdentity();
    creator.setMspid(identity.mspId);
    creator.setIdBytes(Buffer.from(identity.certificate));
    bytes = creator.serializeBinary();
    creators.set(identity, bytes);
  }
  return bytes;
}

// Nonces come from a pooled buffer of random bytes: one system call per thousand proposals.
let noncePool: Buffer = Buffer.alloc(0);
let noncePos = 0;
function nextNonce(): Buffer {
  if (noncePos + 24 > noncePool.length) {
    noncePool = randomBytes(24 * 1024);
    noncePos = 0;
  }
  const nonce: Buffer = Buffer.from(noncePool.subarray(noncePos, noncePos + 24));
  noncePos += 24;
  return nonce;
}

/** A signed proposal as a client sends it to a peer, plus what the chaincode stub is built from. */
export interface BuiltProposal {
  readonly txId: string;
  readonly seconds: number;
  readonly nanos: number;
  readonly signedProposal: peer.SignedProposal;
  readonly chaincodeInput: peer.ChaincodeInput;
  readonly proposalBytes: Buffer;
  readonly signature: Buffer;
}

/**
 * Builds the proposal the way a Fabric client does: a nonce and the creator's
 * serialized identity in the signature header, the transaction ID derived from
 * them, the timestamp in the channel header, and the creator's signature.
 */
export async function buildProposal(identity: LedgerIdentity, channelId: string, chaincode: string, request: TransactionRequest, nowMs: number, signed = true): Promise<BuiltProposal> {
  const creatorBytes = serializedCreator(identity);
  const nonce = nextNonce();
  const txId = createHash('sha256').update(nonce).update(creatorBytes).digest('hex');

  const seconds = Math.floor(nowMs / 1000);
  const nanos = (nowMs % 1000) * 1_000_000;
  const timestamp = new Timestamp();
  timestamp.setSeconds(seconds);
  timestamp.setNanos(nanos);

  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId(channelId);
  channelHeader.setTxId(txId);
  channelHeader.setTimestamp(timestamp as never);
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creatorBytes);
  signatureHeader.setNonce(nonce);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());

  const input = new peer.ChaincodeInput();
  input.setArgsList([Buffer.from(request.name), ...(request.args ?? []).map((a) => Buffer.from(a))]);
  const chaincodeId = new peer.ChaincodeID();
  chaincodeId.setName(chaincode);
  const spec = new peer.ChaincodeSpec();
  spec.setType(peer.ChaincodeSpec.Type.NODE);
  spec.setChaincodeId(chaincodeId);
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const payload = new peer.ChaincodeProposalPayload();
  payload.setInput(invocation.serializeBinary());
  const transientMap = payload.getTransientmapMap();
  for (const [k, v] of Object.entries(request.transient ?? {})) transientMap.set(k, v);

  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  proposal.setPayload(payload.serializeBinary());
  const proposalBytes = Buffer.from(proposal.serializeBinary());
  const signature = signed ? await signAsync(proposalBytes, identity.privateKey) : Buffer.alloc(0);

  const signedProposal = new peer.SignedProposal();
  signedProposal.setProposalBytes(proposalBytes);
  signedProposal.setSignature(signature);
  return { txId, seconds, nanos, signedProposal, chaincodeInput: input, proposalBytes, signature };
}

/** ECDSA with SHA-256 on libuv's thread pool, so signing runs beside the JavaScript thread. */
export function signAsync(data: Buffer, key: KeyObject): Promise<Buffer> {
  return new Promise((resolve, reject) => sign('sha256', data, key, (err, sig) => (err ? reject(err) : resolve(sig))));
}
