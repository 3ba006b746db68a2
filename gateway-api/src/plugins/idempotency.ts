import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { ApiError } from '../errors';
import { SubmitScope, withSubmitScope } from '../ledger/calls';
import { Ledger, LedgerIdentity } from '../ledger/ledger';
import { NONCE_BYTES, transactionIdOf } from '../ledger/transaction-ids';

interface StoredAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** What the store keeps per caller, route and key. */
interface IdempotencyRecord {
  readonly requestHash: string;
  /** The transaction ID of each submit of the request, recorded before that submit. */
  readonly intended: readonly string[];
  /** The transactions its submits committed, recorded with the answer. */
  readonly committed: readonly string[];
  /** The first answer (anything but a 5xx); absent while the request runs, or when it died or failed. */
  readonly answer?: StoredAnswer;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** POST routes that submit a transaction honour Idempotency-Key. */
    submits?: boolean;
  }
  interface FastifyRequest {
    idempotency?: IdempotentRequest;
  }
}

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
const RECORD = 'rec/';
const SECRET = 'meta/secret';

/**
 * One request with an Idempotency-Key. Its fingerprint (`claim`) is known before the handler runs
 * for a JSON body, and only once the file is read for a multipart upload. Each submit of the
 * handler draws its nonce here: HMAC(gateway secret, scope ‖ n) for the n-th submit, so the
 * request run again after a crash submits the very same transaction IDs, and the ledger answers
 * the ones it has committed instead of submitting them twice. The intended ID is written (synced)
 * before the submit is made.
 */
class IdempotentRequest implements SubmitScope {
  readonly #store: IdempotencyStore;
  readonly scope: string;
  requestHash: string | undefined;
  /** Replayed or refused: nothing of this request is stored. */
  done = false;
  #intended: string[] = [];
  readonly #committed: string[] = [];
  #submits = 0;
  #saved: Promise<void> = Promise.resolve();
  #settle: (() => void) | undefined;

  constructor(store: IdempotencyStore, scope: string) {
    this.#store = store;
    this.scope = scope;
  }

  /**
   * Decides what the request does: answers true when the stored answer was sent (the caller stops
   * there); throws IDEMPOTENCY_KEY_REUSED for another request under the same key; else the request
   * runs, resuming a record whose answer was never stored (the gateway died, or answered 5xx).
   */
  async claim(reply: FastifyReply, requestHash: string): Promise<boolean> {
    const store = this.#store;
    for (;;) {
      const running = store.inFlight.get(this.scope);
      if (running) {
        await running;
        continue;
      }
      let stored = await store.read(this.scope);
      if (stored && stored.requestHash !== requestHash) {
        this.done = true;
        throw new ApiError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with a different request');
      }
      if (stored?.answer) {
        if (await store.answerHolds(stored)) {
          this.done = true;
          reply.code(stored.answer.status).header('idempotent-replayed', 'true').type(stored.answer.contentType).send(stored.answer.body);
          return true;
        }
        stored = undefined;
      }
      // Another request of the same key may have started while the store was read.
      if (store.inFlight.has(this.scope)) continue;
      this.requestHash = requestHash;
      this.#intended = [...(stored?.intended ?? [])];
      store.inFlight.set(this.scope, new Promise<void>((resolve) => (this.#settle = resolve)));
      return false;
    }
  }

  async next(identity: LedgerIdentity): Promise<Uint8Array> {
    if (this.requestHash === undefined) throw new Error('an idempotent upload submits only after claim() with its fingerprint');
    const n = this.#submits++;
    const nonce = this.#store.nonceOf(this.scope, n);
    this.#intended[n] = transactionIdOf(identity, nonce);
    await this.#save();
    return nonce;
  }

  committed(txId: string): void {
    this.#committed.push(txId);
  }

  /** Stores the answer, unless it is a 5xx: then only the intended transactions stay recorded. */
  async answered(status: number, contentType: string, body: string): Promise<void> {
    if (this.requestHash === undefined || this.done) return;
    this.done = true;
    if (status < 500) await this.#save({ status, contentType, body });
    else await this.#saved.catch(() => undefined);
    this.release();
  }

  /** Lets waiting retries go on (they re-read the store). */
  release(): void {
    this.done = true;
    if (!this.#settle) return;
    this.#store.inFlight.delete(this.scope);
    this.#settle();
    this.#settle = undefined;
  }

  /** Saves one at a time, in order, so a later snapshot never lands before an earlier one. */
  #save(answer?: StoredAnswer): Promise<void> {
    const record: IdempotencyRecord = {
      requestHash: this.requestHash as string,
      intended: [...this.#intended],
      committed: [...this.#committed],
      ...(answer ? { answer } : {}),
    };
    const next = this.#saved.catch(() => undefined).then(() => this.#store.write(this.scope, record));
    this.#saved = next;
    return next;
  }
}

class IdempotencyStore {
  readonly inFlight = new Map<string, Promise<void>>();
  readonly #db: ClassicLevel<string, string>;
  readonly #ledger: Ledger;
  readonly #secret: Buffer;
  readonly #log: FastifyInstance['log'];

  private constructor(db: ClassicLevel<string, string>, ledger: Ledger, secret: Buffer, log: FastifyInstance['log']) {
    this.#db = db;
    this.#ledger = ledger;
    this.#secret = secret;
    this.#log = log;
  }

  static async open(dir: string, ledger: Ledger, log: FastifyInstance['log']): Promise<IdempotencyStore> {
    mkdirSync(dir, { recursive: true });
    const db = new ClassicLevel<string, string>(dir, { valueEncoding: 'utf8' });
    await db.open();
    // The gateway's own secret for nonces, made once: outsiders cannot tell a request's transaction IDs in advance.
    let secret = await db.get(SECRET);
    if (secret === undefined) {
      secret = randomBytes(32).toString('hex');
      await db.put(SECRET, secret, { sync: true });
    }
    return new IdempotencyStore(db, ledger, Buffer.from(secret, 'hex'), log);
  }

  get db(): ClassicLevel<string, string> {
    return this.#db;
  }

  nonceOf(scope: string, n: number): Buffer {
    return createHmac('sha256', this.#secret).update(`${scope}\n${n}`).digest().subarray(0, NONCE_BYTES);
  }

  async read(scope: string): Promise<IdempotencyRecord | undefined> {
    const text = await this.#db.get(RECORD + scope);
    return text === undefined ? undefined : (JSON.parse(text) as IdempotencyRecord);
  }

  write(scope: string, record: IdempotencyRecord): Promise<void> {
    return this.#db.put(RECORD + scope, JSON.stringify(record), { sync: true });
  }

  /**
   * Whether a stored answer may be replayed: every transaction it committed is in the ledger,
   * valid. One the ledger does not have (a ledger restored from an older backup, another ledger
   * under the same gateway folder) drops the answer, and the request runs again.
   */
  async answerHolds(record: IdempotencyRecord): Promise<boolean> {
    for (const txId of record.committed) {
      const info = await this.#ledger.getTransaction(txId);
      if (info?.validationCode !== 'VALID') {
        this.#log.warn(
          { txId, validationCode: info?.validationCode ?? null },
          'stored idempotent answer names a transaction the ledger does not have; running the request again',
        );
        return false;
      }
    }
    return true;
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}

/** The request's fingerprint: its URL and body (for a multipart upload, what the route says identifies it). */
function fingerprintOf(request: FastifyRequest, body: string): string {
  return createHash('sha256').update(request.url).update('\n').update(body).digest('hex');
}

/**
 * Idempotency-Key for submitting POSTs, per caller (its member, whichever of its keys or its
 * certificate it uses), route and key. The first answer (anything but a 5xx) is stored; a retry
 * with the same request gets it back and submits nothing; the same key with another request is
 * refused. Concurrent retries wait for the first. Before each submit the intended transaction ID
 * is recorded, so a retry after a crash or a 5xx resubmits the same transactions, and one that
 * had committed is answered from the ledger (see IdempotentRequest).
 */
export async function registerIdempotency(app: FastifyInstance, dir: string, ledger: Ledger): Promise<ClassicLevel<string, string>> {
  const store = await IdempotencyStore.open(dir, ledger, app.log);
  app.addHook('onClose', async () => store.close());

  // Hooks go only on the routes that submit, so other requests pay nothing for them.
  const preHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw new ApiError('INVALID_ARGUMENT', 'Idempotency-Key must be 1-128 characters of letters, digits, _ . : -');
    }
    const who = request.caller ? `${request.caller.mspId}:${request.caller.member}` : 'public';
    const pending = new IdempotentRequest(store, `${who}|${request.routeOptions.url}|${header}`);
    request.idempotency = pending;
    // A streamed upload is not read yet: the route claims it once it knows the file (claimUpload).
    if (request.isMultipart()) return undefined;
    const body = typeof request.body === 'string' || Buffer.isBuffer(request.body) ? request.body.toString() : JSON.stringify(request.body ?? null);
    if (await pending.claim(reply, fingerprintOf(request, body))) return reply;
    return undefined;
  };

  const onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const pending = request.idempotency;
    if (!pending || pending.done) return payload;
    if (typeof payload !== 'string') {
      pending.release();
      return payload;
    }
    await pending.answered(reply.statusCode, String(reply.getHeader('content-type') ?? 'application/json'), payload);
    return payload;
  };

  // A request that died before its answer was sent must not leave retries waiting.
  const onResponse = async (request: FastifyRequest) => request.idempotency?.release();

  app.addHook('onRoute', (route) => {
    if (!route.config?.submits) return;
    const add = <T>(existing: T | T[] | undefined, hook: T): T[] => [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), hook];
    route.preHandler = add(route.preHandler, preHandler) as typeof route.preHandler;
    route.onSend = add(route.onSend, onSend) as typeof route.onSend;
    route.onResponse = add(route.onResponse, onResponse) as typeof route.onResponse;
    // The handler runs inside the request's submit scope, so its submits take their nonces from it.
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      const pending = request.idempotency;
      return pending ? withSubmitScope(pending, () => handler.call(this, request, reply)) : handler.call(this, request, reply);
    } as typeof route.handler;
  });
  // The database itself, for the gateway's backups (app.ts copyGatewayDatabases).
  return store.db;
}

/**
 * For a multipart upload with an Idempotency-Key: claims the key once the file is read, with a
 * fingerprint of what identifies the upload (its content digest, size and fields). Answers true
 * when the stored answer was sent, and the route must stop; throws IDEMPOTENCY_KEY_REUSED when the
 * key was used for another upload (another file of the same size too).
 */
export async function claimUpload(request: FastifyRequest, reply: FastifyReply, fingerprint: string): Promise<boolean> {
  const pending = request.idempotency;
  if (!pending) return false;
  return pending.claim(reply, fingerprintOf(request, `multipart\n${fingerprint}`));
}
