import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mspIdSchema } from '../../../chaincode/src/kernel/schemas';
import {
  carbonSinkRefShape,
  confirmCarbonSinkInput,
  dayDateSchema,
  proposeRoundInput,
  recordContributionInput,
  registerCountyInput,
  reportCarbonSinkInput,
  roundIdSchema,
} from '../../../chaincode/src/fund/schemas';
import { paymentRefSchema } from '../../../chaincode/src/market/schemas';
import { positiveFenSchema } from '../../../chaincode/src/kernel/schemas';
import { evaluateJson, submitJson } from '../ledger/calls';
import { Ledger, LedgerIdentity } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { errorResponses, pageQuery, submittedSchema } from '../schemas/common';

const roundParams = z.object({ id: roundIdSchema });
const ok = { 200: z.unknown(), ...errorResponses };
const created = { 201: submittedSchema, ...errorResponses };

interface RoundView {
  id: string;
  periodFrom: string;
  periodTo: string;
  poolFen: number;
  metrics: unknown[];
  allocations: Array<{ county: string; values: Record<string, number>; eligible: boolean; amountFen: number }>;
  approvalsNeeded: number;
  approvals: Array<{ county: string; at: string; txId: string }>;
  status: string;
  proposedAt: string;
  proposeTxId: string;
  finalizedAt?: string;
  finalizeTxId?: string;
}

/**
 * What the public sees of a finalized round: counties, amounts, metrics, approving counties and
 * the transactions, but no member names (who in a county approved is not public).
 */
export function publicRound(r: RoundView) {
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
    finalizedAt: r.finalizedAt,
    finalizeTxId: r.finalizeTxId,
  };
}

/** Counties registry, compensation fund (生态补偿基金) and its public disclosure. */
export const fundRoutes = (ledger: Ledger, publicIdentity: () => Promise<LedgerIdentity>): FastifyPluginAsync => async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  // ---------------------------------------------------------------- counties

  app.post(
    '/counties',
    {
      config: { submits: true },
      schema: {
        tags: ['fund'],
        summary: "Register your own county in the counties registry (county admin, once): the set fund majorities, IP co-ownership and tax sharing count over",
        body: registerCountyInput,
        response: created,
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Counties:Register', req.body)),
  );

  app.get('/counties', { schema: { tags: ['fund'], summary: 'Registered counties', response: ok } }, async (req) => evaluateJson(ledger, callerOf(req).identity, 'Counties:List'));

  app.get('/counties/:mspId', { schema: { tags: ['fund'], summary: 'A registered county', params: z.object({ mspId: mspIdSchema }), response: ok } }, async (req) =>
    evaluateJson(ledger, callerOf(req).identity, 'Counties:Get', { mspId: req.params.mspId }),
  );

  // ---------------------------------------------------------------- contributions and carbon sink

  app.post(
    '/fund/contributions',
    {
      config: { submits: true },
      schema: { tags: ['fund'], summary: "Record your county's contribution to the fund with its payment reference (finance)", body: recordContributionInput, response: created },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Fund:RecordContribution', req.body)),
  );

  app.get(
    '/fund/contributions',
    { schema: { tags: ['fund'], summary: 'Contributions of a county', querystring: pageQuery.extend({ county: mspIdSchema }), response: ok } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Fund:ListContributions', req.query),
  );

  app.get('/fund/balance', { schema: { tags: ['fund'], summary: 'Contributed, committed to finalized rounds, and available', response: ok } }, async (req) =>
    evaluateJson(ledger, callerOf(req).identity, 'Fund:GetBalance'),
  );

  app.get(
    '/fund/trade-volume',
    {
      schema: {
        tags: ['fund'],
        summary: "Settled eco-product trade volume of an origin county over a period (at most 366 days), from the ledger's own trades",
        querystring: z.object({ county: mspIdSchema, periodFrom: dayDateSchema, periodTo: dayDateSchema }),
        response: ok,
      },
    },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Fund:TradeVolume', req.query),
  );

  app.post(
    '/fund/carbon-sinks',
    {
      config: { submits: true },
      schema: {
        tags: ['fund'],
        summary: "Report your county's carbon sink for a period in kg CO2e, with evidence (finance or regulator); it counts once a verifier of another county confirms it",
        body: reportCarbonSinkInput,
        response: created,
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Fund:ReportCarbonSink', req.body)),
  );

  app.get(
    '/fund/carbon-sinks',
    { schema: { tags: ['fund'], summary: "A county's carbon sink report for a period", querystring: z.object(carbonSinkRefShape), response: ok } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Fund:GetCarbonSink', req.query),
  );

  app.post(
    '/fund/carbon-sinks/confirmation',
    {
      config: { submits: true },
      schema: { tags: ['fund'], summary: "Confirm or reject another county's carbon sink report (verifier)", body: confirmCarbonSinkInput, response: created },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Fund:ConfirmCarbonSink', req.body)),
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
        body: proposeRoundInput,
        response: created,
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Fund:ProposeRound', req.body)),
  );

  app.get(
    '/fund/rounds',
    { schema: { tags: ['fund'], summary: 'Rounds by status', querystring: pageQuery.extend({ status: z.enum(['proposed', 'finalized']) }), response: ok } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Fund:ListRounds', req.query),
  );

  app.get('/fund/rounds/:id', { schema: { tags: ['fund'], summary: 'A round, with what has been disbursed to each county', params: roundParams, response: ok } }, async (req) =>
    evaluateJson(ledger, callerOf(req).identity, 'Fund:GetRound', { roundId: req.params.id }),
  );

  const noBody = z.strictObject({}).nullish();

  app.post(
    '/fund/rounds/:id/approvals',
    {
      config: { submits: true },
      schema: { tags: ['fund'], summary: "Approve a proposed round for your county (finance of a county of the round, once per county)", params: roundParams, body: noBody, response: created },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Fund:ApproveRound', { roundId: req.params.id })),
  );

  app.post(
    '/fund/rounds/:id/finalization',
    {
      config: { submits: true },
      schema: { tags: ['fund'], summary: 'Finalize a round approved by a majority of its counties (finance); it never changes again', params: roundParams, body: noBody, response: created },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Fund:FinalizeRound', { roundId: req.params.id })),
  );

  app.post(
    '/fund/rounds/:id/disbursements',
    {
      config: { submits: true },
      schema: {
        tags: ['fund'],
        summary: "Record a payment to a county against a finalized round (finance of a county of the round); never more than the county's allocation",
        params: roundParams,
        body: z.strictObject({ county: mspIdSchema, amountFen: positiveFenSchema, paymentRef: paymentRefSchema, note: z.string().max(500).optional() }),
        response: created,
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Fund:RecordDisbursement', { roundId: req.params.id, ...req.body })),
  );

  app.get(
    '/fund/rounds/:id/disbursements',
    { schema: { tags: ['fund'], summary: 'Disbursements of a round', params: roundParams, querystring: pageQuery, response: ok } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Fund:ListDisbursements', { roundId: req.params.id, ...req.query }),
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
        response: ok,
      },
    },
    async (req) => {
      const page = await evaluateJson<{ items: RoundView[]; nextCursor?: string }>(ledger, await publicIdentity(), 'Fund:ListRounds', { status: 'finalized', ...req.query });
      return { items: page.items.map(publicRound), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },
  );
};
