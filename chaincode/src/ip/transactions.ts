import { z } from 'zod';
import { evaluated, submitted } from '../kernel/transaction';
import { ipRefInput, licenseRefInput, listIpInput, listLicensesInput, listRoyaltyReportsInput, registerIpInput, reportRoyaltyInput, requestLicenseInput, revokeLicenseInput, royaltyStatementInput } from './schemas';

/** The Ip contract's transactions (see ip-contract.ts). */
export const ipTransactions = {
  registerIp: submitted('Ip', 'RegisterIp', registerIpInput, z.unknown()),
  getIp: evaluated('Ip', 'GetIp', ipRefInput, z.unknown()),
  listIp: evaluated('Ip', 'ListIp', listIpInput, z.unknown()),
  requestLicense: submitted('Ip', 'RequestLicense', requestLicenseInput, z.unknown()),
  approveLicense: submitted('Ip', 'ApproveLicense', licenseRefInput, z.unknown()),
  revokeLicense: submitted('Ip', 'RevokeLicense', revokeLicenseInput, z.unknown()),
  getLicense: evaluated('Ip', 'GetLicense', licenseRefInput, z.unknown()),
  listLicenses: evaluated('Ip', 'ListLicenses', listLicensesInput, z.unknown()),
  reportRoyalty: submitted('Ip', 'ReportRoyalty', reportRoyaltyInput, z.unknown()),
  listRoyaltyReports: evaluated('Ip', 'ListRoyaltyReports', listRoyaltyReportsInput, z.unknown()),
  royaltyStatement: evaluated('Ip', 'RoyaltyStatement', royaltyStatementInput, z.unknown()),
};
