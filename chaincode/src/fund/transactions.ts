import { z } from 'zod';
import { evaluated, pageSchema, submitted } from '../kernel/transaction';
import {
  balanceSchema,
  carbonSinkSchema,
  contributionSchema,
  disbursementSchema,
  disbursementWithPayoutSchema,
  roundSchema,
  roundWithPayoutsSchema,
} from './records';
import { fenTotalSchema } from '../kernel/schemas';
import {
  carbonSinkRefInput,
  confirmCarbonSinkInput,
  confirmDisbursementInput,
  decideDisbursementInput,
  disbursementRefInput,
  listContributionsInput,
  listDisbursementsInput,
  listRoundsInput,
  proposeRoundInput,
  recordContributionInput,
  recordDisbursementInput,
  reportCarbonSinkInput,
  roundRefInput,
  tradeVolumeInput,
  withdrawRoundInput,
} from './schemas';

export const tradeVolumeDaySchema = z
  .strictObject({ date: z.string(), volumeFen: fenTotalSchema, trades: z.number().int() })
  .describe("An origin county's settled cross-region eco-product trade volume on one CST day (exact decimal string of fen), and the number of trades.");

export const tradeVolumeSchema = z
  .strictObject({
    county: z.string(),
    periodFrom: z.string(),
    periodTo: z.string(),
    volumeFen: fenTotalSchema,
    trades: z.number().int(),
    /** Only the days with settled trades, in date order. */
    days: z.array(tradeVolumeDaySchema),
  })
  .describe(
    "An origin county's settled cross-region eco-product trade volume over a period (trades bought from another county; exact decimal strings of fen): the total, the number of trades, and the days with trades.",
  );

/** The Fund contract's transactions (see fund-contract.ts). */
export const fundTransactions = {
  recordContribution: submitted('Fund', 'RecordContribution', recordContributionInput, contributionSchema),
  listContributions: evaluated('Fund', 'ListContributions', listContributionsInput, pageSchema(contributionSchema)),
  getBalance: evaluated('Fund', 'GetBalance', undefined, balanceSchema),
  reportCarbonSink: submitted('Fund', 'ReportCarbonSink', reportCarbonSinkInput, carbonSinkSchema),
  confirmCarbonSink: submitted('Fund', 'ConfirmCarbonSink', confirmCarbonSinkInput, carbonSinkSchema),
  getCarbonSink: evaluated('Fund', 'GetCarbonSink', carbonSinkRefInput, carbonSinkSchema),
  tradeVolume: evaluated('Fund', 'TradeVolume', tradeVolumeInput, tradeVolumeSchema),
  proposeRound: submitted('Fund', 'ProposeRound', proposeRoundInput, roundSchema),
  approveRound: submitted('Fund', 'ApproveRound', roundRefInput, roundSchema),
  finalizeRound: submitted('Fund', 'FinalizeRound', roundRefInput, roundSchema),
  withdrawRound: submitted('Fund', 'WithdrawRound', withdrawRoundInput, roundSchema),
  recordDisbursement: submitted('Fund', 'RecordDisbursement', recordDisbursementInput, disbursementWithPayoutSchema),
  confirmDisbursement: submitted('Fund', 'ConfirmDisbursement', confirmDisbursementInput, disbursementWithPayoutSchema),
  disputeDisbursement: submitted('Fund', 'DisputeDisbursement', decideDisbursementInput, disbursementWithPayoutSchema),
  cancelDisbursement: submitted('Fund', 'CancelDisbursement', decideDisbursementInput, disbursementWithPayoutSchema),
  getDisbursement: evaluated('Fund', 'GetDisbursement', disbursementRefInput, disbursementSchema),
  getRound: evaluated('Fund', 'GetRound', roundRefInput, roundWithPayoutsSchema),
  listRounds: evaluated('Fund', 'ListRounds', listRoundsInput, pageSchema(roundSchema)),
  listDisbursements: evaluated('Fund', 'ListDisbursements', listDisbursementsInput, pageSchema(disbursementSchema)),
};
