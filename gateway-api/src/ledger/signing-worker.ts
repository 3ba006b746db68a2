import { KeyObject, sign } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { SIGNATURES_PER_REPLY, SigningReply, SigningRequest } from './signing-protocol';

/**
 * The signing thread's body (signing-thread.ts starts it): signs each request's jobs in order,
 * synchronously, and answers every SIGNATURES_PER_REPLY of them, so the asking thread starts on
 * the first answers while the rest are signed. A request's keys are taken before its jobs and its
 * dropped keys let go after them.
 */
const port = parentPort;
if (!port) throw new Error('signing-worker.ts runs as a worker thread (signing-thread.ts)');
const keys = new Map<number, KeyObject>();

port.on('message', (request: SigningRequest) => {
  for (const [id, key] of request.keys) keys.set(id, key);
  const bytes = new Uint8Array(request.bytes);
  let reply: SigningReply = { ids: [], signatures: [], errors: [] };
  let start = 0;
  for (let i = 0; i < request.ids.length; i++) {
    const end = request.ends[i] as number;
    const id = request.ids[i] as number;
    const keyId = request.keyIds[i] as number;
    try {
      const key = keys.get(keyId);
      if (!key) throw new Error(`signing key ${keyId} is not registered with the signing thread`);
      const signature = sign('sha256', bytes.subarray(start, end), key);
      reply.ids.push(id);
      reply.signatures.push(signature);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      reply.errors.push([id, err instanceof Error ? err.message : String(err), typeof code === 'string' ? code : undefined]);
    }
    start = end;
    if (reply.ids.length + reply.errors.length >= SIGNATURES_PER_REPLY) {
      port.postMessage(reply);
      reply = { ids: [], signatures: [], errors: [] };
    }
  }
  if (reply.ids.length + reply.errors.length > 0) port.postMessage(reply);
  for (const id of request.dropKeys) keys.delete(id);
});
