import { evaluated, pageSchema, submitted } from '../kernel/transaction';
import { accessChangeSchema, individualPrivateDataSchema, merchantBindingSchema, subjectSchema } from './records';
import {
  accessHistoryInput,
  bindMerchantInput,
  listBindingsInput,
  listSubjectsInput,
  registerEnterpriseInput,
  registerIndividualInput,
  setAccessInput,
  subjectRefInput,
} from './schemas';

/** The Subjects contract's transactions (see subjects-contract.ts). */
export const subjectsTransactions = {
  registerEnterprise: submitted('Subjects', 'RegisterEnterprise', registerEnterpriseInput, subjectSchema),
  registerIndividual: submitted('Subjects', 'RegisterIndividual', registerIndividualInput, subjectSchema),
  setAccess: submitted('Subjects', 'SetAccess', setAccessInput, subjectSchema),
  bindMerchant: submitted('Subjects', 'BindMerchant', bindMerchantInput, merchantBindingSchema),
  unbindMerchant: submitted('Subjects', 'UnbindMerchant', bindMerchantInput, merchantBindingSchema),
  getSubject: evaluated('Subjects', 'GetSubject', subjectRefInput, subjectSchema),
  /** The private data record as stored in the county's collection. */
  getPersonalData: evaluated('Subjects', 'GetPersonalData', subjectRefInput, individualPrivateDataSchema),
  accessHistory: evaluated('Subjects', 'AccessHistory', accessHistoryInput, pageSchema(accessChangeSchema)),
  listSubjects: evaluated('Subjects', 'ListSubjects', listSubjectsInput, pageSchema(subjectSchema)),
  listBindings: evaluated('Subjects', 'ListBindings', listBindingsInput, pageSchema(merchantBindingSchema)),
};
