import { createHash } from 'node:crypto';
import { LedgerIdentity } from './ledger';
import { encodeMessage } from './embedded/protobuf-writer';

/**
 * Transaction IDs as Fabric makes them: SHA-256 of the proposal's nonce followed by the creator's
 * serialized identity (msp.SerializedIdentity: MSP ID, certificate PEM), lower-case hex. The
 * embedded ledger and Fabric (fabric-gateway's TransactionContext) compute the same ID from the
 * same nonce, so a nonce chosen by the gateway names its transaction before it is submitted.
 */

// The creator's serialized identity is the same bytes in every proposal it makes.
const creators = new WeakMap<LedgerIdentity, Buffer>();

export function serializedCreator(identity: LedgerIdentity): Buffer {
  let bytes = creators.get(identity);
  if (!bytes) {
    bytes = encodeMessage([
      [1, identity.mspId],
      [2, Buffer.from(identity.certificate)],
    ]);
    creators.set(identity, bytes);
  }
  return bytes;
}

/** Bytes of a proposal nonce (fabric-gateway uses 24). */
export const NONCE_BYTES = 24;

export function transactionIdOf(identity: LedgerIdentity, nonce: Uint8Array): string {
  return createHash('sha256').update(nonce).update(serializedCreator(identity)).digest('hex');
}

/**
 * The nonce of one attempt of a submit: a ledger re-endorses after a read conflict, and the new
 * endorsement must be a new transaction (the invalidated one keeps its ID in its block). Attempt 0
 * uses the nonce itself; each later attempt a nonce derived from it, so a retried request walks
 * the same sequence of IDs and finds whichever of them committed.
 */
export function attemptNonce(nonce: Uint8Array, attempt: number): Buffer {
  if (attempt === 0) return Buffer.from(nonce);
  return createHash('sha256').update('county-ledger attempt\n').update(nonce).update(String(attempt)).digest().subarray(0, NONCE_BYTES);
}
