import { FastifyPluginAsync } from 'fastify';
import { closeCaseDecision, mspIdSchema, tx } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evaluate, submit } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { answerResponses, bodyOf, createdResponses, errorResponses, pageQuery, submittedSchema } from '../schemas/common';

const idParams = z.object({ id: tx.cases.getCase.input.shape.caseId });
/** Accepting and starting an investigation take an optional note; an empty body is fine. */
const noteBody = bodyOf(tx.cases.acceptCase.input, 'caseId').nullish();

/**
 * Case lead transfer (线索移送): county A's enforcement transfers (and may withdraw until B
 * accepts), county B's enforcement accepts or rejects, investigates and closes (optionally
 * blacklisting in the same transaction).
 */
export const caseRoutes =
  (ledger: Ledger): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/cases',
      {
        config: { submits: true },
        schema: {
          tags: ['cases'],
          summary:
            "Transfer a case lead with evidence about a registered subject to another registered county's enforcement (enforcement; from = the caller's county)",
          body: tx.cases.transferCase.input,
          response: createdResponses(tx.cases.transferCase),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.cases.transferCase, req.body)),
    );

    const step = (path: string, definition: typeof tx.cases.acceptCase | typeof tx.cases.investigateCase, summary: string) =>
      app.post(
        `/cases/:id/${path}`,
        {
          config: { submits: true },
          schema: { tags: ['cases'], summary, params: idParams, body: noteBody, response: { 200: submittedSchema(definition.output), ...errorResponses } },
        },
        async (req) => submit(ledger, callerOf(req).identity, definition, { caseId: req.params.id, ...(req.body ?? {}) }),
      );
    step('accept', tx.cases.acceptCase, "Accept a transferred lead (the receiving county's enforcement)");
    step('investigate', tx.cases.investigateCase, "Start investigating an accepted lead (the receiving county's enforcement)");

    app.post(
      '/cases/:id/reject',
      {
        config: { submits: true },
        schema: {
          tags: ['cases'],
          summary: "Reject a transferred lead with a reason (the receiving county's enforcement)",
          params: idParams,
          body: bodyOf(tx.cases.rejectCase.input, 'caseId'),
          response: { 200: submittedSchema(tx.cases.rejectCase.output), ...errorResponses },
        },
      },
      async (req) => submit(ledger, callerOf(req).identity, tx.cases.rejectCase, { caseId: req.params.id, ...req.body }),
    );

    app.post(
      '/cases/:id/withdraw',
      {
        config: { submits: true },
        schema: {
          tags: ['cases'],
          summary: "Withdraw a lead the receiving county has not accepted yet, with a reason (the sending county's enforcement)",
          params: idParams,
          body: bodyOf(tx.cases.withdrawCase.input, 'caseId'),
          response: { 200: submittedSchema(tx.cases.withdrawCase.output), ...errorResponses },
        },
      },
      async (req) => submit(ledger, callerOf(req).identity, tx.cases.withdrawCase, { caseId: req.params.id, ...req.body }),
    );

    app.post(
      '/cases/:id/close',
      {
        config: { submits: true },
        schema: {
          tags: ['cases'],
          summary:
            "Close an investigated lead with the decision (the receiving county's enforcement). A violation finding is recorded as a credit event of the subject and may blacklist it in the same transaction (首违不罚 applies).",
          params: idParams,
          body: closeCaseDecision,
          response: { 200: submittedSchema(tx.cases.closeCase.output), ...errorResponses },
        },
      },
      async (req) => submit(ledger, callerOf(req).identity, tx.cases.closeCase, { caseId: req.params.id, ...req.body }),
    );

    app.get(
      '/cases/:id',
      {
        schema: {
          tags: ['cases'],
          summary: "A case lead (the two counties' enforcement and auditors)",
          params: idParams,
          response: answerResponses(tx.cases.getCase),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.cases.getCase, { caseId: req.params.id }),
    );

    app.get(
      '/cases',
      {
        schema: {
          tags: ['cases'],
          summary: "A county's outgoing or incoming case leads (that county's enforcement and auditors); county defaults to the caller's",
          querystring: pageQuery.extend({ county: mspIdSchema.optional(), direction: z.enum(['outgoing', 'incoming']) }),
          response: answerResponses(tx.cases.listCases),
        },
      },
      async (req) => {
        const caller = callerOf(req);
        return evaluate(ledger, caller.identity, tx.cases.listCases, { ...req.query, county: req.query.county ?? caller.mspId });
      },
    );
  };
