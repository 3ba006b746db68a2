import { z } from 'zod';
import { fenTotalSchema } from '../kernel/schemas';
import { evaluated, pageSchema, submitted } from '../kernel/transaction';
import { taxAgreementSchema, taxEntrySchema } from './records';
import { agreementRefInput, listAgreementsInput, listTaxEntriesInput, proposeTaxAgreementInput, taxStatementInput } from './schemas';

export const taxStatementDaySchema = z
  .strictObject({
    date: z.string(),
    trades: z.number().int(),
    priceFen: fenTotalSchema,
    taxFen: fenTotalSchema,
    shareAFen: fenTotalSchema,
    shareBFen: fenTotalSchema,
  })
  .describe(
    "A county pair's cross-region trades on one CST day: their number and price, the tax and each county's share of it (amounts: exact decimal strings of fen).",
  );

export const taxStatementSchema = z
  .strictObject({
    /** The two counties in byte order, whichever order the caller named them in. */
    countyA: z.string(),
    countyB: z.string(),
    from: z.string(),
    to: z.string(),
    trades: z.number().int(),
    priceFen: fenTotalSchema,
    taxFen: fenTotalSchema,
    /** Tax due to countyA, and to countyB, over the range. */
    shareAFen: fenTotalSchema,
    shareBFen: fenTotalSchema,
    /** Only the days with cross-region trades between the two, in date order. */
    days: z.array(taxStatementDaySchema),
    /** The rate applied to a trade on a day no agreement was in force, basis points. */
    defaultTaxRateBp: z.number().int(),
  })
  .describe(
    "A county pair's tax statement for a range of days: cross-region trades between them, their price, the tax and each county's share, in total and per day (amounts: exact decimal strings of fen, which may exceed 2^53), with the default tax rate.",
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
