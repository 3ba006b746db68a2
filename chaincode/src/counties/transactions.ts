import { z } from 'zod';
import { evaluated, submitted } from '../kernel/transaction';
import { countyRefInput, registerCountyInput } from './schemas';

/** The Counties contract's transactions (see counties-contract.ts). */
export const countiesTransactions = {
  register: submitted('Counties', 'Register', registerCountyInput, z.unknown()),
  get: evaluated('Counties', 'Get', countyRefInput, z.unknown()),
  list: evaluated('Counties', 'List', undefined, z.unknown()),
};
