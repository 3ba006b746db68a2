import { FastifyPluginAsync } from 'fastify';
import { ROLES, mspIdSchema, roleSchema, tx } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiKeyStore } from '../auth/api-keys';
import { MemberRoles } from '../auth/member-roles';
import { ApiError } from '../errors';
import { isReservedMemberName } from '../identity/public-reader';
import { evaluate, submit } from '../ledger/calls';
import { Ledger, LedgerIdentity } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import {
  answerResponses,
  bodyOf,
  createdResponses,
  errorResponses,
  memberIdSchema,
  pageQuery,
  problemSchema,
  splitMemberId,
  submittedSchema,
} from '../schemas/common';
import { apiKeyInfoSchema, requireCountyAdmin } from './keys';

export interface MemberOnboarding {
  /** Issues (or returns the existing) ledger identity of a member of a county. */
  issue(mspId: string, member: string, ou: 'client' | 'admin'): Promise<unknown>;
  /**
   * Issues an identity for a member that has none and is not being issued one (checked and
   * reserved in one step); undefined when the member exists or is being onboarded.
   */
  issueNew(mspId: string, member: string, ou: 'client' | 'admin'): Promise<unknown> | undefined;
  /** Removes a member's identity: undoes an onboarding that failed after the certificate. */
  remove(mspId: string, member: string): Promise<void>;
  has(mspId: string, member: string): boolean;
  /** The member's ledger identity (its certificate is what offboarding revokes). */
  ledgerIdentity(mspId: string, member: string): LedgerIdentity;
}

/**
 * The ledger half of offboarding, in one transaction: the member's roles revoked and its
 * certificate (as this gateway's wallet holds it) recorded as revoked, so the chaincode refuses
 * every transaction it signs from then on.
 */
export async function revokeRolesAndCertificateOnLedger(
  ledger: Ledger,
  identity: LedgerIdentity,
  target: { mspId: string; member: string; certificate: string },
): Promise<void> {
  await submit(ledger, identity, tx.membership.offboardMember, {
    member: target.member,
    certificate: target.certificate,
    reason: 'offboarded through the gateway',
  });
}

export const memberRoutes =
  (ledger: Ledger, keys: ApiKeyStore, onboarding: MemberOnboarding, memberRoles: MemberRoles): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const idParams = z.object({ id: memberIdSchema });

    app.get(
      '/members/me',
      {
        config: { noRoleNeeded: true },
        schema: { tags: ['members'], summary: 'Who am I: county, member name and roles', response: answerResponses(tx.membership.whoAmI) },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.membership.whoAmI, undefined),
    );

    app.post(
      '/members',
      {
        config: { submits: false },
        schema: {
          tags: ['members'],
          summary: 'Onboard a member of your county: issues a ledger identity and an API key (shown once). County admins only.',
          body: z.strictObject({ member: tx.membership.grantRole.input.shape.member }),
          response: { 201: z.object({ id: z.string(), mspId: z.string(), member: z.string(), apiKey: z.string() }), ...errorResponses },
        },
      },
      async (req, reply) => {
        const caller = callerOf(req);
        const { member } = req.body;
        await requireCountyAdmin(ledger, caller.identity, 'onboard members');
        if (isReservedMemberName(member)) throw new ApiError('CONFLICT', `${member} is a name the gateway keeps for its own identities`);
        // Checks and reserves the name in one step: of concurrent onboardings of one name, one issues.
        const issuing = onboarding.issueNew(caller.mspId, member, 'client');
        if (!issuing) throw new ApiError('CONFLICT', `${member} already exists in ${caller.mspId}`);
        await issuing;
        let apiKey: string;
        try {
          ({ apiKey } = await keys.create(caller.mspId, member));
        } catch (err) {
          // A member with a certificate but no key could neither call nor be onboarded again: undo.
          await onboarding.remove(caller.mspId, member).catch((undo: unknown) => req.log.error({ err: undo }, `could not remove the identity of ${member}`));
          throw err;
        }
        memberRoles.forget(caller.mspId, member);
        return reply.code(201).send({ id: `${caller.mspId}:${member}`, mspId: caller.mspId, member, apiKey });
      },
    );

    app.get(
      '/members',
      {
        schema: {
          tags: ['members'],
          summary: 'Active holders of a role in a county',
          querystring: pageQuery.extend({ mspId: mspIdSchema, role: roleSchema }),
          response: answerResponses(tx.membership.listRoleHolders),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.membership.listRoleHolders, req.query),
    );

    app.get(
      '/members/:id',
      { schema: { tags: ['members'], summary: "A member's roles and grants", params: idParams, response: answerResponses(tx.membership.getMember) } },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.membership.getMember, splitMemberId(req.params.id)),
    );

    app.get(
      '/members/:id/roles/history',
      {
        schema: {
          tags: ['members'],
          summary: 'Grant and revocation history of a member',
          params: idParams,
          querystring: pageQuery,
          response: answerResponses(tx.membership.roleHistory),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.membership.roleHistory, { ...splitMemberId(req.params.id), ...req.query }),
    );

    app.post(
      '/members/:id/roles',
      {
        config: { submits: true },
        schema: {
          tags: ['members'],
          summary: 'Grant a role to a member of your own county (county admin)',
          params: idParams,
          body: bodyOf(tx.membership.grantRole.input, 'member'),
          response: createdResponses(tx.membership.grantRole),
        },
      },
      async (req, reply) => {
        const target = splitMemberId(req.params.id);
        const caller = callerOf(req);
        if (target.mspId !== caller.mspId) throw new ApiError('FORBIDDEN', `a county admin of ${caller.mspId} cannot grant roles in ${target.mspId}`);
        const result = await submit(ledger, caller.identity, tx.membership.grantRole, { member: target.member, ...req.body });
        memberRoles.forget(target.mspId, target.member);
        return reply.code(201).send(result);
      },
    );

    app.delete(
      '/members/:id/roles/:role',
      {
        schema: {
          tags: ['members'],
          summary: 'Revoke a role from a member of your own county (county admin)',
          params: z.object({ id: memberIdSchema, role: z.enum(ROLES) }),
          response: { 200: submittedSchema(tx.membership.revokeRole.output), ...errorResponses },
        },
      },
      async (req) => {
        const target = splitMemberId(req.params.id);
        const caller = callerOf(req);
        if (target.mspId !== caller.mspId) throw new ApiError('FORBIDDEN', `a county admin of ${caller.mspId} cannot revoke roles in ${target.mspId}`);
        const result = await submit(ledger, caller.identity, tx.membership.revokeRole, { member: target.member, role: req.params.role });
        memberRoles.forget(target.mspId, target.member);
        return result;
      },
    );

    app.post(
      '/members/:id/offboarding',
      {
        schema: {
          tags: ['members'],
          summary:
            'Offboard a member of your own county (county admin): on the ledger its roles revoked and its certificate revoked, in one transaction; on this gateway all its API keys revoked',
          params: idParams,
          response: {
            200: z.strictObject({ id: z.string(), revokedKeys: z.array(apiKeyInfoSchema).describe('the keys this call revoked') }),
            ...errorResponses,
            404: problemSchema.describe('no such member on this gateway (NOT_FOUND)'),
          },
        },
      },
      async (req) => {
        const target = splitMemberId(req.params.id);
        const caller = callerOf(req);
        if (target.mspId !== caller.mspId) throw new ApiError('FORBIDDEN', `a county admin of ${caller.mspId} cannot offboard members of ${target.mspId}`);
        if (isReservedMemberName(target.member)) throw new ApiError('FORBIDDEN', `${target.member} is an identity of the gateway itself`);
        await requireCountyAdmin(ledger, caller.identity, 'offboard members');
        if (!onboarding.has(target.mspId, target.member))
          throw new ApiError('NOT_FOUND', `${target.member} is not a member of ${target.mspId} on this gateway`);
        // The ledger first: if it refuses, nothing has changed here either.
        await revokeRolesAndCertificateOnLedger(ledger, caller.identity, {
          ...target,
          certificate: onboarding.ledgerIdentity(target.mspId, target.member).certificate,
        });
        const revokedKeys = await keys.revokeAllOf(target.mspId, target.member);
        memberRoles.forget(target.mspId, target.member);
        return { id: req.params.id, revokedKeys };
      },
    );
  };
