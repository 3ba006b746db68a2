import { Role, tx } from '../../../chaincode/src/public';
import { evaluate } from '../ledger/calls';
import { Ledger, LedgerIdentity } from '../ledger/ledger';

/** How long the gateway trusts what the ledger said about a caller's roles. */
export const MEMBER_ROLES_TTL_MS = 5_000;

export interface MemberStanding {
  readonly isCountyAdmin: boolean;
  readonly roles: readonly Role[];
}

/**
 * A short-lived cache of callers' roles (the ledger's WhoAmI), so that the rule "a caller with no
 * role reaches only /members/me and its own keys" costs no ledger read on most requests.
 *
 * How long a revocation takes to bite: a role revoked, or a member offboarded, through this
 * gateway's own routes is forgotten here at once (forget()), so it bites on the next request. A
 * role revoked any other way (another process, the peer CLI) bites within MEMBER_ROLES_TTL_MS.
 * Only the coarse "holds any role" rule reads this cache; routes that need a particular role
 * (config.roles) and the chaincode itself still read the roles from the ledger on every request.
 */
export class MemberRoles {
  readonly #ledger: Ledger;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #known = new Map<string, { at: number; standing: Promise<MemberStanding> }>();

  constructor(ledger: Ledger, options: { ttlMs?: number; now?: () => number } = {}) {
    this.#ledger = ledger;
    this.#ttlMs = options.ttlMs ?? MEMBER_ROLES_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /** The caller's county-admin standing and roles, from the cache or (when older than the TTL) the ledger. */
  standingOf(mspId: string, member: string, identity: LedgerIdentity): Promise<MemberStanding> {
    const k = `${mspId}/${member}`;
    const now = this.#now();
    const hit = this.#known.get(k);
    if (hit && now - hit.at < this.#ttlMs) return hit.standing;
    const standing = evaluate(this.#ledger, identity, tx.membership.whoAmI, undefined).then((me) => ({ isCountyAdmin: me.isCountyAdmin, roles: me.roles }));
    this.#known.set(k, { at: now, standing });
    // A failed read is not remembered.
    standing.catch(() => {
      if (this.#known.get(k)?.standing === standing) this.#known.delete(k);
    });
    if (this.#known.size > 10_000) this.#evictExpired(now);
    return standing;
  }

  /** Forgets what is known about a member, after its roles changed through this gateway. */
  forget(mspId: string, member: string): void {
    this.#known.delete(`${mspId}/${member}`);
  }

  #evictExpired(now: number): void {
    for (const [k, v] of this.#known) if (now - v.at >= this.#ttlMs) this.#known.delete(k);
  }
}

/** Whether a standing lets the caller past the "needs a role" rule. */
export function holdsAnyRole(standing: MemberStanding): boolean {
  return standing.isCountyAdmin || standing.roles.length > 0;
}
