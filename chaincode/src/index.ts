import { MembershipContract } from './membership/membership-contract';

/** The contracts of the County Ledger chaincode, in the form fabric-shim's contract runtime loads. */
export const contracts = [MembershipContract];

export { MembershipContract };
