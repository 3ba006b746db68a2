import { z } from 'zod';
import { evaluated, submitted } from '../kernel/transaction';
import { accessHistoryInput, bindMerchantInput, listBindingsInput, listSubjectsInput, registerEnterpriseInput, registerIndividualInput, setAccessInput, subjectRefInput } from './schemas';

/** The Subjects contract's transactions (see subjects-contract.ts). */
export const subjectsTransactions = {
  registerEnterprise: submitted('Subjects', 'RegisterEnterprise', registerEnterpriseInput, z.unknown()),
  registerIndividual: submitted('Subjects', 'RegisterIndividual', registerIndividualInput, z.unknown()),
  setAccess: submitted('Subjects', 'SetAccess', setAccessInput, z.unknown()),
  bindMerchant: submitted('Subjects', 'BindMerchant', bindMerchantInput, z.unknown()),
  unbindMerchant: submitted('Subjects', 'UnbindMerchant', bindMerchantInput, z.unknown()),
  getSubject: evaluated('Subjects', 'GetSubject', subjectRefInput, z.unknown()),
  getPersonalData: evaluated('Subjects', 'GetPersonalData', subjectRefInput, z.unknown()),
  accessHistory: evaluated('Subjects', 'AccessHistory', accessHistoryInput, z.unknown()),
  listSubjects: evaluated('Subjects', 'ListSubjects', listSubjectsInput, z.unknown()),
  listBindings: evaluated('Subjects', 'ListBindings', listBindingsInput, z.unknown()),
};
