import { z } from 'zod';
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
