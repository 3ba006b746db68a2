import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { categorySchema, subjectIdSchema } from '../../../chaincode/src/kernel/ids';
import { assetIdSchema, registerAssetInput } from '../../../chaincode/src/market/schemas';
import { positiveFenSchema } from '../../../chaincode/src/kernel/schemas';
import { ApiError } from '../errors';
import { evaluateJson, submitJson } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { errorResponses, pageQuery, submittedSchema } from '../schemas/common';

const assetParams = z.object({ id: assetIdSchema });
const ok = { 200: z.unknown(), ...errorResponses };

export const assetRoutes = (ledger: Ledger): FastifyPluginAsync => async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/assets',
    {
      config: { submits: true },
      schema: {
        tags: ['assets'],
        summary:
          'List an asset (merchant bound to the owner). Eco products need price ≥ cost × 1.3 and an anchored certification; cultural-IP derivatives need a license.',
        body: registerAssetInput,
        response: { 201: submittedSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Market:RegisterAsset', req.body)),
  );

  app.get(
    '/assets',
    {
      schema: {
        tags: ['assets'],
        summary: 'Listed assets of a category, or the assets of an owner',
        querystring: pageQuery.extend({ category: categorySchema.optional(), ownerSubjectId: subjectIdSchema.optional() }),
        response: ok,
      },
    },
    async (req) => {
      const { category, ownerSubjectId, ...page } = req.query;
      if ((category === undefined) === (ownerSubjectId === undefined)) throw new ApiError('INVALID_ARGUMENT', 'give exactly one of category or ownerSubjectId');
      return category !== undefined
        ? evaluateJson(ledger, callerOf(req).identity, 'Market:ListListedAssets', { category, ...page })
        : evaluateJson(ledger, callerOf(req).identity, 'Market:ListAssetsByOwner', { ownerSubjectId, ...page });
    },
  );

  app.get('/assets/:id', { schema: { tags: ['assets'], summary: 'An asset', params: assetParams, response: ok } }, async (req) =>
    evaluateJson(ledger, callerOf(req).identity, 'Market:GetAsset', { assetId: req.params.id }),
  );

  app.get(
    '/assets/:id/history',
    { schema: { tags: ['assets'], summary: 'Ownership history (确权), oldest first', params: assetParams, querystring: pageQuery, response: ok } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Market:OwnershipHistory', { assetId: req.params.id, ...req.query }),
  );

  app.post(
    '/assets/:id/listing',
    {
      config: { submits: true },
      schema: {
        tags: ['assets'],
        summary: 'List or unlist an asset, optionally with a new price (merchant bound to the owner)',
        params: assetParams,
        body: z.strictObject({ listed: z.boolean(), priceFen: positiveFenSchema.optional() }),
        response: { 201: submittedSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await submitJson(ledger, callerOf(req).identity, 'Market:SetListing', { assetId: req.params.id, ...req.body })),
  );

  app.get(
    '/categories/:category/index',
    { schema: { tags: ['assets'], summary: "A category's moving price index", params: z.object({ category: categorySchema }), response: ok } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Market:GetCategoryIndex', { category: req.params.category }),
  );
};
