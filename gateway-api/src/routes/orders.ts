import { FastifyPluginAsync } from 'fastify';
import { calendarDateSchema, canonicalJson, mspIdSchema, subjectIdSchema, tx } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../errors';
import { evaluate, submit } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { answerResponses, bodyOf, createdResponses, errorResponses, pageQuery } from '../schemas/common';

const orderParams = z.object({ id: tx.market.getOrder.input.shape.orderId });
/** The deal as the settlement stored it; sent as its canonical JSON, the exact bytes that were anchored. */
const dealDocument = tx.market.getOrder.output.shape.settlement.unwrap().shape.deal;

/** The trade flow: order with deposit → on-site verification → settlement (确权), or cancellation. */
export const orderRoutes =
  (ledger: Ledger): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/orders',
      {
        config: { submits: true },
        schema: {
          tags: ['orders'],
          summary:
            'Order a listed asset with a deposit, 0 < deposit ≤ 20% of price (merchant bound to the buyer); an IP derivative only while its license is active and its licensee not restricted from licensing',
          body: tx.market.placeOrder.input,
          response: createdResponses(tx.market.placeOrder),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.market.placeOrder, req.body)),
    );

    app.get(
      '/orders',
      {
        schema: {
          tags: ['orders'],
          summary: "A subject's orders as buyer or seller",
          querystring: pageQuery.extend({ subjectId: subjectIdSchema, side: z.enum(['buyer', 'seller']) }),
          response: answerResponses(tx.market.listOrders),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.market.listOrders, req.query),
    );

    app.get(
      '/orders/:id',
      { schema: { tags: ['orders'], summary: 'An order', params: orderParams, response: answerResponses(tx.market.getOrder) } },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.market.getOrder, { orderId: req.params.id }),
    );

    app.get(
      '/orders/:id/deal',
      {
        schema: {
          tags: ['orders', 'evidence'],
          summary: 'The settled deal document, byte for byte the evidence file whose SHA-256 and SM3 were anchored at settlement',
          params: orderParams,
          response: { 200: dealDocument, ...errorResponses },
        },
      },
      async (req, reply) => {
        const order = await evaluate(ledger, callerOf(req).identity, tx.market.getOrder, { orderId: req.params.id });
        if (!order.settlement) throw new ApiError('NOT_FOUND', `order ${req.params.id} is not settled`);
        return reply
          .type('application/json')
          .header('content-disposition', `attachment; filename="deal-${req.params.id}.json"`)
          .serializer(canonicalJson)
          .send(order.settlement.deal);
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
          body: bodyOf(tx.market.recordVerification.input, 'orderId'),
          response: createdResponses(tx.market.recordVerification),
        },
      },
      async (req, reply) =>
        reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.market.recordVerification, { orderId: req.params.id, ...req.body })),
    );

    app.post(
      '/orders/:id/settlement',
      {
        config: { submits: true },
        schema: {
          tags: ['orders'],
          summary: 'Pay the balance and transfer ownership; settles T+1 and anchors the deal evidence (merchant bound to the buyer)',
          params: orderParams,
          body: bodyOf(tx.market.settleOrder.input, 'orderId'),
          response: createdResponses(tx.market.settleOrder),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.market.settleOrder, { orderId: req.params.id, ...req.body })),
    );

    app.post(
      '/orders/:id/cancel',
      {
        config: { submits: true },
        schema: {
          tags: ['orders'],
          summary: 'Cancel an order; the deposit follows the fault rule (seller at fault: twice back; buyer at fault: forfeited)',
          params: orderParams,
          body: bodyOf(tx.market.cancelOrder.input, 'orderId'),
          response: createdResponses(tx.market.cancelOrder),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.market.cancelOrder, { orderId: req.params.id, ...req.body })),
    );

    app.get(
      '/trades',
      {
        schema: {
          tags: ['orders'],
          summary: 'Settled trades by origin county and CST day',
          querystring: pageQuery.extend({ originCounty: mspIdSchema, date: calendarDateSchema }),
          response: answerResponses(tx.market.listTrades),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.market.listTrades, req.query),
    );
  };
