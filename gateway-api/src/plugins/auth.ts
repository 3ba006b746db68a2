import { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiKeyOwner, ApiKeyStore } from '../auth/api-keys';
import { ApiError } from '../errors';
import { LedgerIdentity } from '../ledger/ledger';

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
  }
}

/** Reads the API key from `Authorization: Bearer <key>` or `X-API-Key`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const x = request.headers['x-api-key'];
  return typeof x === 'string' ? x.trim() : undefined;
}

export function registerAuth(app: FastifyInstance, keys: ApiKeyStore, identities: IdentityResolver): void {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.public || !request.routeOptions.url) return;
    const key = presentedKey(request);
    if (!key) throw new ApiError('UNAUTHENTICATED', 'an API key is required (Authorization: Bearer <key>)');
    const owner = keys.authenticate(key);
    if (!owner) throw new ApiError('UNAUTHENTICATED', 'the API key is not valid');
    request.caller = { ...owner, identity: identities.ledgerIdentity(owner.mspId, owner.member) };
  });
}

export function callerOf(request: FastifyRequest): NonNullable<FastifyRequest['caller']> {
  if (!request.caller) throw new ApiError('UNAUTHENTICATED', 'an API key is required');
  return request.caller;
}
