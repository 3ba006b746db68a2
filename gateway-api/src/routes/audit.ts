import { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { Ledger } from '../ledger/ledger';
import { sendProblem } from '../plugins/error-handler';
import { chainVerificationSchema } from '../schemas/audit';
import { errorResponses, problemSchema } from '../schemas/common';

/** The chain audit this gateway is running, and how far it has got. */
interface RunningAudit {
  readonly startedAt: string;
  blocksChecked: number;
  height: number;
}

const runningSchema = z
  .strictObject({
    startedAt: z.string().describe('when it started (ISO 8601)'),
    blocksChecked: z.number().int().describe('blocks checked so far (reported every 1,000 blocks on the embedded ledger, every 100 on Fabric)'),
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
            'Verify the block hash chain and data hashes from block 0; reports the first broken block. Auditors only; one audit at a time per gateway: while one runs, 409 CONFLICT with its progress (`running`) and Retry-After',
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
  };
