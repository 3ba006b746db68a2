import { FastifyInstance, FastifyRequest } from 'fastify';
import { Role, tx } from '../../../chaincode/src/public';
import { ApiKeyOwner, ApiKeyStore } from '../auth/api-keys';
import { holdsAnyRole, MemberRoles } from '../auth/member-roles';
import { ApiError } from '../errors';
import { evaluate } from '../ledger/calls';
import { Ledger, LedgerIdentity } from '../ledger/ledger';

/** Resolves a member's ledger identity (certificate and signing key). */
export interface IdentityResolver {
  ledgerIdentity(mspId: string, member: string): LedgerIdentity;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, set on routes that require authentication. */
    caller?: ApiKeyOwner & { identity: LedgerIdentity };
  }
  interface FastifyContextConfig {
    /** Routes open to the public (no API key). */
    public?: boolean;
    /** Roles of which the caller must hold at least one (read from the ledger); checked after validation. */
    roles?: readonly Role[];
    /**
     * Routes an authenticated caller reaches without holding any role (/members/me, a member's own
     * keys); the route itself checks what it allows. Every other authenticated route needs a role
     * or county admin standing (registerRoleRule).
     */
    noRoleNeeded?: boolean;
  }
}

/** Reads the API key from `Authorization: Bearer <key>` or `X-API-Key`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const x = request.headers['x-api-key'];
  return typeof x === 'string' ? x.trim() : undefined;
}

export function registerAuth(app: FastifyInstance, keys: ApiKeyStore, identities: IdentityResolver, ledger: Ledger): void {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.public || !request.routeOptions.url) return;
    const key = presentedKey(request);
    if (!key) throw new ApiError('UNAUTHENTICATED', 'an API key is required (Authorization: Bearer <key>)');
    const owner = keys.authenticate(key);
    if (!owner) throw new ApiError('UNAUTHENTICATED', 'the API key is not valid');
    request.caller = { ...owner, identity: identities.ledgerIdentity(owner.mspId, owner.member) };
  });
  // A preHandler, so a malformed request is refused with 400 before the ledger is asked about roles.
  app.addHook('preHandler', async (request) => {
    const wanted = request.routeOptions.config?.roles;
    if (!wanted?.length) return;
    const me = await evaluate(ledger, callerOf(request).identity, tx.membership.whoAmI, undefined);
    if (!wanted.some((role) => me.roles.includes(role))) {
      throw new ApiError('FORBIDDEN', wanted.length === 1 ? `this needs the ${wanted[0]} role` : `this needs one of the roles ${wanted.join(', ')}`);
    }
  });
}

export function callerOf(request: FastifyRequest): NonNullable<FastifyRequest['caller']> {
  if (!request.caller) throw new ApiError('UNAUTHENTICATED', 'an API key is required');
  return request.caller;
}

/**
 * The general rule: an authenticated caller that holds no role and is no county admin (a member
 * not yet given a role, or one whose roles were all revoked) reaches only the routes marked
 * `noRoleNeeded`. Routes naming `config.roles` are left to the stricter check above. Roles come
 * from MemberRoles, a short-lived cache (see there for how soon a revocation bites).
 */
export function registerRoleRule(app: FastifyInstance, memberRoles: MemberRoles): void {
  app.addHook('preHandler', async (request) => {
    const config = request.routeOptions.config;
    if (config?.public || config?.noRoleNeeded || config?.roles?.length || !request.routeOptions.url) return;
    const caller = callerOf(request);
    if (!holdsAnyRole(await memberRoles.standingOf(caller.mspId, caller.member, caller.identity))) {
      throw new ApiError('FORBIDDEN', 'the caller holds no role: it can read /members/me and manage its own API keys, nothing else');
    }
  });
}
