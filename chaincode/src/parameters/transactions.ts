import { z } from 'zod';
import { evaluated, pageSchema, submitted } from '../kernel/transaction';
import { parameterChangeSchema, proposalViewSchema } from './records';
import { historyInput, listProposalsInput, parameterValuesSchema, proposalRefInput, proposeInput, withdrawInput } from './schemas';

/** The parameters in force and where they come from (version 0: the defaults, never changed). */
export const parametersInForceSchema = z
  .strictObject({
    version: z.number().int(),
    values: parameterValuesSchema,
    defaults: parameterValuesSchema,
    /** The proposal whose adoption made this version (absent for version 0). */
    proposalId: z.string().optional(),
    adoptedAt: z.string().optional(),
    adoptTxId: z.string().optional(),
  })
  .describe('The shared parameters in force (version 0: the defaults), the proposal and transaction that adopted them, and the defaults.');

/** The Parameters contract's transactions (see parameters-contract.ts). */
export const parametersTransactions = {
  propose: submitted('Parameters', 'Propose', proposeInput, proposalViewSchema),
  approve: submitted('Parameters', 'Approve', proposalRefInput, proposalViewSchema),
  withdraw: submitted('Parameters', 'Withdraw', withdrawInput, proposalViewSchema),
  current: evaluated('Parameters', 'Current', undefined, parametersInForceSchema),
  history: evaluated('Parameters', 'History', historyInput, pageSchema(parameterChangeSchema)),
  getProposal: evaluated('Parameters', 'GetProposal', proposalRefInput, proposalViewSchema),
  listProposals: evaluated('Parameters', 'ListProposals', listProposalsInput, pageSchema(proposalViewSchema)),
};
