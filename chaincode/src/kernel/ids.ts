import { z } from 'zod';

/**
 * The shared vocabulary of every domain: identifiers, digests and references that records of
 * one domain use to point at records of another. Format only; existence is each domain's check.
 */

/** Lower-case hex SHA-256 / SM3 digest (32 bytes → 64 hex characters). */
export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters (SHA-256)');
export const sm3HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters (SM3)');

/**
 * A reference to supporting evidence: usually `sha256:<digest>` of an anchored evidence record,
 * or a document number.
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

/** Identifiers of records made by the chaincode (orders, cases, rounds, …). */
export const recordIdSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be letters, digits and . _ : -');

export const mediaTypeSchema = z
  .string()
  .max(127)
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, 'must be a media type such as application/pdf');

/** A product category (market listings, IP license scopes, price indexes). */
export const categorySchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, e.g. honey or walnut-oil');

/** A payment reference of a bank transfer (deposits, balances, contributions, disbursements). */
export const paymentRefSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9:._/#-]*$/, 'must be letters, digits and : . _ / # -');
