import { FastifyPluginAsync } from 'fastify';
import { mspIdSchema } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { QueryTrail } from '../audit/query-trail';
import { callerOf } from '../plugins/auth';
import { trailAnchoringSchema, trailPageSchema, trailVerificationSchema } from '../schemas/audit';
import { errorResponses } from '../schemas/common';

const trailQuery = z.object({
  /** The county whose callers' lookups to read (default: the caller's county). */
  county: mspIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z
    .string()
    .regex(/^[0-9]{1,16}$/, 'is not a cursor from a previous page')
    .optional(),
});

/** The blacklist query audit trail: read and verify (auditors), anchor on demand. Registered by buildApp beside blacklistRoutes, on the same trail. */
export const queryTrailRoutes =
  (trail: QueryTrail): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/audit/blacklist-queries',
      {
        config: { roles: ['auditor'] },
        schema: {
          tags: ['audit', 'blacklist'],
          summary: 'The blacklist query audit trail of a county (who looked up which code, when): append-only and hash-chained, oldest first. Auditors only.',
          querystring: trailQuery,
          response: { 200: trailPageSchema, ...errorResponses },
        },
      },
      async (req) => {
        const county = req.query.county ?? callerOf(req).mspId;
        const page = await trail.list(county, req.query.limit ?? 100, req.query.cursor ? Number(req.query.cursor) : 0);
        return { county, trailId: trail.trailIdOf(county), ...page };
      },
    );

    app.get(
      '/audit/blacklist-queries/verify',
      {
        config: { roles: ['auditor'] },
        schema: {
          tags: ['audit', 'blacklist'],
          summary: "Recompute a county's query trail hash chain and compare it with the digests anchored on the ledger. Auditors only.",
          querystring: z.object({ county: mspIdSchema.optional() }),
          response: { 200: trailVerificationSchema, ...errorResponses },
        },
      },
      async (req) => {
        return trail.verify(req.query.county ?? callerOf(req).mspId, callerOf(req).identity);
      },
    );

    app.post(
      '/audit/blacklist-queries/anchor',
      {
        config: { submits: true },
        schema: {
          tags: ['audit', 'blacklist'],
          summary:
            "Anchor the unanchored part of the caller's county trail on the ledger now (the credit contract's AnchorQueryTrail); any member holding a role",
          response: { 200: trailAnchoringSchema, ...errorResponses },
        },
      },
      async (req) => {
        const caller = callerOf(req);
        return trail.anchor(caller.mspId, caller.identity);
      },
    );
  };
