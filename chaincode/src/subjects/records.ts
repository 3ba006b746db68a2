import { z } from 'zod';
import { defineRecordType } from '../kernel/state';

/** `pending` until the county regulator first sets green, orange or red (三色审核). */
export const accessStatusSchema = z.enum(['pending', 'green', 'orange', 'red']);
export type AccessStatus = z.infer<typeof accessStatusSchema>;

export const subjectKindSchema = z.enum(['enterprise', 'individual']);
export type SubjectKind = z.infer<typeof subjectKindSchema>;

/** A market subject (经营主体) in shared state: no personal data. */
export const subjectSchema = z.strictObject({
  /** Enterprise: its credit code. Individual: `ind-` + HMAC of the ID number. */
  id: z.string(),
  kind: subjectKindSchema,
  /** The county (MSP ID) that registered the subject and whose regulator decides its access. */
  county: z.string(),
  creditCode: z.string().optional(),
  /** Administrative division code embedded in an enterprise's credit code. */
  division: z.string().optional(),
  name: z.string().optional(),
  idHash: z.string().optional(),
  access: accessStatusSchema,
  tradeLimitFen: z.number().optional(),
  accessEvidenceRefs: z.array(z.string()),
  accessSetBy: z.string().optional(),
  accessSetAt: z.string().optional(),
  registeredBy: z.string(),
  registeredAt: z.string(),
  registerTxId: z.string(),
});
export type Subject = z.infer<typeof subjectSchema>;

/** One access decision, appended and never changed. */
export const accessChangeSchema = z.strictObject({
  subjectId: z.string(),
  status: accessStatusSchema,
  previousStatus: accessStatusSchema,
  tradeLimitFen: z.number().optional(),
  evidenceRefs: z.array(z.string()),
  reason: z.string().optional(),
  mspId: z.string(),
  by: z.string(),
  at: z.string(),
  txId: z.string(),
});
export type AccessChange = z.infer<typeof accessChangeSchema>;

/**
 * A merchant member allowed to act for a subject (list its assets, buy for it).
 * Bound by a regulator of the subject's county, only for members of that county.
 */
export const merchantBindingSchema = z.strictObject({
  subjectId: z.string(),
  mspId: z.string(),
  member: z.string(),
  active: z.boolean(),
  boundBy: z.string(),
  boundAt: z.string(),
  bindTxId: z.string(),
  note: z.string().optional(),
  unboundBy: z.string().optional(),
  unboundAt: z.string().optional(),
  unbindTxId: z.string().optional(),
});
export type MerchantBinding = z.infer<typeof merchantBindingSchema>;

/** Personal data of an individual, in the county's private data collection only. */
export const individualPrivateDataSchema = z.strictObject({
  subjectId: z.string(),
  idNumber: z.string(),
  name: z.string(),
  registeredAt: z.string(),
  txId: z.string(),
});
export type IndividualPrivateData = z.infer<typeof individualPrivateDataSchema>;

export const Subjects = defineRecordType<Subject>({
  type: 'subject',
  keyArity: 1,
  keyOf: (s) => [s.id],
  indexes: {
    byCounty: (s) => [s.county],
  },
});

export const AccessChanges = defineRecordType<AccessChange>({
  type: 'accesschange',
  keyArity: 3,
  keyOf: (c) => [c.subjectId, c.at, c.txId],
});

export const MerchantBindings = defineRecordType<MerchantBinding>({
  type: 'merchantbinding',
  keyArity: 3,
  keyOf: (b) => [b.subjectId, b.mspId, b.member],
  indexes: {
    // Subjects a member currently acts for.
    byMember: (b) => (b.active ? [b.mspId, b.member] : undefined),
  },
});

/** Private data collection of a county: `<mspId>-private`. */
export function privateCollectionOf(mspId: string): string {
  return `${mspId}-private`;
}

export function privateSubjectKey(subjectId: string): string {
  return `subject/${subjectId}`;
}

export function individualSubjectId(idHash: string): string {
  return `ind-${idHash}`;
}
