import { z } from 'zod';
import { defineRecordType } from '../kernel/state';

export const evidenceRefsSchema = z.strictObject({
  subjectIds: z.array(z.string()).optional(),
  caseIds: z.array(z.string()).optional(),
  orderIds: z.array(z.string()).optional(),
});
export type EvidenceRefs = z.infer<typeof evidenceRefsSchema>;

/** The ledger's proof of a file the gateway keeps: its digests, and who anchored it when. */
export const evidenceRecordSchema = z.strictObject({
  sha256: z.string(),
  sm3: z.string(),
  sizeBytes: z.number(),
  mediaType: z.string(),
  refs: evidenceRefsSchema,
  description: z.string().optional(),
  submitter: z.strictObject({
    mspId: z.string(),
    member: z.string(),
  }),
  txId: z.string(),
  anchoredAt: z.string(),
});
export type EvidenceRecord = z.infer<typeof evidenceRecordSchema>;

/** One county's enforcement recognising another county's evidence (证据互认); once per county. */
export const evidenceRecognitionSchema = z.strictObject({
  sha256: z.string(),
  mspId: z.string(),
  member: z.string(),
  note: z.string().optional(),
  txId: z.string(),
  recognizedAt: z.string(),
});
export type EvidenceRecognition = z.infer<typeof evidenceRecognitionSchema>;

export const EvidenceRecords = defineRecordType<EvidenceRecord>({
  type: 'evidence',
  keyArity: 1,
  keyOf: (e) => [e.sha256],
});

export const EvidenceRecognitions = defineRecordType<EvidenceRecognition>({
  type: 'evidencerecognition',
  keyArity: 2,
  keyOf: (r) => [r.sha256, r.mspId],
});
