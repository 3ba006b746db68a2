import { z } from 'zod';
import { actorSchema } from '../kernel/actor';
import { defineRecordType } from '../kernel/state';

export const agreementApprovalSchema = z.strictObject({
  county: z.string(),
  by: actorSchema,
  at: z.string(),
  txId: z.string(),
});
export type AgreementApproval = z.infer<typeof agreementApprovalSchema>;

/**
 * A bilateral tax sharing agreement (税收分成). `countyA` < `countyB` (MSP IDs in byte order).
 * For every settled cross-region trade between them within the validity days, the tax is
 * floor(price × taxRateBp / 10000), split origin county : buyer county = originShareBp : rest.
 */
export const taxAgreementSchema = z.strictObject({
  id: z.string(),
  countyA: z.string(),
  countyB: z.string(),
  taxRateBp: z.number(),
  originShareBp: z.number(),
  validFrom: z.string(),
  validTo: z.string(),
  note: z.string().optional(),
  status: z.enum(['proposed', 'effective']),
  approvals: z.array(agreementApprovalSchema),
  proposedBy: actorSchema,
  proposedAt: z.string(),
  proposeTxId: z.string(),
  effectiveAt: z.string().optional(),
});
export type TaxAgreement = z.infer<typeof taxAgreementSchema>;

/** The tax recorded for one settled cross-region trade. */
export const taxEntrySchema = z.strictObject({
  countyA: z.string(),
  countyB: z.string(),
  date: z.string(),
  orderId: z.string(),
  originCounty: z.string(),
  buyerCounty: z.string(),
  priceFen: z.number(),
  taxRateBp: z.number(),
  taxFen: z.number(),
  originShareBp: z.number(),
  originShareFen: z.number(),
  buyerShareFen: z.number(),
  /** The agreement in force on the trade's day; absent when none was (the whole tax stays with the origin county). */
  agreementId: z.string().optional(),
  settledAt: z.string(),
});
export type TaxEntry = z.infer<typeof taxEntrySchema>;

export const TaxAgreements = defineRecordType<TaxAgreement>({
  type: 'taxagreement',
  keyArity: 1,
  keyOf: (a) => [a.id],
  indexes: { byPair: (a) => [a.countyA, a.countyB] },
});

export const TaxEntries = defineRecordType<TaxEntry>({
  type: 'taxentry',
  keyArity: 4,
  keyOf: (e) => [e.countyA, e.countyB, e.date, e.orderId],
});
