import { z } from 'zod';
import { memberNameSchema, mspIdSchema } from '../../../chaincode/src/kernel/schemas';

/** `LiangdangMSP:alice` — a member of a county, as used in URLs. */
export const memberIdSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9.-]{1,63}:[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, 'must be <mspId>:<member>, e.g. LiangdangMSP:alice');

export function splitMemberId(id: string): { mspId: string; member: string } {
  const i = id.indexOf(':');
  return { mspId: mspIdSchema.parse(id.slice(0, i)), member: memberNameSchema.parse(id.slice(i + 1)) };
}

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(1024).regex(/^[A-Za-z0-9_-]*$/, 'is not a cursor from a previous page').optional(),
});

export const submittedSchema = z.object({ txId: z.string(), blockNumber: z.number().int(), result: z.unknown() });

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string(),
  instance: z.string(),
  transactionId: z.string().optional(),
});

export const errorResponses = {
  400: problemSchema.describe('invalid input (INVALID_ARGUMENT)'),
  401: problemSchema.describe('no or bad API key (UNAUTHENTICATED)'),
  403: problemSchema.describe('caller may not do this (FORBIDDEN)'),
};
