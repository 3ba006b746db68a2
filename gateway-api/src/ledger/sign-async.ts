import { KeyObject } from 'node:crypto';
import { SigningThread } from './signing-thread';

/**
 * ECDSA with SHA-256 (DER signature) beside the JavaScript thread, on the process's signing
 * thread (signing-thread.ts). Used by the embedded ledger (proposals, endorsements) and the Fabric
 * gateway's signer. Text parts are signed as their UTF-8 bytes in order.
 */
export function signAsync(data: Uint8Array | readonly string[], key: KeyObject): Promise<Buffer> {
  return SigningThread.shared().sign(data, key);
}
