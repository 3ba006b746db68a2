import { Actor } from '../kernel/actor';
import { defineRecordType } from '../kernel/state';
import { IpKind } from './schemas';

export interface OwnerShare {
  readonly county: string;
  readonly shareBp: number;
}

/** An IP asset of the regional cultural-IP library (区域文化IP库), co-owned by counties. */
export interface IpAsset {
  readonly id: string;
  readonly title: string;
  readonly kind: IpKind;
  readonly description?: string;
  /** Shares in basis points summing to exactly 10000. */
  readonly owners: OwnerShare[];
  readonly proofEvidenceRefs: string[];
  readonly registeredBy: Actor;
  readonly registeredAt: string;
  readonly registerTxId: string;
}

export const IpAssets = defineRecordType<IpAsset>({
  type: 'ipasset',
  keyArity: 1,
  keyOf: (a) => [a.id],
  indexes: { byKind: (a) => [a.kind] },
});

export interface LicenseApproval {
  readonly county: string;
  readonly shareBp: number;
  readonly by: Actor;
  readonly at: string;
  readonly txId: string;
}

export interface Revocation {
  readonly ground: 'infringement' | 'breach';
  readonly reason: string;
  readonly evidenceRefs: string[];
  readonly by: Actor;
  readonly at: string;
  /** CST day of the revocation: royalty periods may run up to it. */
  readonly date: string;
  readonly txId: string;
}

/**
 * `requested` until owners holding more than 5000 bp approved, then `effective` (active on the
 * days of its term: expiry needs no transaction) until `revoked`.
 */
export type LicenseStatus = 'requested' | 'effective' | 'revoked';

export interface License {
  readonly id: string;
  readonly ipId: string;
  readonly licenseeSubjectId: string;
  readonly categories: string[];
  readonly territory: string[];
  readonly termFrom: string;
  readonly termTo: string;
  readonly exclusive: boolean;
  readonly royaltyRateBp: number;
  readonly fixedFeeFen: number;
  readonly status: LicenseStatus;
  readonly approvals: LicenseApproval[];
  readonly approvedShareBp: number;
  readonly requestedBy: Actor;
  readonly requestedAt: string;
  readonly requestTxId: string;
  readonly effectiveAt?: string;
  readonly revocation?: Revocation;
  /** The first day of the next royalty period: reports run back to back from the term's start. */
  readonly nextReportFrom: string;
  readonly reports: number;
}

export const Licenses = defineRecordType<License>({
  type: 'license',
  keyArity: 1,
  keyOf: (l) => [l.id],
  indexes: {
    byIp: (l) => [l.ipId],
    // The licenses the overlap rule compares against.
    effective: (l) => (l.status === 'effective' ? [l.ipId] : undefined),
    byLicensee: (l) => [l.licenseeSubjectId],
  },
});

export interface RoyaltyPart {
  readonly county: string;
  readonly shareBp: number;
  readonly amountFen: number;
}

/** A licensee's royalty report for a period, with the royalty due and its split among co-owners. */
export interface RoyaltyReport {
  readonly id: string;
  readonly licenseId: string;
  readonly ipId: string;
  readonly licenseeSubjectId: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly salesFen: number;
  readonly royaltyRateBp: number;
  readonly fixedFeeFen: number;
  /** floor(sales × rate / 10000) + fixed fee. */
  readonly royaltyDueFen: number;
  /** Largest-remainder split by share: sums exactly to royaltyDueFen. */
  readonly parts: RoyaltyPart[];
  readonly note?: string;
  readonly reportedBy: Actor;
  readonly reportedAt: string;
  /** CST day of the report: the day it counts on in county statements. */
  readonly date: string;
  readonly txId: string;
}

export const RoyaltyReports = defineRecordType<RoyaltyReport>({
  type: 'royaltyreport',
  keyArity: 2,
  keyOf: (r) => [r.licenseId, r.periodFrom],
});

/** A county's royalty income from one report (statement detail). */
export interface RoyaltyShare {
  readonly county: string;
  readonly date: string;
  readonly reportId: string;
  readonly licenseId: string;
  readonly ipId: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly amountFen: number;
}

export const RoyaltyShares = defineRecordType<RoyaltyShare>({
  type: 'royaltyshare',
  keyArity: 3,
  keyOf: (s) => [s.county, s.date, s.reportId],
});

/** A county's royalty income per CST day, kept as a running total (statements read ≤ 366 of them). */
export interface RoyaltyDay {
  readonly county: string;
  readonly date: string;
  readonly amountFen: number;
  readonly reports: number;
}

export const RoyaltyDays = defineRecordType<RoyaltyDay>({
  type: 'royaltyday',
  keyArity: 2,
  keyOf: (d) => [d.county, d.date],
});
