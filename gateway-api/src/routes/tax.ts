import { FastifyPluginAsync } from 'fastify';
import { calendarDateSchema, mspIdSchema, tx } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evaluate, submit } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { answerResponses, createdResponses, pageQuery } from '../schemas/common';

const agreementParams = z.object({ id: tx.tax.getAgreement.input.shape.agreementId });
const pair = { countyA: mspIdSchema, countyB: mspIdSchema };

/** Tax sharing between producing and consuming counties (税收分成). */
export const taxRoutes =
  (ledger: Ledger): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/tax/agreements',
      {
        config: { submits: true },
        schema: {
          tags: ['tax'],
          summary:
            'Propose a tax sharing agreement with another county (finance): tax rate on cross-region trades between the two and the origin county’s share, for validity days; in force once both counties’ finance approve',
          body: tx.tax.proposeAgreement.input,
          response: createdResponses(tx.tax.proposeAgreement),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.tax.proposeAgreement, req.body)),
    );

    app.get(
      '/tax/agreements',
      {
        schema: {
          tags: ['tax'],
          summary: 'Agreements between two counties',
          querystring: pageQuery.extend(pair),
          response: answerResponses(tx.tax.listAgreements),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.tax.listAgreements, req.query),
    );

    app.get(
      '/tax/agreements/:id',
      { schema: { tags: ['tax'], summary: 'A tax sharing agreement', params: agreementParams, response: answerResponses(tx.tax.getAgreement) } },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.tax.getAgreement, { agreementId: req.params.id }),
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
          response: createdResponses(tx.tax.approveAgreement),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.tax.approveAgreement, { agreementId: req.params.id })),
    );

    app.get(
      '/tax/statements',
      {
        schema: {
          tags: ['tax'],
          summary: "A county pair's statement over days from..to (at most 366): cross-region trades, price, tax and each county's share, in total and per day",
          querystring: z.object({ ...pair, from: calendarDateSchema, to: calendarDateSchema }),
          response: answerResponses(tx.tax.statement),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.tax.statement, req.query),
    );

    app.get(
      '/tax/entries',
      {
        schema: {
          tags: ['tax'],
          summary: 'The tax recorded for each settled cross-region trade between two counties on one day',
          querystring: pageQuery.extend({ ...pair, date: calendarDateSchema }),
          response: answerResponses(tx.tax.listEntries),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.tax.listEntries, req.query),
    );
  };
