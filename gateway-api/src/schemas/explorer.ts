import { z } from 'zod';

/** The answers of the auditors' explorer (routes/explorer.ts): blocks and transactions as recorded, keys without values. */

const hex = z.string().describe('hex');

export const indexProgressSchema = z
  .strictObject({
    indexedHeight: z.number().int().describe('blocks 0 … indexedHeight − 1 are in the explorer index'),
    height: z.number().int().describe("the ledger's height"),
    catchingUp: z.boolean().describe('a background catch-up of the index is running'),
  })
  .describe("how far the gateway's explorer index is (block hashes, counts per county per day)");

export const blockSummarySchema = z
  .strictObject({
    number: z.number().int(),
    headerHash: hex.describe('the block header hash as the next block links to it'),
    previousHash: hex,
    dataHash: hex,
    txCount: z.number().int(),
    time: z.string().nullable().describe("the block's first transaction timestamp (ISO 8601, UTC)"),
  })
  .describe("a block's header facts");

export const transactionViewSchema = z
  .strictObject({
    txId: z.string(),
    txIndex: z.number().int().describe('position in its block'),
    type: z.string().describe('ENDORSER_TRANSACTION, or CONFIG for a Fabric channel configuration'),
    validationCode: z.string().describe('VALID, or why the committer refused it (MVCC_READ_CONFLICT, …)'),
    timestamp: z.string(),
    creator: z.strictObject({
      mspId: z.string(),
      member: z.string().nullable().describe("the common name of the creator's certificate"),
    }),
    endorsingOrganisations: z.array(z.string()).readonly(),
    chaincode: z.string(),
    transactionName: z.string().describe('the contract function called, e.g. Market:PlaceOrder'),
    readKeys: z.array(z.string()).readonly().describe("keys read in the chaincode's namespace"),
    rangeReads: z.array(z.strictObject({ startKey: z.string(), endKey: z.string() })).readonly(),
    writeKeys: z.array(z.string()).readonly().describe('keys written, deletions included (no values)'),
    deletedKeys: z.array(z.string()).readonly(),
    privateCollections: z.array(z.string()).readonly().describe('private data collections written (only key hashes are on the block)'),
  })
  .describe('a transaction as its block records it: creator, endorsers, function, read and write keys');

export const blockViewSchema = blockSummarySchema.extend({ transactions: z.array(transactionViewSchema).readonly() }).describe('a block with its transactions');

export const blockPageSchema = z
  .strictObject({
    items: z.array(blockSummarySchema).describe('newest first'),
    nextBefore: z.number().int().optional().describe('pass as ?before= for the next (older) page; absent on the last page'),
    height: z.number().int(),
    index: indexProgressSchema,
  })
  .describe('a page of blocks, newest first');

export const transactionAnswerSchema = transactionViewSchema.extend({ blockNumber: z.number().int() });

const countsShape = { transactions: z.number().int(), valid: z.number().int().describe('of them committed VALID') };

export const dailyTransactionsSchema = z
  .strictObject({
    from: z.string(),
    to: z.string(),
    county: z.string().optional(),
    days: z.array(z.strictObject({ day: z.string(), mspId: z.string(), ...countsShape })).describe('by day, then county; days without transactions left out'),
    totals: z.array(z.strictObject({ mspId: z.string(), ...countsShape })).describe('per county over the whole range'),
    index: indexProgressSchema,
  })
  .describe("transactions per creator's county per CST day, from the explorer index");
