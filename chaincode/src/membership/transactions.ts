import { z } from 'zod';
import { roleSchema } from '../kernel/schemas';
import { evaluated, pageSchema, submitted } from '../kernel/transaction';
import { certificateRevocationSchema, roleChangeSchema, roleGrantSchema } from './records';
import {
  certificateRefInput,
  grantRoleInput,
  listCertificateRevocationsInput,
  listRoleHoldersInput,
  memberRefInput,
  offboardMemberInput,
  revokeCertificateInput,
  revokeRoleInput,
  roleHistoryInput,
} from './schemas';

const CONTRACT = 'Membership';

export const whoAmISchema = z.strictObject({ mspId: z.string(), member: z.string(), isCountyAdmin: z.boolean(), roles: z.array(roleSchema) });
export const offboardingSchema = z.strictObject({
  mspId: z.string(),
  member: z.string(),
  revokedRoles: z.array(roleGrantSchema).describe('the grants this offboarding revoked, as they now stand'),
  certificate: certificateRevocationSchema.describe("the certificate's revocation (an earlier one if it was already revoked)"),
});
export const memberSchema = z.strictObject({ mspId: z.string(), member: z.string(), roles: z.array(roleSchema), grants: z.array(roleGrantSchema) });

/** The Membership contract's transactions (see membership-contract.ts). */
export const membershipTransactions = {
  whoAmI: evaluated(CONTRACT, 'WhoAmI', undefined, whoAmISchema),
  grantRole: submitted(CONTRACT, 'GrantRole', grantRoleInput, roleGrantSchema),
  revokeRole: submitted(CONTRACT, 'RevokeRole', revokeRoleInput, roleGrantSchema),
  getMember: evaluated(CONTRACT, 'GetMember', memberRefInput, memberSchema),
  roleHistory: evaluated(CONTRACT, 'RoleHistory', roleHistoryInput, pageSchema(roleChangeSchema)),
  listRoleHolders: evaluated(CONTRACT, 'ListRoleHolders', listRoleHoldersInput, pageSchema(roleGrantSchema)),
  revokeCertificate: submitted(CONTRACT, 'RevokeCertificate', revokeCertificateInput, certificateRevocationSchema),
  offboardMember: submitted(CONTRACT, 'OffboardMember', offboardMemberInput, offboardingSchema),
  getCertificateRevocation: evaluated(CONTRACT, 'GetCertificateRevocation', certificateRefInput, certificateRevocationSchema),
  listCertificateRevocations: evaluated(CONTRACT, 'ListCertificateRevocations', listCertificateRevocationsInput, pageSchema(certificateRevocationSchema)),
};
