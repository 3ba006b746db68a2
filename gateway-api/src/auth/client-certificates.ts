import { X509Certificate as NodeX509 } from 'node:crypto';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import * as x509 from '@peculiar/x509';
// county-ca.ts sets up @peculiar/x509 (Reflect metadata, the crypto provider) before it is used here.
import '../identity/county-ca';
import type { LedgerIdentity } from '../ledger/ledger';

/** What client certificates are checked against: the wallet's county CAs and the member identities it issued. */
export interface CertificateMembers {
  trustedCas(): Record<string, string>;
  has(mspId: string, member: string): boolean;
  ledgerIdentity(mspId: string, member: string): LedgerIdentity;
}

/** The member a client certificate authenticates, or why it authenticates no one. */
export type CertificateCaller =
  { readonly ok: true; readonly mspId: string; readonly member: string; readonly fingerprint: string } | { readonly ok: false; readonly reason: string };

/** What a connection's certificate proved once: kept per TLS socket, so keep-alive requests do not parse it again. */
type Checked =
  | { readonly ok: true; readonly mspId: string; readonly member: string; readonly fingerprint: string; readonly validTo: Date }
  | { readonly ok: false; readonly reason: string };

/**
 * Mutual TLS: a member authenticates with the ledger certificate the wallet issued it. The TLS
 * layer asks for a client certificate and accepts any (so a bad one is answered 401 problem+json
 * rather than a broken handshake); this decides what it proves: the chain the TLS layer verified,
 * the county whose CA in the wallet issued it, the member from the subject's single common name
 * read from the parsed certificate, and that it is the very certificate the wallet holds for that
 * member.
 */
export class ClientCertificates {
  readonly #members: CertificateMembers;
  readonly #cas: ReadonlyArray<{ readonly mspId: string; readonly ca: NodeX509 }>;
  readonly #checked = new WeakMap<TLSSocket, Checked>();
  /** SHA-256 fingerprints of the wallet's member certificates, by PEM. */
  readonly #fingerprints = new Map<string, string>();

  constructor(members: CertificateMembers) {
    this.#members = members;
    this.#cas = Object.entries(members.trustedCas()).map(([mspId, pem]) => ({ mspId, ca: new NodeX509(pem) }));
  }

  /** The county CA certificates, as PEM, for the TLS layer when no other client CA is configured. */
  caCertificates(): string[] {
    return this.#cas.map((c) => c.ca.toString());
  }

  /** The caller the connection's client certificate names; undefined when the connection is not TLS or carries no certificate. */
  callerOf(socket: Socket, at = new Date()): CertificateCaller | undefined {
    if (!(socket instanceof TLSSocket)) return undefined;
    let checked = this.#checked.get(socket);
    if (!checked) {
      const cert = socket.getPeerX509Certificate();
      if (!cert) return undefined;
      checked = this.#check(socket, cert);
      this.#checked.set(socket, checked);
    }
    if (!checked.ok) return checked;
    if (at > checked.validTo) return { ok: false, reason: 'the client certificate has expired' };
    const { mspId, member, fingerprint } = checked;
    if (!this.#members.has(mspId, member))
      return { ok: false, reason: `the client certificate names ${member} of ${mspId}, whom this gateway's wallet does not hold` };
    const held = this.#members.ledgerIdentity(mspId, member).certificate;
    if (this.#fingerprintOf(held) !== fingerprint)
      return { ok: false, reason: `the client certificate is not the one the wallet issued to ${member} of ${mspId}` };
    return { ok: true, mspId, member, fingerprint };
  }

  #check(socket: TLSSocket, cert: NodeX509): Checked {
    if (!socket.authorized) return { ok: false, reason: `the client certificate is not trusted (${String(socket.authorizationError ?? 'unverified')})` };
    const now = new Date();
    const validTo = new Date(cert.validTo);
    if (now < new Date(cert.validFrom) || now > validTo) return { ok: false, reason: 'the client certificate is not within its validity period' };
    const county = this.#cas.find(({ ca }) => cert.checkIssued(ca) && cert.verify(ca.publicKey));
    if (!county) return { ok: false, reason: 'the client certificate was not issued by a county CA of this gateway' };
    let names: string[];
    try {
      names = new x509.X509Certificate(cert.raw).subjectName.getField('CN');
    } catch {
      return { ok: false, reason: 'the client certificate subject cannot be read' };
    }
    if (names.length !== 1) return { ok: false, reason: `the client certificate subject must have exactly one common name, it has ${names.length}` };
    return { ok: true, mspId: county.mspId, member: names[0] as string, fingerprint: cert.fingerprint256, validTo };
  }

  #fingerprintOf(pem: string): string {
    let fingerprint = this.#fingerprints.get(pem);
    if (!fingerprint) {
      fingerprint = new NodeX509(pem).fingerprint256;
      this.#fingerprints.set(pem, fingerprint);
    }
    return fingerprint;
  }
}
