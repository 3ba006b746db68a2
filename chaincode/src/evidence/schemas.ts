import { z } from 'zod';
import { mediaTypeSchema, recordIdSchema, sha256HexSchema, sm3HexSchema, subjectIdSchema } from '../kernel/ids';

export const evidenceRefsInput = z.strictObject({
  subjectIds: z.array(subjectIdSchema).max(20).optional(),
  caseIds: z.array(recordIdSchema).max(20).optional(),
  orderIds: z.array(recordIdSchema).max(20).optional(),
});

export const anchorEvidenceInput = z.strictObject({
  sha256: sha256HexSchema,
  sm3: sm3HexSchema,
  /** Size of the file in bytes; an empty file is not evidence. */
  sizeBytes: z.number().int('must be whole bytes').positive().max(Number.MAX_SAFE_INTEGER),
  mediaType: mediaTypeSchema,
  refs: evidenceRefsInput.optional(),
  description: z.string().max(500).optional(),
});
export type AnchorEvidenceInput = z.infer<typeof anchorEvidenceInput>;

export const evidenceDigestInput = z.strictObject({ sha256: sha256HexSchema });

export const recognizeEvidenceInput = z.strictObject({
  sha256: sha256HexSchema,
  note: z.string().max(500).optional(),
});
