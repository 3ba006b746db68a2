import { z } from 'zod';
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
  keyArity: 4,
  keyOf: (c) => [c.mspId, c.member, c.at, c.txId],
});
