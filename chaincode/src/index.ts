import { CaseContract } from './credit/case-contract';
import { CreditContract } from './credit/credit-contract';
import { EvidenceContract } from './market/evidence-contract';
import { CountiesContract } from './counties/counties-contract';
import { FundContract } from './fund/fund-contract';
import { TaxContract } from './tax/tax-contract';
import { IpContract } from './ip/ip-contract';
import { MarketContract } from './market/market-contract';
import { MembershipContract } from './membership/membership-contract';
import { ParametersContract } from './parameters/parameters-contract';
import { SubjectsContract } from './subjects/subjects-contract';

/** The contracts of the County Ledger chaincode, in the form fabric-shim's contract runtime loads. */
export const contracts = [
  MembershipContract,
  SubjectsContract,
  MarketContract,
  EvidenceContract,
  CreditContract,
  CaseContract,
  CountiesContract,
  IpContract,
  FundContract,
  TaxContract,
  ParametersContract,
];

export {
  CaseContract,
  CountiesContract,
  CreditContract,
  EvidenceContract,
  FundContract,
  IpContract,
  MarketContract,
  MembershipContract,
  ParametersContract,
  SubjectsContract,
  TaxContract,
};
