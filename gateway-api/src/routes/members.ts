import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES, memberNameSchema, mspIdSchema, roleSchema } from '../../../chaincode/src/kernel/schemas';
import { ApiKeyStore } from '../auth/api-keys';
import { ApiError } from '../errors';
import { evaluateJson, submitJson } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { errorResponses, memberIdSchema, pageQuery, splitMemberId, submittedSchema } from '../schemas/common';

export interface MemberOnboarding {
  /** Issues a ledger identity for a new member of a county. */
  issue(mspId: string, member: string, ou: 'client' | 'admin'): Promise<unknown>;
  has(mspId: string, member: string): boolean;
}

interface WhoAmI {
  mspId: string;
  member: string;
  isCountyAdmin: boolean;
  roles: string[];
}

export const memberRoutes = (ledger: Ledger, keys: ApiKeyStore, onboarding: MemberOnboarding): FastifyPluginAsync => async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const idParams = z.object({ id: memberIdSchema });

  app.get('/members/me', { schema: { tags: ['members'], summary: 'Who am I: county, member name and roles', response: { 200: z.unknown(), ...errorResponses } } }, async (req) =>
    evaluateJson<WhoAmI>(ledger, callerOf(req).identity, 'Membership:WhoAmI'),
  );

  app.post(
    '/members',
    {
      config: { submits: false },
      schema: {
        tags: ['members'],
        summary: 'Onboard a member of your county: issues a ledger identity and an API key (shown once). County admins only.',
        body: z.strictObject({ member: memberNameSchema }),
        response: { 201: z.object({ id: z.string(), mspId: z.string(), member: z.string(), apiKey: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const me = await evaluateJson<WhoAmI>(ledger, caller.identity, 'Membership:WhoAmI');
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
        response: { 200: z.unknown(), ...errorResponses },
      },
    },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Membership:ListRoleHolders', req.query),
  );

  app.get('/members/:id', { schema: { tags: ['members'], summary: "A member's roles and grants", params: idParams, response: { 200: z.unknown(), ...errorResponses } } }, async (req) =>
    evaluateJson(ledger, callerOf(req).identity, 'Membership:GetMember', splitMemberId(req.params.id)),
  );

  app.get(
    '/members/:id/roles/history',
    { schema: { tags: ['members'], summary: 'Grant and revocation history of a member', params: idParams, querystring: pageQuery, response: { 200: z.unknown(), ...errorResponses } } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Membership:RoleHistory', { ...splitMemberId(req.params.id), ...req.query }),
  );

  app.post(
    '/members/:id/roles',
    {
      config: { submits: true },
      schema: {
        tags: ['members'],
        summary: 'Grant a role to a member of your own county (county admin)',
        params: idParams,
        body: z.strictObject({ role: roleSchema, note: z.string().max(500).optional() }),
        response: { 201: submittedSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const target = splitMemberId(req.params.id);
      const caller = callerOf(req);
      if (target.mspId !== caller.mspId) throw new ApiError('FORBIDDEN', `a county admin of ${caller.mspId} cannot grant roles in ${target.mspId}`);
      const result = await submitJson(ledger, caller.identity, 'Membership:GrantRole', { member: target.member, role: req.body.role, note: req.body.note });
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
        response: { 200: submittedSchema, ...errorResponses },
      },
    },
    async (req) => {
      const target = splitMemberId(req.params.id);
      const caller = callerOf(req);
      if (target.mspId !== caller.mspId) throw new ApiError('FORBIDDEN', `a county admin of ${caller.mspId} cannot revoke roles in ${target.mspId}`);
      return submitJson(ledger, caller.identity, 'Membership:RevokeRole', { member: target.member, role: req.params.role });
    },
  );
};
