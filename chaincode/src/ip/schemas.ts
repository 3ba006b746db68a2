import { z } from 'zod';
import { basisPointsSchema, creditCodeSchema, fenSchema, mspIdSchema, pageQuerySchema } from '../kernel/schemas';
import { categorySchema, recordIdSchema, requiredEvidenceRefsSchema } from '../kernel/ids';
import { MAX_PERIOD_DAYS, calendarDateSchema, daysBetween } from '../kernel/dates';

export const IP_KINDS = ['intangible-heritage', 'folk-event', 'regional-brand', 'geographic-indication'] as const;
export type IpKind = (typeof IP_KINDS)[number];

/** Co-owning counties of one IP asset, at most. */
export const MAX_OWNERS = 32;

export const ownerShareSchema = z.strictObject({
  county: mspIdSchema,
  shareBp: basisPointsSchema.refine((v) => v > 0, 'must be more than zero'),
});

/** Co-owners with shares in basis points summing to exactly 10000, each county once. */
export const ownersSchema = z
  .array(ownerShareSchema)
  .min(1)
  .max(MAX_OWNERS)
  .superRefine((owners, ctx) => {
    const total = owners.reduce((s, o) => s + o.shareBp, 0);
    if (total !== 10000) ctx.addIssue({ code: 'custom', message: `shares must sum to exactly 10000 basis points, got ${total}` });
    if (new Set(owners.map((o) => o.county)).size !== owners.length) ctx.addIssue({ code: 'custom', message: 'each county may appear once' });
  });

export const registerIpInput = z.strictObject({
  title: z.string().min(1).max(200),
  kind: z.enum(IP_KINDS),
  description: z.string().max(2000).optional(),
  owners: ownersSchema,
  proofEvidenceRefs: requiredEvidenceRefsSchema,
});
export type RegisterIpInput = z.infer<typeof registerIpInput>;

export const ipIdSchema = recordIdSchema;
export const licenseIdSchema = recordIdSchema;
export const ipRefInput = z.strictObject({ ipId: ipIdSchema });
export const listIpInput = z.strictObject({ kind: z.enum(IP_KINDS), ...pageQuerySchema.shape });

const reasonSchema = z.string().min(1).max(500);
/** A co-owner county accepts its share of an IP asset. */
export const acceptShareInput = z.strictObject({ ipId: ipIdSchema, note: z.string().min(1).max(500).optional() });
/** A co-owner county declines its share: the asset will not become active. */
export const declineShareInput = z.strictObject({ ipId: ipIdSchema, reason: reasonSchema });
/** The registering county withdraws an IP asset still awaiting consent. */
export const withdrawIpInput = z.strictObject({ ipId: ipIdSchema, reason: reasonSchema });
/** IP assets awaiting a county's decision on its share. */
export const listAwaitingConsentInput = z.strictObject({ county: mspIdSchema, ...pageQuerySchema.shape });

const distinct = <T>(items: readonly T[]): boolean => new Set(items).size === items.length;

export const licenseTermsShape = {
  /** The licensee enterprise's unified social credit code. */
  licenseeSubjectId: creditCodeSchema,
  categories: z.array(categorySchema).min(1).max(20).refine(distinct, 'each category may appear once'),
  /** Counties (MSP IDs) where the licensee may use the IP. */
  territory: z.array(mspIdSchema).min(1).max(32).refine(distinct, 'each county may appear once'),
  termFrom: calendarDateSchema,
  termTo: calendarDateSchema,
  exclusive: z.boolean(),
  /** Royalty on reported sales, basis points. */
  royaltyRateBp: basisPointsSchema.optional(),
  /** Fixed fee per reported period, fen. */
  fixedFeeFen: fenSchema.optional(),
};

export function licenseTermsRefinement(
  v: { termFrom: string; termTo: string; royaltyRateBp?: number | undefined; fixedFeeFen?: number | undefined },
  ctx: z.RefinementCtx,
): void {
  if (v.termTo < v.termFrom) ctx.addIssue({ code: 'custom', path: ['termTo'], message: 'the term must not end before it starts' });
  if (!v.royaltyRateBp && !v.fixedFeeFen)
    ctx.addIssue({ code: 'custom', path: ['royaltyRateBp'], message: 'a royalty rate, a fixed fee or both are required' });
}

export const requestLicenseInput = z.strictObject({ ipId: ipIdSchema, ...licenseTermsShape }).superRefine(licenseTermsRefinement);
export type RequestLicenseInput = z.infer<typeof requestLicenseInput>;

export const licenseRefInput = z.strictObject({ licenseId: licenseIdSchema });
/** An owner county votes against a license request. */
export const rejectLicenseInput = z.strictObject({ licenseId: licenseIdSchema, reason: reasonSchema });
/** The licensee withdraws its license request. */
export const withdrawLicenseInput = z.strictObject({ licenseId: licenseIdSchema, reason: reasonSchema.optional() });
export const listLicensesInput = z.strictObject({ ipId: ipIdSchema, ...pageQuerySchema.shape });

export const REVOCATION_GROUNDS = ['infringement', 'breach'] as const;
export const revokeLicenseShape = {
  ground: z.enum(REVOCATION_GROUNDS),
  reason: z.string().min(1).max(500),
  evidenceRefs: requiredEvidenceRefsSchema,
};
export const revokeLicenseInput = z.strictObject({ licenseId: licenseIdSchema, ...revokeLicenseShape });

export const royaltyReportShape = {
  periodFrom: calendarDateSchema,
  periodTo: calendarDateSchema,
  /** Sales of licensed products in the period, fen. */
  salesFen: fenSchema,
  note: z.string().max(500).optional(),
};
export function royaltyPeriodRefinement(v: { periodFrom: string; periodTo: string }, ctx: z.RefinementCtx): void {
  if (v.periodTo < v.periodFrom) ctx.addIssue({ code: 'custom', path: ['periodTo'], message: 'must not be before periodFrom' });
  else if (daysBetween(v.periodFrom, v.periodTo) + 1 > MAX_PERIOD_DAYS)
    ctx.addIssue({ code: 'custom', path: ['periodTo'], message: `a period may be at most ${MAX_PERIOD_DAYS} days` });
}
export const reportRoyaltyInput = z.strictObject({ licenseId: licenseIdSchema, ...royaltyReportShape }).superRefine(royaltyPeriodRefinement);
export const listRoyaltyReportsInput = z.strictObject({ licenseId: licenseIdSchema, ...pageQuerySchema.shape });
export const royaltyStatementInput = z
  .strictObject({ county: mspIdSchema, from: calendarDateSchema, to: calendarDateSchema })
  .superRefine((v, ctx) => royaltyPeriodRefinement({ periodFrom: v.from, periodTo: v.to }, ctx));
