import { createRequire } from 'node:module';
import path from 'node:path';
import { requirePatched } from './library-patches';
import { BuiltProposal } from './proposal';

/** What of fabric-shim's ChaincodeStub this module sets and reads. */
export interface ProposalStub {
  /** The handler the stub was made with (fabric-shim keeps it as `handler`). */
  readonly handler: unknown;
  getChannelID(): string;
  creator?: { mspid: string; idBytes: Uint8Array };
  txTimestamp?: unknown;
  transientMap?: Map<string, Buffer>;
  readonly chaincodeEvent?: { getEventName(): string; getPayload_asU8(): Uint8Array };
}
type ShimStubClass = new (handler: unknown, channel: string, txId: string, input: unknown, signedProposal: unknown) => ProposalStub;

// The Timestamp class of the google-protobuf that fabric-shim's protobuf package decodes with
// (its ChannelHeader.getTimestamp() answers one), found from there, not from this package.
// google-protobuf's well-known types ship without type declarations.
const { Timestamp } = createRequire(require.resolve('@hyperledger/fabric-protos', { paths: [path.dirname(require.resolve('fabric-shim'))] }))(
  'google-protobuf/google/protobuf/timestamp_pb',
) as { Timestamp: new () => { setSeconds(s: number): void; setNanos(n: number): void } };

const utf8 = new TextEncoder();

/** A transient key google-protobuf's map keeps as it is: one of its own keys, which a UTF-8 round trip leaves unchanged. */
function keptAsIs(key: string): boolean {
  return key !== '__proto__' && Buffer.from(key, 'utf8').toString('utf8') === key;
}

/** What fabric-shim's stub decodes from a signed proposal beside the creator, timestamp and transient data. */
interface DecodedProposal {
  readonly transientMap: Map<string, Buffer>;
  readonly signedProposal: unknown;
  readonly proposal: unknown;
  readonly binding: string;
}

let stubClass: (new (handler: unknown, channelId: string, proposal: BuiltProposal) => ProposalStub) | undefined;

/**
 * fabric-shim's own ChaincodeStub for a proposal built in this process. A peer's stub decodes the
 * signed proposal's protobuf layers (proposal, header, channel and signature headers, creator,
 * payload and its transient map) to find the creator, the timestamp and the transient data, and
 * hashes the binding; here those fields are known already, so they are set as the decoder would
 * have set them (the same types and values: test/ledger/proposal-stub.test.ts compares the two
 * stubs field by field). What the chaincode rarely reads (the decoded signed proposal, the
 * binding) is worked out from the protobuf bytes by fabric-shim itself on first use. Every other
 * method is fabric-shim's.
 */
export function stubOfProposal(handler: unknown, channelId: string, proposal: BuiltProposal): ProposalStub {
  stubClass ??= proposalStubClass(requirePatched<ShimStubClass>('fabric-shim', 'lib/stub'));
  return new stubClass(handler, channelId, proposal);
}

function proposalStubClass(ChaincodeStub: ShimStubClass) {
  return class extends ChaincodeStub {
    readonly #proposal: BuiltProposal;
    #decoded: DecodedProposal | undefined;

    constructor(handler: unknown, channelId: string, proposal: BuiltProposal) {
      // Without a signed proposal fabric-shim's constructor reads only the arguments.
      super(handler, channelId, proposal.txId, proposal.chaincodeInput, undefined);
      this.#proposal = proposal;
      const creator = proposal.recorded.creator;
      // A Uint8Array of the certificate's bytes, as google-protobuf decodes a bytes field.
      this.creator = { mspid: creator.mspId, idBytes: utf8.encode(creator.certificate) };
      const timestamp = new Timestamp();
      timestamp.setSeconds(proposal.seconds);
      timestamp.setNanos(proposal.nanos);
      this.txTimestamp = timestamp;
      // google-protobuf's map iterates its keys sorted, and the stub copies each value. Keys its
      // map would not keep as they are (__proto__, text that is not well-formed UTF-16) are left to
      // fabric-shim's own decoding.
      const keys = Object.keys(proposal.transient).sort();
      if (keys.every(keptAsIs)) {
        this.transientMap = new Map();
        for (const key of keys) this.transientMap.set(key, Buffer.from(proposal.transient[key] as Uint8Array));
      } else this.transientMap = this.#decode().transientMap;
    }

    get signedProposal(): unknown {
      return this.#decode().signedProposal;
    }

    get proposal(): unknown {
      return this.#decode().proposal;
    }

    get binding(): string {
      return this.#decode().binding;
    }

    /** The fields fabric-shim decodes from the protobuf bytes, by its own stub. */
    #decode(): DecodedProposal {
      this.#decoded ??= new ChaincodeStub(
        this.handler,
        this.getChannelID(),
        this.#proposal.txId,
        this.#proposal.chaincodeInput,
        this.#proposal.signedProposal,
      ) as unknown as DecodedProposal;
      return this.#decoded;
    }
  };
}
