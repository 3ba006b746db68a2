import { FastifyPluginAsync } from 'fastify';
import { tx } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evaluate, submit } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { answerResponses, bodyOf, createdResponses, errorResponses, pageQuery } from '../schemas/common';

const proposalParams = z.object({ id: tx.parameters.getProposal.input.shape.proposalId });

const parametersWithHistory = z
  .strictObject({ current: tx.parameters.current.output, history: tx.parameters.history.output })
  .describe('The shared parameters in force, and one page of the changes adopted so far (oldest first)');

/**
 * Shared parameters (risk rules, order deadlines, blacklist publication periods): changed only by a
 * proposal that more than half of the registered counties' regulators approve (共同规则由多数县决定).
 */
export const parameterRoutes =
  (ledger: Ledger): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/parameters',
      {
        schema: {
          tags: ['parameters'],
          summary: 'The shared parameters in force (version 0: the defaults) and their history, a page of adopted changes at a time',
          querystring: pageQuery,
          response: { 200: parametersWithHistory, ...errorResponses },
        },
      },
      async (req) => {
        const identity = callerOf(req).identity;
        const history = await evaluate(ledger, identity, tx.parameters.history, req.query);
        const current = await evaluate(ledger, identity, tx.parameters.current, undefined);
        return { current, history };
      },
    );

    app.post(
      '/parameters/proposals',
      {
        config: { submits: true, roles: ['regulator'] },
        schema: {
          tags: ['parameters'],
          summary:
            'Propose a change of any of the shared parameters (regulator of a registered county; the proposing county counts as approving). Adopted when more than half of the registered counties approve',
          body: tx.parameters.propose.input,
          response: createdResponses(tx.parameters.propose),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.parameters.propose, req.body)),
    );

    app.get(
      '/parameters/proposals',
      {
        schema: {
          tags: ['parameters'],
          summary: 'Proposals by state: open, expired (open for 30 days and not adopted), adopted or withdrawn',
          querystring: pageQuery.extend({ status: z.enum(['open', 'expired', 'adopted', 'withdrawn']).default('open') }),
          response: answerResponses(tx.parameters.listProposals),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.parameters.listProposals, req.query),
    );

    app.get(
      '/parameters/proposals/:id',
      {
        schema: {
          tags: ['parameters'],
          summary: 'A proposal, with its approvals',
          params: proposalParams,
          response: answerResponses(tx.parameters.getProposal),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.parameters.getProposal, { proposalId: req.params.id }),
    );

    app.post(
      '/parameters/proposals/:id/approvals',
      {
        config: { submits: true, roles: ['regulator'] },
        schema: {
          tags: ['parameters'],
          summary: 'Approve a proposal for your county (regulator of a registered county, once per county); the approval that makes a majority adopts it',
          params: proposalParams,
          body: z.strictObject({}).nullish(),
          response: createdResponses(tx.parameters.approve),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.parameters.approve, { proposalId: req.params.id })),
    );

    app.post(
      '/parameters/proposals/:id/withdrawal',
      {
        config: { submits: true, roles: ['regulator'] },
        schema: {
          tags: ['parameters'],
          summary: 'Withdraw an open proposal (regulator of the proposing county)',
          params: proposalParams,
          body: bodyOf(tx.parameters.withdraw.input, 'proposalId').nullish(),
          response: createdResponses(tx.parameters.withdraw),
        },
      },
      async (req, reply) =>
        reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.parameters.withdraw, { proposalId: req.params.id, ...(req.body ?? {}) })),
    );
  };
