import { z } from 'zod';
import { fenTotalSchema } from '../kernel/schemas';
import { evaluated, pageSchema, submitted } from '../kernel/transaction';
import { ipAssetSchema, licenseSchema, licenseTodaySchema, royaltyReportSchema } from './records';
import {
  acceptShareInput,
  declineShareInput,
  ipRefInput,
  listAwaitingConsentInput,
  rejectLicenseInput,
  withdrawIpInput,
  withdrawLicenseInput,
  licenseRefInput,
  listIpInput,
  listLicensesInput,
  listRoyaltyReportsInput,
  registerIpInput,
  reportRoyaltyInput,
  requestLicenseInput,
  revokeLicenseInput,
  royaltyStatementInput,
} from './schemas';

export const royaltyStatementDaySchema = z
  .strictObject({ date: z.string(), amountFen: fenTotalSchema, reports: z.number().int() })
  .describe("A county's royalty income on one CST report day of its statement (exact decimal string of fen), and the number of reports of that day.");

export const royaltyStatementSchema = z
  .strictObject({
    county: z.string(),
    from: z.string(),
    to: z.string(),
    amountFen: fenTotalSchema,
    reports: z.number().int(),
    /** Only the days with reports, in date order. */
    days: z.array(royaltyStatementDaySchema),
  })
  .describe(
    "A county's royalty statement for a range of report days: its total royalty income (exact decimal string of fen, which may exceed 2^53) and number of reports, and the days with reports.",
  );

/** The Ip contract's transactions (see ip-contract.ts). */
export const ipTransactions = {
  registerIp: submitted('Ip', 'RegisterIp', registerIpInput, ipAssetSchema),
  getIp: evaluated('Ip', 'GetIp', ipRefInput, ipAssetSchema),
  listIp: evaluated('Ip', 'ListIp', listIpInput, pageSchema(ipAssetSchema)),
  acceptShare: submitted('Ip', 'AcceptShare', acceptShareInput, ipAssetSchema),
  declineShare: submitted('Ip', 'DeclineShare', declineShareInput, ipAssetSchema),
  withdrawIp: submitted('Ip', 'WithdrawIp', withdrawIpInput, ipAssetSchema),
  listAwaitingConsent: evaluated('Ip', 'ListAwaitingConsent', listAwaitingConsentInput, pageSchema(ipAssetSchema)),
  requestLicense: submitted('Ip', 'RequestLicense', requestLicenseInput, licenseSchema),
  approveLicense: submitted('Ip', 'ApproveLicense', licenseRefInput, licenseSchema),
  rejectLicense: submitted('Ip', 'RejectLicense', rejectLicenseInput, licenseSchema),
  withdrawLicense: submitted('Ip', 'WithdrawLicense', withdrawLicenseInput, licenseSchema),
  revokeLicense: submitted('Ip', 'RevokeLicense', revokeLicenseInput, licenseSchema),
  getLicense: evaluated('Ip', 'GetLicense', licenseRefInput, licenseTodaySchema),
  listLicenses: evaluated('Ip', 'ListLicenses', listLicensesInput, pageSchema(licenseSchema)),
  reportRoyalty: submitted('Ip', 'ReportRoyalty', reportRoyaltyInput, royaltyReportSchema),
  listRoyaltyReports: evaluated('Ip', 'ListRoyaltyReports', listRoyaltyReportsInput, pageSchema(royaltyReportSchema)),
  royaltyStatement: evaluated('Ip', 'RoyaltyStatement', royaltyStatementInput, royaltyStatementSchema),
};
