import { z } from 'zod';
import { TransactionDefinition } from '../../../chaincode/src/public';
import { memberNameSchema, mspIdSchema } from '../../../chaincode/src/public';

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
  cursor: z
    .string()
    .max(1024)
    .regex(/^[A-Za-z0-9_-]*$/, 'is not a cursor from a previous page')
    .optional(),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string(),
  instance: z.string(),
  transactionId: z.string().optional(),
  correlationId: z.string().optional().describe('5xx only: the request ID under which the gateway log holds the cause'),
});

export const errorResponses = {
  400: problemSchema.describe('invalid input (INVALID_ARGUMENT)'),
  401: problemSchema.describe('no or bad API key (UNAUTHENTICATED)'),
  403: problemSchema.describe('caller may not do this (FORBIDDEN)'),
};

/** The answer of a route that submitted a transaction: its ID, its block and the transaction's result. */
export function submittedSchema<T extends z.ZodType>(result: T) {
  return z.strictObject({ txId: z.string(), blockNumber: z.number().int(), result });
}

/** Responses of a route that submits `definition`: 201 with the transaction and its typed result. */
export function createdResponses<D extends TransactionDefinition>(definition: D) {
  return {
    201: submittedSchema(definition.output as D['output']).describe(`committed: the transaction and what ${definition.qualifiedName} answered`),
    ...errorResponses,
  };
}

/** Responses of a route that answers what `definition` answers. */
export function answerResponses<D extends TransactionDefinition>(definition: D) {
  return { 200: definition.output as D['output'], ...errorResponses };
}

/** A route body: the transaction's input without the fields the URL path supplies. */
export function bodyOf<O extends z.ZodObject, K extends keyof O['shape'] & string>(
  input: O,
  ...pathFields: K[]
): z.ZodObject<Omit<O['shape'], K>, z.core.$strict> {
  const mask = Object.fromEntries(pathFields.map((k) => [k, true]));
  return input.omit(mask as never) as never;
}
