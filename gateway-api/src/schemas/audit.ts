import { z } from 'zod';

/** The answers of the gateway's own audit, health and stream routes (not chaincode transactions). */

export const chainVerificationSchema = z
  .strictObject({
    ok: z.boolean(),
    height: z.number().int(),
    blocksChecked: z.number().int(),
    transactionsChecked: z.number().int().optional().describe('transactions in the blocks checked'),
    signaturesChecked: z
      .boolean()
      .optional()
      .describe("whether every creator, endorsement and block signature was checked against the counties' CAs and the endorsement policy"),
    firstBrokenBlock: z.number().int().optional(),
    firstBadTransaction: z.string().optional().describe('the first transaction of the first broken block that fails, when a transaction does'),
    problem: z.string().optional(),
    milliseconds: z.number().int(),
  })
  .describe(
    'the chain audit from block 0: hash links, data hashes, block signatures, every creator and endorsement signature against the CAs and the endorsement policy; the first broken block (and transaction) if any',
  );

const trailEntrySchema = z.strictObject({
  seq: z.number().int(),
  at: z.string(),
  mspId: z.string(),
  member: z.string(),
  kind: z.enum(['check', 'bulk-check', 'entry', 'list', 'credit-file', 'history']),
  code: z.string().optional(),
  filter: z.record(z.string(), z.string()).optional(),
  digest: z.string().describe('sha256(previous digest ‖ canonical JSON of the entry without its digest)'),
});

export const trailPageSchema = z
  .strictObject({ county: z.string(), trailId: z.string(), items: z.array(trailEntrySchema), nextCursor: z.string().optional() })
  .describe("a page of a county's blacklist query trail, oldest first");

export const trailVerificationSchema = z
  .strictObject({
    ok: z.boolean(),
    county: z.string(),
    trailId: z.string(),
    entries: z.number().int(),
    anchors: z.number().int(),
    anchorsChecked: z.number().int(),
    anchoredThrough: z.number().int(),
    unanchoredEntries: z.number().int(),
    problem: z.string().optional(),
    firstBadEntry: z.number().int().optional(),
  })
  .describe('the recomputed hash chain of a query trail compared with its anchors on the ledger');

export const trailAnchoringSchema = z
  .strictObject({
    anchored: z.boolean(),
    trailId: z.string(),
    fromEntry: z.number().int().optional(),
    toEntry: z.number().int().optional(),
    digest: z.string().optional(),
    txId: z.string().optional(),
    blockNumber: z.number().int().optional(),
  })
  .describe('whether anything was left to anchor, and the anchoring transaction');

export const healthSchema = z.strictObject({ status: z.literal('ok'), ledger: z.enum(['embedded', 'fabric']), height: z.number().int() });

/** GET /health/live: the process answers (nothing else is asked). */
export const livenessSchema = z.strictObject({ status: z.literal('live') });

const peerHeightsSchema = z
  .array(z.strictObject({ mspId: z.string(), height: z.number().int().optional().describe('absent: the peer did not answer') }))
  .describe('Fabric: the height of every county peer the gateway asked');

/** GET /health/ready when ready. */
export const readinessSchema = z.strictObject({
  status: z.literal('ready'),
  ledger: z.enum(['embedded', 'fabric']),
  height: z.number().int().optional(),
  maxBlockLag: z.number().int(),
  peers: peerHeightsSchema.optional(),
});

/** GET /health/ready when not ready: problem+json (UNAVAILABLE) with why. */
export const notReadySchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.literal(503),
    code: z.literal('UNAVAILABLE'),
    detail: z.string(),
    instance: z.string(),
    correlationId: z.string().optional(),
    ready: z.literal(false),
    reasons: z.array(z.string()),
    ledger: z.enum(['embedded', 'fabric']),
    height: z.number().int().optional(),
    maxBlockLag: z.number().int(),
    peers: peerHeightsSchema.optional(),
  })
  .describe('not ready (application/problem+json): the reasons say why');

/** Text answers (Prometheus exposition, server-sent events) documented by what they carry. */
export const textAnswer = (what: string) => z.string().describe(what);
