import { FastifyPluginAsync } from 'fastify';
import { ROLES, mspIdSchema, roleSchema, tx } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiKeyStore } from '../auth/api-keys';
import { ApiError } from '../errors';
import { evaluate, submit } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { answerResponses, bodyOf, createdResponses, errorResponses, memberIdSchema, pageQuery, splitMemberId, submittedSchema } from '../schemas/common';

export interface MemberOnboarding {
  /** Issues a ledger identity for a new member of a county. */
  issue(mspId: string, member: string, ou: 'client' | 'admin'): Promise<unknown>;
  has(mspId: string, member: string): boolean;
}

export const memberRoutes =
  (ledger: Ledger, keys: ApiKeyStore, onboarding: MemberOnboarding): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const idParams = z.object({ id: memberIdSchema });

    app.get(
      '/members/me',
      { schema: { tags: ['members'], summary: 'Who am I: county, member name and roles', response: answerResponses(tx.membership.whoAmI) } },
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
        const me = await evaluate(ledger, caller.identity, tx.membership.whoAmI, undefined);
        if (!me.isCountyAdmin && !me.roles.includes('county-admin')) throw new ApiError('FORBIDDEN', 'only a county admin can onboard members');
        if (onboarding.has(caller.mspId, req.body.member)) throw new ApiError('CONFLICT', `${req.body.member} already exists in ${caller.mspId}`);
        await onboarding.issue(caller.mspId, req.body.member, 'client');
        const { apiKey } = await keys.create(caller.mspId, req.body.member);
        return reply.code(201).send({ id: `${caller.mspId}:${req.body.member}`, mspId: caller.mspId, member: req.body.member, apiKey });
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
        return submit(ledger, caller.identity, tx.membership.revokeRole, { member: target.member, role: req.params.role });
      },
    );
  };
