import { z } from 'zod';
import { creditCodeProblem } from './credit-code';

/** Building blocks for input schemas, shared by the chaincode and the gateway. */

export const ROLES = ['county-admin', 'regulator', 'enforcement', 'auditor', 'verifier', 'finance', 'merchant'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** A county's MSP ID, e.g. LiangdangMSP. */
export const mspIdSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9.-]{1,63}$/, 'must be an MSP ID such as LiangdangMSP');

/** A member's name within its county: the certificate common name. */
export const memberNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'must be letters, digits, dot, dash, underscore or @');

export const creditCodeSchema = z.string().superRefine((code, ctx) => {
  const problem = creditCodeProblem(code);
  if (problem) ctx.addIssue({ code: 'custom', message: `invalid unified social credit code: ${problem}` });
});

export const fenSchema = z.number().int('must be whole fen').nonnegative().max(Number.MAX_SAFE_INTEGER);
export const positiveFenSchema = z.number().int('must be whole fen').positive().max(Number.MAX_SAFE_INTEGER);
export const basisPointsSchema = z.number().int('must be whole basis points').min(0).max(10000);

export const pageQuerySchema = z.object({
  limit: z.number().int().min(1).max(200).optional(),
  cursor: z
    .string()
    .max(1024)
    .regex(/^[A-Za-z0-9_-]*$/)
    .optional(),
});
