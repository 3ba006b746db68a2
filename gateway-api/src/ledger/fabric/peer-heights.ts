import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { connect, Gateway, hash } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos-v3';
import { LedgerIdentity, Readiness } from '../ledger';
import { NetworkDescription } from './network-description';
import { nodeCryptoSigner } from './signer';

/** How long one height query may take before its peer counts as unreachable (a readiness probe must answer fast). */
const HEIGHT_DEADLINE_MS = 2_000;

/**
 * Every county's peer's block height, read with qscc GetChainInfo (any channel member may ask,
 * so the gateway's own system identity serves): what /health/ready compares its own peer with.
 * One gRPC connection per peer, opened on first use.
 */
export class PeerHeights {
  readonly #network: NetworkDescription;
  readonly #mspId: string;
  readonly #identity: LedgerIdentity;
  readonly #peers = new Map<string, { client: grpc.Client; gateway: Gateway }>();

  constructor(network: NetworkDescription, mspId: string, identity: LedgerIdentity) {
    this.#network = network;
    this.#mspId = mspId;
    this.#identity = identity;
  }

  #gatewayOf(county: NetworkDescription['counties'][number]): Gateway {
    let peer = this.#peers.get(county.mspId);
    if (!peer) {
      const client = new grpc.Client(county.peer.endpoint, grpc.credentials.createSsl(readFileSync(county.peer.tlsRootCert)), {
        'grpc.ssl_target_name_override': county.peer.hostnameOverride,
      });
      const gateway = connect({
        client,
        identity: { mspId: this.#identity.mspId, credentials: Buffer.from(this.#identity.certificate) },
        signer: nodeCryptoSigner(this.#identity.privateKey),
        hash: hash.none,
        evaluateOptions: () => ({ deadline: Date.now() + HEIGHT_DEADLINE_MS }),
      });
      peer = { client, gateway };
      this.#peers.set(county.mspId, peer);
    }
    return peer.gateway;
  }

  async #heightOf(county: NetworkDescription['counties'][number]): Promise<number | undefined> {
    try {
      const answer = await this.#gatewayOf(county)
        .getNetwork(this.#network.channel)
        .getContract('qscc')
        .evaluateTransaction('GetChainInfo', this.#network.channel);
      return common.BlockchainInfo.deserializeBinary(answer).getHeight();
    } catch {
      return undefined;
    }
  }

  /** Ready: the own peer answers, and is at most `maxBlockLag` blocks behind the highest peer that answers. */
  async readiness(maxBlockLag: number): Promise<Readiness> {
    const peers = await Promise.all(this.#network.counties.map(async (c) => ({ mspId: c.mspId, height: await this.#heightOf(c) })));
    const own = peers.find((p) => p.mspId === this.#mspId)?.height;
    const highest = Math.max(...peers.map((p) => p.height ?? 0));
    const reasons: string[] = [];
    if (own === undefined) reasons.push(`own peer (${this.#mspId}) unreachable`);
    else if (highest - own > maxBlockLag)
      reasons.push(`own peer is ${highest - own} blocks behind the highest peer (${highest}); at most ${maxBlockLag} allowed`);
    return { ready: reasons.length === 0, reasons, ...(own !== undefined ? { height: own } : {}), peers };
  }

  close(): void {
    for (const { gateway, client } of this.#peers.values()) {
      gateway.close();
      client.close();
    }
    this.#peers.clear();
  }
}
