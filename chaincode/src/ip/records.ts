import { z } from 'zod';
import { actorSchema } from '../kernel/actor';
import { fenTotalSchema } from '../kernel/schemas';
import { IP_KINDS } from './schemas';
import { defineRecordType } from '../kernel/state';

export const ownerShareSchema = z.strictObject({
  county: z.string(),
  shareBp: z.number(),
});
export type OwnerShare = z.infer<typeof ownerShareSchema>;

/**
 * An IP asset is `pending-consent` until every named co-owner county has accepted its share,
 * then `active` (licenses may be requested). A co-owner declining makes it `declined`; the
 * registering county may withdraw it while it is pending (`withdrawn`). The last three are final.
 */
export const IP_STATUSES = ['pending-consent', 'active', 'declined', 'withdrawn'] as const;
export const ipStatusSchema = z.enum(IP_STATUSES);
export type IpStatus = z.infer<typeof ipStatusSchema>;

/** A co-owner county's decision on its share, made by one of its regulators (the registrant's own share: at registration). */
export const ipConsentSchema = z.strictObject({
  county: z.string(),
  shareBp: z.number(),
  decision: z.enum(['accepted', 'declined']),
  by: actorSchema,
  at: z.string(),
  txId: z.string(),
  /** A note with an acceptance, the reason of a decline. */
  note: z.string().optional(),
});
export type IpConsent = z.infer<typeof ipConsentSchema>;

export const ipWithdrawalSchema = z.strictObject({
  reason: z.string(),
  by: actorSchema,
  at: z.string(),
  txId: z.string(),
});

/** An IP asset of the regional cultural-IP library (区域文化IP库), co-owned by counties. */
export const ipAssetSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  kind: z.enum(IP_KINDS),
  description: z.string().optional(),
  /** Shares in basis points summing to exactly 10000. */
  owners: z.array(ownerShareSchema),
  proofEvidenceRefs: z.array(z.string()),
  status: ipStatusSchema,
  /** Decisions of the co-owner counties so far, in the order made. */
  consents: z.array(ipConsentSchema),
  /** Sum of the accepted shares; the asset is active at exactly 10000. */
  acceptedShareBp: z.number(),
  activatedAt: z.string().optional(),
  withdrawal: ipWithdrawalSchema.optional(),
  registeredBy: actorSchema,
  registeredAt: z.string(),
  registerTxId: z.string(),
});
export type IpAsset = z.infer<typeof ipAssetSchema>;

export const licenseApprovalSchema = z.strictObject({
  county: z.string(),
  shareBp: z.number(),
  by: actorSchema,
  at: z.string(),
  txId: z.string(),
});
export type LicenseApproval = z.infer<typeof licenseApprovalSchema>;

export const revocationSchema = z.strictObject({
  ground: z.enum(['infringement', 'breach']),
  reason: z.string(),
  evidenceRefs: z.array(z.string()),
  by: actorSchema,
  at: z.string(),
  /** CST day of the revocation: royalty periods may run up to it. */
  date: z.string(),
  txId: z.string(),
});
export type Revocation = z.infer<typeof revocationSchema>;

/** An owner county's vote against a license request. */
export const licenseRejectionSchema = z.strictObject({
  county: z.string(),
  shareBp: z.number(),
  reason: z.string(),
  by: actorSchema,
  at: z.string(),
  txId: z.string(),
});
export type LicenseRejection = z.infer<typeof licenseRejectionSchema>;

export const licenseWithdrawalSchema = z.strictObject({
  reason: z.string().optional(),
  by: actorSchema,
  at: z.string(),
  txId: z.string(),
});

/**
 * `requested` until owners holding more than 5000 bp approved, then `effective` (active on the
 * days of its term: expiry needs no transaction) until `revoked`. A request ends `rejected` once
 * owners holding more than 5000 bp rejected it, or `withdrawn` by the licensee; both are final.
 */
export const licenseStatusSchema = z.enum(['requested', 'effective', 'revoked', 'rejected', 'withdrawn']);
export type LicenseStatus = z.infer<typeof licenseStatusSchema>;

export const licenseSchema = z.strictObject({
  id: z.string(),
  ipId: z.string(),
  licenseeSubjectId: z.string(),
  categories: z.array(z.string()),
  territory: z.array(z.string()),
  termFrom: z.string(),
  termTo: z.string(),
  exclusive: z.boolean(),
  royaltyRateBp: z.number(),
  fixedFeeFen: z.number(),
  status: licenseStatusSchema,
  approvals: z.array(licenseApprovalSchema),
  approvedShareBp: z.number(),
  rejections: z.array(licenseRejectionSchema),
  rejectedShareBp: z.number(),
  requestedBy: actorSchema,
  requestedAt: z.string(),
  requestTxId: z.string(),
  effectiveAt: z.string().optional(),
  revocation: revocationSchema.optional(),
  rejectedAt: z.string().optional(),
  withdrawal: licenseWithdrawalSchema.optional(),
  /** The first day of the next royalty period: reports run back to back from the term's start. */
  nextReportFrom: z.string(),
  reports: z.number(),
});
export type License = z.infer<typeof licenseSchema>;

/** What a license is on a day: requested, pending (effective, term not begun), active, expired, revoked, rejected or withdrawn. */
export const licenseStateSchema = z.enum(['requested', 'pending', 'active', 'expired', 'revoked', 'rejected', 'withdrawn']);
export type LicenseState = z.infer<typeof licenseStateSchema>;

/** A license with what it is on the day it is read (GetLicense). */
export const licenseTodaySchema = licenseSchema
  .extend({
    stateToday: licenseStateSchema,
    /** The CST day the state is given for. */
    today: z.string(),
  })
  .describe('A license, with what it is today (requested, pending, active, expired, revoked, rejected or withdrawn) and the CST day it was read on.');
export type LicenseToday = z.infer<typeof licenseTodaySchema>;

export const royaltyPartSchema = z.strictObject({
  county: z.string(),
  shareBp: z.number(),
  amountFen: z.number(),
});
export type RoyaltyPart = z.infer<typeof royaltyPartSchema>;

/** A licensee's royalty report for a period, with the royalty due and its split among co-owners. */
export const royaltyReportSchema = z.strictObject({
  id: z.string(),
  licenseId: z.string(),
  ipId: z.string(),
  licenseeSubjectId: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  salesFen: z.number(),
  royaltyRateBp: z.number(),
  fixedFeeFen: z.number(),
  /** floor(sales × rate / 10000) + fixed fee. */
  royaltyDueFen: z.number(),
  /** Largest-remainder split by share: sums exactly to royaltyDueFen. */
  parts: z.array(royaltyPartSchema),
  note: z.string().optional(),
  reportedBy: actorSchema,
  reportedAt: z.string(),
  /** CST day of the report: the day it counts on in county statements. */
  date: z.string(),
  txId: z.string(),
});
export type RoyaltyReport = z.infer<typeof royaltyReportSchema>;

/** A county's royalty income from one report (statement detail). */
export const royaltyShareSchema = z.strictObject({
  county: z.string(),
  date: z.string(),
  reportId: z.string(),
  licenseId: z.string(),
  ipId: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  amountFen: z.number(),
});
export type RoyaltyShare = z.infer<typeof royaltyShareSchema>;

/** A county's royalty income per CST day, kept as a running total, exact (statements read ≤ 366 of them). */
export const royaltyDaySchema = z.strictObject({
  county: z.string(),
  date: z.string(),
  amountFen: fenTotalSchema,
  reports: z.number(),
});
export type RoyaltyDay = z.infer<typeof royaltyDaySchema>;

export const IpAssets = defineRecordType<IpAsset>({
  type: 'ipasset',
  keyArity: 1,
  keyOf: (a) => [a.id],
  indexes: { byKind: (a) => [a.kind] },
  multiIndexes: {
    // Under each co-owner county that has not decided yet, while the asset awaits consent.
    awaitingConsent: (a) =>
      a.status === 'pending-consent' ? a.owners.filter((o) => !a.consents.some((c) => c.county === o.county)).map((o) => [o.county]) : [],
  },
});

export const Licenses = defineRecordType<License>({
  type: 'license',
  keyArity: 1,
  keyOf: (l) => [l.id],
  indexes: {
    byIp: (l) => [l.ipId],
    // Open requests, which the per-IP cap counts.
    open: (l) => (l.status === 'requested' ? [l.ipId] : undefined),
    // The licenses the overlap rule compares against.
    effective: (l) => (l.status === 'effective' ? [l.ipId] : undefined),
    byLicensee: (l) => [l.licenseeSubjectId],
  },
});

export const RoyaltyReports = defineRecordType<RoyaltyReport>({
  type: 'royaltyreport',
  keyArity: 2,
  keyOf: (r) => [r.licenseId, r.periodFrom],
});

export const RoyaltyShares = defineRecordType<RoyaltyShare>({
  type: 'royaltyshare',
  keyArity: 3,
  keyOf: (s) => [s.county, s.date, s.reportId],
});

export const RoyaltyDays = defineRecordType<RoyaltyDay>({
  type: 'royaltyday',
  keyArity: 2,
  keyOf: (d) => [d.county, d.date],
});
