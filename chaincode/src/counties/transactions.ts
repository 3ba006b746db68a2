import { z } from 'zod';
import { evaluated, submitted } from '../kernel/transaction';
import { MAX_COUNTIES, countySchema } from './counties';
import { countyRefInput, registerCountyInput } from './schemas';

export const registeredCountiesSchema = z
  .strictObject({ items: z.array(countySchema) })
  .describe(`Every registered county, ordered by MSP ID (at most ${MAX_COUNTIES}, so one answer, without a cursor).`);

/** The Counties contract's transactions (see counties-contract.ts). */
export const countiesTransactions = {
  register: submitted('Counties', 'Register', registerCountyInput, countySchema),
  get: evaluated('Counties', 'Get', countyRefInput, countySchema),
  list: evaluated('Counties', 'List', undefined, registeredCountiesSchema),
};
