import { KeyObject } from 'node:crypto';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SigningReply, SigningRequest } from './signing-protocol';

type Pending = { readonly resolve: (signature: Buffer) => void; readonly reject: (err: Error) => void };

/** The next request being put together: the jobs' bytes are copied in as they are asked for. */
interface Outbox {
  readonly ids: number[];
  readonly keyIds: number[];
  readonly ends: number[];
  /** Held until the request is posted, so none can be collected (and dropped) while a job names it. */
  readonly keysUsed: KeyObject[];
  bytes: Buffer;
  used: number;
}

// Not zeroed and not from Node's pool: the whole buffer is transferred, and the jobs' ends say what of it is theirs.
const emptyOutbox = (capacity: number): Outbox => ({ ids: [], keyIds: [], ends: [], keysUsed: [], bytes: Buffer.allocUnsafeSlow(capacity), used: 0 });

/** The bytes a message to sign takes: a buffer's length, or the UTF-8 length of its text parts (refused if neither). */
function byteLengthOf(data: Uint8Array | readonly string[]): number {
  if (data instanceof Uint8Array) return data.byteLength;
  if (!Array.isArray(data) || !data.every((part) => typeof part === 'string')) throw new TypeError('a message to sign is a Uint8Array or an array of strings');
  let length = 0;
  for (const part of data) length += Buffer.byteLength(part, 'utf8');
  return length;
}

/**
 * ECDSA with SHA-256 (DER signature) on one thread of its own, many signatures to a message.
 * libuv's pool took one job per signature: each woke a pool thread and, on a 2-core machine,
 * took the asking thread's core from it. Here a turn's signatures cross in one message (their
 * bytes copied, when asked for, into one buffer that is transferred) and the answers come back
 * SIGNATURES_PER_REPLY at a time. One per thread that signs (shared()); the signing thread does
 * not keep the process alive while no signature is owed.
 */
export class SigningThread {
  static #shared: SigningThread | undefined;

  /** This thread's signing thread, started on the first signature. */
  static shared(): SigningThread {
    SigningThread.#shared ??= new SigningThread();
    return SigningThread.#shared;
  }

  /** Jobs that make a request go at once instead of at the end of the turn. */
  static readonly JOBS_PER_REQUEST = 64;
  static readonly #FIRST_CAPACITY = 16 * 1024;
  static readonly #LARGEST_CARRIED = 1024 * 1024;

  #worker: Worker | undefined;
  #keyIds = new WeakMap<KeyObject, number>();
  /** Keys the signing thread holds are dropped there once the KeyObject is collected here. */
  readonly #released = new FinalizationRegistry<number>((keyId) => this.#dropKeys.push(keyId));
  #newKeys: Array<[number, KeyObject]> = [];
  #dropKeys: number[] = [];
  #outbox: Outbox = emptyOutbox(SigningThread.#FIRST_CAPACITY);
  #scheduled = false;
  readonly #pending = new Map<number, Pending>();
  #nextKey = 1;
  #nextJob = 1;

  /**
   * Signs `data` (copied now: the caller may reuse its buffer) with `key`. Text parts are signed as
   * their UTF-8 bytes one after the other, written straight into the request: a message made of
   * strings needs neither their concatenation nor a Buffer of its own.
   */
  sign(data: Uint8Array | readonly string[], key: KeyObject): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      // What can throw (a bad key or buffer) goes first: a job is recorded whole or not at all.
      const length = byteLengthOf(data);
      const keyId = this.#keyIdOf(key);
      const box = this.#outbox;
      if (box.used + length > box.bytes.byteLength) {
        const grown = Buffer.allocUnsafeSlow(Math.max(box.bytes.byteLength * 2, box.used + length));
        grown.set(box.bytes.subarray(0, box.used));
        box.bytes = grown;
      }
      if (data instanceof Uint8Array) box.bytes.set(data, box.used);
      else {
        let at = box.used;
        for (const part of data) at += box.bytes.write(part, at, 'utf8');
        // Unwritten bytes of the unzeroed buffer must never be signed.
        if (at !== box.used + length) throw new Error(`the text to sign took ${at - box.used} bytes, not the ${length} counted`);
      }
      box.used += length;
      const id = this.#nextJob++;
      box.ids.push(id);
      box.keyIds.push(keyId);
      box.keysUsed.push(key);
      box.ends.push(box.used);
      this.#pending.set(id, { resolve, reject });
      if (box.ids.length >= SigningThread.JOBS_PER_REQUEST) this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Stops the signing thread: the signatures it owes fail; the next signature starts another. */
  async close(): Promise<void> {
    await this.#worker?.terminate();
  }

  #keyIdOf(key: KeyObject): number {
    if (!(key instanceof KeyObject) || key.type !== 'private') throw new TypeError('a signature needs a private KeyObject');
    let keyId = this.#keyIds.get(key);
    if (keyId === undefined) {
      keyId = this.#nextKey++;
      this.#keyIds.set(key, keyId);
      this.#released.register(key, keyId);
      this.#newKeys.push([keyId, key]);
    }
    return keyId;
  }

  #flush(): void {
    this.#scheduled = false;
    const box = this.#outbox;
    if (box.ids.length === 0) return;
    // Sized for the next turn like this one, but one large request does not keep a large buffer.
    this.#outbox = emptyOutbox(Math.min(Math.max(SigningThread.#FIRST_CAPACITY, box.used), SigningThread.#LARGEST_CARRIED));
    const request: SigningRequest = {
      keys: this.#newKeys,
      dropKeys: this.#dropKeys,
      ids: box.ids,
      keyIds: box.keyIds,
      ends: box.ends,
      bytes: box.bytes.buffer as ArrayBuffer,
    };
    this.#newKeys = [];
    this.#dropKeys = [];
    try {
      const worker = this.#started();
      worker.ref();
      worker.postMessage(request, [request.bytes]);
    } catch (err) {
      // Nothing of it crossed: its jobs fail, its new keys are sent again with the next use, its drops go with the next request.
      for (const [, key] of request.keys) this.#keyIds.delete(key);
      this.#dropKeys.push(...request.dropKeys);
      const error = err instanceof Error ? err : new Error(String(err));
      for (const id of box.ids) this.#settle(id)?.reject(error);
    }
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(path.join(__dirname, 'signing-worker.js'));
    worker.on('message', (reply: SigningReply) => this.#receive(reply));
    // A signing thread that fails takes the signatures it owes with it; the next signature starts a new one.
    const lost = (err: unknown) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      // The next thread holds no key: each crosses again with its next use.
      this.#keyIds = new WeakMap();
      this.#newKeys = [];
      this.#dropKeys = [];
      // Jobs not yet sent are owed too, and fail with the others.
      this.#outbox = emptyOutbox(SigningThread.#FIRST_CAPACITY);
      const owed = [...this.#pending.values()];
      this.#pending.clear();
      const error = err instanceof Error ? err : new Error(String(err));
      for (const p of owed) p.reject(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the signing thread exited with code ${code}`)));
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #receive(reply: SigningReply): void {
    reply.ids.forEach((id, i) => {
      const signature = reply.signatures[i] as Uint8Array;
      this.#settle(id)?.resolve(Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength));
    });
    for (const [id, message, code] of reply.errors) {
      const error: Error & { code?: string } = new Error(message);
      if (code !== undefined) error.code = code;
      this.#settle(id)?.reject(error);
    }
  }

  #settle(id: number): Pending | undefined {
    const p = this.#pending.get(id);
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker?.unref();
    return p;
  }
}
