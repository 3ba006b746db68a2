import { z } from 'zod';
import { creditCodeProblem } from './credit-code';
import { MAX_AMOUNT_FEN } from './money';

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

const amountBound = `must be at most ${MAX_AMOUNT_FEN} fen (¥10 billion, the upper bound of every amount)`;
/** An amount in whole fen, 0 … MAX_AMOUNT_FEN; over the bound the input is refused naming the field. */
export const fenSchema = z
  .number()
  .int('must be whole fen')
  .nonnegative()
  .max(MAX_AMOUNT_FEN, amountBound)
  .describe(`whole fen (1 yuan = 100 fen), 0 to ${MAX_AMOUNT_FEN} (¥10 billion)`);
export const positiveFenSchema = z
  .number()
  .int('must be whole fen')
  .positive()
  .max(MAX_AMOUNT_FEN, amountBound)
  .describe(`whole fen (1 yuan = 100 fen), 1 to ${MAX_AMOUNT_FEN} (¥10 billion)`);
/**
 * A total as the ledger answers it: exact decimal digits, which may exceed 2^53 (a JSON number
 * could not hold it exactly). Parse with BigInt.
 */
export const decimalTotalSchema = z.string().regex(/^(0|[1-9][0-9]*)$/, 'must be a non-negative integer in decimal digits');
export const fenTotalSchema = decimalTotalSchema.describe('a total in whole fen as a decimal string, exact at any size (may exceed 2^53; parse with BigInt)');
export const basisPointsSchema = z.number().int('must be whole basis points').min(0).max(10000);

export const pageQuerySchema = z.object({
  limit: z.number().int().min(1).max(200).optional(),
  cursor: z
    .string()
    .max(1024)
    .regex(/^[A-Za-z0-9_-]*$/)
    .optional(),
});
