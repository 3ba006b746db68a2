import { z } from 'zod';
import { evaluated, submitted } from '../kernel/transaction';
import { anchorQueryTrailInput, bulkCheckInput, caseRefInput, caseStepInput, checkSubjectInput, closeCaseInput, creditFileInput, entryRefInput, eventRefInput, fileObjectionInput, issueBlacklistInput, listBlacklistInput, listCasesInput, recordCreditEventInput, rejectCaseInput, repairInput, resolveObjectionInput, subjectPageInput, trailAnchorsInput, trailRefInput, transferCaseInput } from './schemas';

/** The Cases contract's transactions (see case-contract.ts). */
export const caseTransactions = {
  transferCase: submitted('Cases', 'TransferCase', transferCaseInput, z.unknown()),
  acceptCase: submitted('Cases', 'AcceptCase', caseStepInput, z.unknown()),
  rejectCase: submitted('Cases', 'RejectCase', rejectCaseInput, z.unknown()),
  investigateCase: submitted('Cases', 'InvestigateCase', caseStepInput, z.unknown()),
  closeCase: submitted('Cases', 'CloseCase', closeCaseInput, z.unknown()),
  getCase: evaluated('Cases', 'GetCase', caseRefInput, z.unknown()),
  listCases: evaluated('Cases', 'ListCases', listCasesInput, z.unknown()),
};

/** The Credit contract's transactions (see credit-contract.ts). */
export const creditTransactions = {
  recordEvent: submitted('Credit', 'RecordEvent', recordCreditEventInput, z.unknown()),
  getEvent: evaluated('Credit', 'GetEvent', eventRefInput, z.unknown()),
  listEvents: evaluated('Credit', 'ListEvents', subjectPageInput, z.unknown()),
  getCreditFile: evaluated('Credit', 'GetCreditFile', creditFileInput, z.unknown()),
  issueBlacklist: submitted('Credit', 'IssueBlacklist', issueBlacklistInput, z.unknown()),
  fileObjection: submitted('Credit', 'FileObjection', fileObjectionInput, z.unknown()),
  resolveObjection: submitted('Credit', 'ResolveObjection', resolveObjectionInput, z.unknown()),
  repairBlacklist: submitted('Credit', 'RepairBlacklist', repairInput, z.unknown()),
  getEntry: evaluated('Credit', 'GetEntry', entryRefInput, z.unknown()),
  listBlacklist: evaluated('Credit', 'ListBlacklist', listBlacklistInput, z.unknown()),
  subjectHistory: evaluated('Credit', 'SubjectHistory', subjectPageInput, z.unknown()),
  checkSubject: evaluated('Credit', 'CheckSubject', checkSubjectInput, z.unknown()),
  checkSubjects: evaluated('Credit', 'CheckSubjects', bulkCheckInput, z.unknown()),
  anchorQueryTrail: submitted('Credit', 'AnchorQueryTrail', anchorQueryTrailInput, z.unknown()),
  getQueryTrailHead: evaluated('Credit', 'GetQueryTrailHead', trailRefInput, z.unknown()),
  listQueryTrailAnchors: evaluated('Credit', 'ListQueryTrailAnchors', trailAnchorsInput, z.unknown()),
};
