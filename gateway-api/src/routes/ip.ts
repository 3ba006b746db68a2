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

/** IP library (区域文化IP库) and licensing: IP assets and their co-owners' consent, licenses, approvals and rejections, revocation, royalties. */
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
          summary:
            "Register an IP asset naming co-owner counties (registered), shares in basis points summing to exactly 10000 (regulator of a registered county). It is pending-consent until every named county has accepted its share; the registering county's own share counts as accepted.",
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

    app.get(
      '/ip/awaiting-consent',
      {
        schema: {
          tags: ['ip'],
          summary: "IP assets awaiting a county's decision on its share (pending-consent, the county named and not yet decided)",
          querystring: pageQuery.extend({ county: mspIdSchema }),
          response: answerResponses(tx.ip.listAwaitingConsent),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.ip.listAwaitingConsent, req.query),
    );

    app.get('/ip/:id', { schema: { tags: ['ip'], summary: 'An IP asset', params: ipParams, response: answerResponses(tx.ip.getIp) } }, async (req) =>
      evaluate(ledger, callerOf(req).identity, tx.ip.getIp, { ipId: req.params.id }),
    );

    app.post(
      '/ip/:id/acceptances',
      {
        config: { submits: true },
        schema: {
          tags: ['ip'],
          summary:
            "Accept your county's share of an IP asset awaiting consent (regulator of a named co-owner county, once). The acceptance that completes the shares makes the asset active.",
          params: ipParams,
          body: bodyOf(tx.ip.acceptShare.input, 'ipId').nullish(),
          response: createdResponses(tx.ip.acceptShare),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.ip.acceptShare, { ipId: req.params.id, ...(req.body ?? {}) })),
    );

    app.post(
      '/ip/:id/declination',
      {
        config: { submits: true },
        schema: {
          tags: ['ip'],
          summary: "Decline your county's share of an IP asset awaiting consent (regulator of a named co-owner county): the asset is declined for good",
          params: ipParams,
          body: bodyOf(tx.ip.declineShare.input, 'ipId'),
          response: createdResponses(tx.ip.declineShare),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.ip.declineShare, { ipId: req.params.id, ...req.body })),
    );

    app.post(
      '/ip/:id/withdrawal',
      {
        config: { submits: true },
        schema: {
          tags: ['ip'],
          summary: 'Withdraw an IP asset still awaiting consent (regulator of the registering county)',
          params: ipParams,
          body: bodyOf(tx.ip.withdrawIp.input, 'ipId'),
          response: createdResponses(tx.ip.withdrawIp),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.ip.withdrawIp, { ipId: req.params.id, ...req.body })),
    );

    app.post(
      '/ip/:id/licenses',
      {
        config: { submits: true },
        schema: {
          tags: ['ip'],
          summary:
            'Request a license of an active IP (merchant acting for the licensee). It takes effect once owners holding more than 5000 bp approve, and is rejected once owners holding more than 5000 bp reject it. Refused: an IP not active (409), overlapping an exclusive license, a licensee restricted from licensing, 100 open requests on the IP, a term ending before it starts.',
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
          summary: 'A license and its state today (requested, pending, active, expired, revoked, rejected, withdrawn)',
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
          summary:
            'Approve a license for your county as a co-owner (regulator of an owner county not acting for the licensee; one vote per county, approve or reject)',
          params: licenseParams,
          body: z.strictObject({}).nullish(),
          response: createdResponses(tx.ip.approveLicense),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.ip.approveLicense, { licenseId: req.params.id })),
    );

    app.post(
      '/licenses/:id/rejections',
      {
        config: { submits: true },
        schema: {
          tags: ['ip'],
          summary:
            'Reject a requested license for your county as a co-owner (regulator of an owner county not acting for the licensee; one vote per county, approve or reject). Rejected for good once the rejecting shares exceed 5000 bp.',
          params: licenseParams,
          body: bodyOf(tx.ip.rejectLicense.input, 'licenseId'),
          response: createdResponses(tx.ip.rejectLicense),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.ip.rejectLicense, { licenseId: req.params.id, ...req.body })),
    );

    app.post(
      '/licenses/:id/withdrawal',
      {
        config: { submits: true },
        schema: {
          tags: ['ip'],
          summary: 'Withdraw a license request while it is requested (merchant acting for the licensee)',
          params: licenseParams,
          body: bodyOf(tx.ip.withdrawLicense.input, 'licenseId').nullish(),
          response: createdResponses(tx.ip.withdrawLicense),
        },
      },
      async (req, reply) =>
        reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.ip.withdrawLicense, { licenseId: req.params.id, ...(req.body ?? {}) })),
    );

    app.post(
      '/licenses/:id/revocation',
      {
        config: { submits: true },
        schema: {
          tags: ['ip'],
          summary:
            'Revoke an effective license for infringement or breach (regulator or enforcement of an owner county not acting for the licensee). Its derivatives can no longer be ordered or settled.',
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
