import { FastifyPluginAsync } from 'fastify';
import { tx } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evaluate, submit } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { answerResponses, bodyOf, createdResponses, pageQuery } from '../schemas/common';

const alertParams = z.object({ id: tx.market.getAlert.input.shape.alertId });

/** Risk alerts (异常交易预警) and their clearance by a regulator. */
export const alertRoutes =
  (ledger: Ledger): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/alerts',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Risk alerts by status',
          querystring: pageQuery.extend({ status: z.enum(['open', 'cleared', 'rejected']).default('open') }),
          response: answerResponses(tx.market.listAlerts),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.market.listAlerts, req.query),
    );

    app.get(
      '/alerts/:id',
      { schema: { tags: ['alerts'], summary: 'A risk alert', params: alertParams, response: answerResponses(tx.market.getAlert) } },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.market.getAlert, { alertId: req.params.id }),
    );

    app.post(
      '/alerts/:id/resolution',
      {
        config: { submits: true },
        schema: {
          tags: ['alerts'],
          summary: "Clear (the order continues) or reject (the order is cancelled) an alert: regulator of the seller's or buyer's county",
          params: alertParams,
          body: bodyOf(tx.market.resolveAlert.input, 'alertId'),
          response: createdResponses(tx.market.resolveAlert),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.market.resolveAlert, { alertId: req.params.id, ...req.body })),
    );
  };
