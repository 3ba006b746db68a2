/**
 * The trade records as the gateway answers them (chaincode/src/market/records.ts, subjects/records.ts),
 * the fields the merchant and verifier pages show.
 */
export type OrderStatus = 'ordered' | 'suspended' | 'verified' | 'settled' | 'cancelled';
export type AssetStatus = 'listed' | 'reserved' | 'held';

export interface Party {
  mspId: string;
  member: string;
}

export interface Subject {
  id: string;
  kind: 'enterprise' | 'individual';
  county: string;
  name?: string;
  access: 'pending' | 'green' | 'orange' | 'red';
  tradeLimitFen?: number;
}

export interface Binding {
  subjectId: string;
  mspId: string;
  member: string;
  active: boolean;
}

export interface Asset {
  id: string;
  kind: 'eco-product' | 'ip-derivative' | 'rural-resource';
  title: string;
  category: string;
  originCounty: string;
  ownerSubjectId: string;
  costFen: number;
  priceFen: number;
  status: AssetStatus;
  openOrderId?: string;
  certifications: Array<{ kind: string; sha256: string }>;
}

export interface Verification {
  result: 'pass' | 'fail';
  evidenceRefs: string[];
  note?: string;
  verifier: Party;
  at: string;
}

export interface Order {
  id: string;
  assetId: string;
  category: string;
  sellerSubjectId: string;
  buyerSubjectId: string;
  sellerCounty: string;
  buyerCounty: string;
  originCounty: string;
  crossRegion: boolean;
  priceFen: number;
  depositFen: number;
  depositPaymentRef: string;
  status: OrderStatus;
  orderedAt: string;
  /** Last CST day for the on-site verification (while ordered). */
  verifyBy: string;
  /** Last CST day for the balance (once verified). */
  payBy?: string;
  alertId?: string;
  verification?: Verification;
  settlement?: { paymentRef: string; balanceFen: number; settlementDate: string; at: string; evidenceSha256: string };
  cancellation?: { reason: string; faultParty: 'buyer' | 'seller' | 'none'; refundToBuyerFen: number; forfeitedToSellerFen: number; at: string };
  updatedAt: string;
}

/** What a submitting route answers: the transaction and the chaincode's result. */
export interface Submitted<T> {
  txId: string;
  blockNumber: number;
  result: T;
}

/** The deposit cap of the civil code the chaincode enforces (market/deposit.ts): 20% of the price, in whole fen. */
export const MAX_DEPOSIT_BP = 2000;
export const depositCapFen = (priceFen: number): number => Number((BigInt(priceFen) * BigInt(MAX_DEPOSIT_BP)) / 10000n);

/** A payment or evidence reference as the ledger accepts it (kernel/ids.ts paymentRefSchema). */
export const REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:._/#-]{0,127}$/;

/** POST /evidence answers the new record (201) or the one already anchored (200). */
export type EvidenceUpload = { existing: false; result: { sha256: string } } | { existing: true; record: { sha256: string } };
export const sha256Of = (u: EvidenceUpload): string => (u.existing ? u.record.sha256 : u.result.sha256);
