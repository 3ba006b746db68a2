import { z } from 'zod';
import { actorSchema } from '../kernel/actor';
import { IP_KINDS } from './schemas';
import { defineRecordType } from '../kernel/state';

export const ownerShareSchema = z.strictObject({
  county: z.string(),
  shareBp: z.number(),
});
export type OwnerShare = z.infer<typeof ownerShareSchema>;

/** An IP asset of the regional cultural-IP library (区域文化IP库), co-owned by counties. */
export const ipAssetSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  kind: z.enum(IP_KINDS),
  description: z.string().optional(),
  /** Shares in basis points summing to exactly 10000. */
  owners: z.array(ownerShareSchema),
  proofEvidenceRefs: z.array(z.string()),
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

/**
 * `requested` until owners holding more than 5000 bp approved, then `effective` (active on the
 * days of its term: expiry needs no transaction) until `revoked`.
 */
export const licenseStatusSchema = z.enum(['requested', 'effective', 'revoked']);
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
  requestedBy: actorSchema,
  requestedAt: z.string(),
  requestTxId: z.string(),
  effectiveAt: z.string().optional(),
  revocation: revocationSchema.optional(),
  /** The first day of the next royalty period: reports run back to back from the term's start. */
  nextReportFrom: z.string(),
  reports: z.number(),
});
export type License = z.infer<typeof licenseSchema>;

/** What a license is on a day: requested, pending (effective, term not begun), active, expired or revoked. */
export const licenseStateSchema = z.enum(['requested', 'pending', 'active', 'expired', 'revoked']);
export type LicenseState = z.infer<typeof licenseStateSchema>;

/** A license with what it is on the day it is read (GetLicense). */
export const licenseTodaySchema = licenseSchema
  .extend({
    stateToday: licenseStateSchema,
    /** The CST day the state is given for. */
    today: z.string(),
  })
  .describe('A license, with what it is today (requested, pending, active, expired or revoked) and the CST day it was read on.');
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

/** A county's royalty income per CST day, kept as a running total (statements read ≤ 366 of them). */
export const royaltyDaySchema = z.strictObject({
  county: z.string(),
  date: z.string(),
  amountFen: z.number(),
  reports: z.number(),
});
export type RoyaltyDay = z.infer<typeof royaltyDaySchema>;

export const IpAssets = defineRecordType<IpAsset>({
  type: 'ipasset',
  keyArity: 1,
  keyOf: (a) => [a.id],
  indexes: { byKind: (a) => [a.kind] },
});

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
