import { z } from 'zod';

/** A transaction as recorded in its block (the Ledger port's TransactionInfo). */
export const transactionInfoSchema = z
  .strictObject({
    txId: z.string(),
    blockNumber: z.number().int(),
    txIndex: z.number().int(),
    validationCode: z.string().describe('VALID, or why the committer refused it (MVCC_READ_CONFLICT, …)'),
    timestamp: z.string(),
    creatorMspId: z.string(),
    endorsingOrganisations: z.array(z.string()).readonly(),
    transactionName: z.string(),
  })
  .describe('the transaction as its block records it');

/** The digests a gateway computed of an uploaded file. */
export const fileDigestsSchema = z.strictObject({ sha256: z.string(), sm3: z.string(), sizeBytes: z.number().int() });
