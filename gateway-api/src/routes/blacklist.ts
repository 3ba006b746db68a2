import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mspIdSchema } from '../../../chaincode/src/kernel/schemas';
import { recordIdSchema } from '../../../chaincode/src/evidence/schemas';
import {
  bulkCheckInput,
  checkedSubjectIdSchema,
  issueBlacklistInput,
  MEASURES,
  OBJECTION_DECISIONS,
} from '../../../chaincode/src/credit/schemas';
import { QueryTrail } from '../audit/query-trail';
import { recordLookups } from '../audit/record-lookups';
import { evaluateJson, submitJson } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { errorResponses, pageQuery, submittedSchema } from '../schemas/common';

const idParams = z.object({ id: recordIdSchema });
const evidenceRefs = z.array(z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9:._/#-]*$/)).max(20);

/**
 * The shared blacklist (联合惩戒): issue, list, check (single and bulk), objections, repair.
 * Every lookup is recorded in the query audit `trail` (opened by buildApp) before it is answered.
 */
export const blacklistRoutes = (ledger: Ledger, trail: QueryTrail): FastifyPluginAsync => async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/blacklist',
    {
      config: { submits: true },
      schema: {
        tags: ['blacklist'],
        summary:
          "Blacklist a subject (enforcement or regulator; issuing county = the caller's) on the basis of its recorded violation events. The gravest basis event sets the severity and so the minimum publication period before repair.",
        body: issueBlacklistInput,
        response: { 201: submittedSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Credit:IssueBlacklist', req.body)),
  );

  app.get(
    '/blacklist',
    {
      schema: {
        tags: ['blacklist'],
        summary: 'Entries in force today, optionally by issuing county and measure (cursor pagination; a page may hold fewer items than the limit)',
        querystring: pageQuery.extend({ county: mspIdSchema.optional(), measure: z.enum(MEASURES).optional() }),
        response: { 200: z.unknown(), ...errorResponses },
      },
    },
    async (req) => {
      const { county, measure } = req.query;
      await recordLookups(trail, req, [{ kind: 'list', filter: { ...(county ? { county } : {}), ...(measure ? { measure } : {}) } }]);
      return evaluateJson(ledger, callerOf(req).identity, 'Credit:ListBlacklist', req.query);
    },
  );

  app.post(
    '/blacklist/check',
    {
      schema: {
        tags: ['blacklist'],
        summary: 'Bulk check of up to 1000 credit codes (or ind- subject IDs); a malformed code is reported in its own item and does not fail the batch',
        body: bulkCheckInput,
        response: { 200: z.unknown(), ...errorResponses },
      },
    },
    async (req) => {
      await recordLookups(trail, req, req.body.codes.map((code) => ({ kind: 'bulk-check' as const, code })));
      return evaluateJson(ledger, callerOf(req).identity, 'Credit:CheckSubjects', req.body);
    },
  );

  app.get(
    '/blacklist/check/:code',
    {
      schema: {
        tags: ['blacklist'],
        summary: 'Is this subject restricted now (trading, licensing, fund), by which entries, and is any under objection?',
        params: z.object({ code: checkedSubjectIdSchema }),
        response: { 200: z.unknown(), ...errorResponses },
      },
    },
    async (req) => {
      await recordLookups(trail, req, [{ kind: 'check', code: req.params.code }]);
      return evaluateJson(ledger, callerOf(req).identity, 'Credit:CheckSubject', { subjectId: req.params.code });
    },
  );

  app.get(
    '/blacklist/:id',
    { schema: { tags: ['blacklist'], summary: 'A blacklist entry with its objections, and whether it is active today', params: idParams, response: { 200: z.unknown(), ...errorResponses } } },
    async (req) => {
      const entry = await evaluateJson<{ subjectId: string }>(ledger, callerOf(req).identity, 'Credit:GetEntry', { entryId: req.params.id });
      await recordLookups(trail, req, [{ kind: 'entry', code: entry.subjectId, filter: { entryId: req.params.id } }]);
      return entry;
    },
  );

  app.post(
    '/blacklist/:id/objection',
    {
      config: { submits: true },
      schema: {
        tags: ['blacklist'],
        summary: "Object to an entry (异议): the subject's merchant, or a regulator of the subject's county on its behalf. The entry shows under objection until the issuing county resolves it.",
        params: idParams,
        body: z.strictObject({ grounds: z.string().trim().min(1).max(1000), evidenceRefs: evidenceRefs.optional() }),
        response: { 201: submittedSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Credit:FileObjection', { entryId: req.params.id, ...req.body })),
  );

  app.post(
    '/blacklist/:id/objection/resolution',
    {
      config: { submits: true },
      schema: {
        tags: ['blacklist'],
        summary: 'The issuing county (enforcement or regulator) resolves the open objection: upheld (the entry stands) or withdrawn (the entry is revoked, kept in history)',
        params: idParams,
        body: z.strictObject({ decision: z.enum(OBJECTION_DECISIONS), note: z.string().trim().min(1).max(1000), evidenceRefs: evidenceRefs.optional() }),
        response: { 200: submittedSchema, ...errorResponses },
      },
    },
    async (req) => submitJson(ledger, callerOf(req).identity, 'Credit:ResolveObjection', { entryId: req.params.id, ...req.body }),
  );

  app.post(
    '/blacklist/:id/repair',
    {
      config: { submits: true },
      schema: {
        tags: ['blacklist'],
        summary: "Credit repair (信用修复): the issuing county's enforcement, after the minimum publication period, with rectification evidence; the entry becomes inactive and stays in history",
        params: idParams,
        body: z.strictObject({ rectificationEvidenceRefs: evidenceRefs.min(1), note: z.string().max(1000).optional() }),
        response: { 200: submittedSchema, ...errorResponses },
      },
    },
    async (req) => submitJson(ledger, callerOf(req).identity, 'Credit:RepairBlacklist', { entryId: req.params.id, ...req.body }),
  );
};
