import { createHash, randomBytes } from 'node:crypto';
import { LedgerIdentity, TransactionRequest } from '../ledger';
import { signAsync } from '../sign-async';
import { serializedCreator } from '../transaction-ids';
import { canonicalJson } from '../../verify/canonical-json';
import { encodeMessage, mapEntries } from './protobuf-writer';
import { identityJson, proposalJsonOf, RecordParts } from './record-json';

// Field numbers and enum values from Fabric's protos (common/common.proto, msp/identities.proto,
// peer/chaincode.proto, peer/proposal.proto).
const HEADER_TYPE_ENDORSER_TRANSACTION = 3;
const CHAINCODE_TYPE_NODE = 2;

const NO_TRANSIENT: Readonly<Record<string, Uint8Array>> = Object.freeze({});

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

/** The two views of a proposal that fabric-shim's ChaincodeStub reads (the accessors of its protobuf classes). */
export interface StubChaincodeInput {
  getArgsList_asU8(): Uint8Array[];
}
export interface StubSignedProposal {
  getProposalBytes(): Uint8Array;
  getSignature(): Uint8Array;
}

/** A signed proposal as a client sends it to a peer, plus what the chaincode stub is built from. */
export interface BuiltProposal {
  readonly txId: string;
  readonly seconds: number;
  readonly nanos: number;
  /** The proposal's transient data (never recorded). */
  readonly transient: Readonly<Record<string, Uint8Array>>;
  readonly signedProposal: StubSignedProposal;
  readonly chaincodeInput: StubChaincodeInput;
  /** The proposal as protobuf (peer.Proposal), encoded on first use. */
  readonly proposalBytes: Buffer;
  /** The proposal as the block records it (no transient data): what the creator signs. */
  readonly recorded: RecordedProposal;
  /** The canonical JSON of `recorded`: the bytes the signature covers. */
  readonly recordedBytes: Buffer;
  readonly signature: Buffer;
  /** Canonical JSON of the recorded proposal's parts, for the transaction record (record-json.ts). */
  readonly parts: Pick<RecordParts, 'creatorJson' | 'timestampJson' | 'transactionJson'>;
}

export interface RecordedProposal {
  readonly channelId: string;
  readonly chaincode: string;
  readonly creator: { readonly mspId: string; readonly certificate: string };
  readonly timestamp: { readonly seconds: number; readonly nanos: number };
  readonly transaction: { readonly name: string; readonly args: readonly string[] };
  readonly txId: string;
}

/**
 * Builds the proposal the way a Fabric client does: a nonce and the creator's
 * serialized identity in the signature header, the transaction ID derived from
 * them, the timestamp in the channel header. The endorser hands fabric-shim's
 * ChaincodeStub these fields as its decoder would find them in the protobuf bytes
 * (proposal-stub.ts); the bytes are encoded on first use. The creator signs the proposal as the
 * block records it (canonical JSON, without transient data, verify/embedded-format.ts),
 * so that anyone can check the signature from the block alone, as Fabric's envelope
 * signature is checked; the stub carries that signature.
 */
export async function buildProposal(
  identity: LedgerIdentity,
  channelId: string,
  chaincode: string,
  request: TransactionRequest,
  nowMs: number,
  signed = true,
): Promise<BuiltProposal> {
  const creatorBytes = serializedCreator(identity);
  // A nonce the gateway chose (Idempotency-Key) names the transaction in advance; see transaction-ids.ts.
  const nonce = request.nonce ? Buffer.from(request.nonce) : nextNonce();
  const txId = createHash('sha256').update(nonce).update(creatorBytes).digest('hex');

  const seconds = Math.floor(nowMs / 1000);
  const nanos = (nowMs % 1000) * 1_000_000;
  const args: Buffer[] = [Buffer.from(request.name)];
  for (const a of request.args ?? []) args.push(Buffer.from(a));

  // Taken once: the stub's copy and the bytes encoded later must see the same values.
  const transient = request.transient ? { ...request.transient } : NO_TRANSIENT;
  // The proposal's protobuf bytes are what a peer would receive. The endorser's stub is given
  // their fields directly (proposal-stub.ts), so the bytes are encoded only when asked for; the
  // timestamp is encoded now, so that a time protobuf cannot carry fails here, as it did before.
  const timestamp = encodeMessage([
    [1, seconds],
    [2, nanos],
  ]);
  let encoded: Buffer | undefined;
  const proposalBytes = (): Buffer => (encoded ??= encodeProposal(channelId, chaincode, txId, timestamp, creatorBytes, nonce, args, transient));
  const recorded: RecordedProposal = {
    channelId,
    chaincode,
    creator: { mspId: identity.mspId, certificate: identity.certificate },
    timestamp: { seconds, nanos },
    transaction: { name: request.name, args: request.args ? [...request.args] : [] },
    txId,
  };
  // The bytes of verify/embedded-format.ts proposalBytes(recorded), from parts the record reuses.
  const parts = signed
    ? { creatorJson: identityJson(identity), timestampJson: `{"nanos":${nanos},"seconds":${seconds}}`, transactionJson: canonicalJson(recorded.transaction) }
    : { creatorJson: '', timestampJson: '', transactionJson: '' };
  const recordedBytes = signed ? Buffer.from(proposalJsonOf(recorded, parts)) : Buffer.alloc(0);
  const signature = signed ? await signAsync(recordedBytes, identity.privateKey) : Buffer.alloc(0);

  return {
    txId,
    seconds,
    nanos,
    transient,
    signedProposal: { getProposalBytes: proposalBytes, getSignature: () => signature },
    chaincodeInput: { getArgsList_asU8: () => args },
    get proposalBytes() {
      return proposalBytes();
    },
    recorded,
    recordedBytes,
    signature,
    parts,
  };
}

/** The peer.Proposal bytes of a proposal, as a Fabric client encodes them. */
function encodeProposal(
  channelId: string,
  chaincode: string,
  txId: string,
  timestamp: Buffer,
  creatorBytes: Buffer,
  nonce: Buffer,
  args: readonly Buffer[],
  transient: Readonly<Record<string, Uint8Array>>,
): Buffer {
  const channelHeader = encodeMessage([
    [1, HEADER_TYPE_ENDORSER_TRANSACTION],
    [3, timestamp, 'keepEmpty'],
    [4, channelId],
    [5, txId],
  ]);
  const signatureHeader = encodeMessage([
    [1, creatorBytes],
    [2, nonce],
  ]);
  const header = encodeMessage([
    [1, channelHeader],
    [2, signatureHeader],
  ]);
  const input = encodeMessage(args.map((a) => [1, a, 'keepEmpty'] as const));
  const chaincodeId = encodeMessage([[2, chaincode]]);
  const spec = encodeMessage([
    [1, CHAINCODE_TYPE_NODE],
    [2, chaincodeId, 'keepEmpty'],
    [3, input, 'keepEmpty'],
  ]);
  const invocation = encodeMessage([[1, spec, 'keepEmpty']]);
  const payload = encodeMessage([[1, invocation], ...mapEntries(2, transient)]);
  return encodeMessage([
    [1, header],
    [2, payload],
  ]);
}
