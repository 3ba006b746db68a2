/**
 * The endorsement policy of the channel: a MAJORITY of its county organisations, as the Fabric
 * network's chaincode definition says (scripts/network/deploy.sh) and the embedded ledger
 * gathers. One constant for the ledgers, the proof bundles and the verifier.
 */
export const ENDORSEMENT_RULE = 'MAJORITY' as const;

export interface EndorsementPolicy {
  readonly rule: typeof ENDORSEMENT_RULE;
  /** The channel's county organisations (MSP IDs), sorted. */
  readonly organisations: string[];
}

export function endorsementPolicyOf(organisations: Iterable<string>): EndorsementPolicy {
  return { rule: ENDORSEMENT_RULE, organisations: [...new Set(organisations)].sort() };
}

/** How many distinct organisations a MAJORITY of `n` needs: more than half. */
export function majorityOf(n: number): number {
  return Math.floor(n / 2) + 1;
}

/** The distinct policy organisations among `endorsers`, and whether they satisfy the policy. */
export function policyOutcome(policy: EndorsementPolicy, endorsers: Iterable<string>): { satisfied: boolean; counted: string[]; needed: number } {
  const members = new Set(policy.organisations);
  const counted = [...new Set(endorsers)].filter((m) => members.has(m)).sort();
  const needed = majorityOf(members.size);
  return { satisfied: policy.rule === ENDORSEMENT_RULE && members.size > 0 && counted.length >= needed, counted, needed };
}
