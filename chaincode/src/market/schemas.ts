import { z } from 'zod';
import { calendarDateSchema } from '../kernel/dates';
import {
  categorySchema,
  evidenceRefsSchema,
  paymentRefSchema,
  recordIdSchema,
  requiredEvidenceRefsSchema,
  sha256HexSchema,
  subjectIdSchema,
} from '../kernel/ids';
import { fenSchema, mspIdSchema, pageQuerySchema, positiveFenSchema } from '../kernel/schemas';

export const ASSET_KINDS = ['eco-product', 'ip-derivative', 'rural-resource'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** Certification evidence an eco product refers to (soil test, production record, organic certificate, carbon footprint). */
export const CERTIFICATION_KINDS = ['soil-test', 'production-record', 'organic-certificate', 'carbon-footprint', 'other'] as const;

/** Reference to an IP license; checked by the listing rules (licenseCheck). */
export const licenseRefSchema = z.string().max(128);

export const assetIdSchema = recordIdSchema;
export const orderIdSchema = recordIdSchema;
export const alertIdSchema = recordIdSchema;

export const registerAssetInput = z.strictObject({
  /** The subject that owns the asset; the caller must be a merchant acting for it. */
  ownerSubjectId: subjectIdSchema,
  kind: z.enum(ASSET_KINDS),
  title: z.string().min(1).max(200),
  category: categorySchema,
  costFen: fenSchema,
  priceFen: positiveFenSchema,
  evidenceRefs: evidenceRefsSchema.optional(),
  certifications: z
    .array(z.strictObject({ kind: z.enum(CERTIFICATION_KINDS), sha256: sha256HexSchema }))
    .max(10)
    .optional(),
  licenseRef: licenseRefSchema.optional(),
});
export type RegisterAssetInput = z.infer<typeof registerAssetInput>;

export const setListingInput = z.strictObject({
  assetId: assetIdSchema,
  listed: z.boolean(),
  /** New asking price when listing; the listing rules are checked again. */
  priceFen: positiveFenSchema.optional(),
});

export const assetRefInput = z.strictObject({ assetId: assetIdSchema });
export const ownershipHistoryInput = z.strictObject({ assetId: assetIdSchema, ...pageQuerySchema.shape });
export const listListedAssetsInput = z.strictObject({ category: categorySchema, ...pageQuerySchema.shape });
export const listAssetsByOwnerInput = z.strictObject({ ownerSubjectId: subjectIdSchema, ...pageQuerySchema.shape });

export const placeOrderInput = z.strictObject({
  assetId: assetIdSchema,
  /** The buying subject; the caller must be a merchant acting for it. */
  buyerSubjectId: subjectIdSchema,
  /** 定金: 0 < deposit ≤ 20% of the price (a zero deposit is a RULE_VIOLATION). */
  depositFen: fenSchema,
  depositPaymentRef: paymentRefSchema,
});

export const recordVerificationInput = z.strictObject({
  orderId: orderIdSchema,
  result: z.enum(['pass', 'fail']),
  evidenceRefs: requiredEvidenceRefsSchema,
  note: z.string().max(500).optional(),
});

export const settleOrderInput = z.strictObject({
  orderId: orderIdSchema,
  /** Reference of the balance payment. */
  paymentRef: paymentRefSchema,
});

export const cancelOrderInput = z.strictObject({
  orderId: orderIdSchema,
  reason: z.string().min(1).max(500),
});

export const orderRefInput = z.strictObject({ orderId: orderIdSchema });
export const listOrdersInput = z.strictObject({ subjectId: subjectIdSchema, side: z.enum(['buyer', 'seller']), ...pageQuerySchema.shape });

export const resolveAlertInput = z.strictObject({
  alertId: alertIdSchema,
  decision: z.enum(['clear', 'reject']),
  note: z.string().min(1).max(500),
  evidenceRefs: evidenceRefsSchema.optional(),
});
export const alertRefInput = z.strictObject({ alertId: alertIdSchema });
export const listAlertsInput = z.strictObject({ status: z.enum(['open', 'cleared', 'rejected']), ...pageQuerySchema.shape });

/** Limits keep every risk computation bounded (ring buffer size, bucket reads). */
export const RISK_LIMITS = {
  priceDeviationBp: { min: 1, max: 1_000_000 },
  indexWindow: { min: 1, max: 100 },
  indexMinSamples: { min: 1, max: 100 },
  pairTradeLimit: { min: 1, max: 1000 },
  verificationDays: { min: 1, max: 90 },
  paymentDays: { min: 1, max: 90 },
} as const;

const bounded = (name: keyof typeof RISK_LIMITS) => z.number().int().min(RISK_LIMITS[name].min).max(RISK_LIMITS[name].max);

export const riskConfigShape = {
  /** Largest allowed deviation of a price from its category's moving index, basis points. */
  priceDeviationBp: bounded('priceDeviationBp'),
  /** How many of the latest settled prices of a category make its moving index. */
  indexWindow: bounded('indexWindow'),
  /** Settled prices a category needs before the deviation rule applies. */
  indexMinSamples: bounded('indexMinSamples'),
  /** More than this many settled trades between the same two subjects within 24 h raises an alert. */
  pairTradeLimit: bounded('pairTradeLimit'),
  /** Calendar days (CST) after the order within which the verification is due. */
  verificationDays: bounded('verificationDays'),
  /** Calendar days (CST) after a pass within which the balance is due. */
  paymentDays: bounded('paymentDays'),
};

export const setRiskConfigInput = z
  .strictObject({
    priceDeviationBp: riskConfigShape.priceDeviationBp.optional(),
    indexWindow: riskConfigShape.indexWindow.optional(),
    indexMinSamples: riskConfigShape.indexMinSamples.optional(),
    pairTradeLimit: riskConfigShape.pairTradeLimit.optional(),
    verificationDays: riskConfigShape.verificationDays.optional(),
    paymentDays: riskConfigShape.paymentDays.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'at least one parameter is required' });

export const categoryRefInput = z.strictObject({ category: categorySchema });
export const listTradesInput = z.strictObject({
  originCounty: mspIdSchema,
  /** Settlement day of the trades (CST, YYYY-MM-DD). */
  date: calendarDateSchema,
  ...pageQuerySchema.shape,
});
