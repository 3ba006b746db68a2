import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordIdSchema } from '../../../chaincode/src/kernel/ids';
import { mspIdSchema } from '../../../chaincode/src/kernel/schemas';
import { closeCaseDecision, transferCaseInput } from '../../../chaincode/src/credit/schemas';
import { evaluateJson, submitJson } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { errorResponses, pageQuery, submittedSchema } from '../schemas/common';

const idParams = z.object({ id: recordIdSchema });
const noteBody = z.strictObject({ note: z.string().trim().max(1000).optional() }).nullish();

/**
 * Case lead transfer (线索移送): county A's enforcement transfers, county B's enforcement
 * accepts or rejects, investigates and closes (optionally blacklisting in the same transaction).
 */
export const caseRoutes = (ledger: Ledger): FastifyPluginAsync => async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/cases',
    {
      config: { submits: true },
      schema: {
        tags: ['cases'],
        summary: "Transfer a case lead with evidence to another county's enforcement (enforcement; from = the caller's county)",
        body: transferCaseInput,
        response: { 201: submittedSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Cases:TransferCase', req.body)),
  );

  const step = (path: string, name: string, summary: string) =>
    app.post(
      `/cases/:id/${path}`,
      { config: { submits: true }, schema: { tags: ['cases'], summary, params: idParams, body: noteBody, response: { 200: submittedSchema, ...errorResponses } } },
      async (req) => submitJson(ledger, callerOf(req).identity, name, { caseId: req.params.id, ...(req.body ?? {}) }),
    );
  step('accept', 'Cases:AcceptCase', "Accept a transferred lead (the receiving county's enforcement)");
  step('investigate', 'Cases:InvestigateCase', "Start investigating an accepted lead (the receiving county's enforcement)");

  app.post(
    '/cases/:id/reject',
    {
      config: { submits: true },
      schema: {
        tags: ['cases'],
        summary: "Reject a transferred lead with a reason (the receiving county's enforcement)",
        params: idParams,
        body: z.strictObject({ reason: z.string().trim().min(1).max(1000) }),
        response: { 200: submittedSchema, ...errorResponses },
      },
    },
    async (req) => submitJson(ledger, callerOf(req).identity, 'Cases:RejectCase', { caseId: req.params.id, ...req.body }),
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
        response: { 200: submittedSchema, ...errorResponses },
      },
    },
    async (req) => submitJson(ledger, callerOf(req).identity, 'Cases:CloseCase', { caseId: req.params.id, ...req.body }),
  );

  app.get(
    '/cases/:id',
    { schema: { tags: ['cases'], summary: "A case lead (the two counties' enforcement and auditors)", params: idParams, response: { 200: z.unknown(), ...errorResponses } } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Cases:GetCase', { caseId: req.params.id }),
  );

  app.get(
    '/cases',
    {
      schema: {
        tags: ['cases'],
        summary: "A county's outgoing or incoming case leads (that county's enforcement and auditors); county defaults to the caller's",
        querystring: pageQuery.extend({ county: mspIdSchema.optional(), direction: z.enum(['outgoing', 'incoming']) }),
        response: { 200: z.unknown(), ...errorResponses },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      return evaluateJson(ledger, caller.identity, 'Cases:ListCases', { ...req.query, county: req.query.county ?? caller.mspId });
    },
  );
};
