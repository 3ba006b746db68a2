import { createHash, KeyObject, verify, X509Certificate } from 'node:crypto';

/**
 * The verifier's signature and certificate checks: ECDSA (P-256, SHA-256, DER signatures) as
 * Fabric and the embedded ledger sign, certificates parsed once each (a chain repeats the same
 * few certificates), signatures verified on libuv's thread pool so a chain audit uses every core.
 */
const MEMO_LIMIT = 10_000;

function memo<V>(map: Map<string, V>, key: string, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    if (map.size >= MEMO_LIMIT) map.clear();
    v = make();
    map.set(key, v);
  }
  return v;
}

const parsed = new Map<string, X509Certificate | null>();
function certificateOf(pem: string): X509Certificate | null {
  return memo(parsed, pem, () => {
    try {
      return new X509Certificate(pem);
    } catch {
      return null;
    }
  });
}

const keys = new Map<string, KeyObject | null>();
function publicKeyOf(pem: string): KeyObject | null {
  return memo(keys, pem, () => {
    const cert = certificateOf(pem);
    return cert ? cert.publicKey : null;
  });
}

/** SHA-256 of a certificate's DER, lower-case hex: how the ledger and the bundle name a certificate. Undefined if it does not parse. */
export function fingerprintOf(pem: string): string | undefined {
  const cert = certificateOf(pem);
  return cert ? createHash('sha256').update(cert.raw).digest('hex') : undefined;
}

/** Whether `signature` is the certificate key's signature of `signed`; false for a certificate that does not parse. */
export function verifySignature(signed: Buffer, certificate: string, signature: Buffer): Promise<boolean> {
  const key = publicKeyOf(certificate);
  if (!key || signature.length === 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    verify('sha256', signed, key, signature, (err, ok) => resolve(!err && ok));
  });
}

interface Issuance {
  readonly problem?: string;
  readonly notBefore: number;
  readonly notAfter: number;
}
/** CA certificate → certificate → issuance (two levels: no key is made by joining two PEMs). */
const issuances = new Map<string, Map<string, Issuance>>();

/**
 * Why `certificate` does not chain to the CA certificate `caPem` at time `at` (issued by it, its
 * signature valid, within its validity period, the CA a CA), or undefined when it does.
 */
export function chainProblem(certificate: string, caPem: string, at: Date): string | undefined {
  const byCa = memo(issuances, caPem, () => new Map<string, Issuance>());
  const issuance = memo(byCa, certificate, (): Issuance => {
    const cert = certificateOf(certificate);
    const ca = certificateOf(caPem);
    if (!cert) return { problem: 'the certificate does not parse', notBefore: 0, notAfter: 0 };
    if (!ca) return { problem: 'the CA certificate does not parse', notBefore: 0, notAfter: 0 };
    if (!ca.ca) return { problem: 'the trusted certificate is not a CA certificate', notBefore: 0, notAfter: 0 };
    const notBefore = Date.parse(cert.validFrom);
    const notAfter = Date.parse(cert.validTo);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return { problem: 'the certificate is not issued by that CA', notBefore, notAfter };
    return { notBefore, notAfter };
  });
  if (issuance.problem) return issuance.problem;
  const t = at.getTime();
  if (t < issuance.notBefore || t > issuance.notAfter) return `the certificate was not valid at ${at.toISOString()}`;
  return undefined;
}

/** The certificate's subject common name, for messages. */
export function commonNameOf(pem: string): string {
  const subject = certificateOf(pem)?.subject ?? '';
  return /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1] ?? '?';
}
