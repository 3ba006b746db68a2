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

export const categoryRefInput = z.strictObject({ category: categorySchema });
export const listCategoryIndexesInput = z.strictObject({ ...pageQuerySchema.shape });
export const listTradesInput = z.strictObject({
  originCounty: mspIdSchema,
  /** Settlement day of the trades (CST, YYYY-MM-DD). */
  date: calendarDateSchema,
  ...pageQuerySchema.shape,
});
