import { z } from 'zod';
import { CERTIFICATE_REVOCATION_TYPE } from '../kernel/identity';
import { roleSchema } from '../kernel/schemas';
import { defineRecordType } from '../kernel/state';

/** A role held (or once held) by a member of a county. */
export const roleGrantSchema = z.strictObject({
  mspId: z.string(),
  member: z.string(),
  role: roleSchema,
  active: z.boolean(),
  grantedBy: z.string(),
  grantedAt: z.string(),
  grantTxId: z.string(),
  revokedBy: z.string().optional(),
  revokedAt: z.string().optional(),
  revokeTxId: z.string().optional(),
  note: z.string().optional(),
});
export type RoleGrant = z.infer<typeof roleGrantSchema>;

/** One grant or revocation, appended and never changed: the queryable grant history. */
export const roleChangeSchema = z.strictObject({
  mspId: z.string(),
  member: z.string(),
  role: roleSchema,
  action: z.enum(['granted', 'revoked']),
  by: z.string(),
  at: z.string(),
  txId: z.string(),
  note: z.string().optional(),
});
export type RoleChange = z.infer<typeof roleChangeSchema>;

export const RoleGrants = defineRecordType<RoleGrant>({
  type: 'role',
  keyArity: 3,
  keyOf: (g) => [g.mspId, g.member, g.role],
  indexes: {
    // Active holders of a role in a county.
    holders: (g) => (g.active ? [g.mspId, g.role] : undefined),
  },
});

export const RoleChanges = defineRecordType<RoleChange>({
  type: 'rolechange',
  // The role too: one transaction (OffboardMember) may change several roles of a member at once.
  // Keys written before it was added have four attributes and still list under [mspId, member].
  keyArity: 5,
  keyOf: (c) => [c.mspId, c.member, c.at, c.txId, c.role],
});

/**
 * A certificate its county's admin revoked: every transaction it signs is refused from then on
 * (kernel/contract-base.ts). Never changed or removed; a member needs a new certificate instead.
 */
export const certificateRevocationSchema = z.strictObject({
  mspId: z.string().describe('the county (MSP) whose CA issued the certificate and whose admin revoked it'),
  sha256: z.string().describe('SHA-256 of the certificate DER, lower-case hex: the certificate fingerprint'),
  serialNumber: z.string().describe('the certificate serial number, hex'),
  member: z.string().describe("the certificate's common name: the member it was issued to"),
  reason: z.string(),
  revokedBy: z.string(),
  revokedAt: z.string(),
  txId: z.string(),
  offboarding: z.boolean().describe('whether the revocation is part of offboarding the member (OffboardMember)'),
});
export type CertificateRevocation = z.infer<typeof certificateRevocationSchema>;

export const CertificateRevocations = defineRecordType<CertificateRevocation>({
  type: CERTIFICATE_REVOCATION_TYPE,
  keyArity: 2,
  keyOf: (r) => [r.mspId, r.sha256],
});
