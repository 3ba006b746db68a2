import { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/**
 * ECDSA with SHA-256 (DER signature) on one signing thread, handed work in batches. On a machine
 * with few cores, libuv's pool (sign-async.ts) costs the JavaScript thread a thread wake-up per
 * signature, and the woken pool thread often takes the JavaScript thread's core until it has
 * signed (measured: 24 µs of the JavaScript thread's time per dispatched signature on the 2-core
 * development machine under load, against 2.4 µs idle). Here all the signatures asked for in one
 * turn of the event loop cross to the signing thread in one message and come back in one.
 * Keys cross once each (KeyObjects are cloneable between threads) and are referred to by number.
 */
const SIGNING_THREAD = `
const { parentPort } = require('node:worker_threads');
const { sign } = require('node:crypto');
const keys = new Map();
parentPort.on('message', (batch) => {
  for (const [id, key] of batch.keys) keys.set(id, key);
  const out = batch.jobs.map(([id, keyId, data]) => {
    try {
      return [id, sign('sha256', data, keys.get(keyId))];
    } catch (err) {
      return [id, null, String(err && err.message || err)];
    }
  });
  parentPort.postMessage(out);
});
`;

type Job = [id: number, keyId: number, data: Uint8Array];
type Done = [id: number, signature: Uint8Array | null, error?: string];

class SigningThread {
  readonly #worker: Worker;
  readonly #keyIds = new WeakMap<KeyObject, number>();
  readonly #pending = new Map<number, { resolve: (sig: Buffer) => void; reject: (err: Error) => void }>();
  #nextKey = 1;
  #nextJob = 1;
  #jobs: Job[] = [];
  #newKeys: Array<[number, KeyObject]> = [];

  constructor() {
    this.#worker = new Worker(SIGNING_THREAD, { eval: true, name: 'signing' });
    // Idle, it keeps no process alive; busy, the pending promises do.
    this.#worker.unref();
    this.#worker.on('message', (done: Done[]) => {
      for (const [id, signature, error] of done) {
        const p = this.#pending.get(id);
        this.#pending.delete(id);
        if (signature) p?.resolve(Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength));
        else p?.reject(new Error(`signing failed: ${error ?? 'unknown'}`));
      }
      if (this.#pending.size === 0) this.#worker.unref();
    });
    // A signing thread that died fails what it held; the next signature starts a new one.
    const fail = (err: Error) => {
      this.dead = true;
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`the signing thread exited (${code})`)));
  }

  dead = false;

  sign(data: Uint8Array, key: KeyObject): Promise<Buffer> {
    let keyId = this.#keyIds.get(key);
    if (keyId === undefined) {
      keyId = this.#nextKey++;
      this.#keyIds.set(key, keyId);
      this.#newKeys.push([keyId, key]);
    }
    const id = this.#nextJob++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#jobs.push([id, keyId, data]);
      if (this.#jobs.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const jobs = this.#jobs;
    const keys = this.#newKeys;
    this.#jobs = [];
    this.#newKeys = [];
    this.#worker.ref();
    this.#worker.postMessage({ keys, jobs });
  }
}

let thread: SigningThread | undefined;

/** Signs `data` with `key` (ECDSA, SHA-256, DER) on the process's signing thread. */
export function signBatched(data: Uint8Array, key: KeyObject): Promise<Buffer> {
  if (!thread || thread.dead) thread = new SigningThread();
  return thread.sign(data, key);
}
