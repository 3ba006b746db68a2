import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { EventFilter } from './event-visibility';
import { textAnswer } from '../schemas/audit';
import { errorResponses, problemSchema } from '../schemas/common';
import type { EventStreamLimits } from '../config';
import { ApiError } from '../errors';

/**
 * Chaincode events as server-sent events. Each event's id is "<block>:<n>", so a
 * client that reconnects with Last-Event-ID (or ?fromBlock=) resumes without gaps.
 * Each caller receives only the events it may read (need to know): see EVENT_VISIBILITY in
 * event-visibility.ts. `<n>` counts every event of the block, sent or not, so ids stay stable.
 */
export const eventRoutes =
  (ledger: Ledger, limits: EventStreamLimits): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const open = new StreamCounts(limits);
    app.get(
      '/events',
      {
        schema: {
          tags: ['events'],
          summary:
            'Chaincode events (text/event-stream), resumable from a block number. A key holds at most EVENT_STREAMS_PER_KEY streams at once and the gateway serves at most EVENT_STREAMS_TOTAL; over either, 429 RATE_LIMITED with Retry-After. Each caller gets only what it may read: roles, subjects, bindings, listings, shared parameters, credit events and the blacklist, counties, IP, fund and tax events go to every member with a role; order events (market.Order*, market.Alert*) only to readers of the order, evidence.* only to readers of the evidence record, cases.* only to readers of the case; an unclassified event to no one.',
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
            429: problemSchema.describe('too many open streams, for this key or for the gateway (RATE_LIMITED); Retry-After'),
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
        const caller = callerOf(req);
        const refusal = open.refusal(caller.keyId);
        if (refusal) {
          reply.header('retry-after', STREAM_RETRY_AFTER_SECONDS);
          throw new ApiError('RATE_LIMITED', refusal);
        }
        const filter = new EventFilter(ledger, caller.identity);
        const controller = new AbortController();
        req.raw.on('close', () => controller.abort());
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        res.write(': county-ledger events\n\n');
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15000);
        let block = -1;
        let n = 0;
        open.add(caller.keyId);
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
            const written = res.write(
              `id: ${block}:${index}\nevent: ${event.name}\ndata: ${JSON.stringify({ blockNumber: block, txId: event.txId, name: event.name, payload: data })}\n\n`,
            );
            // A slow reader holds its own stream back, not the gateway's memory: wait until the socket drains.
            if (!written) await drained(res, controller.signal);
          }
        } catch (err) {
          req.log.warn({ err }, 'event stream ended');
        } finally {
          open.remove(caller.keyId);
          clearInterval(heartbeat);
          res.end();
        }
      },
    );
  };

/** What a refused stream is told to wait: streams end when their readers go, so soon. */
const STREAM_RETRY_AFTER_SECONDS = 5;

/** Open streams per key and in all, against their limits. */
class StreamCounts {
  readonly #limits: EventStreamLimits;
  readonly #perKey = new Map<string, number>();
  #total = 0;

  constructor(limits: EventStreamLimits) {
    this.#limits = limits;
  }

  /** Why a new stream of `key` is refused, or undefined when it may open. */
  refusal(key: string): string | undefined {
    if ((this.#perKey.get(key) ?? 0) >= this.#limits.perKey)
      return `this key already holds ${this.#limits.perKey} open event streams, the most it may; close one first`;
    if (this.#total >= this.#limits.total) return `the gateway already serves ${this.#limits.total} event streams, the most it does; retry later`;
    return undefined;
  }

  add(key: string): void {
    this.#perKey.set(key, (this.#perKey.get(key) ?? 0) + 1);
    this.#total++;
  }

  remove(key: string): void {
    const n = (this.#perKey.get(key) ?? 1) - 1;
    if (n > 0) this.#perKey.set(key, n);
    else this.#perKey.delete(key);
    this.#total--;
  }
}

/** Resolves once `res` can take more, or the stream was closed. */
function drained(res: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.on('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
