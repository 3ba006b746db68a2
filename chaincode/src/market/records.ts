import { Actor } from '../kernel/actor';
import { defineRecordType } from '../kernel/state';
import { AssetKind, CERTIFICATION_KINDS } from './schemas';

/** A member acting in the trade flow. */
export type Party = Actor;

/** `listed`: open to orders; `reserved`: an order is open on it; `held`: owned, not for sale. */
export type AssetStatus = 'listed' | 'reserved' | 'held';

export interface Certification {
  readonly kind: (typeof CERTIFICATION_KINDS)[number];
  readonly sha256: string;
}

export interface Asset {
  readonly id: string;
  readonly kind: AssetKind;
  readonly title: string;
  readonly category: string;
  /** County (MSP ID) where the asset was registered: its owner's county at registration. */
  readonly originCounty: string;
  readonly ownerSubjectId: string;
  readonly costFen: number;
  readonly priceFen: number;
  readonly evidenceRefs: string[];
  readonly certifications: Certification[];
  readonly licenseRef?: string;
  readonly status: AssetStatus;
  readonly openOrderId?: string;
  /** Completed sales; ownership transfer records are numbered 0 (registration) to transferCount. */
  readonly transferCount: number;
  readonly registeredBy: Party;
  readonly registeredAt: string;
  readonly registerTxId: string;
  readonly updatedAt: string;
}

export const Assets = defineRecordType<Asset>({
  type: 'asset',
  keyArity: 1,
  keyOf: (a) => [a.id],
  indexes: {
    listed: (a) => (a.status === 'listed' ? [a.category] : undefined),
    byOwner: (a) => [a.ownerSubjectId],
  },
});

/** One entry of an asset's ownership history (确权), appended and never changed. */
export interface OwnershipTransfer {
  readonly assetId: string;
  readonly seq: number;
  readonly kind: 'registration' | 'sale';
  readonly fromSubjectId?: string;
  readonly toSubjectId: string;
  readonly orderId?: string;
  readonly priceFen?: number;
  readonly crossRegion?: boolean;
  readonly settlementDate?: string;
  readonly evidenceSha256?: string;
  readonly at: string;
  readonly txId: string;
}

export const OwnershipTransfers = defineRecordType<OwnershipTransfer>({
  type: 'ownership',
  keyArity: 2,
  keyOf: (t) => [t.assetId, String(t.seq).padStart(8, '0')],
});

/**
 * ordered → verified → settled, with cancelled reachable from ordered and verified,
 * and suspended (risk alert) between ordered and a regulator's decision.
 */
export type OrderStatus = 'ordered' | 'suspended' | 'verified' | 'settled' | 'cancelled';
export type FaultParty = 'buyer' | 'seller' | 'none';

export interface Verification {
  readonly result: 'pass' | 'fail';
  readonly evidenceRefs: string[];
  readonly note?: string;
  readonly verifier: Party;
  readonly at: string;
  readonly txId: string;
}

export interface Cancellation {
  readonly by: Party & { readonly role: 'buyer' | 'seller' | 'verifier' | 'regulator' };
  readonly reason: string;
  readonly faultParty: FaultParty;
  readonly depositFen: number;
  /** What the buyer gets back: twice the deposit (seller at fault), the deposit (no fault), or nothing. */
  readonly refundToBuyerFen: number;
  /** The deposit the seller keeps (buyer at fault). */
  readonly forfeitedToSellerFen: number;
  readonly at: string;
  readonly txId: string;
}

/** The deal as anchored in evidence: its canonical JSON is the evidence file. */
export interface Deal {
  readonly type: 'county-ledger/deal';
  readonly version: 1;
  readonly orderId: string;
  readonly assetId: string;
  readonly assetKind: AssetKind;
  readonly category: string;
  readonly title: string;
  readonly sellerSubjectId: string;
  readonly buyerSubjectId: string;
  readonly sellerCounty: string;
  readonly buyerCounty: string;
  readonly originCounty: string;
  readonly crossRegion: boolean;
  readonly priceFen: number;
  readonly depositFen: number;
  readonly balanceFen: number;
  readonly depositPaymentRef: string;
  readonly paymentRef: string;
  readonly orderedAt: string;
  readonly verification: Verification;
  readonly settledAt: string;
  readonly settlementDate: string;
  readonly settleTxId: string;
}

export interface Settlement {
  readonly paymentRef: string;
  readonly balanceFen: number;
  /** T+1: the CST calendar day after the settlement transaction. */
  readonly settlementDate: string;
  readonly settledBy: Party;
  readonly at: string;
  readonly txId: string;
  readonly evidenceSha256: string;
  readonly evidenceSm3: string;
  readonly deal: Deal;
}

export interface Order {
  readonly id: string;
  readonly assetId: string;
  readonly category: string;
  readonly sellerSubjectId: string;
  readonly buyerSubjectId: string;
  readonly sellerCounty: string;
  readonly buyerCounty: string;
  readonly originCounty: string;
  readonly crossRegion: boolean;
  readonly priceFen: number;
  readonly depositFen: number;
  readonly depositPaymentRef: string;
  readonly status: OrderStatus;
  readonly orderedBy: Party;
  readonly orderedAt: string;
  readonly orderTxId: string;
  /** Last CST day on which verification is due (while ordered). */
  readonly verifyBy: string;
  /** Last CST day on which the balance is due (once verified). */
  readonly payBy?: string;
  readonly alertId?: string;
  readonly suspendedFrom?: 'ordered';
  readonly verification?: Verification;
  readonly settlement?: Settlement;
  readonly cancellation?: Cancellation;
  readonly updatedAt: string;
}

export const Orders = defineRecordType<Order>({
  type: 'order',
  keyArity: 1,
  keyOf: (o) => [o.id],
  indexes: {
    byBuyer: (o) => [o.buyerSubjectId],
    bySeller: (o) => [o.sellerSubjectId],
  },
});

export type AlertReason =
  | { readonly rule: 'price-deviation'; readonly priceFen: number; readonly indexFen: number; readonly deviationBp: number; readonly limitBp: number }
  | { readonly rule: 'pair-frequency'; readonly settledInWindow: number; readonly limit: number; readonly windowHours: 24 };

/** 异常交易预警: a red alert suspending an order until a regulator decides. */
export interface Alert {
  readonly id: string;
  readonly orderId: string;
  readonly level: 'red';
  readonly reasons: AlertReason[];
  readonly sellerSubjectId: string;
  readonly buyerSubjectId: string;
  readonly sellerCounty: string;
  readonly buyerCounty: string;
  readonly status: 'open' | 'cleared' | 'rejected';
  readonly raisedAt: string;
  readonly raiseTxId: string;
  readonly resolvedBy?: Party;
  readonly resolvedAt?: string;
  readonly resolveTxId?: string;
  readonly note?: string;
  readonly evidenceRefs?: string[];
}

export const Alerts = defineRecordType<Alert>({
  type: 'alert',
  keyArity: 1,
  keyOf: (a) => [a.id],
  indexes: {
    byStatus: (a) => [a.status],
  },
});

/**
 * A category's moving index: the mean (floor) of its latest `indexWindow` settled
 * prices, kept as a running record updated by every settlement of the category.
 */
export interface CategoryIndex {
  readonly category: string;
  /** Latest settled prices, oldest first, at most the configured window. */
  readonly recentPricesFen: number[];
  readonly indexFen: number;
  readonly settledCount: number;
  readonly updatedAt: string;
}

export const CategoryIndexes = defineRecordType<CategoryIndex>({
  type: 'categoryindex',
  keyArity: 1,
  keyOf: (c) => [c.category],
});

/**
 * Settled trades between two subjects (unordered pair) in one UTC hour: a bounded
 * bucket. The 24-hour rule reads the 25 buckets that cover the window.
 */
export interface PairBucket {
  readonly subjectA: string;
  readonly subjectB: string;
  /** Hours since the epoch. */
  readonly hour: number;
  readonly count: number;
  /** Settlement times (epoch ms), at most MAX_BUCKET_TIMES; beyond that only `count` grows. */
  readonly timesMs: number[];
}

export const PairBuckets = defineRecordType<PairBucket>({
  type: 'pairbucket',
  keyArity: 3,
  keyOf: (b) => [b.subjectA, b.subjectB, String(b.hour).padStart(10, '0')],
});

export interface RiskConfig {
  readonly priceDeviationBp: number;
  readonly indexWindow: number;
  readonly indexMinSamples: number;
  readonly pairTradeLimit: number;
  readonly verificationDays: number;
  readonly paymentDays: number;
  readonly updatedBy?: Party;
  readonly updatedAt?: string;
}

export const RiskConfigs = defineRecordType<RiskConfig & { readonly id: 'market' }>({
  type: 'riskconfig',
  keyArity: 1,
  keyOf: (c) => [c.id],
});

/** A settled trade, for statistics (trade volume per origin county and day; cross-region tax sharing). */
export interface Trade {
  readonly date: string;
  readonly orderId: string;
  readonly assetId: string;
  readonly assetKind: AssetKind;
  readonly category: string;
  readonly originCounty: string;
  readonly sellerCounty: string;
  readonly buyerCounty: string;
  readonly crossRegion: boolean;
  readonly priceFen: number;
  readonly settledAt: string;
}

export const Trades = defineRecordType<Trade>({
  type: 'trade',
  keyArity: 2,
  keyOf: (t) => [t.date, t.orderId],
  indexes: {
    byOrigin: (t) => [t.originCounty, t.date],
  },
});
