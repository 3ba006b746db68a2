import { KeyObject } from 'node:crypto';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SigningReply, SigningRequest } from './signing-protocol';

type Job = { readonly id: number; readonly keyId: number; readonly data: Uint8Array };
type Pending = { readonly resolve: (signature: Buffer) => void; readonly reject: (err: Error) => void };

/**
 * ECDSA with SHA-256 (DER signature) on one thread of its own, many signatures to a message.
 * libuv's pool took one job per signature: each woke a pool thread and, on a 2-core machine,
 * took the asking thread's core from it. Here a turn's signatures cross in one message and the
 * answers come back SIGNATURES_PER_REPLY at a time. One per process (shared()); the thread does not
 * keep the process alive while no signature is owed.
 */
export class SigningThread {
  static #shared: SigningThread | undefined;

  /** The process's signing thread, started on the first signature. */
  static shared(): SigningThread {
    SigningThread.#shared ??= new SigningThread();
    return SigningThread.#shared;
  }

  #worker: Worker | undefined;
  #keyIds = new WeakMap<KeyObject, number>();
  /** Keys the signing thread holds: dropped there once the KeyObject is collected here. */
  readonly #released = new FinalizationRegistry<number>((keyId) => this.#dropKeys.push(keyId));
  #newKeys: Array<[number, KeyObject]> = [];
  #dropKeys: number[] = [];
  #jobs: Job[] = [];
  #jobBytes = 0;
  #scheduled = false;
  readonly #pending = new Map<number, Pending>();
  #nextKey = 1;
  #nextJob = 1;

  /** Jobs that make a request go at once instead of at the end of the turn. */
  static readonly JOBS_PER_REQUEST = 64;

  sign(data: Uint8Array, key: KeyObject): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const id = this.#nextJob++;
      this.#pending.set(id, { resolve, reject });
      this.#jobs.push({ id, keyId: this.#keyIdOf(key), data });
      this.#jobBytes += data.byteLength;
      if (this.#jobs.length >= SigningThread.JOBS_PER_REQUEST) this.#flush();
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
    if (this.#jobs.length === 0) return;
    const jobs = this.#jobs;
    const bytes = new Uint8Array(this.#jobBytes);
    const ends: number[] = [];
    let at = 0;
    for (const job of jobs) {
      bytes.set(job.data, at);
      at += job.data.byteLength;
      ends.push(at);
    }
    const request: SigningRequest = {
      keys: this.#newKeys,
      dropKeys: this.#dropKeys,
      ids: jobs.map((j) => j.id),
      keyIds: jobs.map((j) => j.keyId),
      ends,
      bytes: bytes.buffer,
    };
    this.#jobs = [];
    this.#jobBytes = 0;
    this.#newKeys = [];
    this.#dropKeys = [];
    try {
      const worker = this.#started();
      worker.ref();
      worker.postMessage(request, [bytes.buffer]);
    } catch (err) {
      this.#failAll(err);
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
      // The next thread holds no key: each crosses again when next used.
      this.#keyIds = new WeakMap();
      this.#newKeys = [];
      this.#jobs = [];
      this.#jobBytes = 0;
      this.#failAll(err);
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
    for (const [id, message] of reply.errors) this.#settle(id)?.reject(new Error(message));
  }

  #settle(id: number): Pending | undefined {
    const p = this.#pending.get(id);
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker?.unref();
    return p;
  }

  #failAll(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
  }
}
