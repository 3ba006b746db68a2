import { z } from 'zod';
import { calendarDateSchema, periodRefinement } from '../kernel/dates';
import { paymentRefSchema, recordIdSchema, requiredEvidenceRefsSchema } from '../kernel/ids';
import { basisPointsSchema, mspIdSchema, pageQuerySchema, positiveFenSchema } from '../kernel/schemas';

export const recordContributionInput = z.strictObject({
  amountFen: positiveFenSchema,
  paymentRef: paymentRefSchema,
  note: z.string().max(500).optional(),
});
export const listContributionsInput = z.strictObject({ county: mspIdSchema, ...pageQuerySchema.shape });

export const periodShape = { periodFrom: calendarDateSchema, periodTo: calendarDateSchema };

/** Carbon sink in kilograms of CO2 equivalent (integers; 1 tCO2e = 1000). */
export const reportCarbonSinkInput = z
  .strictObject({
    ...periodShape,
    kgCo2e: z.number().int('must be whole kilograms').positive().max(Number.MAX_SAFE_INTEGER),
    evidenceRefs: requiredEvidenceRefsSchema,
    note: z.string().max(500).optional(),
  })
  .superRefine(periodRefinement('periodFrom', 'periodTo'));

export const carbonSinkRefShape = { county: mspIdSchema, ...periodShape };
export const carbonSinkRefInput = z.strictObject(carbonSinkRefShape);
export const confirmCarbonSinkInput = z.strictObject({
  ...carbonSinkRefShape,
  decision: z.enum(['confirm', 'reject']),
  note: z.string().max(500).optional(),
});

export const METRIC_KINDS = ['trade-volume', 'carbon-sink', 'indicator'] as const;
export const MAX_METRICS = 8;

export const indicatorNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes');

const weightSchema = basisPointsSchema.refine((w) => w > 0, 'must be more than zero');

export const metricSchema = z.discriminatedUnion('metric', [
  /** Computed by the chaincode from settled eco-product trades by origin county: never typed in. */
  z.strictObject({ metric: z.literal('trade-volume'), weightBp: weightSchema }),
  /** Confirmed carbon sink reports for exactly the round's period. */
  z.strictObject({ metric: z.literal('carbon-sink'), weightBp: weightSchema }),
  /** Another indicator, its values given per county in the proposal and approved with it. */
  z.strictObject({
    metric: z.literal('indicator'),
    name: indicatorNameSchema,
    weightBp: weightSchema,
    values: z
      .array(z.strictObject({ county: mspIdSchema, value: z.number().int('must be an integer').nonnegative().max(Number.MAX_SAFE_INTEGER) }))
      .min(1)
      .max(32),
  }),
]);
export type MetricInput = z.infer<typeof metricSchema>;

export const proposeRoundShape = {
  ...periodShape,
  poolFen: positiveFenSchema,
  metrics: z.array(metricSchema).min(1).max(MAX_METRICS),
  note: z.string().max(500).optional(),
};
export const proposeRoundInput = z
  .strictObject(proposeRoundShape)
  .superRefine(periodRefinement('periodFrom', 'periodTo'))
  .superRefine((v, ctx) => {
    const total = v.metrics.reduce((s, m) => s + m.weightBp, 0);
    if (total !== 10000) ctx.addIssue({ code: 'custom', path: ['metrics'], message: `weights must sum to exactly 10000 basis points, got ${total}` });
    const names = v.metrics.map((m) => (m.metric === 'indicator' ? `indicator:${m.name}` : m.metric));
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', path: ['metrics'], message: 'each metric may appear once' });
    v.metrics.forEach((m, i) => {
      if (m.metric !== 'indicator') return;
      const counties = m.values.map((x) => x.county);
      if (new Set(counties).size !== counties.length) ctx.addIssue({ code: 'custom', path: ['metrics', i, 'values'], message: 'each county may appear once' });
    });
  });
export type ProposeRoundInput = z.infer<typeof proposeRoundInput>;

export const roundIdSchema = recordIdSchema;
export const roundRefInput = z.strictObject({ roundId: roundIdSchema });
export const listRoundsInput = z.strictObject({ status: z.enum(['proposed', 'finalized', 'withdrawn']), ...pageQuerySchema.shape });
export const withdrawRoundInput = z.strictObject({ roundId: roundIdSchema, reason: z.string().min(1).max(500) });

export const recordDisbursementInput = z.strictObject({
  roundId: roundIdSchema,
  county: mspIdSchema,
  amountFen: positiveFenSchema,
  paymentRef: paymentRefSchema,
  note: z.string().max(500).optional(),
});
/**
 * recorded (by the paying county) → confirmed | disputed (by the receiving county's finance);
 * recorded | disputed → cancelled (by the recording county's finance).
 */
export const DISBURSEMENT_STATUSES = ['recorded', 'confirmed', 'disputed', 'cancelled'] as const;
export const disbursementStatusSchema = z.enum(DISBURSEMENT_STATUSES);
export const disbursementIdSchema = recordIdSchema;
export const disbursementRefInput = z.strictObject({ disbursementId: disbursementIdSchema });
export const confirmDisbursementInput = z.strictObject({ disbursementId: disbursementIdSchema, note: z.string().max(500).optional() });
/** A dispute or a cancellation says why. */
export const decideDisbursementInput = z.strictObject({ disbursementId: disbursementIdSchema, reason: z.string().min(1).max(500) });
/** A round's disbursements, or a receiving county's (exactly one of the two), all or of one status. */
export const listDisbursementsInput = z
  .strictObject({
    roundId: roundIdSchema.optional(),
    county: mspIdSchema.optional(),
    status: disbursementStatusSchema.optional(),
    ...pageQuerySchema.shape,
  })
  .refine((v) => (v.roundId === undefined) !== (v.county === undefined), { message: 'give exactly one of roundId and county' });

export const tradeVolumeInput = z.strictObject({ county: mspIdSchema, ...periodShape }).superRefine(periodRefinement('periodFrom', 'periodTo'));
