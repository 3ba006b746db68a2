import { defineRecordType } from '../kernel/state';

/** `pending` until the county regulator first sets green, orange or red (三色审核). */
export type AccessStatus = 'pending' | 'green' | 'orange' | 'red';
export type SubjectKind = 'enterprise' | 'individual';

/** A market subject (经营主体) in shared state: no personal data. */
export interface Subject {
  /** Enterprise: its credit code. Individual: `ind-` + HMAC of the ID number. */
  readonly id: string;
  readonly kind: SubjectKind;
  /** The county (MSP ID) that registered the subject and whose regulator decides its access. */
  readonly county: string;
  readonly creditCode?: string;
  /** Administrative division code embedded in an enterprise's credit code. */
  readonly division?: string;
  readonly name?: string;
  readonly idHash?: string;
  readonly access: AccessStatus;
  readonly tradeLimitFen?: number;
  readonly accessEvidenceRefs: string[];
  readonly accessSetBy?: string;
  readonly accessSetAt?: string;
  readonly registeredBy: string;
  readonly registeredAt: string;
  readonly registerTxId: string;
}

export const Subjects = defineRecordType<Subject>({
  type: 'subject',
  keyArity: 1,
  keyOf: (s) => [s.id],
  indexes: {
    byCounty: (s) => [s.county],
  },
});

/** One access decision, appended and never changed. */
export interface AccessChange {
  readonly subjectId: string;
  readonly status: AccessStatus;
  readonly previousStatus: AccessStatus;
  readonly tradeLimitFen?: number;
  readonly evidenceRefs: string[];
  readonly reason?: string;
  readonly mspId: string;
  readonly by: string;
  readonly at: string;
  readonly txId: string;
}

export const AccessChanges = defineRecordType<AccessChange>({
  type: 'accesschange',
  keyArity: 3,
  keyOf: (c) => [c.subjectId, c.at, c.txId],
});

/**
 * A merchant member allowed to act for a subject (list its assets, buy for it).
 * Bound by a regulator of the subject's county, only for members of that county.
 */
export interface MerchantBinding {
  readonly subjectId: string;
  readonly mspId: string;
  readonly member: string;
  readonly active: boolean;
  readonly boundBy: string;
  readonly boundAt: string;
  readonly bindTxId: string;
  readonly note?: string;
  readonly unboundBy?: string;
  readonly unboundAt?: string;
  readonly unbindTxId?: string;
}

export const MerchantBindings = defineRecordType<MerchantBinding>({
  type: 'merchantbinding',
  keyArity: 3,
  keyOf: (b) => [b.subjectId, b.mspId, b.member],
  indexes: {
    // Subjects a member currently acts for.
    byMember: (b) => (b.active ? [b.mspId, b.member] : undefined),
  },
});

/** Personal data of an individual, in the county's private data collection only. */
export interface IndividualPrivateData {
  readonly subjectId: string;
  readonly idNumber: string;
  readonly name: string;
  readonly registeredAt: string;
  readonly txId: string;
}

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
