import { z } from 'zod';
import { roleSchema } from '../kernel/schemas';
import { evaluated, pageSchema, submitted } from '../kernel/transaction';
import { roleChangeSchema, roleGrantSchema } from './records';
import { grantRoleInput, listRoleHoldersInput, memberRefInput, revokeRoleInput, roleHistoryInput } from './schemas';

const CONTRACT = 'Membership';

export const whoAmISchema = z.strictObject({ mspId: z.string(), member: z.string(), isCountyAdmin: z.boolean(), roles: z.array(roleSchema) });
export const memberSchema = z.strictObject({ mspId: z.string(), member: z.string(), roles: z.array(roleSchema), grants: z.array(roleGrantSchema) });

/** The Membership contract's transactions (see membership-contract.ts). */
export const membershipTransactions = {
  whoAmI: evaluated(CONTRACT, 'WhoAmI', undefined, whoAmISchema),
  grantRole: submitted(CONTRACT, 'GrantRole', grantRoleInput, roleGrantSchema),
  revokeRole: submitted(CONTRACT, 'RevokeRole', revokeRoleInput, roleGrantSchema),
  getMember: evaluated(CONTRACT, 'GetMember', memberRefInput, memberSchema),
  roleHistory: evaluated(CONTRACT, 'RoleHistory', roleHistoryInput, pageSchema(roleChangeSchema)),
  listRoleHolders: evaluated(CONTRACT, 'ListRoleHolders', listRoleHoldersInput, pageSchema(roleGrantSchema)),
};
