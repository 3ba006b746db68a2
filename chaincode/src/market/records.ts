import { z } from 'zod';
import { actorSchema } from '../kernel/actor';
import { ASSET_KINDS, CERTIFICATION_KINDS } from './schemas';
import { RecentEntryType } from '../kernel/recent-entries';
import { defineRecordType } from '../kernel/state';

/** A member acting in the trade flow. */
export const partySchema = actorSchema;
export type Party = z.infer<typeof partySchema>;

/** `listed`: open to orders; `reserved`: an order is open on it; `held`: owned, not for sale. */
export const assetStatusSchema = z.enum(['listed', 'reserved', 'held']);
export type AssetStatus = z.infer<typeof assetStatusSchema>;

export const certificationSchema = z.strictObject({
  kind: z.enum(CERTIFICATION_KINDS),
  sha256: z.string(),
});
export type Certification = z.infer<typeof certificationSchema>;

export const assetSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(ASSET_KINDS),
  title: z.string(),
  category: z.string(),
  /** County (MSP ID) where the asset was registered: its owner's county at registration. */
  originCounty: z.string(),
  ownerSubjectId: z.string(),
  costFen: z.number(),
  priceFen: z.number(),
  evidenceRefs: z.array(z.string()),
  certifications: z.array(certificationSchema),
  licenseRef: z.string().optional(),
  status: assetStatusSchema,
  openOrderId: z.string().optional(),
  /** Completed sales; ownership transfer records are numbered 0 (registration) to transferCount. */
  transferCount: z.number(),
  registeredBy: partySchema,
  registeredAt: z.string(),
  registerTxId: z.string(),
  updatedAt: z.string(),
});
export type Asset = z.infer<typeof assetSchema>;

/** One entry of an asset's ownership history (确权), appended and never changed. */
export const ownershipTransferSchema = z.strictObject({
  assetId: z.string(),
  seq: z.number(),
  kind: z.enum(['registration', 'sale']),
  fromSubjectId: z.string().optional(),
  toSubjectId: z.string(),
  orderId: z.string().optional(),
  priceFen: z.number().optional(),
  crossRegion: z.boolean().optional(),
  settlementDate: z.string().optional(),
  evidenceSha256: z.string().optional(),
  at: z.string(),
  txId: z.string(),
});
export type OwnershipTransfer = z.infer<typeof ownershipTransferSchema>;

/**
 * ordered → verified → settled, with cancelled reachable from ordered and verified,
 * and suspended (risk alert) between ordered and a regulator's decision.
 */
export const orderStatusSchema = z.enum(['ordered', 'suspended', 'verified', 'settled', 'cancelled']);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

export const faultPartySchema = z.enum(['buyer', 'seller', 'none']);
export type FaultParty = z.infer<typeof faultPartySchema>;

export const verificationSchema = z.strictObject({
  result: z.enum(['pass', 'fail']),
  evidenceRefs: z.array(z.string()),
  note: z.string().optional(),
  verifier: partySchema,
  at: z.string(),
  txId: z.string(),
});
export type Verification = z.infer<typeof verificationSchema>;

export const cancellationSchema = z.strictObject({
  by: partySchema.extend({
    role: z.enum(['buyer', 'seller', 'verifier', 'regulator']),
  }),
  reason: z.string(),
  faultParty: faultPartySchema,
  depositFen: z.number(),
  /** What the buyer gets back: twice the deposit (seller at fault), the deposit (no fault), or nothing. */
  refundToBuyerFen: z.number(),
  /** The deposit the seller keeps (buyer at fault). */
  forfeitedToSellerFen: z.number(),
  at: z.string(),
  txId: z.string(),
});
export type Cancellation = z.infer<typeof cancellationSchema>;

/** The deal as anchored in evidence: its canonical JSON is the evidence file. */
export const dealSchema = z.strictObject({
  type: z.literal('county-ledger/deal'),
  version: z.literal(1),
  orderId: z.string(),
  assetId: z.string(),
  assetKind: z.enum(ASSET_KINDS),
  category: z.string(),
  title: z.string(),
  sellerSubjectId: z.string(),
  buyerSubjectId: z.string(),
  sellerCounty: z.string(),
  buyerCounty: z.string(),
  originCounty: z.string(),
  crossRegion: z.boolean(),
  priceFen: z.number(),
  depositFen: z.number(),
  balanceFen: z.number(),
  depositPaymentRef: z.string(),
  paymentRef: z.string(),
  orderedAt: z.string(),
  verification: verificationSchema,
  settledAt: z.string(),
  settlementDate: z.string(),
  settleTxId: z.string(),
});
export type Deal = z.infer<typeof dealSchema>;

export const settlementSchema = z.strictObject({
  paymentRef: z.string(),
  balanceFen: z.number(),
  /** T+1: the CST calendar day after the settlement transaction. */
  settlementDate: z.string(),
  settledBy: partySchema,
  at: z.string(),
  txId: z.string(),
  evidenceSha256: z.string(),
  evidenceSm3: z.string(),
  deal: dealSchema,
});
export type Settlement = z.infer<typeof settlementSchema>;

export const orderSchema = z.strictObject({
  id: z.string(),
  assetId: z.string(),
  category: z.string(),
  sellerSubjectId: z.string(),
  buyerSubjectId: z.string(),
  sellerCounty: z.string(),
  buyerCounty: z.string(),
  originCounty: z.string(),
  crossRegion: z.boolean(),
  priceFen: z.number(),
  depositFen: z.number(),
  depositPaymentRef: z.string(),
  status: orderStatusSchema,
  orderedBy: partySchema,
  orderedAt: z.string(),
  orderTxId: z.string(),
  /** Last CST day on which verification is due (while ordered). */
  verifyBy: z.string(),
  /** Last CST day on which the balance is due (once verified). */
  payBy: z.string().optional(),
  alertId: z.string().optional(),
  /** While suspended: the state a regulator's clearance returns it to (suspended at ordering or at settlement). */
  suspendedFrom: z.enum(['ordered', 'verified']).optional(),
  /** The alert a regulator cleared: the clearance covers the order, so settlement does not run the risk rules again. */
  riskClearedAlertId: z.string().optional(),
  verification: verificationSchema.optional(),
  settlement: settlementSchema.optional(),
  cancellation: cancellationSchema.optional(),
  updatedAt: z.string(),
});
export type Order = z.infer<typeof orderSchema>;

export const alertReasonSchema = z.union([
  z.strictObject({
    rule: z.literal('price-deviation'),
    priceFen: z.number(),
    indexFen: z.number(),
    /** ⌈|price − index| × 10000 / index⌉: rounded up, so it exceeds the limit exactly when the rule fires. */
    deviationBp: z.number(),
    limitBp: z.number(),
  }),
  z.strictObject({
    rule: z.literal('pair-frequency'),
    /** The pair's open orders (ordered, suspended, verified), this one included. */
    openOrders: z.number(),
    /** The pair's orders settled within the last 24 hours. */
    settledInWindow: z.number(),
    limit: z.number(),
    windowHours: z.literal(24),
  }),
]);
export type AlertReason = z.infer<typeof alertReasonSchema>;

/** 异常交易预警: a red alert suspending an order until a regulator decides. */
export const alertSchema = z.strictObject({
  id: z.string(),
  orderId: z.string(),
  level: z.literal('red'),
  /** Raised when the order was placed, or when its settlement was attempted. */
  stage: z.enum(['order', 'settlement']),
  reasons: z.array(alertReasonSchema),
  sellerSubjectId: z.string(),
  buyerSubjectId: z.string(),
  sellerCounty: z.string(),
  buyerCounty: z.string(),
  status: z.enum(['open', 'cleared', 'rejected']),
  raisedAt: z.string(),
  raiseTxId: z.string(),
  resolvedBy: partySchema.optional(),
  resolvedAt: z.string().optional(),
  resolveTxId: z.string().optional(),
  note: z.string().optional(),
  evidenceRefs: z.array(z.string()).optional(),
});
export type Alert = z.infer<typeof alertSchema>;

/**
 * A category's moving index as answered (risk.ts categoryIndexAt): the floor mean of the latest
 * `indexWindow` prices settled at or before `asOf`, the transaction time minus INDEX_LAG_MS.
 * Computed on read from one price entry per settlement (`categoryprice`), so settlements of one
 * category never read or write a shared key; the lag keeps concurrent settlements out of the
 * range each reads. A price counts for the index (and the risk rule) from INDEX_LAG_MS after its
 * settlement.
 */
export const categoryIndexSchema = z.strictObject({
  category: z.string(),
  /** The prices of the window, oldest first: at most `indexWindow`. */
  recentPricesFen: z.array(z.number()),
  indexFen: z.number(),
  /** When the newest price of the window was settled. */
  updatedAt: z.string(),
  /** Prices settled at or before this time count: the transaction time minus INDEX_LAG_MS. */
  asOf: z.string(),
});
export type CategoryIndex = z.infer<typeof categoryIndexSchema>;

/**
 * A category's running index record as settlements kept it before price entries: no longer
 * written (every settlement of the category read and rewrote it, so they conflicted); still
 * read, so its prices stay in the window until newer entries push them out.
 */
export interface LegacyCategoryIndex {
  readonly category: string;
  /** Oldest first. */
  readonly recentPricesFen: number[];
  readonly indexFen: number;
  readonly settledCount: number;
  readonly updatedAt: string;
}

/** One settled price of a category, under its category, settlement time and txId (kernel/recent-entries.ts: newest first). */
export interface CategoryPrice {
  readonly priceFen: number;
  readonly orderId: string;
  readonly settledAt: string;
}

/** That a category has had a settlement: what ListCategoryIndexes pages over. Rewritten blind (same value) by every settlement of it. */
export interface CategoryMark {
  readonly category: string;
}

/** Open orders (ordered, suspended, verified) between two subjects (unordered pair): one counter, read by the pair rule. */
export const pairOpenOrdersSchema = z.strictObject({
  subjectA: z.string(),
  subjectB: z.string(),
  open: z.number(),
});
export type PairOpenOrders = z.infer<typeof pairOpenOrdersSchema>;

/** A settled trade, for statistics (trade volume per origin county and day; cross-region tax sharing). */
export const tradeSchema = z.strictObject({
  date: z.string(),
  orderId: z.string(),
  assetId: z.string(),
  assetKind: z.enum(ASSET_KINDS),
  category: z.string(),
  originCounty: z.string(),
  sellerCounty: z.string(),
  buyerCounty: z.string(),
  crossRegion: z.boolean(),
  priceFen: z.number(),
  settledAt: z.string(),
});
export type Trade = z.infer<typeof tradeSchema>;

export const Assets = defineRecordType<Asset>({
  type: 'asset',
  keyArity: 1,
  keyOf: (a) => [a.id],
  indexes: {
    listed: (a) => (a.status === 'listed' ? [a.category] : undefined),
    byOwner: (a) => [a.ownerSubjectId],
  },
});

export const OwnershipTransfers = defineRecordType<OwnershipTransfer>({
  type: 'ownership',
  keyArity: 2,
  keyOf: (t) => [t.assetId, String(t.seq).padStart(8, '0')],
});

export const Orders = defineRecordType<Order>({
  type: 'order',
  keyArity: 1,
  keyOf: (o) => [o.id],
  indexes: {
    byBuyer: (o) => [o.buyerSubjectId],
    bySeller: (o) => [o.sellerSubjectId],
  },
});

export const Alerts = defineRecordType<Alert>({
  type: 'alert',
  keyArity: 1,
  keyOf: (a) => [a.id],
  indexes: {
    byStatus: (a) => [a.status],
  },
});

export const CategoryIndexes = defineRecordType<LegacyCategoryIndex>({
  type: 'categoryindex',
  keyArity: 1,
  keyOf: (c) => [c.category],
});

export const CategoryPrices: RecentEntryType = { type: 'categoryprice' };

export const CategoryMarks = defineRecordType<CategoryMark>({
  type: 'categorymark',
  keyArity: 1,
  keyOf: (c) => [c.category],
});

/** One key-only entry per settled trade of a pair (subjects in pairOf order), at the settling transaction's time: the pair-frequency window. */
export const PairTrades: RecentEntryType = { type: 'pairtrade' };

export const PairOpenOrdersCount = defineRecordType<PairOpenOrders>({
  type: 'pairopen',
  keyArity: 2,
  keyOf: (p) => [p.subjectA, p.subjectB],
});

export const Trades = defineRecordType<Trade>({
  type: 'trade',
  keyArity: 2,
  keyOf: (t) => [t.date, t.orderId],
  indexes: {
    byOrigin: (t) => [t.originCounty, t.date],
  },
});
