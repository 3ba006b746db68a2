import { LedgerIdentity } from '../ledger/ledger';
import { IdentityResolver } from '../plugins/auth';
import { DEFAULT_COUNTIES } from './counties';

/** The member name of the gateway's own read-only identity for unauthenticated disclosure routes. */
export const PUBLIC_READER = 'public-reader';

/**
 * Member names the gateway keeps for its own identities, in every county: its public reader, and
 * the endorsing peers and ordering nodes of the embedded ledger (peer0.liangdang, orderer0.liangdang, …). Nobody is onboarded under
 * such a name or given an API key for one, so no caller can act as the gateway itself.
 */
export function isReservedMemberName(member: string): boolean {
  return member.toLowerCase() === PUBLIC_READER || /^(?:peer|orderer)\d+\./i.test(member);
}

/** What the public reader needs of the wallet: to issue its identity once. */
interface ReaderIssuer {
  has(mspId: string, member: string): boolean;
  issue(mspId: string, member: string, ou: 'client'): Promise<unknown>;
  /** The counties whose keys it holds (on Fabric a county's gateway holds only its own county's). */
  servedCounties?(): readonly string[];
}

/**
 * The ledger identity public routes evaluate with: a client identity of a county (by default
 * the first county whose keys the wallet holds: on Fabric the gateway's own county) that holds no
 * role, issued on first use. Public routes only
 * evaluate read-only transactions with it; it is never given to a caller.
 */
export function publicReader(
  identities: IdentityResolver & ReaderIssuer,
  mspId: string = identities.servedCounties?.()[0] ?? (DEFAULT_COUNTIES[0] as { mspId: string }).mspId,
): () => Promise<LedgerIdentity> {
  let ready: Promise<LedgerIdentity> | undefined;
  return () => {
    ready ??= (async () => {
      if (!identities.has(mspId, PUBLIC_READER)) await identities.issue(mspId, PUBLIC_READER, 'client');
      return identities.ledgerIdentity(mspId, PUBLIC_READER);
    })().catch((err: unknown) => {
      ready = undefined;
      throw err;
    });
    return ready;
  };
}
