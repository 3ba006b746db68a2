import { KeyObject, sign } from 'node:crypto';

/**
 * ECDSA with SHA-256 (DER signature) on libuv's thread pool, so signing runs beside the
 * JavaScript thread. Used by the embedded ledger (proposals, endorsements) and the Fabric
 * gateway's signer.
 */
export function signAsync(data: Uint8Array, key: KeyObject): Promise<Buffer> {
  return new Promise((resolve, reject) => sign('sha256', data, key, (err, sig) => (err ? reject(err) : resolve(sig))));
}
