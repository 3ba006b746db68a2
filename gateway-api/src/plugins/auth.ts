import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Role, tx } from '../../../chaincode/src/public';
import { ApiKeyOwner, ApiKeyStore } from '../auth/api-keys';
import { holdsAnyRole, MemberRoles } from '../auth/member-roles';
import type { ClientCertificates } from '../auth/client-certificates';
import { ApiError } from '../errors';
import { evaluate } from '../ledger/calls';
import { Ledger, LedgerIdentity } from '../ledger/ledger';
import type { AuthLimits } from './rate-limit';

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
  const bearer = bearerToken(request.headers.authorization);
  if (bearer !== undefined) return bearer;
  const x = request.headers['x-api-key'];
  return typeof x === 'string' ? x.trim() : undefined;
}

/** The credentials of `Authorization: Bearer <token>`; the scheme name is case-insensitive (RFC 7235 §2.1), so `bearer` and `BEARER` too. */
function bearerToken(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /^bearer[ ]+(.*)$/is.exec(header);
  return m ? (m[1] as string).trim() : undefined;
}

/** What authentication uses besides API keys: the auth limits, and client certificates when the gateway serves HTTPS. */
export interface AuthOptions {
  readonly limits?: AuthLimits;
  readonly certificates?: ClientCertificates;
}

/**
 * The caller of a request that needs authentication: an API key if one is presented (it wins
 * over a client certificate), else the connection's client certificate (mutual TLS). A client
 * IP that has failed too often is refused before anything is checked; a presented credential
 * that does not authenticate counts as a failure; an authenticated one draws on its budget.
 */
async function authenticatedCaller(
  request: FastifyRequest,
  reply: FastifyReply,
  keys: ApiKeyStore,
  identities: IdentityResolver,
  { limits, certificates }: AuthOptions,
): Promise<NonNullable<FastifyRequest['caller']>> {
  await limits?.refuseIfFailedTooOften(request, reply);
  const refuse = async (detail: string): Promise<never> => {
    await limits?.recordFailure(request);
    throw new ApiError('UNAUTHENTICATED', detail);
  };
  let owner: ApiKeyOwner;
  const key = presentedKey(request);
  if (key) owner = keys.authenticate(key) ?? (await refuse('the API key is not valid'));
  else {
    const certificate = certificates?.callerOf(request.raw.socket);
    if (!certificate) {
      const wanted = certificates
        ? 'an API key (Authorization: Bearer <key>) or a client certificate is required'
        : 'an API key is required (Authorization: Bearer <key>)';
      throw new ApiError('UNAUTHENTICATED', wanted);
    }
    if (!certificate.ok) return refuse(certificate.reason);
    owner = { keyId: `certificate:${certificate.fingerprint}`, mspId: certificate.mspId, member: certificate.member };
  }
  await limits?.perCredential(request, reply, owner.keyId);
  return { ...owner, identity: identities.ledgerIdentity(owner.mspId, owner.member) };
}

export function registerAuth(app: FastifyInstance, keys: ApiKeyStore, identities: IdentityResolver, ledger: Ledger, options: AuthOptions = {}): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.public || !request.routeOptions.url) return;
    request.caller = await authenticatedCaller(request, reply, keys, identities, options);
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
