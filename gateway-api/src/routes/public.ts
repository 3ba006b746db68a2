import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MEASURES } from '../../../chaincode/src/credit/schemas';
import { mspIdSchema } from '../../../chaincode/src/kernel/schemas';
import { tradeVolumeInput } from '../../../chaincode/src/fund/schemas';
import { evaluateJson } from '../ledger/calls';
import { Ledger, LedgerIdentity } from '../ledger/ledger';
import { errorResponses, pageQuery } from '../schemas/common';

/**
 * Public disclosure (透明治理): trade statistics, and the blacklist (信用公示): active enterprise entries, without
 * authentication and without personal data (no individuals, evidence or member names),
 * rate limited per client IP (with every /public route, see plugins/rate-limit.ts).
 */
export const publicBlacklistRoutes = (ledger: Ledger, publicIdentity: () => Promise<LedgerIdentity>): FastifyPluginAsync => async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/public/blacklist',
    {
      config: { public: true },
      schema: {
        tags: ['public'],
        summary: 'Active enterprise blacklist entries (no authentication, no personal data; rate limited per IP → 429 RATE_LIMITED)',
        security: [],
        querystring: pageQuery.extend({ county: mspIdSchema.optional(), measure: z.enum(MEASURES).optional() }),
        response: { 200: z.unknown(), 400: errorResponses[400], 429: errorResponses[400].describe('too many requests (RATE_LIMITED)') },
      },
    },
    async (req) => evaluateJson(ledger, await publicIdentity(), 'Credit:ListBlacklist', { ...req.query, publicView: true }),
  );

  app.get(
    '/public/trades',
    {
      config: { public: true },
      schema: {
        tags: ['public'],
        summary:
          'Trade statistics (透明治理): settled eco-product trade volume and count of a county of origin, per CST day over a period of at most 366 days (no authentication, no parties named; rate limited)',
        security: [],
        querystring: tradeVolumeInput,
        response: { 200: z.unknown(), 400: errorResponses[400], 429: errorResponses[400].describe('too many requests (RATE_LIMITED)') },
      },
    },
    async (req) => evaluateJson(ledger, await publicIdentity(), 'Fund:TradeVolume', req.query),
  );
};
