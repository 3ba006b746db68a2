import { z } from 'zod';
import { evaluated, submitted } from '../kernel/transaction';
import { carbonSinkRefInput, confirmCarbonSinkInput, listContributionsInput, listDisbursementsInput, listRoundsInput, proposeRoundInput, recordContributionInput, recordDisbursementInput, reportCarbonSinkInput, roundRefInput, tradeVolumeInput } from './schemas';

/** The Fund contract's transactions (see fund-contract.ts). */
export const fundTransactions = {
  recordContribution: submitted('Fund', 'RecordContribution', recordContributionInput, z.unknown()),
  listContributions: evaluated('Fund', 'ListContributions', listContributionsInput, z.unknown()),
  getBalance: evaluated('Fund', 'GetBalance', undefined, z.unknown()),
  reportCarbonSink: submitted('Fund', 'ReportCarbonSink', reportCarbonSinkInput, z.unknown()),
  confirmCarbonSink: submitted('Fund', 'ConfirmCarbonSink', confirmCarbonSinkInput, z.unknown()),
  getCarbonSink: evaluated('Fund', 'GetCarbonSink', carbonSinkRefInput, z.unknown()),
  tradeVolume: evaluated('Fund', 'TradeVolume', tradeVolumeInput, z.unknown()),
  proposeRound: submitted('Fund', 'ProposeRound', proposeRoundInput, z.unknown()),
  approveRound: submitted('Fund', 'ApproveRound', roundRefInput, z.unknown()),
  finalizeRound: submitted('Fund', 'FinalizeRound', roundRefInput, z.unknown()),
  recordDisbursement: submitted('Fund', 'RecordDisbursement', recordDisbursementInput, z.unknown()),
  getRound: evaluated('Fund', 'GetRound', roundRefInput, z.unknown()),
  listRounds: evaluated('Fund', 'ListRounds', listRoundsInput, z.unknown()),
  listDisbursements: evaluated('Fund', 'ListDisbursements', listDisbursementsInput, z.unknown()),
};
