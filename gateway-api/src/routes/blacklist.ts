import { FastifyPluginAsync } from 'fastify';
import { MEASURES, checkedSubjectIdSchema, mspIdSchema, tx } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { QueryTrail } from '../audit/query-trail';
import { recordLookups } from '../audit/record-lookups';
import { evaluate, submit } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { answerResponses, bodyOf, createdResponses, errorResponses, pageQuery, submittedSchema } from '../schemas/common';

const idParams = z.object({ id: tx.credit.getEntry.input.shape.entryId });

/**
 * The shared blacklist (联合惩戒): issue, list, check (single and bulk), objections, repair.
 * Every lookup is recorded in the query audit `trail` (opened by buildApp) before it is answered.
 */
export const blacklistRoutes =
  (ledger: Ledger, trail: QueryTrail): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/blacklist',
      {
        config: { submits: true },
        schema: {
          tags: ['blacklist'],
          summary:
            "Blacklist a registered subject (enforcement or regulator, not acting for it; issuing county = the caller's) on the basis of its recorded violation events. The gravest basis event sets the severity and so the minimum publication period before repair. The event credit.BlacklistIssued names the subject's home county (homeCounty).",
          body: tx.credit.issueBlacklist.input,
          response: createdResponses(tx.credit.issueBlacklist),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.credit.issueBlacklist, req.body)),
    );

    app.get(
      '/blacklist',
      {
        schema: {
          tags: ['blacklist'],
          summary: 'Entries in force today, optionally by issuing county and measure (cursor pagination; a page may hold fewer items than the limit)',
          querystring: pageQuery.extend({ county: mspIdSchema.optional(), measure: z.enum(MEASURES).optional() }),
          response: answerResponses(tx.credit.listBlacklist),
        },
      },
      async (req) => {
        const { county, measure } = req.query;
        await recordLookups(trail, req, [{ kind: 'list', filter: { ...(county ? { county } : {}), ...(measure ? { measure } : {}) } }]);
        return evaluate(ledger, callerOf(req).identity, tx.credit.listBlacklist, req.query);
      },
    );

    app.post(
      '/blacklist/check',
      {
        schema: {
          tags: ['blacklist'],
          summary: 'Bulk check of up to 1000 credit codes (or ind- subject IDs); a malformed code is reported in its own item and does not fail the batch',
          body: tx.credit.checkSubjects.input,
          response: answerResponses(tx.credit.checkSubjects),
        },
      },
      async (req) => {
        await recordLookups(
          trail,
          req,
          req.body.codes.map((code) => ({ kind: 'bulk-check' as const, code })),
        );
        return evaluate(ledger, callerOf(req).identity, tx.credit.checkSubjects, req.body);
      },
    );

    app.get(
      '/blacklist/check/:code',
      {
        schema: {
          tags: ['blacklist'],
          summary: 'Is this subject restricted now (trading, licensing, fund), by which entries, and is any under objection?',
          params: z.object({ code: checkedSubjectIdSchema }),
          response: answerResponses(tx.credit.checkSubject),
        },
      },
      async (req) => {
        await recordLookups(trail, req, [{ kind: 'check', code: req.params.code }]);
        return evaluate(ledger, callerOf(req).identity, tx.credit.checkSubject, { subjectId: req.params.code });
      },
    );

    app.get(
      '/blacklist/:id',
      {
        schema: {
          tags: ['blacklist'],
          summary: 'A blacklist entry with its objections, and whether it is active today',
          params: idParams,
          response: answerResponses(tx.credit.getEntry),
        },
      },
      async (req) => {
        const entry = await evaluate(ledger, callerOf(req).identity, tx.credit.getEntry, { entryId: req.params.id });
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
          summary:
            "Object to an entry (异议), from the subject's side only: its merchant, or a regulator of its home county on its behalf when another county issued the entry (the issuing county never objects to its own entry). The entry shows under objection until the issuing county's enforcement resolves it.",
          params: idParams,
          body: bodyOf(tx.credit.fileObjection.input, 'entryId'),
          response: createdResponses(tx.credit.fileObjection),
        },
      },
      async (req, reply) =>
        reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.credit.fileObjection, { entryId: req.params.id, ...req.body })),
    );

    app.post(
      '/blacklist/:id/objection/resolution',
      {
        config: { submits: true },
        schema: {
          tags: ['blacklist'],
          summary:
            "The issuing county's enforcement (not acting for the subject) resolves the open objection: dismissed (the objection is dismissed, the entry stands) or entry-withdrawn (the entry is withdrawn on the objection, kept in history)",
          params: idParams,
          body: bodyOf(tx.credit.resolveObjection.input, 'entryId'),
          response: { 200: submittedSchema(tx.credit.resolveObjection.output), ...errorResponses },
        },
      },
      async (req) => submit(ledger, callerOf(req).identity, tx.credit.resolveObjection, { entryId: req.params.id, ...req.body }),
    );

    app.post(
      '/blacklist/:id/repair',
      {
        config: { submits: true },
        schema: {
          tags: ['blacklist'],
          summary:
            "Credit repair (信用修复): the issuing county's enforcement (not acting for the subject), after the minimum publication period, with rectification evidence; the entry becomes inactive and stays in history",
          params: idParams,
          body: bodyOf(tx.credit.repairBlacklist.input, 'entryId'),
          response: { 200: submittedSchema(tx.credit.repairBlacklist.output), ...errorResponses },
        },
      },
      async (req) => submit(ledger, callerOf(req).identity, tx.credit.repairBlacklist, { entryId: req.params.id, ...req.body }),
    );
  };
