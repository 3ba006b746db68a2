import { EvidenceContract } from './evidence/evidence-contract';
import { MarketContract } from './market/market-contract';
import { MembershipContract } from './membership/membership-contract';
import { SubjectsContract } from './subjects/subjects-contract';

/** The contracts of the County Ledger chaincode, in the form fabric-shim's contract runtime loads. */
export const contracts = [MembershipContract, SubjectsContract, MarketContract, EvidenceContract];

export { EvidenceContract, MarketContract, MembershipContract, SubjectsContract };
