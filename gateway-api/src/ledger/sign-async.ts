import { KeyObject } from 'node:crypto';
import { SigningThread } from './signing-thread';

/**
 * ECDSA with SHA-256 (DER signature) beside the JavaScript thread, on the process's signing
 * thread (signing-thread.ts). Used by the embedded ledger (proposals, endorsements) and the Fabric
 * gateway's signer.
 */
export function signAsync(data: Uint8Array, key: KeyObject): Promise<Buffer> {
  return SigningThread.shared().sign(data, key);
}
