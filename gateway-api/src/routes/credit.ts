import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkedSubjectIdSchema, recordCreditEventInput } from '../../../chaincode/src/credit/schemas';
import { QueryTrail } from '../audit/query-trail';
import { recordLookups } from '../audit/record-lookups';
import { evaluateJson, submitJson } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { errorResponses, pageQuery, submittedSchema } from '../schemas/common';

const codeParams = z.object({ code: checkedSubjectIdSchema });

/** Credit files (信用档案): events, credit class, a subject's blacklist history. Registered by buildApp beside blacklistRoutes (lookups go to the same query trail). */
export const creditRoutes = (ledger: Ledger, trail: QueryTrail): FastifyPluginAsync => async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/credit-events',
    {
      config: { submits: true },
      schema: {
        tags: ['credit'],
        summary:
          'Record a credit event of a subject (enforcement or regulator): fulfilment (履约) or a violation with severity and whether it caused harmful consequences. A first minor violation without harmful consequence is recorded as a warning only (首违不罚).',
        body: recordCreditEventInput,
        response: { 201: submittedSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Credit:RecordEvent', req.body)),
  );

  app.get(
    '/subjects/:code/credit',
    {
      schema: {
        tags: ['credit'],
        summary: "A subject's credit file and credit class (信用风险分类 A/B/C/D) as of today, with the look-back window counts and the rule row that gave the class",
        params: codeParams,
        response: { 200: z.unknown(), ...errorResponses },
      },
    },
    async (req) => {
      await recordLookups(trail, req, [{ kind: 'credit-file', code: req.params.code }]);
      return evaluateJson(ledger, callerOf(req).identity, 'Credit:GetCreditFile', { subjectId: req.params.code });
    },
  );

  app.get(
    '/subjects/:code/credit/events',
    { schema: { tags: ['credit'], summary: "A subject's credit events, oldest first", params: codeParams, querystring: pageQuery, response: { 200: z.unknown(), ...errorResponses } } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Credit:ListEvents', { subjectId: req.params.code, ...req.query }),
  );

  app.get(
    '/subjects/:code/blacklist',
    {
      schema: {
        tags: ['credit', 'blacklist'],
        summary: "A subject's full blacklist history (published, repaired and revoked entries), oldest first",
        params: codeParams,
        querystring: pageQuery,
        response: { 200: z.unknown(), ...errorResponses },
      },
    },
    async (req) => {
      await recordLookups(trail, req, [{ kind: 'history', code: req.params.code }]);
      return evaluateJson(ledger, callerOf(req).identity, 'Credit:SubjectHistory', { subjectId: req.params.code, ...req.query });
    },
  );
};
