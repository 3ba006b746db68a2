import { FastifyPluginAsync } from 'fastify';
import { mspIdSchema } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { QueryTrail } from '../audit/query-trail';
import { ApiError } from '../errors';
import { callerOf } from '../plugins/auth';
import { trailAnchoringSchema, trailPageSchema, trailVerificationSchema } from '../schemas/audit';
import { errorResponses } from '../schemas/common';

const trailQuery = z.object({
  /** The county whose callers' lookups to read (default: the caller's county; entries only of the caller's own county). */
  county: mspIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z
    .string()
    .regex(/^[0-9]{1,16}$/, 'is not a cursor from a previous page')
    .optional(),
});

/**
 * The blacklist query audit trail: read and verify (auditors), anchor on demand. Registered by buildApp beside blacklistRoutes, on the same trail.
 *
 * Need to know: a county's trail says which of its members looked up which code and when — the
 * county's own oversight of its officers. Its entries are read by that county's auditors only; an
 * auditor of another county is refused (403), even when a lookup concerns a subject of its county
 * (a code may be any subject's, and the trail would tell that county what another's officers are
 * investigating). Verification answers only counts and whether the chain matches the digests
 * anchored on the ledger (which every member can read there anyway), so auditors of any county may
 * verify any county's trail.
 */
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
          summary:
            "The blacklist query audit trail of the caller's county (who looked up which code, when): append-only and hash-chained, oldest first. Auditors of that county only; another county's trail is 403.",
          querystring: trailQuery,
          response: { 200: trailPageSchema, ...errorResponses },
        },
      },
      async (req) => {
        const caller = callerOf(req);
        const county = req.query.county ?? caller.mspId;
        if (county !== caller.mspId)
          throw new ApiError('FORBIDDEN', `the query trail of ${county} is read by its own auditors only, not by ${caller.mspId}'s (need to know)`);
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
          summary:
            "Recompute a county's query trail hash chain and compare it with the digests anchored on the ledger (counts and digests only, no entries). Auditors of any county.",
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
