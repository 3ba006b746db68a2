import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { EventFilter } from './event-visibility';
import { textAnswer } from '../schemas/audit';
import { errorResponses } from '../schemas/common';

/**
 * Chaincode events as server-sent events. Each event's id is "<block>:<n>", so a
 * client that reconnects with Last-Event-ID (or ?fromBlock=) resumes without gaps.
 * Each caller receives only the events it may read (need to know): see EVENT_VISIBILITY in
 * event-visibility.ts. `<n>` counts every event of the block, sent or not, so ids stay stable.
 */
export const eventRoutes =
  (ledger: Ledger): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/events',
      {
        schema: {
          tags: ['events'],
          summary:
            'Chaincode events (text/event-stream), resumable from a block number. Each caller gets only what it may read: roles, subjects, bindings, listings, shared parameters, credit events and the blacklist, counties, IP, fund and tax events go to every member with a role; order events (market.Order*, market.Alert*) only to readers of the order, evidence.* only to readers of the evidence record, cases.* only to readers of the case; an unclassified event to no one.',
          querystring: z.object({ fromBlock: z.coerce.number().int().min(0).optional() }),
          headers: z
            .object({
              'last-event-id': z
                .string()
                .regex(/^\d+:\d+$/)
                .optional(),
            })
            .loose(),
          response: {
            200: textAnswer('text/event-stream: one event per chaincode event, id <block>:<n>, data = {txId, blockNumber, name, payload}'),
            ...errorResponses,
          },
        },
      },
      async (req, reply) => {
        let startBlock = req.query.fromBlock;
        let skipInBlock = -1;
        const last = req.headers['last-event-id'];
        if (typeof last === 'string') {
          const [b, n] = last.split(':').map(Number) as [number, number];
          startBlock = b;
          skipInBlock = n;
        }
        const filter = new EventFilter(ledger, callerOf(req).identity);
        const controller = new AbortController();
        req.raw.on('close', () => controller.abort());
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        res.write(': county-ledger events\n\n');
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15000);
        let block = -1;
        let n = 0;
        try {
          for await (const event of ledger.events({ ...(startBlock !== undefined ? { startBlock } : {}), signal: controller.signal })) {
            if (event.blockNumber !== block) {
              block = event.blockNumber;
              n = 0;
            }
            const index = n++;
            if (block === startBlock && index <= skipInBlock) continue;
            let data: unknown;
            try {
              data = JSON.parse(event.payload.toString('utf8'));
            } catch {
              data = event.payload.toString('base64');
            }
            if (!(await filter.mayReceive(event.name, data))) continue;
            res.write(
              `id: ${block}:${index}\nevent: ${event.name}\ndata: ${JSON.stringify({ blockNumber: block, txId: event.txId, name: event.name, payload: data })}\n\n`,
            );
          }
        } catch (err) {
          req.log.warn({ err }, 'event stream ended');
        } finally {
          clearInterval(heartbeat);
          res.end();
        }
      },
    );
  };
