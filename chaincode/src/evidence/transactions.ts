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

/**
 * What is told of an anchored digest to anyone holding a role (Evidence:Verify) and to any caller at all
 * (Evidence:PublicLookup): no refs, description, media type or submitter; strict, so none can slip in.
 */
export const evidenceAnchoringSchema = z
  .strictObject({ sha256: z.string(), sm3: z.string(), sizeBytes: z.number(), txId: z.string(), anchoredAt: z.string() })
  .describe('that a digest is anchored, in which transaction and when (no refs, description or submitter)');

/** The Evidence contract's transactions (implemented in market/evidence-contract.ts: reading a record needs the counties its refs concern). */
export const evidenceTransactions = {
  anchor: submitted('Evidence', 'Anchor', anchorEvidenceInput, evidenceRecordSchema),
  get: evaluated('Evidence', 'Get', evidenceDigestInput, recognizedEvidenceSchema),
  verify: evaluated('Evidence', 'Verify', evidenceDigestInput, evidenceAnchoringSchema),
  /** The same bare anchoring facts for any caller, a member without a role too: the gateway's public lookup by digest. */
  publicLookup: evaluated('Evidence', 'PublicLookup', evidenceDigestInput, evidenceAnchoringSchema),
  recognize: submitted('Evidence', 'Recognize', recognizeEvidenceInput, evidenceRecognitionSchema),
};
