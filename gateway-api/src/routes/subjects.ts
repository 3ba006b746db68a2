import { createHmac } from 'node:crypto';
import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { creditCodeSchema, memberNameSchema, mspIdSchema, positiveFenSchema } from '../../../chaincode/src/kernel/schemas';
import { requiredEvidenceRefsSchema, subjectIdSchema } from '../../../chaincode/src/kernel/ids';
import { ACCESS_STATUSES, individualTransientSchema } from '../../../chaincode/src/subjects/schemas';
import { evaluateJson, submitJson } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { errorResponses, pageQuery, submittedSchema } from '../schemas/common';

const subjectParams = z.object({ code: subjectIdSchema });
const ok = { 200: z.unknown(), ...errorResponses };
const created = { 201: submittedSchema, ...errorResponses };

/**
 * Subjects and market access (市场准入). Individuals are identified by an HMAC of
 * their ID number under a key the counties share, so the same person has the same
 * subject ID in every county while the number itself never reaches shared state.
 */
export const subjectRoutes = (ledger: Ledger, subjectHmacKey: Buffer): FastifyPluginAsync => async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/subjects',
    {
      config: { submits: true },
      schema: {
        tags: ['subjects'],
        summary: 'Register an enterprise by its unified social credit code (regulator of your county)',
        body: z.strictObject({ creditCode: creditCodeSchema, name: z.string().min(1).max(200).optional() }),
        response: created,
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Subjects:RegisterEnterprise', req.body)),
  );

  app.post(
    '/subjects/individuals',
    {
      config: { submits: true },
      schema: {
        tags: ['subjects'],
        summary:
          "Register an individual (regulator). The ID number and name go only to your county's private data collection; the subject ID is ind-<HMAC of the ID number>.",
        body: individualTransientSchema,
        response: created,
      },
    },
    async (req, reply) => {
      const idHash = createHmac('sha256', subjectHmacKey).update(req.body.idNumber).digest('hex');
      const transient = { idNumber: Buffer.from(req.body.idNumber), name: Buffer.from(req.body.name) };
      return reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Subjects:RegisterIndividual', { idHash }, transient));
    },
  );

  app.get(
    '/subjects',
    { schema: { tags: ['subjects'], summary: 'Subjects registered by a county', querystring: pageQuery.extend({ county: mspIdSchema }), response: ok } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Subjects:ListSubjects', req.query),
  );

  app.get(
    '/subjects/:code',
    { schema: { tags: ['subjects'], summary: 'A subject and its market access status', params: subjectParams, response: ok } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Subjects:GetSubject', { subjectId: req.params.code }),
  );

  app.get(
    '/subjects/:code/personal-data',
    { schema: { tags: ['subjects'], summary: "An individual's ID number and name from the county's private collection (regulator of that county)", params: subjectParams, response: ok } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Subjects:GetPersonalData', { subjectId: req.params.code }),
  );

  app.post(
    '/subjects/:code/access',
    {
      config: { submits: true },
      schema: {
        tags: ['subjects'],
        summary: 'Set market access green / orange (with a trade limit) / red (regulator of the subject’s county)',
        params: subjectParams,
        body: z.strictObject({
          status: z.enum(ACCESS_STATUSES),
          tradeLimitFen: positiveFenSchema.optional(),
          evidenceRefs: requiredEvidenceRefsSchema,
          reason: z.string().max(500).optional(),
        }),
        response: created,
      },
    },
    async (req, reply) =>
      reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Subjects:SetAccess', { subjectId: req.params.code, ...req.body })),
  );

  app.get(
    '/subjects/:code/access/history',
    { schema: { tags: ['subjects'], summary: 'Access decisions of a subject, oldest first', params: subjectParams, querystring: pageQuery, response: ok } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Subjects:AccessHistory', { subjectId: req.params.code, ...req.query }),
  );

  app.post(
    '/subjects/:code/merchants',
    {
      config: { submits: true },
      schema: {
        tags: ['subjects'],
        summary: 'Bind a merchant member of your county to act for the subject (regulator of the subject’s county)',
        params: subjectParams,
        body: z.strictObject({ member: memberNameSchema, note: z.string().max(500).optional() }),
        response: created,
      },
    },
    async (req, reply) =>
      reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Subjects:BindMerchant', { subjectId: req.params.code, ...req.body })),
  );

  app.delete(
    '/subjects/:code/merchants/:member',
    {
      schema: {
        tags: ['subjects'],
        summary: 'Unbind a merchant (regulator of the subject’s county)',
        params: z.object({ code: subjectIdSchema, member: memberNameSchema }),
        response: { 200: submittedSchema, ...errorResponses },
      },
    },
    async (req) => submitJson(ledger, callerOf(req).identity, 'Subjects:UnbindMerchant', { subjectId: req.params.code, member: req.params.member }),
  );

  app.get(
    '/merchant-bindings',
    {
      schema: {
        tags: ['subjects'],
        summary: 'The subjects a merchant member acts for',
        querystring: pageQuery.extend({ mspId: mspIdSchema, member: memberNameSchema }),
        response: ok,
      },
    },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Subjects:ListBindings', req.query),
  );
};
