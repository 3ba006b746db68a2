// Mutes fabric-shim's loggers before its contract runtime loads below.
import { requirePatched } from './library-patches';
import './library-patches';
import { JSONSerializer } from 'fabric-contract-api';
import { canonicalJson } from '../../verify/canonical-json';
import { majorityOf } from '../../verify/policy';
import { fromChaincodeMessage, LedgerError } from '../errors';
import { LedgerIdentity, TransactionRequest } from '../ledger';
import { signAsync } from '../sign-async';
import { sha256Hex, TxRecord } from './block-format';
import { BlockStore } from './block-store';
import { CreatorCheck } from './creator-check';
import { BuiltProposal, buildProposal } from './proposal';
import { ProposalStub, stubOfProposal } from './proposal-stub';
import { SimulationResults, TxSimulator } from './tx-simulator';
import { versionString } from './versions';
import { identityJson, recordJsonOf, responseJsonOf } from './record-json';

// fabric-shim's own contract runtime: routing, argument conversion, serializer and error path of a real peer.
const ChaincodeFromContract = requirePatched<
  new (
    contracts: unknown[],
    serializers: unknown,
    metadata: unknown,
    title: string,
    version: string,
  ) => { invokeFunctionality(stub: unknown): Promise<{ status: number; message?: string; payload?: Uint8Array }> }
>('fabric-shim', 'lib/contract-spi/chaincodefromcontract');

/** An endorsing peer's identity. */
export interface Endorser extends LedgerIdentity {
  /** The endorsing peer's name, e.g. peer0.liangdang. */
  readonly name: string;
}

/** A proposal simulated and endorsed: the transaction to order, and what its simulation read and wrote. */
export interface Endorsement {
  readonly txId: string;
  readonly payload: Buffer;
  readonly results: SimulationResults;
  readonly record: TxRecord;
  /** The record in canonical JSON, made once here. */
  readonly recordJson: string;
}

export interface EndorserOptions {
  readonly contracts: ReadonlyArray<new () => unknown>;
  /** County CA certificates by MSP ID: a creator must hold a certificate issued by its county's CA. */
  readonly trustedCas: Readonly<Record<string, string>>;
  /** The peer identity that endorses for each county of the channel, in the order the others are asked after the caller's own. */
  readonly endorsers: Readonly<Record<string, Endorser>>;
  readonly channelId: string;
  readonly chaincodeName: string;
}

interface Simulation {
  readonly proposal: BuiltProposal;
  readonly stub: ProposalStub;
  readonly simulator: TxSimulator;
  readonly payload: Buffer;
}

/**
 * The peers' endorsement step: checks the creator, runs the chaincode on a proposal
 * against committed state only (never a transaction's own writes), and for a submit
 * has a majority of the counties' endorsing peers sign the response and read/write set.
 */
export class ProposalEndorser {
  readonly #store: BlockStore;
  readonly #options: EndorserOptions;
  readonly #chaincode: InstanceType<typeof ChaincodeFromContract>;
  readonly #creators: CreatorCheck;
  /** One endorsing peer per county, in the configured order. */
  readonly #endorserOrder: readonly Endorser[];

  constructor(store: BlockStore, options: EndorserOptions) {
    this.#store = store;
    this.#options = options;
    this.#endorserOrder = Object.values(options.endorsers);
    this.#creators = new CreatorCheck(options.trustedCas);
    this.#chaincode = new ChaincodeFromContract(
      [...options.contracts],
      { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } },
      {},
      'county-ledger',
      '1',
    );
  }

  /** Simulates a query and returns its payload. */
  async evaluate(identity: LedgerIdentity, request: TransactionRequest): Promise<Buffer> {
    // An evaluated proposal is never recorded, so nothing would ever check its signature: skip signing it.
    return (await this.#simulate(identity, request, false)).payload;
  }

  /**
   * Simulates a transaction and endorses it as the network would: the endorsing peers of a
   * majority of the counties (verify/policy.ts) sign the proposal response, the caller's own
   * county's first, then the others in the configured order. Answers the signed record the
   * committer orders into a block.
   */
  async endorse(identity: LedgerIdentity, request: TransactionRequest): Promise<Endorsement> {
    const { proposal, stub, simulator, payload } = await this.#simulate(identity, request, true);
    const results = simulator.results();
    const event = stub.chaincodeEvent;
    const rwset = {
      reads: [...results.reads].map(([k, v]) => [k, versionString(v)] as const),
      ranges: results.ranges.map((r) => ({ ...r, results: [...r.results] })),
      writes: [...results.writes].map(([k, v]) => [k, v === null ? null : v.toString('base64')] as const),
      privateWrites: [...results.privateWrites.values()].map((p) => [p.collection, sha256Hex(p.key), p.value === null ? null : sha256Hex(p.value)] as const),
    };
    const endorsers = this.#endorsersFor(identity.mspId);
    const response = { status: 200, payload: payload.toString('base64') };
    const proposalHash = sha256Hex(proposal.recordedBytes);
    const chaincodeEvent = event ? { name: event.getEventName(), payload: Buffer.from(event.getPayload_asU8()).toString('base64') } : null;
    // Each part canonicalised once, for the endorsement bytes and the record alike (record-json.ts).
    const parts = { ...proposal.parts, eventJson: canonicalJson(chaincodeEvent), responseJson: canonicalJson(response), rwsetJson: canonicalJson(rwset) };
    // verify/embedded-format.ts responseJson and endorsementBytes, from those parts.
    const signed = responseJsonOf(proposalHash, parts);
    const signatures = await Promise.all(endorsers.map((e) => signAsync([signed, identityJson(e)], e.privateKey)));
    const record: TxRecord = {
      ...proposal.recorded,
      signature: proposal.signature.toString('base64'),
      proposalHash,
      response,
      rwset,
      event: chaincodeEvent,
      endorsements: endorsers.map((e, i) => ({
        mspId: e.mspId,
        endorser: e.name,
        certificate: e.certificate,
        signature: (signatures[i] as Buffer).toString('base64'),
      })),
    };
    return { txId: proposal.txId, payload, results, record, recordJson: recordJsonOf(record, parts) };
  }

  /** The endorsing peers of a majority of the counties: the caller's county's first, then the others in the configured order. */
  #endorsersFor(mspId: string): Endorser[] {
    const all = this.#endorserOrder;
    if (all.length === 0) throw new LedgerError('UNAVAILABLE', 'no endorsing peer is configured');
    const own = all.filter((e) => e.mspId === mspId);
    return [...own, ...all.filter((e) => e.mspId !== mspId)].slice(0, majorityOf(all.length));
  }

  async #simulate(identity: LedgerIdentity, request: TransactionRequest, signed: boolean): Promise<Simulation> {
    this.#creators.check(identity);
    const proposal = await buildProposal(identity, this.#options.channelId, this.#options.chaincodeName, request, Date.now(), signed);
    const simulator = new TxSimulator(this.#store, proposal.txId);
    const stub = stubOfProposal(simulator, this.#options.channelId, proposal);
    let response: { status: number; message?: string; payload?: Uint8Array };
    try {
      response = await this.#chaincode.invokeFunctionality(stub);
    } finally {
      await simulator.finish();
    }
    if (response.status !== 200) throw fromChaincodeMessage(response.message ?? '', { transactionId: proposal.txId });
    return { proposal, stub, simulator, payload: Buffer.from(response.payload ?? Buffer.alloc(0)) };
  }
}
