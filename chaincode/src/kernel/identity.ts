import { createHash } from 'node:crypto';
import { Context } from 'fabric-contract-api';
import { derOfPem, OID_COMMON_NAME, OID_ORGANISATIONAL_UNIT, subjectOfCertificate } from './certificate-subject';
import { forbidden } from './errors';

/** Who is calling, read from the transaction creator's X.509 certificate. */
export interface Caller {
  readonly mspId: string;
  /** Member name: the certificate subject's common name, unique within the county's MSP. */
  readonly member: string;
  readonly organisationalUnits: readonly string[];
  /** Fabric NodeOU convention: an identity whose certificate carries OU=admin administers its organisation. */
  readonly isCountyAdmin: boolean;
}

const MAX_CACHED = 10_000;

/**
 * What is read from a creator certificate is a pure function of its PEM, so remembering it per
 * certificate (bounded) changes nothing but speed; every transaction asks for it.
 */
function memoByCertificate<T>(read: (pem: string) => T): (ctx: Context) => T {
  const known = new Map<string, T>();
  return (ctx) => {
    const pem = Buffer.from(ctx.clientIdentity.getIDBytes()).toString('utf8');
    let value = known.get(pem);
    if (value === undefined) {
      value = read(pem);
      if (known.size >= MAX_CACHED) known.clear();
      known.set(pem, value);
    }
    return value;
  };
}

const subjectOfCreator = memoByCertificate((pem) => subjectOfPem(pem));
const fingerprintOfCreator = memoByCertificate((pem) => {
  let der: Uint8Array;
  try {
    der = derOfPem(pem);
  } catch (err) {
    throw forbidden((err as Error).message);
  }
  return certificateFingerprint(der);
});

/** Member names as the membership schemas allow them; anything else in a certificate's CN is refused. */
const MEMBER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

/**
 * The caller from the transaction creator's certificate: county from the creator's MSP ID, member
 * name from the subject's single common name, organisational units from every OU attribute,
 * read from the certificate's DER encoding (never from a formatted name string).
 */
export function callerOf(ctx: Context): Caller {
  return { mspId: ctx.clientIdentity.getMSPID(), ...subjectOfCreator(ctx) };
}

function subjectOfPem(pem: string): Omit<Caller, 'mspId'> {
  let attributes;
  try {
    attributes = subjectOfCertificate(derOfPem(pem));
  } catch (err) {
    throw forbidden((err as Error).message);
  }
  const names = attributes.filter((a) => a.oid === OID_COMMON_NAME).map((a) => a.value);
  if (names.length !== 1) throw forbidden(`the caller certificate must have exactly one common name, it has ${names.length}`);
  const member = names[0] as string;
  if (!MEMBER_NAME.test(member)) throw forbidden('the caller certificate common name is not a member name (letters, digits, . _ @ -)');
  const organisationalUnits = Object.freeze(attributes.filter((a) => a.oid === OID_ORGANISATIONAL_UNIT).map((a) => a.value));
  return Object.freeze({ member, organisationalUnits, isCountyAdmin: organisationalUnits.includes('admin') });
}

/**
 * How the ledger names a certificate: the SHA-256 of its DER encoding, lower-case hex (what
 * `openssl x509 -noout -fingerprint -sha256` prints, without the colons). It names exactly one
 * certificate: a certificate re-issued to the same member, even with the same key, is another one.
 */
export function certificateFingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/** The fingerprint of the transaction creator's certificate; FORBIDDEN when the creator is no certificate. */
export function creatorFingerprint(ctx: Context): string {
  return fingerprintOfCreator(ctx);
}

/**
 * Object type of the certificate revocation records, key [mspId, fingerprint]. Membership writes
 * them (RevokeCertificate, OffboardMember); every contract reads the creator's key before each
 * transaction (kernel/contract-base.ts), so the kernel owns the key and membership the record.
 */
export const CERTIFICATE_REVOCATION_TYPE = 'certrevocation';
