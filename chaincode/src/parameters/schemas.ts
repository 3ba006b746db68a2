import { z } from 'zod';
import { recordIdSchema } from '../kernel/ids';
import { pageQuerySchema } from '../kernel/schemas';

/**
 * The shared parameters: rules that bind every county, changed only by a proposal a majority of
 * the registered counties' regulators approve (DESIGN.md "Trust between counties").
 */

/** Severities of a blacklist entry, as the credit domain names them (credit/schemas.ts SEVERITIES). */
export const PUBLICATION_SEVERITIES = ['minor', 'serious', 'grave'] as const;

/** Bounds of each value: they keep every risk computation bounded (ring buffer size, bucket reads) and every term finite. */
export const PARAMETER_LIMITS = {
  priceDeviationBp: { min: 1, max: 1_000_000 },
  indexWindow: { min: 1, max: 100 },
  indexMinSamples: { min: 1, max: 100 },
  pairTradeLimit: { min: 1, max: 1000 },
  verificationDays: { min: 1, max: 90 },
  paymentDays: { min: 1, max: 90 },
  /** Minimum and maximum publication periods, calendar months. */
  publicationMonths: { min: 1, max: 120 },
} as const;

const bounded = (name: keyof typeof PARAMETER_LIMITS) => z.number().int().min(PARAMETER_LIMITS[name].min).max(PARAMETER_LIMITS[name].max);
const months = bounded('publicationMonths');

export const publicationMonthsSchema = z.strictObject({ minor: months, serious: months, grave: months });

export const parameterShape = {
  /** Largest allowed deviation of a price from its category's moving index, basis points. */
  priceDeviationBp: bounded('priceDeviationBp'),
  /** How many of the latest settled prices of a category make its moving index. */
  indexWindow: bounded('indexWindow'),
  /** Settled prices a category needs before the deviation rule applies. */
  indexMinSamples: bounded('indexMinSamples'),
  /** More than this many orders between the same two subjects, open or settled within 24 h, raises an alert. */
  pairTradeLimit: bounded('pairTradeLimit'),
  /** Calendar days (CST) after the order within which the verification is due. */
  verificationDays: bounded('verificationDays'),
  /** Calendar days (CST) after a pass within which the balance is due. */
  paymentDays: bounded('paymentDays'),
  /** Months a blacklist entry stays published before credit repair may be approved, by severity. */
  minPublicationMonths: publicationMonthsSchema,
  /** Longest term of a blacklist entry (end date at most this many months after its start date), by severity. */
  maxPublicationMonths: publicationMonthsSchema,
};

export const parameterValuesSchema = z.strictObject(parameterShape).describe('A complete set of the shared parameters.');
export type ParameterValues = z.infer<typeof parameterValuesSchema>;
export type PublicationMonths = ParameterValues['minPublicationMonths'];

const someGiven = (v: Record<string, unknown>) => Object.values(v).some((x) => x !== undefined);

const partialMonthsSchema = z
  .strictObject({ minor: months.optional(), serious: months.optional(), grave: months.optional() })
  .refine(someGiven, { message: 'at least one severity is required' });

/** A change: any subset of the parameters (and of the severities of a publication period); what is not named keeps its value. */
export const parameterChangesSchema = z
  .strictObject({
    priceDeviationBp: parameterShape.priceDeviationBp.optional(),
    indexWindow: parameterShape.indexWindow.optional(),
    indexMinSamples: parameterShape.indexMinSamples.optional(),
    pairTradeLimit: parameterShape.pairTradeLimit.optional(),
    verificationDays: parameterShape.verificationDays.optional(),
    paymentDays: parameterShape.paymentDays.optional(),
    minPublicationMonths: partialMonthsSchema.optional(),
    maxPublicationMonths: partialMonthsSchema.optional(),
  })
  .refine(someGiven, { message: 'at least one parameter is required' })
  .describe('The parameters a proposal changes; the others keep the value in force when it is adopted.');
export type ParameterChanges = z.infer<typeof parameterChangesSchema>;

export const proposalIdSchema = recordIdSchema;

export const proposeInput = z.strictObject({
  changes: parameterChangesSchema,
  /** Why the change is proposed (people-facing). */
  note: z.string().min(1).max(500),
});

export const proposalRefInput = z.strictObject({ proposalId: proposalIdSchema });

export const withdrawInput = z.strictObject({
  proposalId: proposalIdSchema,
  note: z.string().min(1).max(500).optional(),
});

export const PROPOSAL_STATES = ['open', 'expired', 'adopted', 'withdrawn'] as const;

export const listProposalsInput = z.strictObject({ status: z.enum(PROPOSAL_STATES), ...pageQuerySchema.shape });
export const historyInput = z.strictObject({ ...pageQuerySchema.shape });
