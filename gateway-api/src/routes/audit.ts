import { FastifyPluginAsync } from 'fastify';
import { Ledger } from '../ledger/ledger';
import { chainVerificationSchema } from '../schemas/audit';
import { errorResponses } from '../schemas/common';

export const auditRoutes =
  (ledger: Ledger): FastifyPluginAsync =>
  async (app) => {
    app.get(
      '/audit/ledger',
      {
        schema: {
          tags: ['audit'],
          summary: 'Verify the block hash chain and data hashes from block 0; reports the first broken block',
          response: { 200: chainVerificationSchema, ...errorResponses },
        },
      },
      async (req) => {
        const started = Date.now();
        const result = await ledger.verifyChain({ onProgress: (checked, height) => req.log.info({ checked, height }, 'verifying ledger') });
        return { ...result, milliseconds: Date.now() - started };
      },
    );
  };
