import { Actor } from '../kernel/actor';
import { defineRecordType } from '../kernel/state';

/** A contribution to the compensation fund (生态补偿基金) by a county, with its payment reference. */
export interface Contribution {
  readonly id: string;
  readonly county: string;
  readonly amountFen: number;
  readonly paymentRef: string;
  readonly note?: string;
  readonly recordedBy: Actor;
  readonly at: string;
  readonly txId: string;
}

export const Contributions = defineRecordType<Contribution>({
  type: 'fundcontribution',
  keyArity: 1,
  keyOf: (c) => [c.id],
  indexes: { byCounty: (c) => [c.county] },
});

/** A payment reference used once per county (contributions and disbursements alike). */
export interface PaymentRefUse {
  readonly county: string;
  readonly paymentRef: string;
  readonly usedBy: string;
  readonly txId: string;
}

export const PaymentRefUses = defineRecordType<PaymentRefUse>({
  type: 'fundpaymentref',
  keyArity: 2,
  keyOf: (p) => [p.county, p.paymentRef],
});

/** The fund's money: contributed in total, and committed to finalized rounds. committed ≤ contributed. */
export interface FundBalance {
  readonly id: 'fund';
  readonly contributedFen: number;
  readonly committedFen: number;
}

export const FundBalances = defineRecordType<FundBalance>({
  type: 'fundbalance',
  keyArity: 1,
  keyOf: (b) => [b.id],
});

export type CarbonSinkStatus = 'reported' | 'confirmed' | 'rejected';

/** Carbon sink reported by a county for a period, counted only once a verifier confirms it. */
export interface CarbonSink {
  readonly county: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly kgCo2e: number;
  readonly evidenceRefs: string[];
  readonly note?: string;
  readonly status: CarbonSinkStatus;
  readonly reportedBy: Actor;
  readonly reportedAt: string;
  readonly reportTxId: string;
  readonly decidedBy?: Actor;
  readonly decidedAt?: string;
  readonly decisionTxId?: string;
  readonly decisionNote?: string;
}

export const CarbonSinks = defineRecordType<CarbonSink>({
  type: 'fundcarbon',
  keyArity: 3,
  keyOf: (c) => [c.county, c.periodFrom, c.periodTo],
});

export interface MetricDefinition {
  readonly metric: 'trade-volume' | 'carbon-sink' | 'indicator';
  readonly name?: string;
  readonly weightBp: number;
  /** Sum of the metric over eligible counties; a metric whose total is 0 carries no weight. */
  readonly eligibleTotal: number;
}

export interface CountyAllocation {
  readonly county: string;
  /** Metric values by metric key (`trade-volume`, `carbon-sink`, `indicator:<name>`). */
  readonly values: Record<string, number>;
  readonly eligible: boolean;
  readonly restriction?: string;
  readonly amountFen: number;
}

export interface RoundApproval {
  readonly county: string;
  readonly by: Actor;
  readonly at: string;
  readonly txId: string;
}

/** An allocation round: proposed, approved by a majority of counties' finance, finalized and immutable. */
export interface Round {
  readonly id: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly poolFen: number;
  readonly metrics: MetricDefinition[];
  /** The counties of the round: the registered counties when it was proposed. */
  readonly allocations: CountyAllocation[];
  readonly approvalsNeeded: number;
  readonly approvals: RoundApproval[];
  readonly status: 'proposed' | 'finalized';
  readonly note?: string;
  readonly proposedBy: Actor;
  readonly proposedAt: string;
  readonly proposeTxId: string;
  readonly finalizedBy?: Actor;
  readonly finalizedAt?: string;
  readonly finalizeTxId?: string;
}

export const Rounds = defineRecordType<Round>({
  type: 'fundround',
  keyArity: 1,
  keyOf: (r) => [r.id],
  indexes: { byStatus: (r) => [r.status, r.periodFrom] },
});

/** Paid out of a finalized round to one county so far (the round itself never changes again). */
export interface Payout {
  readonly roundId: string;
  readonly county: string;
  readonly disbursedFen: number;
  readonly disbursements: number;
}

export const Payouts = defineRecordType<Payout>({
  type: 'fundpayout',
  keyArity: 2,
  keyOf: (p) => [p.roundId, p.county],
});

export interface Disbursement {
  readonly roundId: string;
  readonly county: string;
  readonly amountFen: number;
  readonly paymentRef: string;
  readonly note?: string;
  readonly recordedBy: Actor;
  readonly at: string;
  readonly txId: string;
}

export const Disbursements = defineRecordType<Disbursement>({
  type: 'funddisbursement',
  keyArity: 3,
  keyOf: (d) => [d.roundId, d.at, d.txId],
});
