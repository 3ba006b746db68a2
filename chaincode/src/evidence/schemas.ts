import { z } from 'zod';

/** Lower-case hex SHA-256 / SM3 digest (32 bytes → 64 hex characters). */
export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters (SHA-256)');
export const sm3HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters (SM3)');

/**
 * A reference to supporting evidence: usually `sha256:<digest>` of an anchored evidence record,
 * or a document number. Shared by every domain that stores evidence refs.
 */
export const evidenceRefSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9:._/#-]*$/, 'must be letters, digits and : . _ / # -');
export const evidenceRefsSchema = z.array(evidenceRefSchema).max(20);
/** At least one evidence ref (decisions that must be backed by evidence). */
export const requiredEvidenceRefsSchema = evidenceRefsSchema.min(1, 'at least one evidence ref is required');

/** Subject IDs: an enterprise's credit code or `ind-` + HMAC-SHA256 hex of an individual's ID number (format only). */
export const subjectIdSchema = z
  .string()
  .regex(/^(?:[0-9ABCDEFGHJKLMNPQRTUWXY]{18}|ind-[0-9a-f]{64})$/, 'must be a unified social credit code or ind-<64 hex>');

/** Identifiers of records made by other domains (orders, cases). */
export const recordIdSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be letters, digits and . _ : -');

export const mediaTypeSchema = z
  .string()
  .max(127)
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, 'must be a media type such as application/pdf');

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
