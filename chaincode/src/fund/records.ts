import { z } from 'zod';
import { actorSchema } from '../kernel/actor';
import { defineRecordType } from '../kernel/state';

/** A contribution to the compensation fund (生态补偿基金) by a county, with its payment reference. */
export const contributionSchema = z.strictObject({
  id: z.string(),
  county: z.string(),
  amountFen: z.number(),
  paymentRef: z.string(),
  note: z.string().optional(),
  recordedBy: actorSchema,
  at: z.string(),
  txId: z.string(),
});
export type Contribution = z.infer<typeof contributionSchema>;

/** A payment reference used once per county (contributions and disbursements alike). */
export const paymentRefUseSchema = z.strictObject({
  county: z.string(),
  paymentRef: z.string(),
  usedBy: z.string(),
  txId: z.string(),
});
export type PaymentRefUse = z.infer<typeof paymentRefUseSchema>;

/** The fund's money: contributed in total, and committed to finalized rounds. committed ≤ contributed. */
export const fundBalanceSchema = z.strictObject({
  id: z.literal('fund'),
  contributedFen: z.number(),
  committedFen: z.number(),
});
export type FundBalance = z.infer<typeof fundBalanceSchema>;

/** The fund's money as GetBalance answers it: the balance record's totals and what is left for new rounds. */
export const balanceSchema = z
  .strictObject({
    contributedFen: z.number().int(),
    committedFen: z.number().int(),
    /** contributed − committed: what new rounds may allocate. */
    availableFen: z.number().int(),
  })
  .describe("The fund's money: contributed in total, committed to finalized rounds, and available for new rounds.");
export type Balance = z.infer<typeof balanceSchema>;

export const carbonSinkStatusSchema = z.enum(['reported', 'confirmed', 'rejected']);
export type CarbonSinkStatus = z.infer<typeof carbonSinkStatusSchema>;

/** Carbon sink reported by a county for a period, counted only once a verifier confirms it. */
export const carbonSinkSchema = z.strictObject({
  county: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  kgCo2e: z.number(),
  evidenceRefs: z.array(z.string()),
  note: z.string().optional(),
  status: carbonSinkStatusSchema,
  reportedBy: actorSchema,
  reportedAt: z.string(),
  reportTxId: z.string(),
  decidedBy: actorSchema.optional(),
  decidedAt: z.string().optional(),
  decisionTxId: z.string().optional(),
  decisionNote: z.string().optional(),
});
export type CarbonSink = z.infer<typeof carbonSinkSchema>;

export const metricDefinitionSchema = z.strictObject({
  metric: z.enum(['trade-volume', 'carbon-sink', 'indicator']),
  name: z.string().optional(),
  weightBp: z.number(),
  /** Sum of the metric over eligible counties; a metric whose total is 0 carries no weight. */
  eligibleTotal: z.number(),
});
export type MetricDefinition = z.infer<typeof metricDefinitionSchema>;

export const countyAllocationSchema = z.strictObject({
  county: z.string(),
  /** Metric values by metric key (`trade-volume`, `carbon-sink`, `indicator:<name>`). */
  values: z.record(z.string(), z.number()),
  eligible: z.boolean(),
  restriction: z.string().optional(),
  amountFen: z.number(),
});
export type CountyAllocation = z.infer<typeof countyAllocationSchema>;

export const roundApprovalSchema = z.strictObject({
  county: z.string(),
  by: actorSchema,
  at: z.string(),
  txId: z.string(),
});
export type RoundApproval = z.infer<typeof roundApprovalSchema>;

/** An allocation round: proposed, approved by a majority of counties' finance, finalized and immutable. */
export const roundSchema = z.strictObject({
  id: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  poolFen: z.number(),
  metrics: z.array(metricDefinitionSchema),
  /** The counties of the round: the registered counties when it was proposed. */
  allocations: z.array(countyAllocationSchema),
  approvalsNeeded: z.number(),
  approvals: z.array(roundApprovalSchema),
  status: z.enum(['proposed', 'finalized']),
  note: z.string().optional(),
  proposedBy: actorSchema,
  proposedAt: z.string(),
  proposeTxId: z.string(),
  finalizedBy: actorSchema.optional(),
  finalizedAt: z.string().optional(),
  finalizeTxId: z.string().optional(),
});
export type Round = z.infer<typeof roundSchema>;

/** A round with what has been disbursed to each of its counties so far (GetRound). */
export const roundWithPayoutsSchema = roundSchema
  .extend({
    /** Disbursed so far, fen, by county of the round (0 for a county not paid yet). */
    disbursedFen: z.record(z.string(), z.number().int()),
  })
  .describe('An allocation round, with the amount disbursed so far to each of its counties.');
export type RoundWithPayouts = z.infer<typeof roundWithPayoutsSchema>;

/** Paid out of a finalized round to one county so far (the round itself never changes again). */
export const payoutSchema = z.strictObject({
  roundId: z.string(),
  county: z.string(),
  disbursedFen: z.number(),
  disbursements: z.number(),
});
export type Payout = z.infer<typeof payoutSchema>;

export const disbursementSchema = z.strictObject({
  roundId: z.string(),
  county: z.string(),
  amountFen: z.number(),
  paymentRef: z.string(),
  note: z.string().optional(),
  recordedBy: actorSchema,
  at: z.string(),
  txId: z.string(),
});
export type Disbursement = z.infer<typeof disbursementSchema>;

/** A disbursement just recorded, with the county's payout from the round so far and its allocation (RecordDisbursement). */
export const disbursementWithPayoutSchema = disbursementSchema
  .extend({
    /** Disbursed to the county from the round so far, this disbursement included. */
    disbursedFen: z.number().int(),
    /** The county's allocation in the round: disbursements never exceed it. */
    allocatedFen: z.number().int(),
  })
  .describe("A recorded disbursement, with the total disbursed so far to the county from the round and the county's allocation in it.");
export type DisbursementWithPayout = z.infer<typeof disbursementWithPayoutSchema>;

export const Contributions = defineRecordType<Contribution>({
  type: 'fundcontribution',
  keyArity: 1,
  keyOf: (c) => [c.id],
  indexes: { byCounty: (c) => [c.county] },
});

export const PaymentRefUses = defineRecordType<PaymentRefUse>({
  type: 'fundpaymentref',
  keyArity: 2,
  keyOf: (p) => [p.county, p.paymentRef],
});

export const FundBalances = defineRecordType<FundBalance>({
  type: 'fundbalance',
  keyArity: 1,
  keyOf: (b) => [b.id],
});

export const CarbonSinks = defineRecordType<CarbonSink>({
  type: 'fundcarbon',
  keyArity: 3,
  keyOf: (c) => [c.county, c.periodFrom, c.periodTo],
});

export const Rounds = defineRecordType<Round>({
  type: 'fundround',
  keyArity: 1,
  keyOf: (r) => [r.id],
  indexes: { byStatus: (r) => [r.status, r.periodFrom] },
});

export const Payouts = defineRecordType<Payout>({
  type: 'fundpayout',
  keyArity: 2,
  keyOf: (p) => [p.roundId, p.county],
});

export const Disbursements = defineRecordType<Disbursement>({
  type: 'funddisbursement',
  keyArity: 3,
  keyOf: (d) => [d.roundId, d.at, d.txId],
});
