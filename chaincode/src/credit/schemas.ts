import { z } from 'zod';
import { calendarDateSchema } from '../kernel/dates';
import { mspIdSchema, pageQuerySchema } from '../kernel/schemas';
import { evidenceRefsSchema, recordIdSchema, requiredEvidenceRefsSchema, sha256HexSchema, subjectIdSchema } from '../kernel/ids';
import { creditCodeProblem } from '../kernel/credit-code';

/** Kinds of credit events (信用事件). `fulfilment` (履约) is the positive kind; the others are violations. */
export const CREDIT_EVENT_KINDS = ['fulfilment', 'default', 'eco-violation', 'infringement', 'false-information', 'other-violation'] as const;
export type CreditEventKind = (typeof CREDIT_EVENT_KINDS)[number];
export const VIOLATION_KINDS = CREDIT_EVENT_KINDS.filter((k) => k !== 'fulfilment') as Exclude<CreditEventKind, 'fulfilment'>[];

export const SEVERITIES = ['minor', 'serious', 'grave'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Joint-punishment measures (联合惩戒措施) a blacklist entry imposes. */
export const MEASURES = ['trading', 'licensing', 'fund'] as const;
export type Measure = (typeof MEASURES)[number];

/** Largest bulk check (codes per request). */
export const MAX_BULK_CHECK = 1000;

/** Subject ID problems, for per-item reporting in bulk checks. */
export function subjectIdProblem(code: string): string | undefined {
  if (/^ind-[0-9a-f]{64}$/.test(code)) return undefined;
  if (code.startsWith('ind-')) return 'an individual subject ID is ind- followed by 64 lower-case hex characters';
  const problem = creditCodeProblem(code);
  return problem ? `invalid unified social credit code: ${problem}` : undefined;
}

/** A subject ID whose credit code check character is verified (single checks). */
export const checkedSubjectIdSchema = z.string().superRefine((code, ctx) => {
  const problem = subjectIdProblem(code);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const measuresSchema = z
  .array(z.enum(MEASURES))
  .min(1, 'at least one measure is required')
  .max(MEASURES.length)
  .refine((m) => new Set(m).size === m.length, 'measures must not repeat');

const textSchema = (max: number) => z.string().trim().min(1).max(max);

export const recordCreditEventInput = z
  .strictObject({
    subjectId: checkedSubjectIdSchema,
    kind: z.enum(CREDIT_EVENT_KINDS),
    /** Required for violations, not allowed for fulfilment. */
    severity: z.enum(SEVERITIES).optional(),
    /** Whether the violation caused harmful consequences (危害后果); required for violations. */
    harmfulConsequence: z.boolean().optional(),
    summary: textSchema(500),
    evidenceRefs: requiredEvidenceRefsSchema,
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'fulfilment') {
      if (v.severity !== undefined) ctx.addIssue({ code: 'custom', path: ['severity'], message: 'does not apply to fulfilment' });
      if (v.harmfulConsequence !== undefined) ctx.addIssue({ code: 'custom', path: ['harmfulConsequence'], message: 'does not apply to fulfilment' });
    } else {
      if (v.severity === undefined) ctx.addIssue({ code: 'custom', path: ['severity'], message: 'is required for a violation' });
      if (v.harmfulConsequence === undefined) ctx.addIssue({ code: 'custom', path: ['harmfulConsequence'], message: 'is required for a violation' });
    }
  });
export type RecordCreditEventInput = z.infer<typeof recordCreditEventInput>;

/** What a blacklist decision states besides its subject and basis. */
export const blacklistDecisionShape = {
  reason: textSchema(500),
  /** The legal provision the decision rests on (法律依据). */
  legalBasis: textSchema(300),
  measures: measuresSchema,
  startDate: calendarDateSchema,
  endDate: calendarDateSchema,
  decisionEvidenceRefs: requiredEvidenceRefsSchema,
};

function refineDates(v: { startDate: string; endDate: string }, ctx: z.RefinementCtx): void {
  if (v.endDate < v.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must not be before startDate' });
}

export const blacklistDecisionSchema = z.strictObject(blacklistDecisionShape).superRefine(refineDates);

export const issueBlacklistInput = z
  .strictObject({
    subjectId: checkedSubjectIdSchema,
    /** The subject's recorded violation events the decision rests on; the gravest sets the entry's severity. */
    basisEventIds: z.array(recordIdSchema).min(1, 'at least one basis credit event is required').max(20),
    ...blacklistDecisionShape,
  })
  .superRefine(refineDates);
export type IssueBlacklistInput = z.infer<typeof issueBlacklistInput>;

export const entryRefInput = z.strictObject({ entryId: recordIdSchema });
export const eventRefInput = z.strictObject({ eventId: recordIdSchema });

export const fileObjectionInput = z.strictObject({
  entryId: recordIdSchema,
  grounds: textSchema(1000),
  evidenceRefs: evidenceRefsSchema.optional(),
});

/** dismissed: the objection is dismissed and the entry stands; entry-withdrawn: the entry is withdrawn on the objection (kept in history). */
export const OBJECTION_DECISIONS = ['dismissed', 'entry-withdrawn'] as const;
export const resolveObjectionInput = z.strictObject({
  entryId: recordIdSchema,
  decision: z.enum(OBJECTION_DECISIONS),
  note: textSchema(1000),
  evidenceRefs: evidenceRefsSchema.optional(),
});

export const repairInput = z.strictObject({
  entryId: recordIdSchema,
  /** Rectification evidence (整改证明). */
  rectificationEvidenceRefs: requiredEvidenceRefsSchema,
  note: z.string().max(1000).optional(),
});

export const checkSubjectInput = z.strictObject({ subjectId: checkedSubjectIdSchema });

export const bulkCheckInput = z.strictObject({
  /** Up to 1000 codes; malformed ones are reported per item, they do not fail the batch. */
  codes: z.array(z.string().max(100)).min(1, 'at least one code is required').max(MAX_BULK_CHECK, `at most ${MAX_BULK_CHECK} codes per check`),
});

export const listBlacklistInput = z.strictObject({
  county: mspIdSchema.optional(),
  measure: z.enum(MEASURES).optional(),
  /** Public disclosure: enterprises only, without evidence or member names. */
  publicView: z.boolean().optional(),
  ...pageQuerySchema.shape,
});

export const subjectPageInput = z.strictObject({ subjectId: subjectIdSchema, ...pageQuerySchema.shape });
export const creditFileInput = z.strictObject({ subjectId: subjectIdSchema });

// ---------------------------------------------------------------- query audit trail anchors

export const trailIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'must be 3-64 lower-case letters, digits and dashes');

export const anchorQueryTrailInput = z
  .strictObject({
    trailId: trailIdSchema,
    /** First and last trail entry (1-based sequence numbers) this anchor covers. */
    fromEntry: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    toEntry: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    /** Running hash-chain digest after entry `toEntry`. */
    digest: sha256HexSchema,
  })
  .refine((v) => v.toEntry >= v.fromEntry, { path: ['toEntry'], message: 'must not be before fromEntry' });

export const trailRefInput = z.strictObject({ trailId: trailIdSchema });
export const trailAnchorsInput = z.strictObject({ trailId: trailIdSchema, ...pageQuerySchema.shape });

// ---------------------------------------------------------------- cases (线索移送)

export const CASE_STATUSES = ['transferred', 'accepted', 'rejected', 'withdrawn', 'investigating', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const transferCaseInput = z.strictObject({
  /** The county (MSP ID) receiving the lead; not the caller's own. */
  toCounty: mspIdSchema,
  subjectId: checkedSubjectIdSchema,
  summary: textSchema(1000),
  evidenceRefs: requiredEvidenceRefsSchema,
});

export const caseRefInput = z.strictObject({ caseId: recordIdSchema });
export const caseStepInput = z.strictObject({ caseId: recordIdSchema, note: z.string().trim().max(1000).optional() });
export const rejectCaseInput = z.strictObject({ caseId: recordIdSchema, reason: textSchema(1000) });
/** The sender withdraws a lead not yet accepted (e.g. sent to the wrong county), with a reason. */
export const withdrawCaseInput = z.strictObject({ caseId: recordIdSchema, reason: textSchema(1000) });

export const caseViolationSchema = z.strictObject({
  kind: z.enum(VIOLATION_KINDS as [string, ...string[]]),
  severity: z.enum(SEVERITIES),
  harmfulConsequence: z.boolean(),
});

/** A case's closing decision (the body of POST /cases/{id}/close). */
export const closeCaseDecisionShape = {
  finding: z.enum(['violation', 'no-violation']),
  summary: textSchema(1000),
  evidenceRefs: requiredEvidenceRefsSchema,
  /** Required when the finding is a violation: it is recorded as a credit event of the subject. */
  violation: caseViolationSchema.optional(),
  /** A blacklist decision made in the same transaction (violation findings only). */
  blacklist: blacklistDecisionSchema.optional(),
};

export function refineCloseDecision(v: { finding: string; violation?: unknown; blacklist?: unknown }, ctx: z.RefinementCtx): void {
  if (v.finding === 'violation' && !v.violation) ctx.addIssue({ code: 'custom', path: ['violation'], message: 'is required for a violation finding' });
  if (v.finding === 'no-violation' && v.violation) ctx.addIssue({ code: 'custom', path: ['violation'], message: 'applies only to a violation finding' });
  if (v.finding === 'no-violation' && v.blacklist) ctx.addIssue({ code: 'custom', path: ['blacklist'], message: 'applies only to a violation finding' });
}

export const closeCaseDecision = z.strictObject(closeCaseDecisionShape).superRefine(refineCloseDecision);
export const closeCaseInput = z.strictObject({ caseId: recordIdSchema, ...closeCaseDecisionShape }).superRefine(refineCloseDecision);
export type CloseCaseInput = z.infer<typeof closeCaseInput>;

export const listCasesInput = z.strictObject({
  county: mspIdSchema,
  direction: z.enum(['outgoing', 'incoming']),
  ...pageQuerySchema.shape,
});
