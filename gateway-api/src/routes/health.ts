import { FastifyPluginAsync } from 'fastify';
import { Ledger } from '../ledger/ledger';
import { healthSchema } from '../schemas/audit';

export const healthRoutes =
  (ledger: Ledger): FastifyPluginAsync =>
  async (app) => {
    app.get(
      '/health',
      { config: { public: true }, schema: { tags: ['health'], summary: 'Liveness and readiness', response: { 200: healthSchema } } },
      async () => ({
        status: 'ok',
        ledger: ledger.kind,
        height: await ledger.height(),
      }),
    );
  };
