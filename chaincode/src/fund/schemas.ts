import { z } from 'zod';
import { addDays } from '../kernel/time';
import { basisPointsSchema, creditCodeSchema, mspIdSchema, pageQuerySchema, positiveFenSchema } from '../kernel/schemas';
import { recordIdSchema, requiredEvidenceRefsSchema } from '../evidence/schemas';
import { paymentRefSchema } from '../market/schemas';

/** A CST calendar day, YYYY-MM-DD, that exists. */
export const dayDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => {
    const ms = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === d;
  }, 'is not a calendar date');

/** Longest fund period / statement range in days, so a round reads at most days × counties records. */
export const MAX_PERIOD_DAYS = 366;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Every CST day from `from` to `to` inclusive (callers' schemas cap the length). */
export function datesOf(from: string, to: string): string[] {
  const n = daysBetween(from, to);
  const out: string[] = [];
  for (let i = 0; i <= n; i++) out.push(addDays(from, i));
  return out;
}

/** Adds the "to not before from" and the length cap to a shape with two date fields. */
function periodRefinement(fromKey: string, toKey: string, maxDays = MAX_PERIOD_DAYS) {
  return (v: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const from = v[fromKey];
    const to = v[toKey];
    if (typeof from !== 'string' || typeof to !== 'string') return;
    if (to < from) ctx.addIssue({ code: 'custom', path: [toKey], message: `must not be before ${fromKey}` });
    else if (daysBetween(from, to) + 1 > maxDays) ctx.addIssue({ code: 'custom', path: [toKey], message: `the period may be at most ${maxDays} days` });
  };
}

// ---------------------------------------------------------------- counties

export const registerCountyInput = z.strictObject({
  name: z.string().min(1).max(100),
  division: z.string().regex(/^\d{6}$/, 'must be a six-digit administrative division code'),
  creditCode: creditCodeSchema.optional(),
});
export const countyRefInput = z.strictObject({ mspId: mspIdSchema });

// ---------------------------------------------------------------- fund

export const recordContributionInput = z.strictObject({
  amountFen: positiveFenSchema,
  paymentRef: paymentRefSchema,
  note: z.string().max(500).optional(),
});
export const listContributionsInput = z.strictObject({ county: mspIdSchema, ...pageQuerySchema.shape });

export const periodShape = { periodFrom: dayDateSchema, periodTo: dayDateSchema };

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
export const listRoundsInput = z.strictObject({ status: z.enum(['proposed', 'finalized']), ...pageQuerySchema.shape });

export const recordDisbursementInput = z.strictObject({
  roundId: roundIdSchema,
  county: mspIdSchema,
  amountFen: positiveFenSchema,
  paymentRef: paymentRefSchema,
  note: z.string().max(500).optional(),
});
export const listDisbursementsInput = z.strictObject({ roundId: roundIdSchema, ...pageQuerySchema.shape });

export const tradeVolumeInput = z.strictObject({ county: mspIdSchema, ...periodShape }).superRefine(periodRefinement('periodFrom', 'periodTo'));

// ---------------------------------------------------------------- tax sharing

export const proposeTaxAgreementInput = z
  .strictObject({
    /** The other county of the agreement; the caller's county is the first. */
    counterpartCounty: mspIdSchema,
    /** Tax on a cross-region trade between the two: floor(price × taxRateBp / 10000). */
    taxRateBp: basisPointsSchema.refine((v) => v > 0, 'must be more than zero'),
    /** Share of the tax going to the producing (origin) county; the consuming (buyer) county gets the rest. */
    originShareBp: basisPointsSchema,
    validFrom: dayDateSchema,
    validTo: dayDateSchema,
    note: z.string().max(500).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.validTo < v.validFrom) ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'must not be before validFrom' });
  });
export const agreementIdSchema = recordIdSchema;
export const agreementRefInput = z.strictObject({ agreementId: agreementIdSchema });
export const countyPairShape = { countyA: mspIdSchema, countyB: mspIdSchema };
export const listAgreementsInput = z.strictObject({ ...countyPairShape, ...pageQuerySchema.shape });
export const taxStatementInput = z
  .strictObject({ ...countyPairShape, from: dayDateSchema, to: dayDateSchema })
  .superRefine(periodRefinement('from', 'to'));
export const listTaxEntriesInput = z.strictObject({ ...countyPairShape, date: dayDateSchema, ...pageQuerySchema.shape });
