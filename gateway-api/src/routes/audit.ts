import { Readable } from 'node:stream';
import { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { Ledger } from '../ledger/ledger';
import { sendProblem } from '../plugins/error-handler';
import { chainVerificationSchema, textAnswer } from '../schemas/audit';
import { errorResponses, problemSchema } from '../schemas/common';
import { CHAIN_EXPORT_FORMAT, chainExportLines } from '../verify/chain-export';

/** The chain audit this gateway is running, and how far it has got. */
interface RunningAudit {
  readonly startedAt: string;
  blocksChecked: number;
  height: number;
}

const runningSchema = z
  .strictObject({
    startedAt: z.string().describe('when it started (ISO 8601)'),
    blocksChecked: z.number().int().describe('blocks checked so far (reported every 100 blocks)'),
    height: z.number().int().describe('the chain height it is checking up to'),
  })
  .describe('the audit that is running');

/** What a caller is told to wait before asking again while an audit runs. */
const RETRY_AFTER_SECONDS = 5;

export const auditRoutes =
  (ledger: Ledger): FastifyPluginAsync =>
  async (app) => {
    // One full-chain audit at a time per gateway: it reads every block, so a second would only
    // halve the speed of both; whoever asks meanwhile is told it runs and how far it has got.
    let running: RunningAudit | undefined;

    app.get(
      '/audit/ledger',
      {
        config: { roles: ['auditor'] },
        schema: {
          tags: ['audit'],
          summary:
            "Audit the chain from block 0: hash links, data hashes, each block's orderer signature, and every transaction's creator and endorsement signatures against the counties' CA certificates and the endorsement policy; reports the first broken block and transaction. Auditors only; one audit at a time per gateway: while one runs, 409 CONFLICT with its progress (`running`) and Retry-After",
          response: {
            200: chainVerificationSchema,
            ...errorResponses,
            409: problemSchema.extend({ running: runningSchema }).describe('an audit is running already (CONFLICT): its start and progress'),
          },
        },
      },
      async (req, reply) => {
        if (running) {
          const { startedAt, blocksChecked, height } = running;
          reply.header('retry-after', RETRY_AFTER_SECONDS);
          return sendProblem(
            reply,
            req,
            'CONFLICT',
            `a chain audit is running already on this gateway, started ${startedAt}: ${blocksChecked} of ${height} blocks checked; ask again when it is done`,
            undefined,
            { running: { startedAt, blocksChecked, height } },
          );
        }
        // Taken before the first await, so two requests at the same moment cannot both start one.
        const audit: RunningAudit = { startedAt: new Date().toISOString(), blocksChecked: 0, height: 0 };
        running = audit;
        const started = Date.now();
        try {
          audit.height = await ledger.height();
          const result = await ledger.verifyChain({
            onProgress: (checked, height) => {
              audit.blocksChecked = checked;
              audit.height = height;
              req.log.info({ checked, height }, 'verifying ledger');
            },
          });
          return { ...result, milliseconds: Date.now() - started };
        } finally {
          running = undefined;
        }
      },
    );

    app.get(
      '/audit/ledger/progress',
      {
        config: { roles: ['auditor'] },
        schema: {
          tags: ['audit'],
          summary:
            'How far the chain audit running on this gateway has got (`running`: its start, blocks checked, height), or `running: null` when none runs; auditors only. Asking never starts an audit, so a page may poll it while its own GET /audit/ledger is out',
          response: { 200: z.strictObject({ running: runningSchema.nullable() }).describe('the audit running now, if any'), ...errorResponses },
        },
      },
      async (_req, reply) => {
        reply.header('cache-control', 'no-store');
        return { running: running ? { startedAt: running.startedAt, blocksChecked: running.blocksChecked, height: running.height } : null };
      },
    );

    app.get(
      '/audit/ledger/export',
      {
        config: { roles: ['auditor'] },
        schema: {
          tags: ['audit'],
          summary: `Export the whole chain for an offline audit (npx county-ledger-verify chain): auditors only. JSON lines (application/x-ndjson): first the header {format: "${CHAIN_EXPORT_FORMAT}", ledger, height, trust (the CA certificates and the endorsement policy)}, then one line {number, raw (the stored block, base64)} per block from block 0, streamed`,
          response: { 200: textAnswer('JSON lines: the export header, then one line per block'), ...errorResponses },
        },
      },
      async (_req, reply) => {
        const height = await ledger.height();
        const trust = await ledger.chainTrust();
        return reply
          .type('application/x-ndjson')
          .header('content-disposition', 'attachment; filename="county-ledger-chain.jsonl"')
          .send(Readable.from(chainExportLines(ledger.kind, height, trust, (n) => ledger.rawBlock(n))));
      },
    );
  };
