import { MessagePort } from 'node:worker_threads';
import { failureText, LedgerError, LedgerErrorCode, RemoteFailure } from '../errors';
import {
  BlockView,
  ChainVerification,
  ChaincodeEvent,
  EventsOptions,
  Ledger,
  LedgerIdentity,
  SubmitResult,
  TransactionInfo,
  TransactionRequest,
  TransactionView,
} from '../ledger';
import { batchedSender, CALLS_PER_MESSAGE, crossingRequest, LedgerCall, LedgerReply, ownBytes, SUBSCRIPTION_WINDOW } from './protocol';
import type { ChainTrust, LedgerProof } from '../../verify/bundle';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** The Ledger port on the HTTP thread: every call goes to the ledger thread (hostLedger). */
export class RemoteLedger implements Ledger {
  readonly kind: 'embedded' | 'fabric';
  readonly #port: MessagePort;
  readonly #pending = new Map<number, Pending>();
  readonly #subscriptions = new Map<number, (m: { event?: ChaincodeEvent; end?: true; error?: string }) => void>();
  readonly #progress = new Map<number, (checked: number, height: number) => void>();
  readonly #identityIds = new WeakMap<LedgerIdentity, Promise<number>>();
  readonly #send: (call: LedgerCall) => void;
  #next = 1;

  constructor(port: MessagePort, kind: 'embedded' | 'fabric') {
    this.#port = port;
    this.kind = kind;
    this.#send = batchedSender<LedgerCall>((batch) => {
      try {
        port.postMessage(batch);
      } catch (err) {
        // A call that cannot cross (not cloneable, the port closed) fails with its whole batch, so none waits forever.
        for (const call of batch)
          this.#receive({
            id: call.id,
            ok: false,
            error: { code: 'INTERNAL', message: 'the call could not be sent to the ledger thread', cause: failureText(err) },
          });
      }
    }, CALLS_PER_MESSAGE);
    port.on('message', (replies: LedgerReply[]) => {
      for (const m of replies) this.#receive(m);
    });
  }

  #receive(m: LedgerReply): void {
    if ('subscription' in m) {
      this.#subscriptions.get(m.subscription)?.(m);
      return;
    }
    if ('progress' in m) {
      this.#progress.get(m.progress)?.(m.checked, m.height);
      return;
    }
    const p = this.#pending.get(m.id);
    if (!p) return;
    this.#pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else
      p.reject(
        new LedgerError(m.error.code as LedgerErrorCode, m.error.message, {
          ...(m.error.transactionId ? { transactionId: m.error.transactionId } : {}),
          ...(m.error.cause ? { cause: new RemoteFailure(m.error.cause) } : {}),
        }),
      );
  }

  #call<T>(call: DistributiveOmit<LedgerCall, 'id'>, id = this.#next++): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#send({ ...call, id } as LedgerCall);
    });
  }

  #identity(identity: LedgerIdentity): Promise<number> {
    let id = this.#identityIds.get(identity);
    if (!id) {
      const identityId = this.#next++;
      id = this.#call<null>({
        op: 'identity',
        identityId,
        mspId: identity.mspId,
        certificate: identity.certificate,
        privateKeyPem: identity.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      }).then(() => identityId);
      this.#identityIds.set(identity, id);
    }
    return id;
  }

  async submit(identity: LedgerIdentity, request: TransactionRequest): Promise<SubmitResult> {
    const r = await this.#call<SubmitResult>({ op: 'submit', identityId: await this.#identity(identity), request: crossingRequest(request) });
    return { ...r, payload: ownBytes(r.payload) };
  }

  async evaluate(identity: LedgerIdentity, request: TransactionRequest): Promise<Buffer> {
    return ownBytes(await this.#call<Uint8Array>({ op: 'evaluate', identityId: await this.#identity(identity), request: crossingRequest(request) }));
  }

  getTransaction(txId: string): Promise<TransactionInfo | undefined> {
    return this.#call({ op: 'getTransaction', txId });
  }

  blockView(n: number): Promise<BlockView | undefined> {
    return this.#call({ op: 'blockView', blockNumber: n });
  }

  transactionView(txId: string): Promise<(TransactionView & { blockNumber: number }) | undefined> {
    return this.#call({ op: 'transactionView', txId });
  }

  // No blockNumberByHash: the ledger thread serves the embedded ledger, which keeps no hash index.

  height(): Promise<number> {
    return this.#call({ op: 'height' });
  }

  async verifyChain(options: { onProgress?: (checked: number, height: number) => void } = {}): Promise<ChainVerification> {
    const id = this.#next++;
    if (options.onProgress) this.#progress.set(id, options.onProgress);
    try {
      return await this.#call<ChainVerification>({ op: 'verifyChain' }, id);
    } finally {
      this.#progress.delete(id);
    }
  }

  proofOf(txId: string, recordKey: string): Promise<LedgerProof | undefined> {
    return this.#call({ op: 'proofOf', txId, recordKey });
  }

  async rawBlock(n: number): Promise<Buffer | undefined> {
    const r = await this.#call<Uint8Array | undefined>({ op: 'rawBlock', n });
    return r ? Buffer.from(r.buffer, r.byteOffset, r.byteLength) : undefined;
  }

  chainTrust(): Promise<ChainTrust> {
    return this.#call({ op: 'chainTrust' });
  }

  async *events(options: EventsOptions = {}): AsyncIterable<ChaincodeEvent> {
    const id = this.#next++;
    const queue: ChaincodeEvent[] = [];
    let ended: { error?: string } | undefined;
    let wake: (() => void) | undefined;
    this.#subscriptions.set(id, (m) => {
      if (m.event) queue.push({ ...m.event, payload: ownBytes(m.event.payload) });
      if (m.end) ended = m.error ? { error: m.error } : {};
      wake?.();
    });
    const abort = () => {
      this.#send({ op: 'unsubscribe', subscription: id, id: this.#next++ });
      wake?.();
    };
    options.signal?.addEventListener('abort', abort, { once: true });
    this.#send({ op: 'subscribe', id, ...(options.startBlock !== undefined ? { startBlock: options.startBlock } : {}) });
    // Tells the ledger thread, half a window at a time, how many events were taken (its flow control).
    let taken = 0;
    try {
      for (;;) {
        const next = queue.shift();
        if (next) {
          yield next;
          if (++taken >= SUBSCRIPTION_WINDOW / 2) {
            this.#send({ op: 'more', subscription: id, count: taken, id: this.#next++ });
            taken = 0;
          }
          continue;
        }
        if (ended || options.signal?.aborted) break;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
      if (ended?.error) throw new LedgerError('UNAVAILABLE', ended.error);
    } finally {
      options.signal?.removeEventListener('abort', abort);
      this.#subscriptions.delete(id);
    }
  }

  async close(): Promise<void> {
    for (const p of this.#pending.values()) p.reject(new LedgerError('UNAVAILABLE', 'the ledger thread is closed'));
    this.#pending.clear();
    this.#port.close();
  }
}
