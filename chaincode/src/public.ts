/**
 * What the gateway may use of the chaincode: the contracts (for the embedded ledger), the
 * transaction catalogue, the shared vocabulary and the few domain constants and input shapes
 * that routes build their parameters from. The gateway imports the chaincode through this
 * module only (test/architecture/boundaries.test.ts).
 */
// The runtime's patches of fabric-shim and its libraries, which the embedded ledger installs too. First: loading them checks
// the patched libraries' versions (their package.json files only), before the contracts load those libraries.
export { installLibraryPatches, quietLibraryLoggers, requirePatched, restoreProcessFailFast, setLibraryLogLevel } from './library-patches';

export { contracts } from './index';
export { allTransactions, tx } from './catalogue';
export type { InputOf, OutputOf, TransactionDefinition } from './kernel/transaction';
export { pageSchema } from './kernel/transaction';

export { canonicalJson } from './kernel/canonical-json';
export { buildCreditCode } from './kernel/credit-code';
export { decodeChaincodeError } from './kernel/errors';
export { describeIssues } from './kernel/validate';
export { basisPointsSchema, creditCodeSchema, fenSchema, memberNameSchema, mspIdSchema, positiveFenSchema, ROLES, roleSchema } from './kernel/schemas';
export type { Role } from './kernel/schemas';
export { calendarDateSchema } from './kernel/dates';
export {
  categorySchema,
  evidenceRefsSchema,
  mediaTypeSchema,
  paymentRefSchema,
  recordIdSchema,
  requiredEvidenceRefsSchema,
  sha256HexSchema,
  subjectIdSchema,
} from './kernel/ids';

export { accessDecisionShape, individualTransientSchema, refineAccessDecision } from './subjects/schemas';
export { checkedSubjectIdSchema, closeCaseDecision, MEASURES, OBJECTION_DECISIONS } from './credit/schemas';
export { IP_KINDS, licenseTermsRefinement, licenseTermsShape, revokeLicenseShape, royaltyPeriodRefinement, royaltyReportShape } from './ip/schemas';
export { carbonSinkRefShape } from './fund/schemas';
export { publicBlacklistEntrySchema } from './credit/records';

// Event names, for the gateway's per-caller filter of the event stream (routes/events.ts).
export { CaseEvents } from './credit/case-contract';
export { CountiesEvents } from './counties/counties-contract';
export { CreditContractEvents } from './credit/credit-contract';
export { EvidenceEvents } from './market/evidence-contract';
export { FundEvents } from './fund/fund-contract';
export { IpEvents } from './ip/ip-contract';
export { MarketEvents } from './market/market-contract';
export { MembershipEvents } from './membership/membership-contract';
export { ParametersEvents } from './parameters/parameters-contract';
export { SubjectsEvents } from './subjects/subjects-contract';
export { TaxEvents } from './tax/tax-contract';
