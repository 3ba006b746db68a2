import { z } from 'zod';
import { evaluated, submitted } from '../kernel/transaction';
import { agreementRefInput, listAgreementsInput, listTaxEntriesInput, proposeTaxAgreementInput, taxStatementInput } from './schemas';

/** The Tax contract's transactions (see tax-contract.ts). */
export const taxTransactions = {
  proposeAgreement: submitted('Tax', 'ProposeAgreement', proposeTaxAgreementInput, z.unknown()),
  approveAgreement: submitted('Tax', 'ApproveAgreement', agreementRefInput, z.unknown()),
  getAgreement: evaluated('Tax', 'GetAgreement', agreementRefInput, z.unknown()),
  listAgreements: evaluated('Tax', 'ListAgreements', listAgreementsInput, z.unknown()),
  statement: evaluated('Tax', 'Statement', taxStatementInput, z.unknown()),
  listEntries: evaluated('Tax', 'ListEntries', listTaxEntriesInput, z.unknown()),
};
