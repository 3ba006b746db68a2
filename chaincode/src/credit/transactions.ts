import { z } from 'zod';
import { evaluated, pageSchema, submitted } from '../kernel/transaction';
import {
  blacklistEntrySchema,
  blacklistEntryViewSchema,
  blacklistEntryWithObjectionsSchema,
  caseLeadSchema,
  creditEventSchema,
  publicBlacklistEntrySchema,
  standingEntrySchema,
  trailAnchorSchema,
  trailHeadSchema,
} from './records';
import {
  MEASURES,
  Measure,
  anchorQueryTrailInput,
  bulkCheckInput,
  caseRefInput,
  caseStepInput,
  checkSubjectInput,
  closeCaseInput,
  creditFileInput,
  entryRefInput,
  eventRefInput,
  fileObjectionInput,
  issueBlacklistInput,
  listBlacklistInput,
  listCasesInput,
  recordCreditEventInput,
  rejectCaseInput,
  repairInput,
  resolveObjectionInput,
  subjectPageInput,
  trailAnchorsInput,
  trailRefInput,
  transferCaseInput,
  withdrawCaseInput,
} from './schemas';

/** A subject's credit file summary and credit class as of today (credit-file.ts creditStanding). */
export const creditStandingSchema = z
  .strictObject({
    subjectId: z.string(),
    /** CST calendar date the class is computed for. */
    asOf: z.string(),
    creditClass: z.enum(['A', 'B', 'C', 'D']),
    /** The row of the credit class table (rules.ts CREDIT_CLASS_RULES, from 1) that gave the class. */
    classRule: z.strictObject({ row: z.number(), label: z.string() }),
    /** Counts of the look-back window, `from` to `to` (CST dates, both included). */
    window: z.strictObject({
      points: z.number(),
      fulfilments: z.number(),
      minor: z.number(),
      serious: z.number(),
      grave: z.number(),
      warnings: z.number(),
      from: z.string(),
      to: z.string(),
    }),
    /** Blacklist entries in force today. */
    blacklistedBy: z.array(z.string()),
    /** Violations of the whole file (warnings and penalties). Fulfilments are counted in the window only: they are entries summed on read. */
    totals: z.strictObject({
      violations: z.number(),
      warnings: z.number(),
      penalties: z.number(),
    }),
  })
  .describe("A subject's credit file summary: look-back window counts, running totals, entries in force, and the credit class with the rule row that gave it.");

/** Which joint-punishment measures restrict a subject now. */
const restrictedSchema = z.strictObject(Object.fromEntries(MEASURES.map((m) => [m, z.boolean()])) as Record<Measure, z.ZodBoolean>);

const validCheckShape = {
  code: z.string(),
  valid: z.literal(true),
  blacklisted: z.boolean(),
  restricted: restrictedSchema,
  underObjection: z.boolean(),
  /** Open entries in force today. */
  entries: z.array(standingEntrySchema),
};

/** The check of one subject ID (blacklist.ts checkOne): its entries in force, or why the code is malformed. */
export const subjectCheckSchema = z
  .discriminatedUnion('valid', [z.strictObject(validCheckShape), z.strictObject({ code: z.string(), valid: z.literal(false), problem: z.string() })])
  .describe('The blacklist check of one subject ID: the entries in force and the measures they restrict, or the problem of a malformed code.');

/** CheckSubject: its input is a checked subject ID, so the answer is always the check of a valid code. */
export const subjectCheckResultSchema = z
  .strictObject({ asOf: z.string(), ...validCheckShape })
  .describe('Whether a subject is blacklisted today, which measures restrict it, whether an entry is under objection, and the entries in force.');

/** CheckSubjects: one check per code, in the order asked, with counts. */
export const bulkCheckResultSchema = z
  .strictObject({
    asOf: z.string(),
    count: z.number(),
    invalid: z.number(),
    blacklisted: z.number(),
    items: z.array(subjectCheckSchema),
  })
  .describe('A bulk blacklist check as of today: one check per code asked, in order, with how many were malformed and how many are blacklisted.');

/** The Cases contract's transactions (see case-contract.ts). */
export const caseTransactions = {
  transferCase: submitted('Cases', 'TransferCase', transferCaseInput, caseLeadSchema),
  acceptCase: submitted('Cases', 'AcceptCase', caseStepInput, caseLeadSchema),
  rejectCase: submitted('Cases', 'RejectCase', rejectCaseInput, caseLeadSchema),
  investigateCase: submitted('Cases', 'InvestigateCase', caseStepInput, caseLeadSchema),
  closeCase: submitted('Cases', 'CloseCase', closeCaseInput, caseLeadSchema),
  withdrawCase: submitted('Cases', 'WithdrawCase', withdrawCaseInput, caseLeadSchema),
  getCase: evaluated('Cases', 'GetCase', caseRefInput, caseLeadSchema),
  listCases: evaluated('Cases', 'ListCases', listCasesInput, pageSchema(caseLeadSchema)),
};

/** The Credit contract's transactions (see credit-contract.ts). */
export const creditTransactions = {
  recordEvent: submitted('Credit', 'RecordEvent', recordCreditEventInput, creditEventSchema),
  getEvent: evaluated('Credit', 'GetEvent', eventRefInput, creditEventSchema),
  listEvents: evaluated('Credit', 'ListEvents', subjectPageInput, pageSchema(creditEventSchema)),
  getCreditFile: evaluated('Credit', 'GetCreditFile', creditFileInput, creditStandingSchema),
  issueBlacklist: submitted('Credit', 'IssueBlacklist', issueBlacklistInput, blacklistEntrySchema),
  fileObjection: submitted('Credit', 'FileObjection', fileObjectionInput, blacklistEntryViewSchema),
  resolveObjection: submitted('Credit', 'ResolveObjection', resolveObjectionInput, blacklistEntryViewSchema),
  repairBlacklist: submitted('Credit', 'RepairBlacklist', repairInput, blacklistEntryViewSchema),
  getEntry: evaluated('Credit', 'GetEntry', entryRefInput, blacklistEntryWithObjectionsSchema),
  /** Items are full entry views, or public disclosures when `publicView` is asked. */
  listBlacklist: evaluated('Credit', 'ListBlacklist', listBlacklistInput, pageSchema(z.union([blacklistEntryViewSchema, publicBlacklistEntrySchema]))),
  subjectHistory: evaluated('Credit', 'SubjectHistory', subjectPageInput, pageSchema(blacklistEntryViewSchema)),
  checkSubject: evaluated('Credit', 'CheckSubject', checkSubjectInput, subjectCheckResultSchema),
  checkSubjects: evaluated('Credit', 'CheckSubjects', bulkCheckInput, bulkCheckResultSchema),
  anchorQueryTrail: submitted('Credit', 'AnchorQueryTrail', anchorQueryTrailInput, trailAnchorSchema),
  getQueryTrailHead: evaluated('Credit', 'GetQueryTrailHead', trailRefInput, trailHeadSchema),
  listQueryTrailAnchors: evaluated('Credit', 'ListQueryTrailAnchors', trailAnchorsInput, pageSchema(trailAnchorSchema)),
};
