import { caseTransactions, creditTransactions } from './credit/transactions';
import { countiesTransactions } from './counties/transactions';
import { evidenceTransactions } from './evidence/transactions';
import { fundTransactions } from './fund/transactions';
import { ipTransactions } from './ip/transactions';
import { marketTransactions } from './market/transactions';
import { membershipTransactions } from './membership/transactions';
import { parametersTransactions } from './parameters/transactions';
import { subjectsTransactions } from './subjects/transactions';
import { taxTransactions } from './tax/transactions';
import { TransactionDefinition } from './kernel/transaction';

/**
 * The transaction catalogue: every transaction of the chaincode, by contract, as each domain
 * declares it. `tx.market.placeOrder` is `Market:PlaceOrder` with its input and output schemas.
 */
export const tx = {
  membership: membershipTransactions,
  subjects: subjectsTransactions,
  market: marketTransactions,
  evidence: evidenceTransactions,
  credit: creditTransactions,
  cases: caseTransactions,
  counties: countiesTransactions,
  ip: ipTransactions,
  fund: fundTransactions,
  tax: taxTransactions,
  parameters: parametersTransactions,
} as const;

/** Every definition of the catalogue, in catalogue order. */
export function allTransactions(): TransactionDefinition[] {
  return Object.values(tx).flatMap((contract) => Object.values(contract) as TransactionDefinition[]);
}
