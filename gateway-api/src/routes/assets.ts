import { FastifyPluginAsync } from 'fastify';
import { categorySchema, subjectIdSchema, tx } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../errors';
import { evaluate, submit } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { answerResponses, bodyOf, createdResponses, pageQuery } from '../schemas/common';

const assetParams = z.object({ id: tx.market.getAsset.input.shape.assetId });

export const assetRoutes =
  (ledger: Ledger): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/assets',
      {
        config: { submits: true },
        schema: {
          tags: ['assets'],
          summary:
            'List an asset (merchant bound to the owner). Eco products need price ≥ cost × 1.3 and an anchored certification; cultural-IP derivatives need a license.',
          body: tx.market.registerAsset.input,
          response: createdResponses(tx.market.registerAsset),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.market.registerAsset, req.body)),
    );

    app.get(
      '/assets',
      {
        schema: {
          tags: ['assets'],
          summary:
            'Listed assets of a category (leaving out IP derivatives that may not be sold today: license not active, licensee restricted), or the assets of an owner',
          querystring: pageQuery.extend({ category: categorySchema.optional(), ownerSubjectId: subjectIdSchema.optional() }),
          response: answerResponses(tx.market.listListedAssets),
        },
      },
      async (req) => {
        const { category, ownerSubjectId, ...page } = req.query;
        if (category !== undefined && ownerSubjectId === undefined)
          return evaluate(ledger, callerOf(req).identity, tx.market.listListedAssets, { category, ...page });
        if (ownerSubjectId !== undefined && category === undefined)
          return evaluate(ledger, callerOf(req).identity, tx.market.listAssetsByOwner, { ownerSubjectId, ...page });
        throw new ApiError('INVALID_ARGUMENT', 'give exactly one of category or ownerSubjectId');
      },
    );

    app.get(
      '/assets/:id',
      { schema: { tags: ['assets'], summary: 'An asset', params: assetParams, response: answerResponses(tx.market.getAsset) } },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.market.getAsset, { assetId: req.params.id }),
    );

    app.get(
      '/assets/:id/history',
      {
        schema: {
          tags: ['assets'],
          summary: 'Ownership history (确权), oldest first',
          params: assetParams,
          querystring: pageQuery,
          response: answerResponses(tx.market.ownershipHistory),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.market.ownershipHistory, { assetId: req.params.id, ...req.query }),
    );

    app.post(
      '/assets/:id/listing',
      {
        config: { submits: true },
        schema: {
          tags: ['assets'],
          summary: 'List or unlist an asset, optionally with a new price (merchant bound to the owner)',
          params: assetParams,
          body: bodyOf(tx.market.setListing.input, 'assetId'),
          response: createdResponses(tx.market.setListing),
        },
      },
      async (req, reply) => reply.code(201).send(await submit(ledger, callerOf(req).identity, tx.market.setListing, { assetId: req.params.id, ...req.body })),
    );

    app.get(
      '/categories/:category/index',
      {
        schema: {
          tags: ['assets'],
          summary: "A category's moving price index (prices settled 60 s or more ago; 404 while there is none)",
          params: z.object({ category: categorySchema }),
          response: answerResponses(tx.market.getCategoryIndex),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.market.getCategoryIndex, { category: req.params.category }),
    );
  };
