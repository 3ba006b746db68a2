import { FastifyPluginAsync } from 'fastify';
import { calendarDateSchema, carbonSinkRefShape, mspIdSchema, pageSchema, tx } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evaluate, submit } from '../ledger/calls';
import { Ledger, LedgerIdentity } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { answerResponses, bodyOf, createdResponses, errorResponses, pageQuery } from '../schemas/common';

const roundParams = z.object({ id: tx.fund.getRound.input.shape.roundId });
const disbursementParams = z.object({ id: tx.fund.getDisbursement.input.shape.disbursementId });
const disbursementStatus = tx.fund.listDisbursements.input.shape.status;

const roundSchema = tx.fund.listRounds.output.shape.items.element;

/**
 * What the public sees of a finalized round: counties, amounts, metrics, approving counties and
 * the transactions, but no member names (who in a county approved is not public).
 */
export const publicRoundSchema = roundSchema
  .pick({
    id: true,
    periodFrom: true,
    periodTo: true,
    poolFen: true,
    metrics: true,
    approvalsNeeded: true,
    proposedAt: true,
    proposeTxId: true,
    finalizedAt: true,
    finalizeTxId: true,
  })
  .extend({
    allocations: z.array(roundSchema.shape.allocations.element.omit({ restriction: true })),
    approvals: z.array(roundSchema.shape.approvals.element.omit({ by: true })),
  })
  .describe('a finalized allocation round as the public sees it');

export function publicRound(r: z.output<typeof roundSchema>): z.output<typeof publicRoundSchema> {
  return {
    id: r.id,
    periodFrom: r.periodFrom,
    periodTo: r.periodTo,
    poolFen: r.poolFen,
    metrics: r.metrics,
    allocations: r.allocations.map((a) => ({ county: a.county, values: a.values, eligible: a.eligible, amountFen: a.amountFen })),
    approvalsNeeded: r.approvalsNeeded,
    approvals: r.approvals.map((a) => ({ county: a.county, at: a.at, txId: a.txId })),
    proposedAt: r.proposedAt,
    proposeTxId: r.proposeTxId,
    ...(r.finalizedAt !== undefined ? { finalizedAt: r.finalizedAt } : {}),
    ...(r.finalizeTxId !== undefined ? { finalizeTxId: r.finalizeTxId } : {}),
  };
}

/** Counties registry, compensation fund (生态补偿基金) and its public disclosure. */
export const fundRoutes =
  (ledger: Ledger, publicIdentity: () => Promise<LedgerIdentity>): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    // ---------------------------------------------------------------- counties

    app.post(
      '/counties',
      {
        config: { submits: true },
        schema: {
          tags: ['fund'],
          summary:
            'Register your own county in the counties registry (county admin, once): the set fund majorities, IP co-ownership and tax sharing count over',
          body: tx.counties.register.input,
          response: createdResponses(tx.counties.register),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.counties.register, req.body)),
    );

    app.get('/counties', { schema: { tags: ['fund'], summary: 'Registered counties', response: answerResponses(tx.counties.list) } }, async (req) =>
      evaluate(ledger, callerOf(req).identity, tx.counties.list, undefined),
    );

    app.get(
      '/counties/:mspId',
      { schema: { tags: ['fund'], summary: 'A registered county', params: z.object({ mspId: mspIdSchema }), response: answerResponses(tx.counties.get) } },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.counties.get, { mspId: req.params.mspId }),
    );

    // ---------------------------------------------------------------- contributions and carbon sink

    app.post(
      '/fund/contributions',
      {
        config: { submits: true },
        schema: {
          tags: ['fund'],
          summary: "Record your county's contribution to the fund with its payment reference (finance)",
          body: tx.fund.recordContribution.input,
          response: createdResponses(tx.fund.recordContribution),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.fund.recordContribution, req.body)),
    );

    app.get(
      '/fund/contributions',
      {
        schema: {
          tags: ['fund'],
          summary: 'Contributions of a county',
          querystring: pageQuery.extend({ county: mspIdSchema }),
          response: answerResponses(tx.fund.listContributions),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.fund.listContributions, req.query),
    );

    app.get(
      '/fund/balance',
      { schema: { tags: ['fund'], summary: 'Contributed, committed to finalized rounds, and available', response: answerResponses(tx.fund.getBalance) } },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.fund.getBalance, undefined),
    );

    app.get(
      '/fund/trade-volume',
      {
        schema: {
          tags: ['fund'],
          summary:
            "Settled cross-region eco-product trade volume of an origin county over a period (at most 366 days), from the ledger's own trades (a trade inside one county does not count); totals are exact decimal strings of fen",
          querystring: z.object({ county: mspIdSchema, periodFrom: calendarDateSchema, periodTo: calendarDateSchema }),
          response: answerResponses(tx.fund.tradeVolume),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.fund.tradeVolume, req.query),
    );

    app.post(
      '/fund/carbon-sinks',
      {
        config: { submits: true },
        schema: {
          tags: ['fund'],
          summary:
            "Report your county's carbon sink for a period in kg CO2e, with evidence (finance or regulator); it counts once a verifier of another county confirms it",
          body: tx.fund.reportCarbonSink.input,
          response: createdResponses(tx.fund.reportCarbonSink),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.fund.reportCarbonSink, req.body)),
    );

    app.get(
      '/fund/carbon-sinks',
      {
        schema: {
          tags: ['fund'],
          summary: "A county's carbon sink report for a period",
          querystring: z.object(carbonSinkRefShape),
          response: answerResponses(tx.fund.getCarbonSink),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.fund.getCarbonSink, req.query),
    );

    app.post(
      '/fund/carbon-sinks/confirmation',
      {
        config: { submits: true },
        schema: {
          tags: ['fund'],
          summary: "Confirm or reject another county's carbon sink report (verifier)",
          body: tx.fund.confirmCarbonSink.input,
          response: createdResponses(tx.fund.confirmCarbonSink),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.fund.confirmCarbonSink, req.body)),
    );

    // ---------------------------------------------------------------- rounds

    app.post(
      '/fund/rounds',
      {
        config: { submits: true },
        schema: {
          tags: ['fund'],
          summary:
            'Propose an allocation round for a finished period (finance). Metrics: trade-volume (computed from settled eco-product trades), carbon-sink (confirmed reports), indicators with values; weights sum to 10000. Amount per county = pool × weighted share, largest remainder.',
          body: tx.fund.proposeRound.input,
          response: createdResponses(tx.fund.proposeRound),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.fund.proposeRound, req.body)),
    );

    app.get(
      '/fund/rounds',
      {
        schema: {
          tags: ['fund'],
          summary: 'Rounds by status',
          querystring: pageQuery.extend({ status: tx.fund.listRounds.input.shape.status }),
          response: answerResponses(tx.fund.listRounds),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.fund.listRounds, req.query),
    );

    app.get(
      '/fund/rounds/:id',
      {
        schema: {
          tags: ['fund'],
          summary: 'A round, with what has been disbursed to each county (confirmed by the county) and what awaits its confirmation',
          params: roundParams,
          response: answerResponses(tx.fund.getRound),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.fund.getRound, { roundId: req.params.id }),
    );

    const noBody = z.strictObject({}).nullish();

    app.post(
      '/fund/rounds/:id/approvals',
      {
        config: { submits: true },
        schema: {
          tags: ['fund'],
          summary: 'Approve a proposed round for your county (finance of a county of the round, once per county)',
          params: roundParams,
          body: noBody,
          response: createdResponses(tx.fund.approveRound),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.fund.approveRound, { roundId: req.params.id })),
    );

    app.post(
      '/fund/rounds/:id/finalization',
      {
        config: { submits: true },
        schema: {
          tags: ['fund'],
          summary: 'Finalize a round approved by a majority of its counties (finance); it never changes again',
          params: roundParams,
          body: noBody,
          response: createdResponses(tx.fund.finalizeRound),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.fund.finalizeRound, { roundId: req.params.id })),
    );

    app.post(
      '/fund/rounds/:id/withdrawal',
      {
        config: { submits: true },
        schema: {
          tags: ['fund'],
          summary:
            "Withdraw a proposed round (finance of the proposer's county, before it is finalized): it stays on record as withdrawn and no longer covers its period",
          params: roundParams,
          body: bodyOf(tx.fund.withdrawRound.input, 'roundId'),
          response: createdResponses(tx.fund.withdrawRound),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.fund.withdrawRound, { roundId: req.params.id, ...req.body })),
    );

    // ---------------------------------------------------------------- disbursements

    app.post(
      '/fund/rounds/:id/disbursements',
      {
        config: { submits: true },
        schema: {
          tags: ['fund'],
          summary:
            "Record a payment to a county against a finalized round (finance of another county of the round: the paying side). It counts as disbursed once the receiving county's finance confirms it; confirmed and unconfirmed payments together never exceed the county's allocation",
          params: roundParams,
          body: bodyOf(tx.fund.recordDisbursement.input, 'roundId'),
          response: createdResponses(tx.fund.recordDisbursement),
        },
      },
      async (req, reply) =>
        reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.fund.recordDisbursement, { roundId: req.params.id, ...req.body })),
    );

    app.get(
      '/fund/rounds/:id/disbursements',
      {
        schema: {
          tags: ['fund'],
          summary: 'Disbursements of a round in recording order, all or of one status (recorded, confirmed, disputed, cancelled)',
          params: roundParams,
          querystring: pageQuery.extend({ status: disbursementStatus }),
          response: answerResponses(tx.fund.listDisbursements),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.fund.listDisbursements, { roundId: req.params.id, ...req.query }),
    );

    app.get(
      '/fund/disbursements',
      {
        schema: {
          tags: ['fund'],
          summary: 'Disbursements to a county across rounds in recording order, all or of one status (e.g. recorded: awaiting its confirmation)',
          querystring: pageQuery.extend({ county: mspIdSchema, status: disbursementStatus }),
          response: answerResponses(tx.fund.listDisbursements),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.fund.listDisbursements, req.query),
    );

    app.get(
      '/fund/disbursements/:id',
      {
        schema: { tags: ['fund'], summary: 'A disbursement', params: disbursementParams, response: answerResponses(tx.fund.getDisbursement) },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.fund.getDisbursement, { disbursementId: req.params.id }),
    );

    app.post(
      '/fund/disbursements/:id/confirmation',
      {
        config: { submits: true },
        schema: {
          tags: ['fund'],
          summary: 'Confirm receipt of a recorded disbursement (finance of the receiving county): from now on it counts as disbursed',
          params: disbursementParams,
          body: bodyOf(tx.fund.confirmDisbursement.input, 'disbursementId'),
          response: createdResponses(tx.fund.confirmDisbursement),
        },
      },
      async (req, reply) =>
        reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.fund.confirmDisbursement, { disbursementId: req.params.id, ...req.body })),
    );

    app.post(
      '/fund/disbursements/:id/dispute',
      {
        config: { submits: true },
        schema: {
          tags: ['fund'],
          summary: 'Dispute a recorded disbursement the county did not receive (finance of the receiving county): its amount no longer holds the allocation',
          params: disbursementParams,
          body: bodyOf(tx.fund.disputeDisbursement.input, 'disbursementId'),
          response: createdResponses(tx.fund.disputeDisbursement),
        },
      },
      async (req, reply) =>
        reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.fund.disputeDisbursement, { disbursementId: req.params.id, ...req.body })),
    );

    app.post(
      '/fund/disbursements/:id/cancellation',
      {
        config: { submits: true },
        schema: {
          tags: ['fund'],
          summary:
            'Cancel a disbursement that is not confirmed, recorded or disputed (finance of the recording county); its payment reference may be used again',
          params: disbursementParams,
          body: bodyOf(tx.fund.cancelDisbursement.input, 'disbursementId'),
          response: createdResponses(tx.fund.cancelDisbursement),
        },
      },
      async (req, reply) =>
        reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.fund.cancelDisbursement, { disbursementId: req.params.id, ...req.body })),
    );

    // ---------------------------------------------------------------- public disclosure (透明治理)

    app.get(
      '/public/fund',
      {
        config: { public: true },
        schema: {
          tags: ['public'],
          summary: 'Finalized allocation rounds: period, pool, metrics, amount per county and approving counties (no authentication, no personal data)',
          security: [],
          querystring: pageQuery,
          response: { 200: pageSchema(publicRoundSchema), ...errorResponses },
        },
      },
      async (req) => {
        const page = await evaluate(ledger, await publicIdentity(), tx.fund.listRounds, { status: 'finalized', ...req.query });
        return { items: page.items.map(publicRound), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
      },
    );
  };
