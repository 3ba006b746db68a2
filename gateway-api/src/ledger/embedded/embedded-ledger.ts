// fabric-contract-api installs the reflect-metadata polyfill that @peculiar/x509 (via ../../identity/county-ca)
// needs at load time; load it first so this module can be imported on its own.
import 'fabric-contract-api';
import { canonicalJson } from '../../../../chaincode/src/public';
// Mutes the libraries' loggers as it loads, before fabric-shim's contract runtime below.
import { installLibraryPatches } from './library-patches';
import { EventEmitter } from 'node:events';
import { createHash, createPublicKey, KeyObject, X509Certificate } from 'node:crypto';
import { issuedBy } from '../../identity/county-ca';
import { fromChaincodeMessage, LedgerError } from '../errors';
import {
  ChainVerification,
  ChaincodeEvent,
  EventsOptions,
  Ledger,
  LedgerIdentity,
  SubmitResult,
  TransactionInfo,
  TransactionRequest,
} from '../ledger';
import { assembleBlock, Block, dataJsonOf, RangeRead, sha256Hex, TxRecord } from './block-format';
import { auditChain, ChainAuditOptions } from './chain-audit';
import { BlockStore, HistoryRecord, PrivateWrite, StateWrite } from './block-store';
import { signAsync } from '../sign-async';
import { buildProposal } from './proposal';
import { SimulationResults, TxSimulator } from './tx-simulator';
import { sameVersion, Version, versionString } from './versions';

// fabric-shim's own contract runtime: routing, argument conversion, serializer and error path of a real peer.
const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract') as new (
  contracts: unknown[],
  serializers: unknown,
  metadata: unknown,
  title: string,
  version: string,
) => { invokeFunctionality(stub: unknown): Promise<{ status: number; message?: string; payload?: Uint8Array }> };
const ChaincodeStub = require('fabric-shim/lib/stub') as new (handler: unknown, channel: string, txId: string, input: unknown, signedProposal: unknown) => unknown;
const { JSONSerializer } = require('fabric-contract-api') as { JSONSerializer: unknown };

export interface Endorser extends LedgerIdentity {
  /** The endorsing peer's name, e.g. peer0.liangdang. */
  readonly name: string;
}

export interface EmbeddedLedgerOptions {
  readonly dataDir: string;
  readonly contracts: ReadonlyArray<new () => unknown>;
  /** County CA certificates by MSP ID: a creator must hold a certificate issued by its county's CA. */
  readonly trustedCas: Readonly<Record<string, string>>;
  /** The peer identity that endorses for each county. */
  readonly endorsers: Readonly<Record<string, Endorser>>;
  readonly channelId?: string;
  readonly chaincodeName?: string;
  /** Most transactions cut into one block. */
  readonly maxBlockTransactions?: number;
  /** How many times submit re-simulates after an MVCC read conflict. */
  readonly mvccRetries?: number;
}

interface Pending {
  readonly record: TxRecord;
  /** The record in canonical JSON, made once at endorsement. */
  readonly recordJson: string;
  readonly results: SimulationResults;
  readonly payload: Buffer;
  readonly resolve: (r: SubmitResult) => void;
  readonly reject: (e: Error) => void;
}

interface Simulated {
  readonly txId: string;
  readonly payload: Buffer;
  readonly results: SimulationResults;
  readonly record: TxRecord;
  readonly recordJson: string;
}

/**
 * The embedded ledger: the County Ledger chaincode run in-process with Fabric's
 * semantics. Proposals are simulated against committed state (never their own
 * writes), ordered into blocks, validated with MVCC (read versions and range
 * re-execution), and committed a block at a time in one synced LevelDB batch;
 * a caller is answered only once its block is on disk.
 */
export class EmbeddedLedger implements Ledger {
  readonly kind = 'embedded' as const;
  readonly #store: BlockStore;
  readonly #options: Required<Omit<EmbeddedLedgerOptions, 'contracts' | 'trustedCas' | 'endorsers'>> & EmbeddedLedgerOptions;
  readonly #chaincode: InstanceType<typeof ChaincodeFromContract>;
  readonly #validCreators = new Map<string, boolean>();
  readonly #checkedIdentities = new WeakSet<LedgerIdentity>();
  /** Signing keys already checked against a certificate, and that certificate. */
  readonly #keyOwners = new WeakMap<KeyObject, string>();
  readonly #blocks = new EventEmitter();
  #queue: Pending[] = [];
  #committing: Promise<void> | undefined;
  #closed = false;

  private constructor(store: BlockStore, options: EmbeddedLedgerOptions) {
    this.#store = store;
    this.#options = {
      channelId: 'countyledger',
      chaincodeName: 'countyledger',
      maxBlockTransactions: 500,
      mvccRetries: 20,
      ...options,
    };
    this.#chaincode = new ChaincodeFromContract([...options.contracts], { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } }, {}, 'county-ledger', '1');
    this.#blocks.setMaxListeners(0);
  }

  static async open(options: EmbeddedLedgerOptions): Promise<EmbeddedLedger> {
    installLibraryPatches();
    return new EmbeddedLedger(await BlockStore.open(options.dataDir), options);
  }

  async submit(identity: LedgerIdentity, request: TransactionRequest): Promise<SubmitResult> {
    for (let attempt = 0; ; attempt++) {
      const simulated = await this.#endorse(identity, request);
      try {
        return await this.#order(simulated);
      } catch (err) {
        if (err instanceof LedgerError && err.code === 'MVCC_CONFLICT' && attempt < this.#options.mvccRetries) {
          // Back off a little, with jitter, so a crowd contending for one key spreads over blocks.
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
          continue;
        }
        throw err;
      }
    }
  }

  async evaluate(identity: LedgerIdentity, request: TransactionRequest): Promise<Buffer> {
    return (await this.#endorse(identity, request, false)).payload;
  }

  async height(): Promise<number> {
    return this.#store.height;
  }

  /** Test hook: raw access to the block store (tampering tests, world-state dumps). */
  get store(): BlockStore {
    return this.#store;
  }

  async *events(options: EventsOptions = {}): AsyncIterable<ChaincodeEvent> {
    let next = options.startBlock ?? this.#store.height;
    const signal = options.signal;
    while (!signal?.aborted && !this.#closed) {
      if (next < this.#store.height) {
        const block = await this.#store.getBlock(next);
        if (!block) throw new LedgerError('INTERNAL', `block ${next} is missing`);
        for (let i = 0; i < block.data.length; i++) {
          const tx = block.data[i] as TxRecord;
          if (block.metadata.validationCodes[i] !== 'VALID' || !tx.event) continue;
          yield { blockNumber: next, txId: tx.txId, name: tx.event.name, payload: Buffer.from(tx.event.payload, 'base64') };
        }
        next++;
      } else {
        await this.#nextBlock(signal);
      }
    }
  }

  async getTransaction(txId: string): Promise<TransactionInfo | undefined> {
    const location = await this.#store.getTxLocation(txId);
    if (!location) return undefined;
    const block = await this.#store.getBlock(location.block);
    const tx = block?.data[location.tx];
    if (!block || !tx) return undefined;
    return {
      txId,
      blockNumber: location.block,
      txIndex: location.tx,
      validationCode: block.metadata.validationCodes[location.tx] ?? 'UNKNOWN',
      timestamp: new Date(tx.timestamp.seconds * 1000 + Math.floor(tx.timestamp.nanos / 1e6)).toISOString(),
      creatorMspId: tx.creator.mspId,
      endorsingOrganisations: [...new Set(tx.endorsements.map((e) => e.mspId))],
      transactionName: tx.transaction.name,
    };
  }

  async getBlock(n: number): Promise<Block | undefined> {
    return this.#store.getBlock(n);
  }

  async verifyChain(options: ChainAuditOptions = {}): Promise<ChainVerification> {
    return auditChain(this.#store, options);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#committing) await this.#committing;
    this.#blocks.emit('block');
    await this.#store.close();
  }

  // --- endorsement: simulate against committed state ---

  async #endorse(identity: LedgerIdentity, request: TransactionRequest, forCommit = true): Promise<Simulated> {
    if (this.#closed) throw new LedgerError('UNAVAILABLE', 'the ledger is closed');
    this.#checkCreator(identity);
    // An evaluated proposal is never recorded, so nothing would ever check its signature: skip signing it.
    const proposal = await buildProposal(identity, this.#options.channelId, this.#options.chaincodeName, request, Date.now(), forCommit);
    const simulator = new TxSimulator(this.#store, proposal.txId);
    const stub = new ChaincodeStub(simulator, this.#options.channelId, proposal.txId, proposal.chaincodeInput, proposal.signedProposal);
    let response: { status: number; message?: string; payload?: Uint8Array };
    try {
      response = await this.#chaincode.invokeFunctionality(stub);
    } finally {
      await simulator.finish();
    }
    if (response.status !== 200) throw fromChaincodeMessage(response.message ?? '', { transactionId: proposal.txId });
    const payload = Buffer.from(response.payload ?? Buffer.alloc(0));
    const results = simulator.results();
    if (!forCommit) return { txId: proposal.txId, payload, results, record: undefined as never, recordJson: '' };
    const event = (stub as { chaincodeEvent?: { getEventName(): string; getPayload_asU8(): Uint8Array } }).chaincodeEvent;
    const proposalHash = createHash('sha256').update(proposal.proposalBytes).digest('hex');
    const rwset = {
      reads: [...results.reads].map(([k, v]) => [k, versionString(v)] as const),
      ranges: results.ranges.map((r) => ({ ...r, results: [...r.results] })),
      writes: [...results.writes].map(([k, v]) => [k, v === null ? null : v.toString('base64')] as const),
      privateWrites: [...results.privateWrites.values()].map(
        (p) => [p.collection, sha256Hex(p.key), p.value === null ? null : sha256Hex(p.value)] as const,
      ),
    };
    const endorser = this.#options.endorsers[identity.mspId] ?? Object.values(this.#options.endorsers)[0];
    if (!endorser) throw new LedgerError('UNAVAILABLE', 'no endorsing peer is configured');
    const responseDigest = createHash('sha256').update(proposalHash).update(payload).update(canonicalJson(rwset)).digest();
    const record: TxRecord = {
      txId: proposal.txId,
      channelId: this.#options.channelId,
      chaincode: this.#options.chaincodeName,
      timestamp: { seconds: proposal.seconds, nanos: proposal.nanos },
      creator: { mspId: identity.mspId, certificate: identity.certificate },
      signature: proposal.signature.toString('base64'),
      proposalHash,
      transaction: { name: request.name, args: [...(request.args ?? [])] },
      response: { status: 200, payload: payload.toString('base64') },
      rwset,
      event: event ? { name: event.getEventName(), payload: Buffer.from(event.getPayload_asU8()).toString('base64') } : null,
      endorsements: [{ mspId: endorser.mspId, endorser: endorser.name, signature: (await signAsync(responseDigest, endorser.privateKey)).toString('base64') }],
    };
    return { txId: proposal.txId, payload, results, record, recordJson: canonicalJson(record) };
  }

  #checkCreator(identity: LedgerIdentity): void {
    // Identities are long-lived objects (the wallet caches them): remember the verdict per object.
    if (this.#checkedIdentities.has(identity)) return;
    const cacheKey = `${identity.mspId}\n${identity.certificate}`;
    let valid = this.#validCreators.get(cacheKey);
    if (valid === undefined) {
      const ca = this.#options.trustedCas[identity.mspId];
      valid = ca !== undefined && issuedBy(identity.certificate, ca);
      this.#validCreators.set(cacheKey, valid);
    }
    if (!valid) throw new LedgerError('UNAUTHENTICATED', `the certificate is not issued by a CA of ${identity.mspId}`);
    // A peer checks the proposal's signature against the creator's certificate; here the
    // signing key must be the certificate's own (certificates are public: every block carries them).
    if (this.#keyOwners.get(identity.privateKey) !== identity.certificate) {
      if (!keyMatchesCertificate(identity.privateKey, identity.certificate)) {
        throw new LedgerError('UNAUTHENTICATED', 'the signing key does not belong to the certificate');
      }
      this.#keyOwners.set(identity.privateKey, identity.certificate);
    }
    this.#checkedIdentities.add(identity);
  }

  // --- ordering: cut blocks from the queue, one synced write per block ---

  #order(simulated: Simulated): Promise<SubmitResult> {
    return new Promise((resolve, reject) => {
      if (this.#closed) return reject(new LedgerError('UNAVAILABLE', 'the ledger is closed'));
      this.#queue.push({ record: simulated.record, recordJson: simulated.recordJson, results: simulated.results, payload: simulated.payload, resolve, reject });
      if (!this.#committing) this.#committing = this.#drain();
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#options.maxBlockTransactions);
        try {
          await this.#commitBlock(batch);
        } catch (err) {
          const failure = new LedgerError('UNAVAILABLE', 'the block could not be written', { cause: err });
          for (const p of batch) p.reject(failure);
        }
      }
    } finally {
      this.#committing = undefined;
    }
  }

  async #commitBlock(batch: Pending[]): Promise<void> {
    const number = this.#store.height;
    const readKeys = [...new Set(batch.flatMap((p) => [...p.results.reads.keys()]))];
    const committedVersions = new Map<string, Version | undefined>();
    (await this.#store.getVersions(readKeys)).forEach((v, i) => committedVersions.set(readKeys[i] as string, v));

    const pending = new Map<string, Buffer | null>();
    const codes: string[] = [];
    const writes: StateWrite[] = [];
    const history: Array<{ key: string; version: Version; record: HistoryRecord }> = [];
    const privateWrites: PrivateWrite[] = [];

    for (let i = 0; i < batch.length; i++) {
      const p = batch[i] as Pending;
      const code = await this.#validate(p.results, committedVersions, pending);
      codes.push(code);
      if (code !== 'VALID') continue;
      const version = { block: number, tx: i };
      for (const [key, value] of p.results.writes) {
        pending.set(key, value);
        writes.push({ key, value, version });
        history.push({
          key,
          version,
          record: { txId: p.record.txId, seconds: p.record.timestamp.seconds, nanos: p.record.timestamp.nanos, isDelete: value === null, value: value ?? Buffer.alloc(0) },
        });
      }
      for (const pw of p.results.privateWrites.values()) privateWrites.push(pw);
    }

    const dataJson = dataJsonOf(batch.map((p) => p.recordJson));
    const header = { number, previousHash: this.#store.lastHash, dataHash: sha256Hex(dataJson) };
    const bytes = assembleBlock(header, dataJson, codes);
    await this.#store.commit({ header, txIds: batch.map((p) => p.record.txId), bytes }, writes, history, privateWrites);

    batch.forEach((p, i) => {
      if (codes[i] === 'VALID') p.resolve({ txId: p.record.txId, blockNumber: number, payload: p.payload });
      else p.reject(new LedgerError('MVCC_CONFLICT', `transaction invalidated at commit: ${codes[i]}`, { transactionId: p.record.txId }));
    });
    this.#blocks.emit('block');
  }

  async #validate(results: SimulationResults, committed: Map<string, Version | undefined>, pending: Map<string, Buffer | null>): Promise<string> {
    for (const [key, version] of results.reads) {
      if (pending.has(key) || !sameVersion(committed.get(key), version)) return 'MVCC_READ_CONFLICT';
    }
    for (const range of results.ranges) {
      if (!(await this.#rangeUnchanged(range, pending))) return 'PHANTOM_READ_CONFLICT';
    }
    return 'VALID';
  }

  /** Re-executes a range read, as Fabric does, to detect keys added, changed or removed since simulation. */
  async #rangeUnchanged(range: RangeRead, pending: Map<string, Buffer | null>): Promise<boolean> {
    const last = range.results[range.results.length - 1]?.[0];
    const end = range.exhausted ? range.end : last === undefined ? range.start : `${last}\u0000`;
    // Compare as LevelDB orders keys (UTF-8 bytes), not as JavaScript orders strings (UTF-16 code units):
    // the two disagree for characters from U+E000 on, e.g. fullwidth punctuation after a composite-key prefix.
    const inRange = (k: string) => compareKeys(k, range.start) >= 0 && (end === '' || compareKeys(k, end) < 0);
    for (const key of pending.keys()) if (inRange(key)) return false;
    if (!range.exhausted && last === undefined) return true;
    const it = this.#store.stateIterator(range.start, end);
    try {
      let i = 0;
      for (;;) {
        const rows = await it.next(200);
        for (const [k, v] of rows) {
          const expected = range.results[i++];
          const version = versionString({ block: v.readUIntBE(2, 6), tx: v.readUInt32BE(8) });
          if (!expected || expected[0] !== k || expected[1] !== version) return false;
        }
        if (rows.length < 200) break;
      }
      return i === range.results.length;
    } finally {
      await it.close();
    }
  }

  #nextBlock(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.#blocks.off('block', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.#blocks.on('block', done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

/** Orders keys as the state database does: by their UTF-8 bytes. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function keyMatchesCertificate(privateKey: KeyObject, certificate: string): boolean {
  try {
    const fromKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    const fromCert = new X509Certificate(certificate).publicKey.export({ type: 'spki', format: 'der' });
    return fromKey.equals(fromCert);
  } catch {
    return false;
  }
}
