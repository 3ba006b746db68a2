import { EventEmitter } from 'node:events';

/** Wakes the event streams that wait for the next block to be committed (or for the ledger to close). */
export class BlockSignal {
  readonly #emitter = new EventEmitter();

  constructor() {
    // One listener per open event stream.
    this.#emitter.setMaxListeners(0);
  }

  notify(): void {
    this.#emitter.emit('block');
  }

  /** Resolves at the next notify(), or when `signal` aborts. */
  next(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.#emitter.off('block', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.#emitter.on('block', done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
