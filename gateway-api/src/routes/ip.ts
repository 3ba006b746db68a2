import { FastifyPluginAsync } from 'fastify';
import {
  IP_KINDS,
  calendarDateSchema,
  licenseTermsRefinement,
  licenseTermsShape,
  mspIdSchema,
  royaltyPeriodRefinement,
  royaltyReportShape,
  tx,
} from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evaluate, submit } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { answerResponses, bodyOf, createdResponses, pageQuery } from '../schemas/common';

const ipParams = z.object({ id: tx.ip.getIp.input.shape.ipId });
const licenseParams = z.object({ id: tx.ip.getLicense.input.shape.licenseId });

/** IP library (区域文化IP库) and licensing: IP assets, licenses, approvals, revocation, royalties. */
export const ipRoutes =
  (ledger: Ledger): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/ip',
      {
        config: { submits: true },
        schema: {
          tags: ['ip'],
          summary: 'Register an IP asset co-owned by registered counties, shares in basis points summing to exactly 10000 (regulator of an owner county)',
          body: tx.ip.registerIp.input,
          response: createdResponses(tx.ip.registerIp),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.ip.registerIp, req.body)),
    );

    app.get(
      '/ip',
      {
        schema: {
          tags: ['ip'],
          summary: 'IP assets of a kind',
          querystring: pageQuery.extend({ kind: z.enum(IP_KINDS) }),
          response: answerResponses(tx.ip.listIp),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.ip.listIp, req.query),
    );

    app.get('/ip/:id', { schema: { tags: ['ip'], summary: 'An IP asset', params: ipParams, response: answerResponses(tx.ip.getIp) } }, async (req) =>
      evaluate(ledger, callerOf(req).identity, tx.ip.getIp, { ipId: req.params.id }),
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
          response: createdResponses(tx.ip.requestLicense),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.ip.requestLicense, { ipId: req.params.id, ...req.body })),
    );

    app.get(
      '/ip/:id/licenses',
      {
        schema: {
          tags: ['ip'],
          summary: 'Licenses of an IP asset (any state)',
          params: ipParams,
          querystring: pageQuery,
          response: answerResponses(tx.ip.listLicenses),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.ip.listLicenses, { ipId: req.params.id, ...req.query }),
    );

    app.get(
      '/licenses/:id',
      {
        schema: {
          tags: ['ip'],
          summary: 'A license and its state today (requested, pending, active, expired, revoked)',
          params: licenseParams,
          response: answerResponses(tx.ip.getLicense),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.ip.getLicense, { licenseId: req.params.id }),
    );

    app.post(
      '/licenses/:id/approvals',
      {
        config: { submits: true },
        schema: {
          tags: ['ip'],
          summary: 'Approve a license for your county as a co-owner (regulator of an owner county, once per county)',
          params: licenseParams,
          body: z.strictObject({}).nullish(),
          response: createdResponses(tx.ip.approveLicense),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.ip.approveLicense, { licenseId: req.params.id })),
    );

    app.post(
      '/licenses/:id/revocation',
      {
        config: { submits: true },
        schema: {
          tags: ['ip'],
          summary: 'Revoke an effective license for infringement or breach (regulator or enforcement of an owner county)',
          params: licenseParams,
          body: bodyOf(tx.ip.revokeLicense.input, 'licenseId'),
          response: createdResponses(tx.ip.revokeLicense),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.ip.revokeLicense, { licenseId: req.params.id, ...req.body })),
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
          response: createdResponses(tx.ip.reportRoyalty),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.ip.reportRoyalty, { licenseId: req.params.id, ...req.body })),
    );

    app.get(
      '/licenses/:id/royalty-reports',
      {
        schema: {
          tags: ['ip'],
          summary: 'Royalty reports of a license, oldest period first',
          params: licenseParams,
          querystring: pageQuery,
          response: answerResponses(tx.ip.listRoyaltyReports),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.ip.listRoyaltyReports, { licenseId: req.params.id, ...req.query }),
    );

    app.get(
      '/royalty-statements',
      {
        schema: {
          tags: ['ip'],
          summary: "A county's royalty statement: income from royalty reports made on the days from..to (at most 366), in total and per day",
          querystring: z.object({ county: mspIdSchema, from: calendarDateSchema, to: calendarDateSchema }),
          response: answerResponses(tx.ip.royaltyStatement),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.ip.royaltyStatement, req.query),
    );
  };
