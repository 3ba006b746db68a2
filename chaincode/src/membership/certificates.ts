import { Context } from 'fabric-contract-api';
import { derOfPem, issuerOfCertificate, OID_COMMON_NAME, subjectOfCertificate } from '../kernel/certificate-subject';
import { forbidden, invalidArgument } from '../kernel/errors';
import { Caller, certificateFingerprint } from '../kernel/identity';
import { getRecord } from '../kernel/state';
import { CertificateRevocation, CertificateRevocations } from './records';

/** A member certificate as a county admin handed it in, read and checked. */
export interface MemberCertificate {
  readonly sha256: string;
  readonly serialNumber: string;
  readonly member: string;
}

/**
 * Reads a certificate a county admin names as `member`'s: INVALID_ARGUMENT when it is not a
 * readable certificate or its common name is not `member`; FORBIDDEN when its issuer is not the
 * issuer of the admin's own certificate, i.e. it is not a certificate of the admin's county.
 * (Each county has one issuing CA, as cryptogen and gateway-api/src/identity/county-ca.ts make.
 * The revocation is keyed under the admin's MSP ID anyway, so it can never touch a certificate
 * presented under another county's MSP, whatever its issuer says.)
 */
export function memberCertificate(ctx: Context, admin: Caller, member: string, pem: string): MemberCertificate {
  let der: Uint8Array;
  let serialNumber: string;
  let issuer: Uint8Array;
  let names: string[];
  try {
    der = derOfPem(pem);
    ({ serialNumber, issuer } = issuerOfCertificate(der));
    names = subjectOfCertificate(der)
      .filter((a) => a.oid === OID_COMMON_NAME)
      .map((a) => a.value);
  } catch (err) {
    throw invalidArgument(`certificate: ${(err as Error).message}`);
  }
  let own: Uint8Array;
  try {
    own = issuerOfCertificate(derOfPem(Buffer.from(ctx.clientIdentity.getIDBytes()).toString('utf8'))).issuer;
  } catch (err) {
    throw forbidden((err as Error).message);
  }
  if (!sameBytes(issuer, own))
    throw forbidden(`the certificate was not issued by the CA of ${admin.mspId}; a county admin revokes only its own county's certificates`);
  if (names.length !== 1 || names[0] !== member)
    throw invalidArgument(`certificate: it is issued to ${names.join(', ') || 'no common name'}, not to ${member}`);
  return { sha256: certificateFingerprint(der), serialNumber, member };
}

export async function getRevocation(ctx: Context, mspId: string, sha256: string): Promise<CertificateRevocation | undefined> {
  return getRecord(ctx, CertificateRevocations, [mspId, sha256]);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
