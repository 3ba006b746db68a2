import { defineRecordType } from '../kernel/state';

export interface EvidenceRefs {
  readonly subjectIds?: string[];
  readonly caseIds?: string[];
  readonly orderIds?: string[];
}

/** The ledger's proof of a file the gateway keeps: its digests, and who anchored it when. */
export interface EvidenceRecord {
  readonly sha256: string;
  readonly sm3: string;
  readonly sizeBytes: number;
  readonly mediaType: string;
  readonly refs: EvidenceRefs;
  readonly description?: string;
  readonly submitter: { readonly mspId: string; readonly member: string };
  readonly txId: string;
  readonly anchoredAt: string;
}

export const EvidenceRecords = defineRecordType<EvidenceRecord>({
  type: 'evidence',
  keyArity: 1,
  keyOf: (e) => [e.sha256],
});

/** One county's enforcement recognising another county's evidence (证据互认); once per county. */
export interface EvidenceRecognition {
  readonly sha256: string;
  readonly mspId: string;
  readonly member: string;
  readonly note?: string;
  readonly txId: string;
  readonly recognizedAt: string;
}

export const EvidenceRecognitions = defineRecordType<EvidenceRecognition>({
  type: 'evidencerecognition',
  keyArity: 2,
  keyOf: (r) => [r.sha256, r.mspId],
});
