import { z } from 'zod';
import { creditCodeSchema, memberNameSchema, mspIdSchema, pageQuerySchema, positiveFenSchema } from '../kernel/schemas';
import { requiredEvidenceRefsSchema, subjectIdSchema } from '../kernel/ids';

export { subjectIdSchema };

export const ACCESS_STATUSES = ['green', 'orange', 'red'] as const;
export type SettableAccessStatus = (typeof ACCESS_STATUSES)[number];

/** HMAC-SHA256 (hex) of an individual's ID number, computed by the gateway with its county key. */
export const idHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters (HMAC-SHA256)');

export const registerEnterpriseInput = z.strictObject({
  creditCode: creditCodeSchema,
  /** Registered business name (public information for an enterprise). */
  name: z.string().min(1).max(200).optional(),
});

export const registerIndividualInput = z.strictObject({
  idHash: idHashSchema,
});

/** Transient data (never in a block) for an individual: keys `idNumber` and `name`, UTF-8. */
export const individualTransientSchema = z.strictObject({
  idNumber: z.string().regex(/^[0-9]{17}[0-9X]$/, 'must be an 18-character resident ID number'),
  name: z.string().min(1).max(64),
});
export const INDIVIDUAL_TRANSIENT_KEYS = ['idNumber', 'name'] as const;

/** Access decision fields besides the subject (the gateway takes the subject from the URL). */
export const accessDecisionShape = {
  status: z.enum(ACCESS_STATUSES),
  /** Required for orange: the largest trade amount (fen) the subject may take part in. */
  tradeLimitFen: positiveFenSchema.optional(),
  evidenceRefs: requiredEvidenceRefsSchema,
  reason: z.string().max(500).optional(),
};

/** Orange access needs a trade limit; green and red take none. */
export function refineAccessDecision(v: { status: string; tradeLimitFen?: number | undefined }, ctx: z.RefinementCtx): void {
  if (v.status === 'orange' && v.tradeLimitFen === undefined) {
    ctx.addIssue({ code: 'custom', path: ['tradeLimitFen'], message: 'is required for orange access' });
  }
  if (v.status !== 'orange' && v.tradeLimitFen !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['tradeLimitFen'], message: 'applies only to orange access' });
  }
}

export const setAccessInput = z.strictObject({ subjectId: subjectIdSchema, ...accessDecisionShape }).superRefine(refineAccessDecision);
export type SetAccessInput = z.infer<typeof setAccessInput>;

export const subjectRefInput = z.strictObject({ subjectId: subjectIdSchema });

export const accessHistoryInput = z.strictObject({ subjectId: subjectIdSchema, ...pageQuerySchema.shape });

export const listSubjectsInput = z.strictObject({ county: mspIdSchema, ...pageQuerySchema.shape });

export const bindMerchantInput = z.strictObject({
  subjectId: subjectIdSchema,
  /** A member of the regulator's own county (certificate common name). */
  member: memberNameSchema,
  note: z.string().max(500).optional(),
});

export const listBindingsInput = z.strictObject({ mspId: mspIdSchema, member: memberNameSchema, ...pageQuerySchema.shape });
