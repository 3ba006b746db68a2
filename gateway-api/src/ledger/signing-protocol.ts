import type { KeyObject } from 'node:crypto';

/**
 * Messages between a thread that signs (SigningThread) and the signing thread (signing-worker.ts).
 * A request carries a turn's jobs in one buffer: job i is bytes[ends[i-1] .. ends[i]) signed with
 * key keyIds[i]; keys cross once, when first used, and are dropped (after the request's jobs) once
 * the asking thread has let them go.
 */
export interface SigningRequest {
  readonly keys: ReadonlyArray<readonly [number, KeyObject]>;
  readonly dropKeys: readonly number[];
  readonly ids: readonly number[];
  readonly keyIds: readonly number[];
  readonly ends: readonly number[];
  readonly bytes: ArrayBuffer;
}

/** Signatures of some jobs of a request (DER, ids[i] signed as signatures[i]), and the jobs that failed: id, message, error code. */
export interface SigningReply {
  ids: number[];
  signatures: Uint8Array[];
  errors: Array<[number, string, string | undefined]>;
}

/** Signatures per reply: enough that the asking thread wakes rarely, few enough that it need not wait for a whole request's. */
export const SIGNATURES_PER_REPLY = 16;
