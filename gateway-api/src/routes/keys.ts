import { FastifyPluginAsync } from 'fastify';
import { tx } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiKeyStore } from '../auth/api-keys';
import { ApiError } from '../errors';
import { isReservedMemberName } from '../identity/public-reader';
import { evaluate } from '../ledger/calls';
import { Ledger, LedgerIdentity } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { errorResponses, memberIdSchema, problemSchema, splitMemberId } from '../schemas/common';

/** What the gateway shows of an API key after its creation: never the secret or its hash. */
export const apiKeyInfoSchema = z.strictObject({
  keyId: z.string(),
  createdAt: z.string().describe('ISO 8601 time the key was made'),
  revokedAt: z.string().nullable().describe('ISO 8601 time the key was revoked; null while it is valid'),
});

const keyParams = z.object({ id: memberIdSchema });
const oneKeyParams = z.object({ id: memberIdSchema, keyId: z.string().regex(/^[a-f0-9]{16}$/, 'is not an API key ID') });
const notFound = { 404: problemSchema.describe('no such member, or no such key of the member (NOT_FOUND)') };

/**
 * Whether the caller may manage the keys of `target`: its own keys always (no ledger read, and no
 * role needed), those of another member of its county only as that county's admin (read from the
 * ledger on each call), those of another county never. Keys of the gateway's own identities (the
 * public reader, the endorsing peers) are nobody's to manage.
 */
export async function mayManageKeysOf(
  ledger: Ledger,
  caller: { mspId: string; member: string; identity: LedgerIdentity },
  target: { mspId: string; member: string },
): Promise<void> {
  if (isReservedMemberName(target.member)) throw new ApiError('FORBIDDEN', `${target.member} is an identity of the gateway itself; it has no API keys`);
  if (caller.mspId === target.mspId && caller.member === target.member) return;
  if (caller.mspId !== target.mspId) throw new ApiError('FORBIDDEN', `a member of ${caller.mspId} cannot manage the API keys of a member of ${target.mspId}`);
  await requireCountyAdmin(ledger, caller.identity, 'manage the API keys of another member');
}

/** Refuses unless the caller is a county admin (read from the ledger now, not from a cache). */
export async function requireCountyAdmin(ledger: Ledger, identity: LedgerIdentity, what: string): Promise<void> {
  const me = await evaluate(ledger, identity, tx.membership.whoAmI, undefined);
  if (!me.isCountyAdmin && !me.roles.includes('county-admin')) throw new ApiError('FORBIDDEN', `only a county admin can ${what}`);
}

export const keyRoutes =
  (ledger: Ledger, keys: ApiKeyStore, members: { has(mspId: string, member: string): boolean }): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const existing = (id: string) => {
      const target = splitMemberId(id);
      if (!members.has(target.mspId, target.member)) throw new ApiError('NOT_FOUND', `${target.member} is not a member of ${target.mspId} on this gateway`);
      return target;
    };

    app.get(
      '/members/:id/keys',
      {
        config: { noRoleNeeded: true },
        schema: {
          tags: ['members'],
          summary: "A member's API keys (IDs and times, never the keys): the member itself or its county admin",
          params: keyParams,
          response: { 200: z.strictObject({ items: z.array(apiKeyInfoSchema) }), ...errorResponses, ...notFound },
        },
      },
      async (req) => {
        const target = splitMemberId(req.params.id);
        await mayManageKeysOf(ledger, callerOf(req), target);
        existing(req.params.id);
        return { items: keys.list(target.mspId, target.member) };
      },
    );

    app.post(
      '/members/:id/keys',
      {
        config: { noRoleNeeded: true },
        schema: {
          tags: ['members'],
          summary: 'Add an API key for a member (shown once): the member itself or its county admin',
          params: keyParams,
          response: { 201: apiKeyInfoSchema.extend({ apiKey: z.string().describe('the key; it is shown this once') }), ...errorResponses, ...notFound },
        },
      },
      async (req, reply) => {
        const target = splitMemberId(req.params.id);
        await mayManageKeysOf(ledger, callerOf(req), target);
        existing(req.params.id);
        const { apiKey, info } = await keys.create(target.mspId, target.member);
        return reply.code(201).send({ ...info, apiKey });
      },
    );

    app.delete(
      '/members/:id/keys/:keyId',
      {
        config: { noRoleNeeded: true },
        schema: {
          tags: ['members'],
          summary: "Revoke one of a member's API keys, at once: the member itself or its county admin",
          params: oneKeyParams,
          response: {
            200: apiKeyInfoSchema,
            ...errorResponses,
            ...notFound,
            409: problemSchema.describe('the key is already revoked (CONFLICT)'),
          },
        },
      },
      async (req) => {
        const target = splitMemberId(req.params.id);
        await mayManageKeysOf(ledger, callerOf(req), target);
        const revoked = await keys.revoke(target.mspId, target.member, req.params.keyId);
        if (!revoked) throw new ApiError('NOT_FOUND', `${target.member} of ${target.mspId} has no API key ${req.params.keyId}`);
        if (!revoked.changed) throw new ApiError('CONFLICT', `API key ${req.params.keyId} was already revoked at ${revoked.info.revokedAt}`);
        return revoked.info;
      },
    );
  };
