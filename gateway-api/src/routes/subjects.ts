import { createHmac } from 'node:crypto';
import {
  accessDecisionShape,
  individualTransientSchema,
  refineAccessDecision,
  memberNameSchema,
  mspIdSchema,
  subjectIdSchema,
  tx,
} from '../../../chaincode/src/public';
import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evaluate, submit } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { answerResponses, bodyOf, createdResponses, errorResponses, pageQuery, submittedSchema } from '../schemas/common';

const subjectParams = z.object({ code: subjectIdSchema });

/**
 * Subjects and market access (市场准入). Individuals are identified by an HMAC of
 * their ID number under a key the counties share, so the same person has the same
 * subject ID in every county while the number itself never reaches shared state.
 */
export const subjectRoutes =
  (ledger: Ledger, subjectHmacKey: Buffer): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/subjects',
      {
        config: { submits: true },
        schema: {
          tags: ['subjects'],
          summary:
            "Register an enterprise by its unified social credit code (regulator of the code's county: its division, positions 3-8, is your county's or your prefecture's)",
          body: tx.subjects.registerEnterprise.input,
          response: createdResponses(tx.subjects.registerEnterprise),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.subjects.registerEnterprise, req.body)),
    );

    app.post(
      '/subjects/individuals',
      {
        config: { submits: true },
        schema: {
          tags: ['subjects'],
          summary:
            "Register an individual (regulator). The ID number and name go only to your county's private data collection; the subject ID is ind-<HMAC of the ID number>.",
          body: individualTransientSchema,
          response: createdResponses(tx.subjects.registerIndividual),
        },
      },
      async (req, reply) => {
        const idHash = createHmac('sha256', subjectHmacKey).update(req.body.idNumber).digest('hex');
        const transient = { idNumber: Buffer.from(req.body.idNumber), name: Buffer.from(req.body.name) };
        return reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.subjects.registerIndividual, { idHash }, transient));
      },
    );

    app.get(
      '/subjects',
      {
        schema: {
          tags: ['subjects'],
          summary: 'Subjects registered by a county',
          querystring: pageQuery.extend({ county: mspIdSchema }),
          response: answerResponses(tx.subjects.listSubjects),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.subjects.listSubjects, req.query),
    );

    app.get(
      '/subjects/:code',
      {
        schema: {
          tags: ['subjects'],
          summary: 'A subject and its market access status',
          params: subjectParams,
          response: answerResponses(tx.subjects.getSubject),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.subjects.getSubject, { subjectId: req.params.code }),
    );

    app.get(
      '/subjects/:code/personal-data',
      {
        schema: {
          tags: ['subjects'],
          summary: "An individual's ID number and name from the county's private collection (regulator of that county)",
          params: subjectParams,
          response: answerResponses(tx.subjects.getPersonalData),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.subjects.getPersonalData, { subjectId: req.params.code }),
    );

    app.post(
      '/subjects/:code/access',
      {
        config: { submits: true },
        schema: {
          tags: ['subjects'],
          summary: 'Set market access green / orange (with a trade limit) / red (regulator of the subject’s county, not acting for it)',
          params: subjectParams,
          body: z.strictObject(accessDecisionShape).superRefine(refineAccessDecision),
          response: createdResponses(tx.subjects.setAccess),
        },
      },
      async (req, reply) =>
        reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.subjects.setAccess, { subjectId: req.params.code, ...req.body })),
    );

    app.get(
      '/subjects/:code/access/history',
      {
        schema: {
          tags: ['subjects'],
          summary: 'Access decisions of a subject, oldest first',
          params: subjectParams,
          querystring: pageQuery,
          response: answerResponses(tx.subjects.accessHistory),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.subjects.accessHistory, { subjectId: req.params.code, ...req.query }),
    );

    app.post(
      '/subjects/:code/merchants',
      {
        config: { submits: true },
        schema: {
          tags: ['subjects'],
          summary: 'Bind a merchant member of your county to act for the subject (regulator of the subject’s county)',
          params: subjectParams,
          body: bodyOf(tx.subjects.bindMerchant.input, 'subjectId'),
          response: createdResponses(tx.subjects.bindMerchant),
        },
      },
      async (req, reply) =>
        reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.subjects.bindMerchant, { subjectId: req.params.code, ...req.body })),
    );

    app.delete(
      '/subjects/:code/merchants/:member',
      {
        schema: {
          tags: ['subjects'],
          summary: 'Unbind a merchant (regulator of the subject’s county)',
          params: z.object({ code: subjectIdSchema, member: memberNameSchema }),
          response: { 200: submittedSchema(tx.subjects.unbindMerchant.output), ...errorResponses },
        },
      },
      async (req) => submit(ledger, callerOf(req).identity, tx.subjects.unbindMerchant, { subjectId: req.params.code, member: req.params.member }),
    );

    app.get(
      '/merchant-bindings',
      {
        schema: {
          tags: ['subjects'],
          summary: 'The subjects a merchant member acts for',
          querystring: pageQuery.extend({ mspId: mspIdSchema, member: memberNameSchema }),
          response: answerResponses(tx.subjects.listBindings),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.subjects.listBindings, req.query),
    );
  };
