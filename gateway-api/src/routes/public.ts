import { FastifyPluginAsync } from 'fastify';
import { MEASURES, mspIdSchema, pageSchema, publicBlacklistEntrySchema, tx } from '../../../chaincode/src/public';
import { CountyDirectory, countyNameSchema, publicEvidenceOf, publicEvidenceSchema } from '../evidence/certificate-facts';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evaluate } from '../ledger/calls';
import { Ledger, LedgerIdentity } from '../ledger/ledger';
import { errorResponses, pageQuery } from '../schemas/common';

const publicBlacklistPage = pageSchema(publicBlacklistEntrySchema);

/** A registered county as the public sees it: no member names (who registered it is not public). */
const publicCountySchema = countyNameSchema.extend({ division: z.string().describe('administrative division code (GB/T 2260)') });
const publicCountiesSchema = z.strictObject({ items: z.array(publicCountySchema) }).describe('every registered county, by MSP ID');
const priceIndexesPage = tx.market.listCategoryIndexes.output;

/**
 * Public disclosure (透明治理): trade statistics, the blacklist (信用公示): active enterprise entries, and the
 * anchoring of an evidence digest, without authentication and without personal data (no individuals,
 * evidence refs or member names),
 * rate limited per client IP (with every /public route, see plugins/rate-limit.ts).
 */
export const publicBlacklistRoutes =
  (ledger: Ledger, publicIdentity: () => Promise<LedgerIdentity>, evidence: { counties: CountyDirectory; publicBaseUrl: () => string }): FastifyPluginAsync =>
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

    app.get(
      '/public/counties',
      {
        config: { public: true },
        schema: {
          tags: ['public'],
          summary:
            'The registered counties (MSP ID, name, Chinese name when configured, division code), e.g. to ask /public/trades of each (no authentication; rate limited)',
          security: [],
          response: { 200: publicCountiesSchema, 429: errorResponses[400].describe('too many requests (RATE_LIMITED)') },
        },
      },
      async () => {
        const { items } = await evaluate(ledger, await publicIdentity(), tx.counties.list, undefined);
        return { items: items.map((c) => ({ ...evidence.counties.nameOf(c.mspId), name: c.name, division: c.division })) };
      },
    );

    app.get(
      '/public/price-indexes',
      {
        config: { public: true },
        schema: {
          tags: ['public'],
          summary:
            "Category price indexes (价格指数): each category's moving index (integer fen, the mean of its latest prices settled 60 s or more ago), the prices it is made of, when the newest of them was settled and the cutoff (asOf), by category, a page at a time (no authentication, no parties named; rate limited)",
          security: [],
          querystring: pageQuery,
          response: { 200: priceIndexesPage, 400: errorResponses[400], 429: errorResponses[400].describe('too many requests (RATE_LIMITED)') },
        },
      },
      async (req) => evaluate(ledger, await publicIdentity(), tx.market.listCategoryIndexes, req.query),
    );

    app.get(
      '/public/evidence/:sha256',
      {
        config: { public: true },
        schema: {
          tags: ['public', 'evidence'],
          summary:
            'Whether a SHA-256 digest is anchored (数据存证核验): when (ISO and CST), in which block and transaction, and which counties endorsed it (from the block); never the refs, media type, description or submitter. Not anchored: 404 NOT_FOUND. No authentication; rate limited. The file never has to leave the verifier: the web console computes its digests in the browser',
          security: [],
          params: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest (64 lower-case hex digits)') }),
          response: {
            200: publicEvidenceSchema,
            400: errorResponses[400],
            404: errorResponses[400].describe('the digest is not anchored (NOT_FOUND)'),
            429: errorResponses[400].describe('too many requests (RATE_LIMITED)'),
          },
        },
      },
      async (req) => publicEvidenceOf(ledger, await publicIdentity(), req.params.sha256, evidence.counties, evidence.publicBaseUrl()),
    );
  };
