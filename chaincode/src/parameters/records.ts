import { z } from 'zod';
import { actorSchema } from '../kernel/actor';
import { defineRecordType } from '../kernel/state';
import { PROPOSAL_STATES, parameterChangesSchema, parameterValuesSchema } from './schemas';

/** A county's vote for a proposal: the proposing county's is its proposal itself. */
export const proposalApprovalSchema = z.strictObject({
  county: z.string(),
  by: actorSchema,
  at: z.string(),
  txId: z.string(),
});
export type ProposalApproval = z.infer<typeof proposalApprovalSchema>;

/** A proposed change of the shared parameters, adopted once more than half of the registered counties approve it. */
export const proposalSchema = z.strictObject({
  id: z.string(),
  changes: parameterChangesSchema,
  note: z.string(),
  proposingCounty: z.string(),
  proposedBy: actorSchema,
  proposedAt: z.string(),
  proposeTxId: z.string(),
  /** Last CST day on which it may be approved; after it the proposal has expired. */
  openUntil: z.string(),
  /** One per county, the proposing county first. */
  approvals: z.array(proposalApprovalSchema),
  /** Counties registered at the last vote (the proposal or the latest approval); each vote counts them again. */
  registeredCounties: z.number().int(),
  /** More than half of `registeredCounties`. */
  approvalsNeeded: z.number().int(),
  status: z.enum(['open', 'adopted', 'withdrawn']),
  /** The version of the parameters its adoption made. */
  version: z.number().int().optional(),
  adoptedAt: z.string().optional(),
  adoptTxId: z.string().optional(),
  withdrawnBy: actorSchema.optional(),
  withdrawnAt: z.string().optional(),
  withdrawTxId: z.string().optional(),
  withdrawNote: z.string().optional(),
});
export type Proposal = z.infer<typeof proposalSchema>;

/** A proposal as read: with its state today (`expired`: still open on the ledger but past `openUntil`). */
export const proposalViewSchema = proposalSchema
  .extend({ state: z.enum(PROPOSAL_STATES) })
  .describe('A proposed change of the shared parameters, with its state today (open, expired, adopted or withdrawn).');
export type ProposalView = z.infer<typeof proposalViewSchema>;

/** The parameters in force, written by each adoption (absent: the defaults, version 0). */
export const currentParametersSchema = z.strictObject({
  id: z.literal('current'),
  version: z.number().int(),
  values: parameterValuesSchema,
  proposalId: z.string(),
  adoptedAt: z.string(),
  adoptTxId: z.string(),
});
export type CurrentParameters = z.infer<typeof currentParametersSchema>;

/** One adopted change, kept for ever: the history of the shared parameters. */
export const parameterChangeSchema = z
  .strictObject({
    version: z.number().int(),
    proposalId: z.string(),
    changes: parameterChangesSchema,
    /** The complete set in force from this change on. */
    values: parameterValuesSchema,
    note: z.string(),
    proposingCounty: z.string(),
    /** The counties whose approval adopted it, the proposing county first. */
    approvingCounties: z.array(z.string()),
    registeredCounties: z.number().int(),
    adoptedAt: z.string(),
    adoptTxId: z.string(),
  })
  .describe('An adopted change of the shared parameters: what changed, the complete set from then on, and which counties adopted it.');
export type ParameterChange = z.infer<typeof parameterChangeSchema>;

export const Proposals = defineRecordType<Proposal>({
  type: 'paramproposal',
  keyArity: 1,
  keyOf: (p) => [p.id],
  indexes: {
    // ordered by the last day open, so a listing of open proposals starts at today
    byStatus: (p) => [p.status, p.openUntil],
  },
});

export const CurrentParameterSets = defineRecordType<CurrentParameters>({
  type: 'parameters',
  keyArity: 1,
  keyOf: (c) => [c.id],
});

export const ParameterChanges = defineRecordType<ParameterChange>({
  type: 'paramchange',
  keyArity: 1,
  keyOf: (c) => [String(c.version).padStart(10, '0')],
});
