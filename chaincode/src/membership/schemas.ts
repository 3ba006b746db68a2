import { z } from 'zod';
import { sha256HexSchema } from '../kernel/ids';
import { memberNameSchema, mspIdSchema, pageQuerySchema, roleSchema } from '../kernel/schemas';

export const grantRoleInput = z.strictObject({
  member: memberNameSchema,
  role: roleSchema,
  note: z.string().max(500).optional(),
});
export type GrantRoleInput = z.infer<typeof grantRoleInput>;

export const revokeRoleInput = z.strictObject({
  member: memberNameSchema,
  role: roleSchema,
  note: z.string().max(500).optional(),
});

export const memberRefInput = z.strictObject({
  mspId: mspIdSchema,
  member: memberNameSchema,
});

export const roleHistoryInput = memberRefInput.extend(pageQuerySchema.shape);

export const listRoleHoldersInput = z.strictObject({
  mspId: mspIdSchema,
  role: roleSchema,
  ...pageQuerySchema.shape,
});

/** One X.509 certificate in PEM, as the county CA issued it (no chain, no private key). */
export const certificatePemSchema = z
  .string()
  .max(8192)
  .regex(/^\s*-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*$/, 'must be one PEM certificate');

/**
 * A certificate of a member of the caller's county: the member names whose it is, the chaincode
 * checks the certificate's common name is that member and its issuer is the caller's county CA.
 */
export const revokeCertificateInput = z.strictObject({
  member: memberNameSchema,
  certificate: certificatePemSchema,
  reason: z.string().trim().min(1).max(500),
});
export type RevokeCertificateInput = z.infer<typeof revokeCertificateInput>;

export const offboardMemberInput = revokeCertificateInput;

export const certificateRefInput = z.strictObject({
  mspId: mspIdSchema,
  sha256: sha256HexSchema,
});

export const listCertificateRevocationsInput = z.strictObject({
  mspId: mspIdSchema,
  ...pageQuerySchema.shape,
});
