import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canonicalJson } from '../../../chaincode/src/kernel/canonical-json';
import { mspIdSchema } from '../../../chaincode/src/kernel/schemas';
import { paymentRefSchema, requiredEvidenceRefsSchema, subjectIdSchema } from '../../../chaincode/src/kernel/ids';
import { orderIdSchema, placeOrderInput, setRiskConfigInput } from '../../../chaincode/src/market/schemas';
import { ApiError } from '../errors';
import { evaluateJson, submitJson } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { errorResponses, pageQuery, submittedSchema } from '../schemas/common';

const orderParams = z.object({ id: orderIdSchema });
const ok = { 200: z.unknown(), ...errorResponses };
const created = { 201: submittedSchema, ...errorResponses };

/** The trade flow: order with deposit → on-site verification → settlement (确权), or cancellation. */
export const orderRoutes = (ledger: Ledger): FastifyPluginAsync => async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/orders',
    {
      config: { submits: true },
      schema: {
        tags: ['orders'],
        summary: 'Order a listed asset with a deposit, 0 < deposit ≤ 20% of price (merchant bound to the buyer)',
        body: placeOrderInput,
        response: created,
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Market:PlaceOrder', req.body)),
  );

  app.get(
    '/orders',
    {
      schema: {
        tags: ['orders'],
        summary: "A subject's orders as buyer or seller",
        querystring: pageQuery.extend({ subjectId: subjectIdSchema, side: z.enum(['buyer', 'seller']) }),
        response: ok,
      },
    },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Market:ListOrders', req.query),
  );

  app.get('/orders/:id', { schema: { tags: ['orders'], summary: 'An order', params: orderParams, response: ok } }, async (req) =>
    evaluateJson(ledger, callerOf(req).identity, 'Market:GetOrder', { orderId: req.params.id }),
  );

  app.get(
    '/orders/:id/deal',
    {
      schema: {
        tags: ['orders', 'evidence'],
        summary: 'The settled deal document, byte for byte the evidence file whose SHA-256 and SM3 were anchored at settlement',
        params: orderParams,
      },
    },
    async (req, reply) => {
      const order = await evaluateJson<{ settlement?: { deal: unknown } }>(ledger, callerOf(req).identity, 'Market:GetOrder', { orderId: req.params.id });
      if (!order.settlement) throw new ApiError('NOT_FOUND', `order ${req.params.id} is not settled`);
      return reply.type('application/json').header('content-disposition', `attachment; filename="deal-${req.params.id}.json"`).send(canonicalJson(order.settlement.deal));
    },
  );

  app.post(
    '/orders/:id/verification',
    {
      config: { submits: true },
      schema: {
        tags: ['orders'],
        summary: 'Record the on-site verification, pass or fail (verifier bound to neither party)',
        params: orderParams,
        body: z.strictObject({ result: z.enum(['pass', 'fail']), evidenceRefs: requiredEvidenceRefsSchema, note: z.string().max(500).optional() }),
        response: created,
      },
    },
    async (req, reply) =>
      reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Market:RecordVerification', { orderId: req.params.id, ...req.body })),
  );

  app.post(
    '/orders/:id/settlement',
    {
      config: { submits: true },
      schema: {
        tags: ['orders'],
        summary: 'Pay the balance and transfer ownership; settles T+1 and anchors the deal evidence (merchant bound to the buyer)',
        params: orderParams,
        body: z.strictObject({ paymentRef: paymentRefSchema }),
        response: created,
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Market:SettleOrder', { orderId: req.params.id, ...req.body })),
  );

  app.post(
    '/orders/:id/cancel',
    {
      config: { submits: true },
      schema: {
        tags: ['orders'],
        summary: 'Cancel an order; the deposit follows the fault rule (seller at fault: twice back; buyer at fault: forfeited)',
        params: orderParams,
        body: z.strictObject({ reason: z.string().min(1).max(500) }),
        response: created,
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Market:CancelOrder', { orderId: req.params.id, ...req.body })),
  );

  app.get(
    '/trades',
    {
      schema: {
        tags: ['orders'],
        summary: 'Settled trades by origin county and CST day',
        querystring: pageQuery.extend({ originCounty: mspIdSchema, date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD') }),
        response: ok,
      },
    },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Market:ListTrades', req.query),
  );

  app.get('/risk-config', { schema: { tags: ['alerts'], summary: 'Risk rule parameters', response: ok } }, async (req) =>
    evaluateJson(ledger, callerOf(req).identity, 'Market:GetRiskConfig'),
  );

  app.put(
    '/risk-config',
    { schema: { tags: ['alerts'], summary: 'Change risk rule parameters (regulator)', body: setRiskConfigInput, response: { 200: submittedSchema, ...errorResponses } } },
    async (req) => submitJson(ledger, callerOf(req).identity, 'Market:SetRiskConfig', req.body),
  );
};
