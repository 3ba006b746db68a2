import { z } from 'zod';
import { evaluated, submitted } from '../kernel/transaction';
import { evidenceRecognitionSchema, evidenceRecordSchema } from './records';
import { anchorEvidenceInput, evidenceDigestInput, recognizeEvidenceInput } from './schemas';

/** An anchored file's record with the counties that recognised it (证据互认), at most MAX_RECOGNITIONS_SHOWN of them. */
export const recognizedEvidenceSchema = z
  .strictObject({
    record: evidenceRecordSchema,
    recognitions: z.array(evidenceRecognitionSchema),
    recognitionsTruncated: z.boolean().describe('true when more recognitions exist than are listed'),
  })
  .describe('The evidence record of a digest with the recognitions of other counties (at most 100; recognitionsTruncated when there are more).');

/** The Evidence contract's transactions (see evidence-contract.ts). */
export const evidenceTransactions = {
  anchor: submitted('Evidence', 'Anchor', anchorEvidenceInput, evidenceRecordSchema),
  get: evaluated('Evidence', 'Get', evidenceDigestInput, recognizedEvidenceSchema),
  recognize: submitted('Evidence', 'Recognize', recognizeEvidenceInput, evidenceRecognitionSchema),
};
