import { FastifyPluginAsync } from 'fastify';
import { checkedSubjectIdSchema, tx } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { QueryTrail } from '../audit/query-trail';
import { recordLookups } from '../audit/record-lookups';
import { evaluate, submit } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { answerResponses, createdResponses, pageQuery } from '../schemas/common';

const codeParams = z.object({ code: checkedSubjectIdSchema });

/** Credit files (信用档案): events, credit class, a subject's blacklist history. Registered by buildApp beside blacklistRoutes (lookups go to the same query trail). */
export const creditRoutes =
  (ledger: Ledger, trail: QueryTrail): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/credit-events',
      {
        config: { submits: true },
        schema: {
          tags: ['credit'],
          summary:
            'Record a credit event of a registered subject (enforcement or regulator, not acting for it): fulfilment (履约) or a violation with severity and whether it caused harmful consequences. A first minor violation without harmful consequence is recorded as a warning only (首违不罚).',
          body: tx.credit.recordEvent.input,
          response: createdResponses(tx.credit.recordEvent),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.credit.recordEvent, req.body)),
    );

    app.get(
      '/subjects/:code/credit',
      {
        schema: {
          tags: ['credit'],
          summary:
            "A subject's credit file and credit class (信用风险分类 A/B/C/D) as of today, with the look-back window counts and the rule row that gave the class",
          params: codeParams,
          response: answerResponses(tx.credit.getCreditFile),
        },
      },
      async (req) => {
        await recordLookups(trail, req, [{ kind: 'credit-file', code: req.params.code }]);
        return evaluate(ledger, callerOf(req).identity, tx.credit.getCreditFile, { subjectId: req.params.code });
      },
    );

    app.get(
      '/subjects/:code/credit/events',
      {
        schema: {
          tags: ['credit'],
          summary: "A subject's credit events, oldest first",
          params: codeParams,
          querystring: pageQuery,
          response: answerResponses(tx.credit.listEvents),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.credit.listEvents, { subjectId: req.params.code, ...req.query }),
    );

    app.get(
      '/subjects/:code/blacklist',
      {
        schema: {
          tags: ['credit', 'blacklist'],
          summary: "A subject's full blacklist history (published, repaired and withdrawn entries), oldest first",
          params: codeParams,
          querystring: pageQuery,
          response: answerResponses(tx.credit.subjectHistory),
        },
      },
      async (req) => {
        await recordLookups(trail, req, [{ kind: 'history', code: req.params.code }]);
        return evaluate(ledger, callerOf(req).identity, tx.credit.subjectHistory, { subjectId: req.params.code, ...req.query });
      },
    );
  };
