import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mspIdSchema } from '../../../chaincode/src/kernel/schemas';
import { agreementIdSchema, proposeTaxAgreementInput } from '../../../chaincode/src/tax/schemas';
import { calendarDateSchema } from '../../../chaincode/src/kernel/dates';
import { evaluateJson, submitJson } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { errorResponses, pageQuery, submittedSchema } from '../schemas/common';

const agreementParams = z.object({ id: agreementIdSchema });
const ok = { 200: z.unknown(), ...errorResponses };
const created = { 201: submittedSchema, ...errorResponses };
const pair = { countyA: mspIdSchema, countyB: mspIdSchema };

/** Tax sharing between producing and consuming counties (税收分成). */
export const taxRoutes = (ledger: Ledger): FastifyPluginAsync => async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/tax/agreements',
    {
      config: { submits: true },
      schema: {
        tags: ['tax'],
        summary:
          'Propose a tax sharing agreement with another county (finance): tax rate on cross-region trades between the two and the origin county’s share, for validity days; in force once both counties’ finance approve',
        body: proposeTaxAgreementInput,
        response: created,
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Tax:ProposeAgreement', req.body)),
  );

  app.get('/tax/agreements', { schema: { tags: ['tax'], summary: 'Agreements between two counties', querystring: pageQuery.extend(pair), response: ok } }, async (req) =>
    evaluateJson(ledger, callerOf(req).identity, 'Tax:ListAgreements', req.query),
  );

  app.get('/tax/agreements/:id', { schema: { tags: ['tax'], summary: 'A tax sharing agreement', params: agreementParams, response: ok } }, async (req) =>
    evaluateJson(ledger, callerOf(req).identity, 'Tax:GetAgreement', { agreementId: req.params.id }),
  );

  app.post(
    '/tax/agreements/:id/approvals',
    {
      config: { submits: true },
      schema: {
        tags: ['tax'],
        summary: 'Approve an agreement for your county (finance of one of its two counties, once per county)',
        params: agreementParams,
        body: z.strictObject({}).nullish(),
        response: created,
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Tax:ApproveAgreement', { agreementId: req.params.id })),
  );

  app.get(
    '/tax/statements',
    {
      schema: {
        tags: ['tax'],
        summary: "A county pair's statement over days from..to (at most 366): cross-region trades, price, tax and each county's share, in total and per day",
        querystring: z.object({ ...pair, from: calendarDateSchema, to: calendarDateSchema }),
        response: ok,
      },
    },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Tax:Statement', req.query),
  );

  app.get(
    '/tax/entries',
    {
      schema: {
        tags: ['tax'],
        summary: 'The tax recorded for each settled cross-region trade between two counties on one day',
        querystring: pageQuery.extend({ ...pair, date: calendarDateSchema }),
        response: ok,
      },
    },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Tax:ListEntries', req.query),
  );
};
