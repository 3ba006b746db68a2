import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mspIdSchema } from '../../../chaincode/src/kernel/schemas';
import { calendarDateSchema } from '../../../chaincode/src/kernel/dates';
import { IP_KINDS, ipIdSchema, licenseIdSchema, licenseTermsRefinement, licenseTermsShape, registerIpInput, revokeLicenseShape, royaltyPeriodRefinement, royaltyReportShape } from '../../../chaincode/src/ip/schemas';
import { evaluateJson, submitJson } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { errorResponses, pageQuery, submittedSchema } from '../schemas/common';

const ipParams = z.object({ id: ipIdSchema });
const licenseParams = z.object({ id: licenseIdSchema });
const ok = { 200: z.unknown(), ...errorResponses };
const created = { 201: submittedSchema, ...errorResponses };

/** IP library (区域文化IP库) and licensing: IP assets, licenses, approvals, revocation, royalties. */
export const ipRoutes = (ledger: Ledger): FastifyPluginAsync => async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/ip',
    {
      config: { submits: true },
      schema: {
        tags: ['ip'],
        summary: 'Register an IP asset co-owned by registered counties, shares in basis points summing to exactly 10000 (regulator of an owner county)',
        body: registerIpInput,
        response: created,
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Ip:RegisterIp', req.body)),
  );

  app.get('/ip', { schema: { tags: ['ip'], summary: 'IP assets of a kind', querystring: pageQuery.extend({ kind: z.enum(IP_KINDS) }), response: ok } }, async (req) =>
    evaluateJson(ledger, callerOf(req).identity, 'Ip:ListIp', req.query),
  );

  app.get('/ip/:id', { schema: { tags: ['ip'], summary: 'An IP asset', params: ipParams, response: ok } }, async (req) =>
    evaluateJson(ledger, callerOf(req).identity, 'Ip:GetIp', { ipId: req.params.id }),
  );

  app.post(
    '/ip/:id/licenses',
    {
      config: { submits: true },
      schema: {
        tags: ['ip'],
        summary:
          'Request a license (merchant acting for the licensee). It takes effect once owners holding more than 5000 bp approve. Refused: overlapping an exclusive license, a licensee restricted from licensing, a term ending before it starts.',
        params: ipParams,
        body: z.strictObject(licenseTermsShape).superRefine(licenseTermsRefinement),
        response: created,
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Ip:RequestLicense', { ipId: req.params.id, ...req.body })),
  );

  app.get('/ip/:id/licenses', { schema: { tags: ['ip'], summary: 'Licenses of an IP asset (any state)', params: ipParams, querystring: pageQuery, response: ok } }, async (req) =>
    evaluateJson(ledger, callerOf(req).identity, 'Ip:ListLicenses', { ipId: req.params.id, ...req.query }),
  );

  app.get(
    '/licenses/:id',
    { schema: { tags: ['ip'], summary: 'A license and its state today (requested, pending, active, expired, revoked)', params: licenseParams, response: ok } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Ip:GetLicense', { licenseId: req.params.id }),
  );

  app.post(
    '/licenses/:id/approvals',
    {
      config: { submits: true },
      schema: {
        tags: ['ip'],
        summary: "Approve a license for your county as a co-owner (regulator of an owner county, once per county)",
        params: licenseParams,
        body: z.strictObject({}).nullish(),
        response: created,
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Ip:ApproveLicense', { licenseId: req.params.id })),
  );

  app.post(
    '/licenses/:id/revocation',
    {
      config: { submits: true },
      schema: {
        tags: ['ip'],
        summary: 'Revoke an effective license for infringement or breach (regulator or enforcement of an owner county)',
        params: licenseParams,
        body: z.strictObject(revokeLicenseShape),
        response: created,
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Ip:RevokeLicense', { licenseId: req.params.id, ...req.body })),
  );

  app.post(
    '/licenses/:id/royalty-reports',
    {
      config: { submits: true },
      schema: {
        tags: ['ip'],
        summary:
          "Report sales for the license's next period (merchant acting for the licensee). Royalty due = floor(sales × rate / 10000) + fixed fee, split among co-owners by share (largest remainder).",
        params: licenseParams,
        body: z.strictObject(royaltyReportShape).superRefine(royaltyPeriodRefinement),
        response: created,
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Ip:ReportRoyalty', { licenseId: req.params.id, ...req.body })),
  );

  app.get(
    '/licenses/:id/royalty-reports',
    { schema: { tags: ['ip'], summary: 'Royalty reports of a license, oldest period first', params: licenseParams, querystring: pageQuery, response: ok } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Ip:ListRoyaltyReports', { licenseId: req.params.id, ...req.query }),
  );

  app.get(
    '/royalty-statements',
    {
      schema: {
        tags: ['ip'],
        summary: "A county's royalty statement: income from royalty reports made on the days from..to (at most 366), in total and per day",
        querystring: z.object({ county: mspIdSchema, from: calendarDateSchema, to: calendarDateSchema }),
        response: ok,
      },
    },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Ip:RoyaltyStatement', req.query),
  );
};
