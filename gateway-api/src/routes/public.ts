import { FastifyPluginAsync } from 'fastify';
import { MEASURES, mspIdSchema, pageSchema, publicBlacklistEntrySchema, tx } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evaluate } from '../ledger/calls';
import { Ledger, LedgerIdentity } from '../ledger/ledger';
import { errorResponses, pageQuery } from '../schemas/common';

const publicBlacklistPage = pageSchema(publicBlacklistEntrySchema);

/**
 * Public disclosure (透明治理): trade statistics, and the blacklist (信用公示): active enterprise entries, without
 * authentication and without personal data (no individuals, evidence or member names),
 * rate limited per client IP (with every /public route, see plugins/rate-limit.ts).
 */
export const publicBlacklistRoutes =
  (ledger: Ledger, publicIdentity: () => Promise<LedgerIdentity>): FastifyPluginAsync =>
  async (base) => {
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
          response: { 200: publicBlacklistPage, 400: errorResponses[400], 429: errorResponses[400].describe('too many requests (RATE_LIMITED)') },
        },
      },
      async (req) => {
        // With publicView the chaincode answers only the public form of enterprise entries.
        const page = await evaluate(ledger, await publicIdentity(), tx.credit.listBlacklist, { ...req.query, publicView: true });
        return page as z.output<typeof publicBlacklistPage>;
      },
    );

    app.get(
      '/public/trades',
      {
        config: { public: true },
        schema: {
          tags: ['public'],
          summary:
            'Trade statistics (透明治理): settled cross-region eco-product trade volume (exact decimal strings of fen) and count of a county of origin, per CST day over a period of at most 366 days (no authentication, no parties named; rate limited)',
          security: [],
          querystring: tx.fund.tradeVolume.input,
          response: { 200: tx.fund.tradeVolume.output, 400: errorResponses[400], 429: errorResponses[400].describe('too many requests (RATE_LIMITED)') },
        },
      },
      async (req) => evaluate(ledger, await publicIdentity(), tx.fund.tradeVolume, req.query),
    );
  };
