import { FastifyPluginAsync } from 'fastify';
import { sendProblem } from '../plugins/error-handler';
import { Ledger, Readiness } from '../ledger/ledger';
import { healthSchema, livenessSchema, notReadySchema, readinessSchema } from '../schemas/audit';

/** How many blocks the own peer may be behind the highest county peer and still be ready, unless configured. */
export const DEFAULT_MAX_BLOCK_LAG = 5;

/**
 * Liveness and readiness. /health/live: the process answers. /health/ready: the ledger can serve
 * (embedded: not closed nor fail-stopped; Fabric: own peer reachable and at most `maxBlockLag`
 * blocks behind the others), else 503 problem+json saying why. /health is the older combined
 * answer (the height; a 5xx when the ledger cannot be read), kept as it was.
 */
export const healthRoutes =
  (ledger: Ledger, maxBlockLag = DEFAULT_MAX_BLOCK_LAG): FastifyPluginAsync =>
  async (app) => {
    app.get(
      '/health',
      {
        config: { public: true },
        schema: { tags: ['health'], summary: 'The ledger and its height (see /health/live and /health/ready)', response: { 200: healthSchema } },
      },
      async () => ({
        status: 'ok',
        ledger: ledger.kind,
        height: await ledger.height(),
      }),
    );
    app.get(
      '/health/live',
      { config: { public: true }, schema: { tags: ['health'], summary: 'Liveness: the gateway process answers', response: { 200: livenessSchema } } },
      async () => ({ status: 'live' as const }),
    );
    app.get(
      '/health/ready',
      {
        config: { public: true },
        schema: {
          tags: ['health'],
          summary: 'Readiness: the ledger can serve (Fabric: own peer reachable, its height at most HEALTH_MAX_BLOCK_LAG behind the other peers)',
          response: { 200: readinessSchema, 503: notReadySchema },
        },
      },
      async (req, reply) => {
        const r = await readinessOf(ledger, maxBlockLag);
        const facts = { ledger: ledger.kind, maxBlockLag, ...(r.height !== undefined ? { height: r.height } : {}), ...(r.peers ? { peers: r.peers } : {}) };
        if (!r.ready)
          return sendProblem(reply, req, 'UNAVAILABLE', `not ready: ${r.reasons.join('; ')}`, undefined, { ready: false, reasons: r.reasons, ...facts });
        return { status: 'ready' as const, ...facts };
      },
    );
  };

async function readinessOf(ledger: Ledger, maxBlockLag: number): Promise<Readiness> {
  if (ledger.readiness) return ledger.readiness(maxBlockLag);
  // A ledger that cannot tell more (the HTTP worker's link to the ledger thread): a readable height is ready.
  try {
    return { ready: true, reasons: [], height: await ledger.height() };
  } catch (err) {
    return { ready: false, reasons: [`the ledger cannot be read: ${(err as Error).message}`] };
  }
}
