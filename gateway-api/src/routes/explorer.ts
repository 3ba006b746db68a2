import { FastifyPluginAsync } from 'fastify';
import { calendarDateSchema, mspIdSchema } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../errors';
import { BlockSummary, cstDayOf, ExplorerIndex, IndexProgress } from '../explorer/explorer-index';
import { BlockView, Ledger } from '../ledger/ledger';
import { errorResponses, problemSchema } from '../schemas/common';
import { blockPageSchema, blockViewSchema, dailyTransactionsSchema, transactionAnswerSchema } from '../schemas/explorer';

const MAX_PAGE = 100;
const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

const blockNumberText = z.string().regex(/^[0-9]{1,15}$/, 'must be a block number');
const blocksQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).optional(),
  before: blockNumberText.optional().describe('list blocks numbered below this (the nextBefore of the previous page)'),
});
const blockParams = z.object({ number: blockNumberText });
const hashParams = z.object({ hash: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be a 64-digit hex block header hash') });
const txParams = z.object({ txId: z.string().regex(/^[0-9a-f]{64}$/, 'must be a transaction ID (64 hex digits)') });
const dailyQuery = z
  .object({
    from: calendarDateSchema.optional().describe('first CST day (default: 29 days before `to`)'),
    to: calendarDateSchema.optional().describe('last CST day (default: today)'),
    county: mspIdSchema.optional(),
  })
  .superRefine((q, ctx) => {
    // Checked with the schema, so a bad range is 400 before roles are asked about; defaults are filled in by the route.
    if (!q.from || !q.to) return;
    if (q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if ((Date.parse(q.to) - Date.parse(q.from)) / DAY_MS + 1 > MAX_DAYS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may be at most ${MAX_DAYS} days` });
  });

const notFound = { 404: problemSchema.describe('no such block or transaction (NOT_FOUND)') };
const AUDITORS = { roles: ['auditor'] as const };
const WHO = 'Auditors only.';

function summaryOf(b: BlockView): BlockSummary {
  return { number: b.number, headerHash: b.headerHash, previousHash: b.previousHash, dataHash: b.dataHash, txCount: b.txCount, time: b.time };
}

function behind(p: IndexProgress): string {
  return p.indexedHeight < p.height ? ` (the explorer index has ${p.indexedHeight} of ${p.height} blocks so far; ask again shortly)` : '';
}

/** The day `days` after (or before) a YYYY-MM-DD day. */
function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The explorer for auditors, on both ledgers: blocks newest first, a block with its transactions,
 * a transaction by ID (validation code, creator, endorsers, read and write keys, never values),
 * a block by its header hash, and transactions per county per CST day. Lists, hash search and
 * counts use the gateway's explorer index, which each query first brings up to date (bounded;
 * the rest in the background) and whose progress the answers report.
 */
export const explorerRoutes =
  (ledger: Ledger, index: ExplorerIndex): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/blocks',
      {
        config: AUDITORS,
        schema: {
          tags: ['explorer', 'audit'],
          summary: `Blocks, newest first: number, header, previous and data hashes, transaction count, time. ?limit= (at most ${MAX_PAGE}) and ?before= (a block number: older pages). ${WHO}`,
          querystring: blocksQuery,
          response: { 200: blockPageSchema, ...errorResponses },
        },
      },
      async (req) => {
        const progress = await index.catchUp();
        const limit = req.query.limit ?? 20;
        const before = Math.min(req.query.before === undefined ? progress.height : Number(req.query.before), progress.height);
        const items: BlockSummary[] = [];
        // The newest blocks the index has not reached yet come from the ledger (at most a page of them).
        for (let n = before - 1; n >= progress.indexedHeight && items.length < limit; n--) {
          const block = await ledger.blockView(n);
          if (block) items.push(summaryOf(block));
        }
        if (items.length < limit) items.push(...(await index.summaries(Math.min(before, progress.indexedHeight), limit - items.length)));
        const last = items[items.length - 1];
        return { items, ...(last && last.number > 0 ? { nextBefore: last.number } : {}), height: progress.height, index: progress };
      },
    );

    app.get(
      '/blocks/by-hash/:hash',
      {
        config: AUDITORS,
        schema: {
          tags: ['explorer', 'audit'],
          summary: `The block whose header hash this is, with its transactions; 404 for an unknown hash. ${WHO}`,
          params: hashParams,
          response: { 200: blockViewSchema, ...errorResponses, ...notFound },
        },
      },
      async (req) => {
        const hash = req.params.hash.toLowerCase();
        const progress = await index.catchUp();
        let number = await index.blockNumberOfHash(hash);
        // Blocks the index has not reached yet: a ledger with a hash index of its own (Fabric) is asked.
        if (number === undefined && progress.indexedHeight < progress.height && ledger.blockNumberByHash) number = await ledger.blockNumberByHash(hash);
        const why = ledger.blockNumberByHash ? '' : behind(progress);
        const block = number === undefined ? undefined : await ledger.blockView(number);
        // The block is read again and its hash compared, so a stale index entry never answers another block.
        if (!block || block.headerHash !== hash) throw new ApiError('NOT_FOUND', `no block has the header hash ${hash}${why}`);
        return block;
      },
    );

    app.get(
      '/blocks/:number',
      {
        config: AUDITORS,
        schema: {
          tags: ['explorer', 'audit'],
          summary: `A block with its transactions: validation code, creator (county and member), endorsing counties, function, read and write keys (no values). ${WHO}`,
          params: blockParams,
          response: { 200: blockViewSchema, ...errorResponses, ...notFound },
        },
      },
      async (req) => {
        const block = await ledger.blockView(Number(req.params.number));
        if (!block) throw new ApiError('NOT_FOUND', `block ${req.params.number} is beyond the ledger's height ${await ledger.height()}`);
        return block;
      },
    );

    app.get(
      '/transactions/daily',
      {
        config: AUDITORS,
        schema: {
          tags: ['explorer', 'audit'],
          summary: `Transactions per creating county per CST day (all and valid), ?from=&to= (at most ${MAX_DAYS} days, default the last 30) and ?county=. ${WHO}`,
          querystring: dailyQuery,
          response: { 200: dailyTransactionsSchema, ...errorResponses },
        },
      },
      async (req) => {
        const to = req.query.to ?? cstDayOf(new Date().toISOString());
        const from = req.query.from ?? shiftDay(to, -29);
        if (to < from) throw new ApiError('INVALID_ARGUMENT', 'querystring.to: must not be before from');
        if ((Date.parse(to) - Date.parse(from)) / DAY_MS + 1 > MAX_DAYS)
          throw new ApiError('INVALID_ARGUMENT', `querystring.to: the range may be at most ${MAX_DAYS} days`);
        const progress = await index.catchUp();
        const days = await index.dailyCounts(from, to, req.query.county);
        const totals = new Map<string, { mspId: string; transactions: number; valid: number }>();
        for (const d of days) {
          const t = totals.get(d.mspId) ?? { mspId: d.mspId, transactions: 0, valid: 0 };
          t.transactions += d.transactions;
          t.valid += d.valid;
          totals.set(d.mspId, t);
        }
        return {
          from,
          to,
          ...(req.query.county ? { county: req.query.county } : {}),
          days,
          totals: [...totals.values()].sort((a, b) => a.mspId.localeCompare(b.mspId)),
          index: progress,
        };
      },
    );

    app.get(
      '/transactions/:txId',
      {
        config: AUDITORS,
        schema: {
          tags: ['explorer', 'audit'],
          summary: `A transaction by ID with its block: validation code, creator, endorsing counties, function, read and write keys (no values). ${WHO}`,
          params: txParams,
          response: { 200: transactionAnswerSchema, ...errorResponses, ...notFound },
        },
      },
      async (req) => {
        const found = await ledger.transactionView(req.params.txId);
        if (!found) throw new ApiError('NOT_FOUND', `no transaction ${req.params.txId} on the ledger`);
        return found;
      },
    );
  };
