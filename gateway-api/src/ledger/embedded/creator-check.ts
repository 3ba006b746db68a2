import { createPublicKey, KeyObject, X509Certificate } from 'node:crypto';
import { issuedBy } from '../../identity/county-ca';
import { LedgerError } from '../errors';
import { LedgerIdentity } from '../ledger';

/**
 * The peer's check of a proposal's creator: its certificate must be issued by the CA
 * of its county (MSP), and its signing key must be the certificate's own. Throws
 * UNAUTHENTICATED otherwise.
 */
export class CreatorCheck {
  readonly #trustedCas: Readonly<Record<string, string>>;
  readonly #validCreators = new Map<string, boolean>();
  readonly #checkedIdentities = new WeakSet<LedgerIdentity>();
  /** Signing keys already checked against a certificate, and that certificate. */
  readonly #keyOwners = new WeakMap<KeyObject, string>();

  /** `trustedCas`: county CA certificates by MSP ID. */
  constructor(trustedCas: Readonly<Record<string, string>>) {
    this.#trustedCas = trustedCas;
  }

  check(identity: LedgerIdentity): void {
    // Identities are long-lived objects (the wallet caches them): remember the verdict per object.
    if (this.#checkedIdentities.has(identity)) return;
    const cacheKey = `${identity.mspId}\n${identity.certificate}`;
    let valid = this.#validCreators.get(cacheKey);
    if (valid === undefined) {
      const ca = this.#trustedCas[identity.mspId];
      valid = ca !== undefined && issuedBy(identity.certificate, ca);
      this.#validCreators.set(cacheKey, valid);
    }
    if (!valid) throw new LedgerError('UNAUTHENTICATED', `the certificate is not issued by a CA of ${identity.mspId}`);
    // A peer checks the proposal's signature against the creator's certificate; here the
    // signing key must be the certificate's own (certificates are public: every block carries them).
    if (this.#keyOwners.get(identity.privateKey) !== identity.certificate) {
      if (!keyMatchesCertificate(identity.privateKey, identity.certificate)) {
        throw new LedgerError('UNAUTHENTICATED', 'the signing key does not belong to the certificate');
      }
      this.#keyOwners.set(identity.privateKey, identity.certificate);
    }
    this.#checkedIdentities.add(identity);
  }
}

function keyMatchesCertificate(privateKey: KeyObject, certificate: string): boolean {
  try {
    const fromKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    const fromCert = new X509Certificate(certificate).publicKey.export({ type: 'spki', format: 'der' });
    return fromKey.equals(fromCert);
  } catch {
    return false;
  }
}
