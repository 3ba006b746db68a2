import { LedgerIdentity } from '../ledger/ledger';
import { IdentityResolver } from '../plugins/auth';
import { MemberOnboarding } from '../routes/members';
import { DEFAULT_COUNTIES } from './counties';

/** The member name of the gateway's own read-only identity for unauthenticated disclosure routes. */
export const PUBLIC_READER = 'public-reader';

/**
 * The ledger identity public routes evaluate with: a client identity of a county (by default
 * the first county of the network) that holds no role, issued on first use. Public routes only
 * evaluate read-only transactions with it; it is never given to a caller.
 */
export function publicReader(
  identities: IdentityResolver & MemberOnboarding,
  mspId: string = (DEFAULT_COUNTIES[0] as { mspId: string }).mspId,
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
