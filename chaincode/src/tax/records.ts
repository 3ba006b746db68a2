import { Actor } from '../kernel/actor';
import { defineRecordType } from '../kernel/state';

export interface AgreementApproval {
  readonly county: string;
  readonly by: Actor;
  readonly at: string;
  readonly txId: string;
}

/**
 * A bilateral tax sharing agreement (税收分成). `countyA` < `countyB` (MSP IDs in byte order).
 * For every settled cross-region trade between them within the validity days, the tax is
 * floor(price × taxRateBp / 10000), split origin county : buyer county = originShareBp : rest.
 */
export interface TaxAgreement {
  readonly id: string;
  readonly countyA: string;
  readonly countyB: string;
  readonly taxRateBp: number;
  readonly originShareBp: number;
  readonly validFrom: string;
  readonly validTo: string;
  readonly note?: string;
  readonly status: 'proposed' | 'effective';
  readonly approvals: AgreementApproval[];
  readonly proposedBy: Actor;
  readonly proposedAt: string;
  readonly proposeTxId: string;
  readonly effectiveAt?: string;
}

export const TaxAgreements = defineRecordType<TaxAgreement>({
  type: 'taxagreement',
  keyArity: 1,
  keyOf: (a) => [a.id],
  indexes: { byPair: (a) => [a.countyA, a.countyB] },
});

/** The tax recorded for one settled cross-region trade. */
export interface TaxEntry {
  readonly countyA: string;
  readonly countyB: string;
  readonly date: string;
  readonly orderId: string;
  readonly originCounty: string;
  readonly buyerCounty: string;
  readonly priceFen: number;
  readonly taxRateBp: number;
  readonly taxFen: number;
  readonly originShareBp: number;
  readonly originShareFen: number;
  readonly buyerShareFen: number;
  /** The agreement in force on the trade's day; absent when none was (the whole tax stays with the origin county). */
  readonly agreementId?: string;
  readonly settledAt: string;
}

export const TaxEntries = defineRecordType<TaxEntry>({
  type: 'taxentry',
  keyArity: 4,
  keyOf: (e) => [e.countyA, e.countyB, e.date, e.orderId],
});

/** Running totals of a county pair's cross-region trades on one day, for statements (≤ 366 reads). */
export interface TaxDay {
  readonly countyA: string;
  readonly countyB: string;
  readonly date: string;
  readonly trades: number;
  readonly priceFen: number;
  readonly taxFen: number;
  /** Tax due to each county of the pair that day. */
  readonly shareAFen: number;
  readonly shareBFen: number;
}

export const TaxDays = defineRecordType<TaxDay>({
  type: 'taxday',
  keyArity: 3,
  keyOf: (d) => [d.countyA, d.countyB, d.date],
});
