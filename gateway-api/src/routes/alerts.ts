import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evidenceRefsSchema } from '../../../chaincode/src/kernel/ids';
import { alertIdSchema } from '../../../chaincode/src/market/schemas';
import { evaluateJson, submitJson } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { errorResponses, pageQuery, submittedSchema } from '../schemas/common';

/** Risk alerts (异常交易预警) and their clearance by a regulator. */
export const alertRoutes = (ledger: Ledger): FastifyPluginAsync => async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/alerts',
    { schema: { tags: ['alerts'], summary: 'Risk alerts by status', querystring: pageQuery.extend({ status: z.enum(['open', 'cleared', 'rejected']).default('open') }), response: { 200: z.unknown(), ...errorResponses } } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Market:ListAlerts', req.query),
  );

  app.get(
    '/alerts/:id',
    { schema: { tags: ['alerts'], summary: 'A risk alert', params: z.object({ id: alertIdSchema }), response: { 200: z.unknown(), ...errorResponses } } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Market:GetAlert', { alertId: req.params.id }),
  );

  app.post(
    '/alerts/:id/resolution',
    {
      config: { submits: true },
      schema: {
        tags: ['alerts'],
        summary: "Clear (the order continues) or reject (the order is cancelled) an alert: regulator of the seller's or buyer's county",
        params: z.object({ id: alertIdSchema }),
        body: z.strictObject({ decision: z.enum(['clear', 'reject']), note: z.string().min(1).max(500), evidenceRefs: evidenceRefsSchema.optional() }),
        response: { 201: submittedSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Market:ResolveAlert', { alertId: req.params.id, ...req.body })),
  );
};
