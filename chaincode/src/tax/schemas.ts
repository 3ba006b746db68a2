import { z } from 'zod';
import { calendarDateSchema, periodRefinement } from '../kernel/dates';
import { recordIdSchema } from '../kernel/ids';
import { basisPointsSchema, mspIdSchema, pageQuerySchema } from '../kernel/schemas';

export const proposeTaxAgreementInput = z
  .strictObject({
    /** The other county of the agreement; the caller's county is the first. */
    counterpartCounty: mspIdSchema,
    /** Tax on a cross-region trade between the two: floor(price × taxRateBp / 10000). */
    taxRateBp: basisPointsSchema.refine((v) => v > 0, 'must be more than zero'),
    /** Share of the tax going to the producing (origin) county; the consuming (buyer) county gets the rest. */
    originShareBp: basisPointsSchema,
    validFrom: calendarDateSchema,
    validTo: calendarDateSchema,
    note: z.string().max(500).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.validTo < v.validFrom) ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'must not be before validFrom' });
  });
export const agreementIdSchema = recordIdSchema;
export const agreementRefInput = z.strictObject({ agreementId: agreementIdSchema });
export const countyPairShape = { countyA: mspIdSchema, countyB: mspIdSchema };
export const listAgreementsInput = z.strictObject({ ...countyPairShape, ...pageQuerySchema.shape });
export const taxStatementInput = z
  .strictObject({ ...countyPairShape, from: calendarDateSchema, to: calendarDateSchema })
  .superRefine(periodRefinement('from', 'to'));
export const listTaxEntriesInput = z.strictObject({ ...countyPairShape, date: calendarDateSchema, ...pageQuerySchema.shape });
