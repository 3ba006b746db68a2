import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { checkpointers, Commit, connect, Contract, Gateway, GatewayError, hash, Network, Transaction } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos-v3';
import { LedgerError } from '../errors';
import {
  BlockView,
  ChainVerification,
  ChaincodeEvent,
  EventsOptions,
  Ledger,
  LedgerIdentity,
  Readiness,
  SubmitResult,
  TransactionInfo,
  TransactionRequest,
  TransactionView,
} from '../ledger';
import { attemptNonce } from '../transaction-ids';
import { viewOfFabricBlock } from './block-explorer';
import { decodeEnvelope, responsePayloadOf, validationCodeName, withNonce } from './blocks';
import { commitFailure, isDuplicateTransaction, toLedgerError } from './errors';
import type { ChainTrust, LedgerProof } from '../../verify/bundle';
import { auditBlocks, ChainSource } from '../../verify/chain-audit';
import { fabricDecoder } from '../../verify/fabric-decoder';
import { NetworkDescription } from './network-description';
import { PeerHeights } from './peer-heights';
import { fabricProofOf } from './proof';
import { nodeCryptoSigner } from './signer';
import { fabricChainTrust } from './trust';

export interface FabricLedgerOptions {
  readonly network: NetworkDescription;
  /** The county whose peer this gateway talks to. */
  readonly mspId: string;
  readonly chaincodeName?: string;
  /** Re-endorse and resubmit after an MVCC read conflict, up to this many times. */
  readonly mvccRetries?: number;
  /** How long to keep offering an endorsed transaction to an ordering service that has no leader (ms, default 20 s). */
  readonly orderRetryMs?: number;
  /** Identity for system queries (qscc): blocks, transactions, chain height. */
  readonly systemIdentity: LedgerIdentity;
  /**
   * Other counties (MSP IDs), in order, whose peers' Gateway service this gateway uses while its own
   * peer cannot be reached (FABRIC_FALLBACK_PEERS). Their peers endorse through the channel's
   * policy as the own peer would; the caller still signs with its own key.
   */
  readonly fallbackMspIds?: readonly string[];
  /** How long to stay on a fallback peer before asking whether the own peer is back (ms, default 3 s). */
  readonly homeRetryMs?: number;
}

/** One peer's Gateway service: its gRPC connection and a Gateway per caller on it. */
interface GatewayPeer {
  readonly mspId: string;
  readonly client: grpc.Client;
  readonly gateways: Map<string, Gateway>;
}

/**
 * Blocks asked of the peer a few at a time ahead of the audit, which reads them in order: one
 * qscc round trip each would otherwise leave the audit waiting on the network between blocks.
 */
function readAhead(height: number, fetch: (n: number) => Promise<Buffer>, depth = 8): ChainSource {
  const pending = new Map<number, Promise<Buffer>>();
  return {
    height,
    block(n) {
      for (let k = n; k < Math.min(height, n + depth); k++) {
        if (pending.has(k)) continue;
        const p = fetch(k);
        p.catch(() => undefined); // a block fetched ahead of an audit that stopped early is never awaited
        pending.set(k, p);
      }
      const p = pending.get(n) as Promise<Buffer>;
      pending.delete(n);
      return p;
    },
  };
}

const deadline = (ms: number) => () => ({ deadline: Date.now() + ms });
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The Ledger port on Hyperledger Fabric through @hyperledger/fabric-gateway: each
 * caller's own certificate and key sign its proposals; one gRPC connection to
 * this county's peer is shared by every caller.
 */
export class FabricLedger implements Ledger {
  readonly kind = 'fabric' as const;
  /** The own county's peer first, then the fallback peers in their order. */
  readonly #peers: GatewayPeer[];
  /** Index in #peers of the peer calls go to now. */
  #current = 0;
  /** While on a fallback peer: when to ask again whether the own peer is back. */
  #homeAt = 0;
  readonly #options: FabricLedgerOptions;
  readonly #chaincode: string;
  #peerHeights: PeerHeights | undefined;
  #closed = false;

  constructor(options: FabricLedgerOptions) {
    const peerOf = (mspId: string): GatewayPeer => {
      const county = options.network.counties.find((c) => c.mspId === mspId);
      if (!county) throw new Error(`county ${mspId} is not in the network description`);
      const tls = grpc.credentials.createSsl(readFileSync(county.peer.tlsRootCert));
      const client = new grpc.Client(county.peer.endpoint, tls, {
        'grpc.ssl_target_name_override': county.peer.hostnameOverride,
        'grpc.max_receive_message_length': 100 * 1024 * 1024,
      });
      return { mspId, client, gateways: new Map() };
    };
    const fallbacks = [...new Set(options.fallbackMspIds ?? [])].filter((m) => m !== options.mspId);
    this.#peers = [peerOf(options.mspId), ...fallbacks.map(peerOf)];
    this.#options = options;
    this.#chaincode = options.chaincodeName ?? 'countyledger';
  }

  /** The county whose peer's Gateway service calls go to now (the own county unless it fell back). */
  get gatewayPeer(): string {
    return (this.#peers[this.#current] as GatewayPeer).mspId;
  }

  #gateway(identity: LedgerIdentity): Gateway {
    if (this.#closed) throw new LedgerError('UNAVAILABLE', 'the ledger is closed');
    const peer = this.#peers[this.#current] as GatewayPeer;
    const key = `${identity.mspId}\n${identity.certificate}`;
    let gw = peer.gateways.get(key);
    if (!gw) {
      gw = connect({
        client: peer.client,
        identity: { mspId: identity.mspId, credentials: Buffer.from(identity.certificate) },
        signer: nodeCryptoSigner(identity.privateKey),
        hash: hash.none,
        evaluateOptions: deadline(10_000),
        endorseOptions: deadline(30_000),
        submitOptions: deadline(10_000),
        commitStatusOptions: deadline(60_000),
      });
      peer.gateways.set(key, gw);
    }
    return gw;
  }

  /**
   * Before a call on a fallback peer: once in a while ask (without waiting) whether the own peer's
   * connection is ready again, and go back to it when it is.
   */
  #homeIfBack(): void {
    if (this.#current === 0 || Date.now() < this.#homeAt) return;
    const own = this.#peers[0] as GatewayPeer;
    if (own.client.getChannel().getConnectivityState(true) === grpc.connectivityState.READY) this.#current = 0;
    else this.#homeAt = Date.now() + (this.#options.homeRetryMs ?? 3000);
  }

  /**
   * After an UNAVAILABLE answer from peer `at`: when that peer itself cannot be reached (its
   * connection does not get ready within a moment), the next peer takes the calls; an
   * UNAVAILABLE that came from beyond a reachable peer (an orderer, another endorser) moves nothing.
   */
  async #failedOver(at: number, err: unknown): Promise<boolean> {
    if (this.#peers.length < 2 || this.#closed || toLedgerError(err).code !== 'UNAVAILABLE') return false;
    if (this.#current !== at) return true; // another call moved on already
    const peer = this.#peers[at] as GatewayPeer;
    const reachable = await new Promise<boolean>((resolve) => peer.client.waitForReady(Date.now() + 1500, (e) => resolve(!e)));
    if (reachable) return false;
    if (this.#current === at) {
      this.#current = (at + 1) % this.#peers.length;
      if (this.#current !== 0) this.#homeAt = Date.now() + (this.#options.homeRetryMs ?? 3000);
    }
    return true;
  }

  /** A call on the current peer, moved to the next peer (at most once round all of them) while peers cannot be reached. */
  async #onPeer<T>(call: () => Promise<T>): Promise<T> {
    this.#homeIfBack();
    for (let moves = 0; ; moves++) {
      const at = this.#current;
      try {
        return await call();
      } catch (err) {
        if (moves + 1 >= this.#peers.length || !(await this.#failedOver(at, err))) throw err;
      }
    }
  }

  #network(identity: LedgerIdentity): Network {
    return this.#gateway(identity).getNetwork(this.#options.network.channel);
  }

  #contract(identity: LedgerIdentity): Contract {
    return this.#network(identity).getContract(this.#chaincode);
  }

  async submit(identity: LedgerIdentity, request: TransactionRequest): Promise<SubmitResult> {
    const retries = this.#options.mvccRetries ?? 10;
    this.#homeIfBack();
    let moves = 0;
    let readConflicts = 0;
    for (let attempt = 0; ; attempt++) {
      let phase: 'endorse' | 'order' | 'commit' = 'endorse';
      const at = this.#current;
      // With a chosen nonce the transaction ID is known in advance (transaction-ids.ts): a peer
      // refuses to endorse an ID it has committed, and the committed transaction is answered instead.
      const nonce = request.nonce ? attemptNonce(request.nonce, attempt) : undefined;
      let txId: string | undefined;
      try {
        let proposal = this.#contract(identity).newProposal(request.name, {
          arguments: [...(request.args ?? [])],
          ...(request.transient ? { transientData: request.transient, endorsingOrganizations: this.#transientEndorsers(identity.mspId, attempt) } : {}),
        });
        if (nonce) {
          const chosen = withNonce(proposal.getBytes(), nonce);
          txId = chosen.txId;
          proposal = this.#gateway(identity).newProposal(chosen.bytes);
        }
        const transaction = await proposal.endorse();
        phase = 'order';
        const commit = await this.#order(transaction);
        phase = 'commit';
        const status = await commit.getStatus();
        if (!status.successful) throw commitFailure(status.code, status.transactionId);
        // A retry whose first submit was still being ordered is ordered too; the peers then commit the
        // first of the two and mark the other DUPLICATE_TXID, so the answer is read from what committed.
        if (txId) {
          const committed = await this.#committed(txId);
          if (committed instanceof LedgerError) throw committed;
          return { ...(committed ?? this.#unreadable(txId)), readConflicts };
        }
        return { txId: status.transactionId, blockNumber: Number(status.blockNumber), payload: Buffer.from(transaction.getResult()), readConflicts };
      } catch (err) {
        let e = toLedgerError(err);
        if (txId && phase === 'endorse' && isDuplicateTransaction(err)) {
          const committed = await this.#committed(txId);
          if (committed && !(committed instanceof LedgerError)) return { ...committed, readConflicts };
          e = committed ?? this.#unreadable(txId);
        }
        // The peer went away: the same attempt again through the next peer. Before ordering nothing
        // was sent; after it only with a chosen transaction ID, which commits at most once and whose
        // committed answer the next peer gives (the duplicate check above).
        if ((phase === 'endorse' || txId) && moves + 1 < this.#peers.length && (await this.#failedOver(at, err))) {
          moves++;
          attempt--;
          continue;
        }
        // Re-endorse (a new transaction) after a read conflict, or when an endorser of a transaction
        // with transient data could not be reached (another county is asked next time). Never after
        // the ordering service accepted the transaction.
        if (e.code === 'MVCC_CONFLICT') readConflicts++;
        const again = e.code === 'MVCC_CONFLICT' || (phase === 'endorse' && request.transient !== undefined && e.code === 'UNAVAILABLE');
        if (again && attempt < retries) {
          await sleep(Math.random() * Math.min(200, 10 * 2 ** attempt));
          continue;
        }
        throw e;
      }
    }
  }

  /**
   * A committed transaction's answer, read with qscc: its result when it is valid, the error it
   * was invalidated with otherwise (MVCC_CONFLICT for a read conflict); undefined when the peer
   * does not have it.
   */
  async #committed(txId: string): Promise<SubmitResult | LedgerError | undefined> {
    let processed: peer.ProcessedTransaction;
    try {
      processed = peer.ProcessedTransaction.deserializeBinary(await this.#qscc('GetTransactionByID', txId));
    } catch (err) {
      if (err instanceof LedgerError && /not found|no such transaction/i.test(String((err.cause as Error | undefined)?.message ?? err.message)))
        return undefined;
      throw err;
    }
    const envelope = processed.getTransactionenvelope();
    if (!envelope) return undefined;
    const code = processed.getValidationcode();
    if (validationCodeName(code) !== 'VALID') return commitFailure(code, txId);
    const block = common.Block.deserializeBinary(await this.#qscc('GetBlockByTxID', txId));
    return { txId, blockNumber: block.getHeader()?.getNumber() ?? -1, payload: responsePayloadOf(envelope.serializeBinary()) };
  }

  #unreadable(txId: string): never {
    throw new LedgerError('UNAVAILABLE', `transaction ${txId} is committed but the peer did not return it`, { transactionId: txId });
  }

  /**
   * Hands the endorsed transaction to the ordering service. While a Raft cluster elects a new
   * leader (an orderer stopped or restarted), every orderer may answer SERVICE_UNAVAILABLE and the
   * gateway reports UNAVAILABLE "no orderers could successfully process transaction"; then the
   * same signed transaction (same ID, so it can commit at most once) is offered again, for at most
   * `orderRetryMs`. Nothing else is retried here: any other answer may mean it was accepted.
   */
  async #order(transaction: Transaction): Promise<Commit> {
    const until = Date.now() + (this.#options.orderRetryMs ?? 20_000);
    for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
      try {
        return await transaction.submit();
      } catch (err) {
        const notAccepted =
          err instanceof GatewayError &&
          err.code === 14 /* UNAVAILABLE */ &&
          /no orderers could successfully process/.test(err.message + err.details.map((d) => d.message).join(' '));
        if (!notAccepted || Date.now() + wait > until) throw err;
        await sleep(wait);
      }
    }
  }

  /**
   * Who endorses a transaction that carries transient (private) data. The Fabric gateway only
   * picks endorsers itself from the organisations of the collections the transaction touches, and
   * a county's private collection has one member, while the chaincode needs a majority of counties;
   * so it must be told which organisations it may trust with the transient data: the caller's own
   * county (which keeps the data) and the next counties in the network's order, rotated on each
   * retry so that one unreachable county does not block the transaction.
   */
  #transientEndorsers(mspId: string, attempt: number): string[] {
    const all = this.#options.network.counties.map((c) => c.mspId);
    const others = all.filter((m) => m !== mspId);
    const needed = Math.floor(all.length / 2) + 1 - (all.includes(mspId) ? 1 : 0);
    const start = others.length ? attempt % others.length : 0;
    const rotated = [...others.slice(start), ...others.slice(0, start)];
    return [...(all.includes(mspId) ? [mspId] : []), ...rotated.slice(0, needed)];
  }

  async evaluate(identity: LedgerIdentity, request: TransactionRequest): Promise<Buffer> {
    try {
      const result = await this.#onPeer(() =>
        this.#contract(identity).evaluate(request.name, {
          arguments: [...(request.args ?? [])],
          ...(request.transient ? { transientData: request.transient } : {}),
        }),
      );
      return Buffer.from(result);
    } catch (err) {
      throw toLedgerError(err);
    }
  }

  async *events(options: EventsOptions & { checkpointFile?: string } = {}): AsyncIterable<ChaincodeEvent> {
    const network = this.#network(this.#options.systemIdentity);
    const checkpointer = options.checkpointFile ? await checkpointers.file(options.checkpointFile) : undefined;
    const startBlock = options.startBlock !== undefined ? BigInt(options.startBlock) : undefined;
    const stream = await network.getChaincodeEvents(this.#chaincode, {
      ...(startBlock !== undefined ? { startBlock } : {}),
      ...(checkpointer ? { checkpoint: checkpointer } : {}),
    });
    const abort = () => stream.close();
    options.signal?.addEventListener('abort', abort, { once: true });
    // An event counts as delivered once the consumer asks for the next one or stops iterating
    // (break / return): then it is checkpointed, so a resumed stream neither repeats nor skips it.
    let handedOut: (typeof stream extends AsyncIterable<infer E> ? E : never) | undefined;
    try {
      for await (const event of stream) {
        handedOut = event;
        yield { blockNumber: Number(event.blockNumber), txId: event.transactionId, name: event.eventName, payload: Buffer.from(event.payload) };
        handedOut = undefined;
        await checkpointer?.checkpointChaincodeEvent(event);
      }
    } catch (err) {
      if (!options.signal?.aborted) throw toLedgerError(err);
    } finally {
      options.signal?.removeEventListener('abort', abort);
      stream.close();
      if (handedOut && checkpointer) await checkpointer.checkpointChaincodeEvent(handedOut);
    }
  }

  async #qscc(fn: string, ...args: Array<string | Uint8Array>): Promise<Uint8Array> {
    try {
      return await this.#onPeer(() =>
        this.#network(this.#options.systemIdentity)
          .getContract('qscc')
          .evaluateTransaction(fn, this.#options.network.channel, ...args),
      );
    } catch (err) {
      throw toLedgerError(err);
    }
  }

  async height(): Promise<number> {
    const info = common.BlockchainInfo.deserializeBinary(await this.#qscc('GetChainInfo'));
    return info.getHeight();
  }

  async getBlock(n: number): Promise<common.Block> {
    return common.Block.deserializeBinary(await this.#qscc('GetBlockByNumber', String(n)));
  }

  async getTransaction(txId: string): Promise<TransactionInfo | undefined> {
    let processed: peer.ProcessedTransaction;
    let block: common.Block;
    try {
      processed = peer.ProcessedTransaction.deserializeBinary(await this.#qscc('GetTransactionByID', txId));
      block = common.Block.deserializeBinary(await this.#qscc('GetBlockByTxID', txId));
    } catch (err) {
      if (err instanceof LedgerError && /not found|no such transaction/i.test(String((err.cause as Error | undefined)?.message ?? err.message)))
        return undefined;
      if (err instanceof LedgerError && err.code === 'INTERNAL') return undefined;
      throw err;
    }
    const envelope = processed.getTransactionenvelope();
    if (!envelope) return undefined;
    const decoded = decodeEnvelope(envelope.serializeBinary());
    const txIndex = (block.getData()?.getDataList_asU8() ?? []).findIndex((bytes) => decodeEnvelope(bytes).txId === txId);
    return {
      txId,
      blockNumber: block.getHeader()?.getNumber() ?? -1,
      txIndex,
      validationCode: validationCodeName(processed.getValidationcode()),
      timestamp: decoded.timestamp,
      creatorMspId: decoded.creatorMspId,
      endorsingOrganisations: decoded.endorsingOrganisations,
      transactionName: decoded.transactionName,
    };
  }

  /** One qscc call; beyond the height the peer answers "no such block number". */
  async blockView(n: number): Promise<BlockView | undefined> {
    const block = await this.#qsccUnlessUnknown('GetBlockByNumber', String(n));
    return block ? viewOfFabricBlock(common.Block.deserializeBinary(block)) : undefined;
  }

  /** One qscc call: the transaction's block, whose metadata holds its validation code. */
  async transactionView(txId: string): Promise<(TransactionView & { blockNumber: number }) | undefined> {
    const block = await this.#qsccUnlessUnknown('GetBlockByTxID', txId);
    if (!block) return undefined;
    const view = viewOfFabricBlock(common.Block.deserializeBinary(block));
    const tx = view.transactions.find((t) => t.txId === txId);
    return tx ? { ...tx, blockNumber: view.number } : undefined;
  }

  async blockNumberByHash(hash: string): Promise<number | undefined> {
    let block: Uint8Array | undefined;
    try {
      block = await this.#qsccUnlessUnknown('GetBlockByHash', Buffer.from(hash, 'hex'));
    } catch (err) {
      // qscc writes the raw hash bytes into its not-found message ("Failed to get block hash %s"),
      // which is no valid UTF-8 and cannot travel as the response message: an unknown hash comes
      // back as an internal failure. An unreachable peer is still UNAVAILABLE.
      if (err instanceof LedgerError && err.code === 'INTERNAL') return undefined;
      throw err;
    }
    return block ? (common.Block.deserializeBinary(block).getHeader()?.getNumber() ?? undefined) : undefined;
  }

  /** A qscc lookup, or undefined when the peer's index has no such entry. */
  async #qsccUnlessUnknown(fn: string, key: string | Uint8Array): Promise<Uint8Array | undefined> {
    try {
      return await this.#qscc(fn, key);
    } catch (err) {
      const cause = (err instanceof LedgerError ? err.cause : undefined) as { message?: string; details?: Array<{ message: string }> } | undefined;
      const text = [cause?.message ?? '', ...(cause?.details ?? []).map((d) => d.message)].join(' ');
      if (/no such|not found/i.test(text)) return undefined;
      throw err;
    }
  }

  /**
   * Audits the peer's own blocks from block 0 (qscc GetBlockByNumber) with the verifier's Fabric
   * decoder: hash links and data hashes; every block's orderer signature (the genesis block, which
   * no orderer signs, excepted), every transaction's creator signature and every endorsement, each
   * certificate issued by the CA its organisation published; chaincode transactions endorsed by a
   * majority of counties, lifecycle approvals by the approving county, configuration transactions
   * created by an ordering node (verify/chain-audit.ts).
   */
  async verifyChain(options: { onProgress?: (checked: number, height: number) => void } = {}): Promise<ChainVerification> {
    const height = await this.height();
    const fetch = async (n: number) => Buffer.from(await this.#qscc('GetBlockByNumber', String(n)));
    const result = await auditBlocks(readAhead(height, fetch), fabricDecoder, {
      trust: await this.chainTrust(),
      ...(options.onProgress ? { onProgress: (checked: number, h: number) => options.onProgress?.(checked, h) } : {}),
    });
    const { lastHash: _lastHash, ...verdict } = result;
    return verdict;
  }

  async proofOf(txId: string, recordKey: string): Promise<LedgerProof | undefined> {
    const block = await this.#qsccUnlessUnknown('GetBlockByTxID', txId);
    if (!block) return undefined;
    return fabricProofOf({
      txId,
      recordKey,
      blockRaw: Buffer.from(block),
      channel: this.#options.network.channel,
      chaincode: this.#chaincode,
      chainHeight: await this.height(),
      trust: await this.chainTrust(),
    });
  }

  /** One qscc call; beyond the height the peer answers "no such block number". */
  async rawBlock(n: number): Promise<Buffer | undefined> {
    if (!Number.isSafeInteger(n) || n < 0) return undefined;
    const block = await this.#qsccUnlessUnknown('GetBlockByNumber', String(n));
    return block ? Buffer.from(block) : undefined;
  }

  async chainTrust(): Promise<ChainTrust> {
    return fabricChainTrust(this.#options.network);
  }

  /** Own peer reachable and at most `maxBlockLag` blocks behind the highest county peer (peer-heights.ts). */
  async readiness(maxBlockLag: number): Promise<Readiness> {
    if (this.#closed) return { ready: false, reasons: ['the ledger is closed'] };
    this.#peerHeights ??= new PeerHeights(this.#options.network, this.#options.mspId, this.#options.systemIdentity);
    return this.#peerHeights.readiness(maxBlockLag);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#peerHeights?.close();
    for (const peer of this.#peers) {
      for (const gw of peer.gateways.values()) gw.close();
      peer.client.close();
    }
  }
}
