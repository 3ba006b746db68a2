import { Actor } from '../kernel/actor';
import { defineRecordType } from '../kernel/state';
import { CaseStatus, CreditEventKind, Measure, Severity } from './schemas';

/**
 * One credit event (信用事件) of a subject, appended and never changed.
 * outcome: `fulfilment` (positive), `warning` (a violation waived under 首违不罚),
 * `penalty` (a violation that counts toward the credit class).
 */
export interface CreditEvent {
  readonly id: string;
  readonly subjectId: string;
  /** Position in the subject's credit file, from 1. */
  readonly seq: number;
  readonly kind: CreditEventKind;
  readonly severity?: Severity;
  readonly harmfulConsequence?: boolean;
  readonly outcome: 'fulfilment' | 'warning' | 'penalty';
  readonly summary: string;
  readonly evidenceRefs: string[];
  readonly issuingCounty: string;
  readonly issuedBy: Actor & { readonly role: 'enforcement' | 'regulator' | 'trade-flow' };
  readonly source: { readonly type: 'manual' } | { readonly type: 'order'; readonly orderId: string } | { readonly type: 'case'; readonly caseId: string };
  /** CST calendar date of the event (the transaction's). */
  readonly date: string;
  readonly at: string;
  readonly txId: string;
}

export const CreditEvents = defineRecordType<CreditEvent>({
  type: 'creditevent',
  keyArity: 1,
  keyOf: (e) => [e.id],
  indexes: {
    bySubject: (e) => [e.subjectId, String(e.seq).padStart(10, '0')],
  },
});

/** Per-day counts inside the look-back window. */
export interface DayCounts {
  readonly date: string;
  readonly fulfilments: number;
  readonly minor: number;
  readonly serious: number;
  readonly grave: number;
  readonly warnings: number;
}

/**
 * A subject's credit file summary: running counters and per-day counts of the last
 * LOOKBACK_DAYS days (older days pruned on every write), so the class is computed
 * from at most one record, however long the history.
 */
export interface CreditFile {
  readonly subjectId: string;
  readonly eventCount: number;
  readonly fulfilmentCount: number;
  /** Violations ever recorded, warnings included: the first-violation rule reads this. */
  readonly violationCount: number;
  readonly warningCount: number;
  readonly penaltyCount: number;
  readonly recentDays: DayCounts[];
  readonly lastEventAt: string;
}

export const CreditFiles = defineRecordType<CreditFile>({
  type: 'creditfile',
  keyArity: 1,
  keyOf: (f) => [f.subjectId],
});

/** published: in the list (restricting between its dates); repaired / revoked: lifted, kept in history. */
export type EntryStatus = 'published' | 'repaired' | 'revoked';

export interface ObjectionSummary {
  readonly seq: number;
  readonly status: 'open' | 'upheld' | 'withdrawn';
  readonly filedAt: string;
  readonly resolvedAt?: string;
}

/** A blacklist entry (失信名单): traceable to its authority, basis and evidence. */
export interface BlacklistEntry {
  readonly id: string;
  readonly subjectId: string;
  readonly subjectKind: 'enterprise' | 'individual';
  /** Registered name of an enterprise subject, when the subject is registered (public information). */
  readonly subjectName?: string;
  readonly subjectCounty?: string;
  readonly reason: string;
  readonly legalBasis: string;
  readonly severity: Severity;
  readonly measures: Measure[];
  readonly startDate: string;
  readonly endDate: string;
  /** First day credit repair may be approved (minimum publication period by severity). */
  readonly repairableFrom: string;
  readonly decisionEvidenceRefs: string[];
  readonly basisEventIds: string[];
  readonly caseId?: string;
  readonly issuingCounty: string;
  readonly issuedBy: Actor;
  readonly issuedAt: string;
  readonly issueTxId: string;
  readonly status: EntryStatus;
  readonly objectionCount: number;
  readonly objection?: ObjectionSummary;
  readonly repair?: { readonly by: Actor; readonly at: string; readonly txId: string; readonly rectificationEvidenceRefs: string[]; readonly note?: string };
  readonly revocation?: { readonly by: Actor; readonly at: string; readonly txId: string; readonly reason: string };
  readonly updatedAt: string;
}

export const BlacklistEntries = defineRecordType<BlacklistEntry>({
  type: 'blacklist',
  keyArity: 1,
  keyOf: (e) => [e.id],
  indexes: {
    // A subject's full history, oldest first.
    bySubject: (e) => [e.subjectId, e.issuedAt],
  },
});

/** What a check needs of an open entry, kept on the subject's standing. */
export interface StandingEntry {
  readonly id: string;
  readonly measures: Measure[];
  readonly startDate: string;
  readonly endDate: string;
  readonly severity: Severity;
  readonly issuingCounty: string;
  readonly underObjection: boolean;
}

/**
 * A subject's open blacklist entries (published, not repaired or revoked; expired ones
 * are pruned on the next write): the bounded index the joint-punishment checks read with
 * a single key lookup, whatever the size of the list.
 */
export interface BlacklistStanding {
  readonly subjectId: string;
  readonly entries: StandingEntry[];
}

export const BlacklistStandings = defineRecordType<BlacklistStanding>({
  type: 'blstanding',
  keyArity: 1,
  keyOf: (s) => [s.subjectId],
});

/** An objection (异议) to an entry, appended; its status changes once when resolved. */
export interface Objection {
  readonly entryId: string;
  readonly seq: number;
  readonly subjectId: string;
  readonly grounds: string;
  readonly evidenceRefs: string[];
  readonly filedBy: Actor & { readonly role: 'merchant' | 'regulator' };
  readonly filedAt: string;
  readonly fileTxId: string;
  readonly status: 'open' | 'upheld' | 'withdrawn';
  readonly resolvedBy?: Actor;
  readonly resolvedAt?: string;
  readonly resolveTxId?: string;
  readonly note?: string;
  readonly resolutionEvidenceRefs?: string[];
}

export const Objections = defineRecordType<Objection>({
  type: 'objection',
  keyArity: 2,
  keyOf: (o) => [o.entryId, String(o.seq).padStart(4, '0')],
});

/** One step of a case lead, as recorded on the case. */
export interface CaseStep {
  readonly status: CaseStatus;
  readonly by: Actor;
  readonly at: string;
  readonly txId: string;
  readonly note?: string;
}

/** A case lead (线索移送) from one county's enforcement to another's. */
export interface CaseLead {
  readonly id: string;
  readonly fromCounty: string;
  readonly toCounty: string;
  readonly subjectId: string;
  readonly summary: string;
  readonly evidenceRefs: string[];
  readonly status: CaseStatus;
  readonly steps: CaseStep[];
  readonly decision?: {
    readonly finding: 'violation' | 'no-violation';
    readonly summary: string;
    readonly evidenceRefs: string[];
    readonly creditEventId?: string;
    readonly creditOutcome?: 'warning' | 'penalty';
    readonly blacklistEntryId?: string;
  };
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const CaseLeads = defineRecordType<CaseLead>({
  type: 'caselead',
  keyArity: 1,
  keyOf: (c) => [c.id],
  indexes: {
    outgoing: (c) => [c.fromCounty, c.createdAt],
    incoming: (c) => [c.toCounty, c.createdAt],
  },
});

/** One anchor of a gateway's blacklist query trail: the running digest after entry `toEntry`. */
export interface TrailAnchor {
  readonly trailId: string;
  readonly seq: number;
  readonly fromEntry: number;
  readonly toEntry: number;
  readonly digest: string;
  readonly county: string;
  readonly anchoredBy: Actor;
  readonly at: string;
  readonly txId: string;
}

export const TrailAnchors = defineRecordType<TrailAnchor>({
  type: 'trailanchor',
  keyArity: 2,
  keyOf: (a) => [a.trailId, String(a.seq).padStart(10, '0')],
});

/** The latest anchor of a trail: continuity (each anchor starts right after the previous) is checked against it. */
export interface TrailHead {
  readonly trailId: string;
  readonly county: string;
  readonly anchors: number;
  readonly lastEntry: number;
  readonly lastDigest: string;
  readonly updatedAt: string;
}

export const TrailHeads = defineRecordType<TrailHead>({
  type: 'trailhead',
  keyArity: 1,
  keyOf: (h) => [h.trailId],
});
