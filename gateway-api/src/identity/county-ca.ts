// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import { webcrypto, createPrivateKey, createPublicKey, X509Certificate as NodeX509, KeyObject } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const EC_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 3600 * 1000;
/** A county CA certificate is valid ten years, */
const CA_VALIDITY_MS = 10 * 365 * DAY_MS;
/** a member's certificate (OU client or admin) one year: after that the member needs a new one, */
export const MEMBER_CERTIFICATE_VALIDITY_MS = 365 * DAY_MS;
/** an endorsing peer's or ordering node's certificate, which is no member, as long as its CA. */
const PEER_CERTIFICATE_VALIDITY_MS = CA_VALIDITY_MS;

/** A county's certificate authority: a P-256 key and a self-signed certificate, as Fabric's cryptogen makes. */
export interface CaMaterial {
  readonly mspId: string;
  readonly certificate: string;
  readonly privateKey: string;
}

/** A ledger identity: the certificate the chaincode sees and the key that signs the caller's proposals. */
export interface IdentityMaterial {
  readonly mspId: string;
  readonly member: string;
  readonly certificate: string;
  readonly privateKey: string;
}

async function newKeyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function exportPkcs8(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
}

async function importPkcs8(pem: string): Promise<CryptoKey> {
  const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
  return webcrypto.subtle.importKey('pkcs8', der, EC_ALGORITHM, false, ['sign']) as Promise<CryptoKey>;
}

function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

export async function createCountyCa(mspId: string, countyName: string): Promise<CaMaterial> {
  const keys = await newKeyPair();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `C=CN, O=${countyName}, CN=ca.${mspId.toLowerCase()}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + CA_VALIDITY_MS),
    signingAlgorithm: SIGNING,
    keys: keys as never,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
    ],
  });
  return { mspId, certificate: cert.toString('pem'), privateKey: await exportPkcs8(keys.privateKey) };
}

/**
 * Issues an identity certificate. `ou` follows Fabric's NodeOU convention
 * (client, admin, peer), which is how the chaincode recognises a county admin.
 */
export async function issueIdentity(ca: CaMaterial, member: string, ou: 'client' | 'admin' | 'peer' | 'orderer'): Promise<IdentityMaterial> {
  // The subject is built as structured attributes, never as a DN string, so no value can add attributes.
  return issueCertificate(
    ca,
    member,
    [{ C: ['CN'] }, { OU: [ou] }, { CN: [member] }],
    ou === 'peer' || ou === 'orderer' ? PEER_CERTIFICATE_VALIDITY_MS : MEMBER_CERTIFICATE_VALIDITY_MS,
  );
}

/**
 * Issues a certificate with exactly the given subject attributes, one object per relative
 * distinguished name (several keys in one object make a multi-valued RDN). `member` only labels
 * the material; what the chaincode sees is the subject. Valid `validityMs` from now (a member's
 * year unless told otherwise).
 */
export async function issueCertificate(
  ca: CaMaterial,
  member: string,
  subject: x509.JsonName,
  validityMs: number = MEMBER_CERTIFICATE_VALIDITY_MS,
): Promise<IdentityMaterial> {
  const keys = await newKeyPair();
  const caCert = new x509.X509Certificate(ca.certificate);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + validityMs),
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey as never,
    signingKey: (await importPkcs8(ca.privateKey)) as never,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await authorityKeyIdentifier(caCert),
    ],
  });
  return { mspId: ca.mspId, member, certificate: cert.toString('pem'), privateKey: await exportPkcs8(keys.privateKey) };
}

/**
 * The authority key identifier names the CA's own subject key identifier when it has one (RFC 5280
 * 4.2.1.1): cryptogen's and Fabric CA's identifiers are SHA-256 of the key, not the SHA-1 one would
 * compute, and OpenSSL (the offline verifier) finds no issuer for a certificate whose AKI differs.
 */
async function authorityKeyIdentifier(caCert: x509.X509Certificate): Promise<x509.AuthorityKeyIdentifierExtension> {
  const ski = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  return ski ? new x509.AuthorityKeyIdentifierExtension(ski.keyId, false) : x509.AuthorityKeyIdentifierExtension.create(caCert, false);
}

/** Checks that a certificate was issued by the given CA and is within its validity period. */
export function issuedBy(certificatePem: string, caPem: string, at = new Date()): boolean {
  try {
    const cert = new NodeX509(certificatePem);
    const ca = new NodeX509(caPem);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    return new Date(cert.validFrom) <= at && at <= new Date(cert.validTo);
  } catch {
    return false;
  }
}

export function privateKeyObject(pem: string): KeyObject {
  return createPrivateKey(pem);
}

export function publicKeyOf(certificatePem: string): KeyObject {
  return createPublicKey(new NodeX509(certificatePem).publicKey.export({ format: 'pem', type: 'spki' }));
}
