import { z } from 'zod';
import { evaluated, pageSchema, submitted } from '../kernel/transaction';
import { taxAgreementSchema, taxEntrySchema } from './records';
import { agreementRefInput, listAgreementsInput, listTaxEntriesInput, proposeTaxAgreementInput, taxStatementInput } from './schemas';

export const taxStatementDaySchema = z
  .strictObject({
    date: z.string(),
    trades: z.number().int(),
    priceFen: z.number().int(),
    taxFen: z.number().int(),
    shareAFen: z.number().int(),
    shareBFen: z.number().int(),
  })
  .describe("A county pair's cross-region trades on one CST day: their number and price, the tax and each county's share of it.");

export const taxStatementSchema = z
  .strictObject({
    /** The two counties in byte order, whichever order the caller named them in. */
    countyA: z.string(),
    countyB: z.string(),
    from: z.string(),
    to: z.string(),
    trades: z.number().int(),
    priceFen: z.number().int(),
    taxFen: z.number().int(),
    /** Tax due to countyA, and to countyB, over the range. */
    shareAFen: z.number().int(),
    shareBFen: z.number().int(),
    /** Only the days with cross-region trades between the two, in date order. */
    days: z.array(taxStatementDaySchema),
    /** The rate applied to a trade on a day no agreement was in force, basis points. */
    defaultTaxRateBp: z.number().int(),
  })
  .describe(
    "A county pair's tax statement for a range of days: cross-region trades between them, their price, the tax and each county's share, in total and per day, with the default tax rate.",
  );

/** The Tax contract's transactions (see tax-contract.ts). */
export const taxTransactions = {
  proposeAgreement: submitted('Tax', 'ProposeAgreement', proposeTaxAgreementInput, taxAgreementSchema),
  approveAgreement: submitted('Tax', 'ApproveAgreement', agreementRefInput, taxAgreementSchema),
  getAgreement: evaluated('Tax', 'GetAgreement', agreementRefInput, taxAgreementSchema),
  listAgreements: evaluated('Tax', 'ListAgreements', listAgreementsInput, pageSchema(taxAgreementSchema)),
  statement: evaluated('Tax', 'Statement', taxStatementInput, taxStatementSchema),
  listEntries: evaluated('Tax', 'ListEntries', listTaxEntriesInput, pageSchema(taxEntrySchema)),
};
