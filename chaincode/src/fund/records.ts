import { z } from 'zod';
import { actorSchema } from '../kernel/actor';
import { decimalTotalSchema, fenTotalSchema } from '../kernel/schemas';
import { defineRecordType } from '../kernel/state';
import { disbursementStatusSchema } from './schemas';

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

/**
 * The fund's money: contributed in total, and committed to finalized rounds (committed ≤ contributed).
 * Exact decimal totals: any number of contributions adds up without overflow.
 */
export const fundBalanceSchema = z.strictObject({
  id: z.literal('fund'),
  contributedFen: fenTotalSchema,
  committedFen: fenTotalSchema,
});
export type FundBalance = z.infer<typeof fundBalanceSchema>;

/** The fund's money as GetBalance answers it: the balance record's totals and what is left for new rounds. */
export const balanceSchema = z
  .strictObject({
    contributedFen: fenTotalSchema,
    committedFen: fenTotalSchema,
    /** contributed − committed: what new rounds may allocate. */
    availableFen: fenTotalSchema,
  })
  .describe(
    "The fund's money: contributed in total, committed to finalized rounds, and available for new rounds; exact totals as decimal strings of fen (they may exceed 2^53).",
  );
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
  /** Sum of the metric over eligible counties, exact decimal digits; a metric whose total is 0 carries no weight. */
  eligibleTotal: decimalTotalSchema.describe('the metric summed over eligible counties, exact decimal digits (fen for trade-volume, kg CO2e for carbon-sink)'),
});
export type MetricDefinition = z.infer<typeof metricDefinitionSchema>;

export const countyAllocationSchema = z.strictObject({
  county: z.string(),
  /** Metric values by metric key (`trade-volume`, `carbon-sink`, `indicator:<name>`), exact decimal digits. */
  values: z.record(z.string(), decimalTotalSchema.describe("the county's value of the metric, exact decimal digits")),
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

/** proposed → finalized (immutable), or proposed → withdrawn by the proposer's county. */
export const roundStatusSchema = z.enum(['proposed', 'finalized', 'withdrawn']);
export type RoundStatus = z.infer<typeof roundStatusSchema>;

export const roundWithdrawalSchema = z.strictObject({
  by: actorSchema,
  at: z.string(),
  txId: z.string(),
  reason: z.string(),
});

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
  status: roundStatusSchema,
  note: z.string().optional(),
  proposedBy: actorSchema,
  proposedAt: z.string(),
  proposeTxId: z.string(),
  finalizedBy: actorSchema.optional(),
  finalizedAt: z.string().optional(),
  finalizeTxId: z.string().optional(),
  /** Withdrawn by its proposer's county before finalization: it covers no period any more. */
  withdrawal: roundWithdrawalSchema.optional(),
});
export type Round = z.infer<typeof roundSchema>;

/** A round with what has been disbursed to each of its counties so far (GetRound). */
export const roundWithPayoutsSchema = roundSchema
  .extend({
    /** Disbursed so far, fen, by county of the round: confirmed by the receiving county (0 for a county not paid yet). */
    disbursedFen: z.record(z.string(), z.number().int()),
    /** Recorded by a paying county and awaiting the receiving county's confirmation, fen, by county of the round. */
    pendingFen: z.record(z.string(), z.number().int()),
  })
  .describe(
    'An allocation round, with the amount disbursed so far to each of its counties (confirmed by the receiver) and the amount recorded and awaiting confirmation.',
  );
export type RoundWithPayouts = z.infer<typeof roundWithPayoutsSchema>;

/**
 * What a finalized round paid one county so far (the round itself never changes again):
 * confirmed by the receiving county, and recorded but not yet confirmed or disputed.
 * confirmed + pending ≤ the county's allocation ≤ the pool ≤ MAX_AMOUNT_FEN.
 */
export const payoutSchema = z.strictObject({
  roundId: z.string(),
  county: z.string(),
  /** Confirmed, in fen and in number of disbursements. */
  disbursedFen: z.number(),
  disbursements: z.number(),
  /** Recorded, awaiting the receiver's decision. */
  pendingFen: z.number(),
  pending: z.number(),
});
export type Payout = z.infer<typeof payoutSchema>;

/**
 * Only confirmed disbursements count as disbursed; recorded ones hold their amount against the
 * allocation until the receiving county decides (DISBURSEMENT_STATUSES in schemas.ts).
 */
export type DisbursementStatus = z.infer<typeof disbursementStatusSchema>;

export const disbursementDecisionSchema = z.strictObject({
  by: actorSchema,
  at: z.string(),
  txId: z.string(),
  note: z.string().optional(),
});
export type DisbursementDecision = z.infer<typeof disbursementDecisionSchema>;

export const disbursementSchema = z.strictObject({
  id: z.string(),
  roundId: z.string(),
  /** The receiving county. */
  county: z.string(),
  amountFen: z.number(),
  paymentRef: z.string(),
  note: z.string().optional(),
  status: disbursementStatusSchema,
  /** The paying county's finance officer; `recordedBy.mspId` is the county that may cancel it. */
  recordedBy: actorSchema,
  at: z.string(),
  txId: z.string(),
  confirmation: disbursementDecisionSchema.optional(),
  /** The receiving county's dispute; `note` is its reason. */
  dispute: disbursementDecisionSchema.optional(),
  /** The recording county's cancellation; `note` is its reason. */
  cancellation: disbursementDecisionSchema.optional(),
});
export type Disbursement = z.infer<typeof disbursementSchema>;

/** A disbursement as a transaction left it, with the county's payout from the round and its allocation. */
export const disbursementWithPayoutSchema = disbursementSchema
  .extend({
    /** Confirmed to the county from the round so far (this disbursement included once it is confirmed). */
    disbursedFen: z.number().int(),
    /** Recorded to the county and awaiting its confirmation (this disbursement included while it is recorded). */
    pendingFen: z.number().int(),
    /** The county's allocation in the round: confirmed + pending never exceed it. */
    allocatedFen: z.number().int(),
  })
  .describe(
    "A disbursement, with what the county has been disbursed from the round so far (confirmed), what awaits its confirmation, and the county's allocation.",
  );
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
  keyArity: 1,
  keyOf: (d) => [d.id],
  multiIndexes: {
    // Listed by round and by receiving county, in recording order, all ('*') or by status.
    byRound: (d) => [
      [d.roundId, '*', d.at],
      [d.roundId, d.status, d.at],
    ],
    byCounty: (d) => [
      [d.county, '*', d.at],
      [d.county, d.status, d.at],
    ],
  },
});

/**
 * The periods of a county's rounds that are not withdrawn, for the rounds whose period ends in
 * `year` (keyed by that year): they never overlap, so a record holds at most 366 and a check
 * reads at most three records per county (a period is at most 366 days long).
 */
export const roundPeriodSchema = z.strictObject({ roundId: z.string(), periodFrom: z.string(), periodTo: z.string() });
export type RoundPeriod = z.infer<typeof roundPeriodSchema>;
export const countyRoundPeriodsSchema = z.strictObject({
  county: z.string(),
  year: z.string(),
  rounds: z.array(roundPeriodSchema),
});
export type CountyRoundPeriods = z.infer<typeof countyRoundPeriodsSchema>;

export const CountyRoundPeriodsRecords = defineRecordType<CountyRoundPeriods>({
  type: 'fundroundperiods',
  keyArity: 2,
  keyOf: (p) => [p.county, p.year],
});
