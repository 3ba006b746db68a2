import { z } from 'zod';
import { actorSchema } from '../kernel/actor';
import { CASE_STATUSES, CREDIT_EVENT_KINDS, MEASURES, SEVERITIES } from './schemas';
import { RecentEntryType } from '../kernel/recent-entries';
import { defineRecordType } from '../kernel/state';

/**
 * One credit event (信用事件) of a subject, appended and never changed.
 * outcome: `fulfilment` (positive), `warning` (a violation waived under 首违不罚),
 * `penalty` (a violation that counts toward the credit class).
 */
export const creditEventSchema = z.strictObject({
  id: z.string(),
  subjectId: z.string(),
  /**
   * Position in the subject's credit file, from 1: only on events recorded before fulfilments
   * were written without reading the file. Events are listed by time (`at`), then `id`.
   */
  seq: z.number().optional(),
  kind: z.enum(CREDIT_EVENT_KINDS),
  severity: z.enum(SEVERITIES).optional(),
  harmfulConsequence: z.boolean().optional(),
  outcome: z.enum(['fulfilment', 'warning', 'penalty']),
  summary: z.string(),
  evidenceRefs: z.array(z.string()),
  issuingCounty: z.string(),
  issuedBy: actorSchema.extend({
    role: z.enum(['enforcement', 'regulator', 'trade-flow']),
  }),
  source: z.union([
    z.strictObject({
      type: z.literal('manual'),
    }),
    z.strictObject({
      type: z.literal('order'),
      orderId: z.string(),
    }),
    z.strictObject({
      type: z.literal('case'),
      caseId: z.string(),
    }),
  ]),
  /** CST calendar date of the event (the transaction's). */
  date: z.string(),
  at: z.string(),
  txId: z.string(),
});
export type CreditEvent = z.infer<typeof creditEventSchema>;

/** Per-day counts inside the look-back window. */
export const dayCountsSchema = z.strictObject({
  date: z.string(),
  fulfilments: z.number(),
  minor: z.number(),
  serious: z.number(),
  grave: z.number(),
  warnings: z.number(),
});
export type DayCounts = z.infer<typeof dayCountsSchema>;

/**
 * A subject's credit file: running counters and per-day counts of the last LOOKBACK_DAYS days
 * (older days pruned on every write). Written by violations only (首违不罚 needs their count):
 * a fulfilment, one per party of every settlement, is a key-only `creditfulfil` entry written blind, so
 * concurrent settlements of one subject never conflict on this record. The fulfilment counters
 * here are those of fulfilments recorded before that, kept and still counted.
 */
export const creditFileSchema = z.strictObject({
  subjectId: z.string(),
  eventCount: z.number(),
  fulfilmentCount: z.number(),
  /** Violations ever recorded, warnings included: the first-violation rule reads this. */
  violationCount: z.number(),
  warningCount: z.number(),
  penaltyCount: z.number(),
  recentDays: z.array(dayCountsSchema),
  lastEventAt: z.string(),
});
export type CreditFile = z.infer<typeof creditFileSchema>;

/**
 * published: in the list (restricting between its dates); repaired (信用修复) / withdrawn (on an
 * objection): lifted, kept in history.
 */
export const entryStatusSchema = z.enum(['published', 'repaired', 'withdrawn']);
export type EntryStatus = z.infer<typeof entryStatusSchema>;

/**
 * An objection's state: `open` until the issuing county's enforcement resolves it; then
 * `dismissed` (the objection is dismissed, the entry stands) or `entry-withdrawn` (the entry
 * is withdrawn on this objection).
 */
export const OBJECTION_STATUSES = ['open', 'dismissed', 'entry-withdrawn'] as const;

export const objectionSummarySchema = z.strictObject({
  seq: z.number(),
  status: z.enum(OBJECTION_STATUSES),
  filedAt: z.string(),
  resolvedAt: z.string().optional(),
});
export type ObjectionSummary = z.infer<typeof objectionSummarySchema>;

/** A blacklist entry (失信名单): traceable to its authority, basis and evidence. */
export const blacklistEntrySchema = z.strictObject({
  id: z.string(),
  subjectId: z.string(),
  subjectKind: z.enum(['enterprise', 'individual']),
  /** Registered name of an enterprise subject, when the subject is registered (public information). */
  subjectName: z.string().optional(),
  /** The subject's home county (the county that registered it), told of the entry by its event. */
  subjectCounty: z.string(),
  reason: z.string(),
  legalBasis: z.string(),
  severity: z.enum(SEVERITIES),
  measures: z.array(z.enum(MEASURES)),
  startDate: z.string(),
  endDate: z.string(),
  /** First day credit repair may be approved (minimum publication period by severity). */
  repairableFrom: z.string(),
  decisionEvidenceRefs: z.array(z.string()),
  basisEventIds: z.array(z.string()),
  caseId: z.string().optional(),
  issuingCounty: z.string(),
  issuedBy: actorSchema,
  issuedAt: z.string(),
  issueTxId: z.string(),
  status: entryStatusSchema,
  objectionCount: z.number(),
  objection: objectionSummarySchema.optional(),
  repair: z
    .strictObject({
      by: actorSchema,
      at: z.string(),
      txId: z.string(),
      rectificationEvidenceRefs: z.array(z.string()),
      note: z.string().optional(),
    })
    .optional(),
  /** Set when the entry was withdrawn: on which objection, by whom, when, and the resolution's note. */
  withdrawal: z
    .strictObject({
      ground: z.literal('objection'),
      objectionSeq: z.number(),
      by: actorSchema,
      at: z.string(),
      txId: z.string(),
      note: z.string(),
    })
    .optional(),
  updatedAt: z.string(),
});
export type BlacklistEntry = z.infer<typeof blacklistEntrySchema>;

/** An entry as the Credit contract answers it (blacklist.ts entryView): the record and its state today. */
export const blacklistEntryViewSchema = blacklistEntrySchema
  .extend({
    /** Published and in force today (between its start and end dates). */
    active: z.boolean(),
    /** Its latest objection is open. */
    underObjection: z.boolean(),
  })
  .describe('A blacklist entry with whether it is in force today and whether it is under objection.');
export type BlacklistEntryView = z.infer<typeof blacklistEntryViewSchema>;

/** Public disclosure of an entry (信用公示, blacklist.ts publicView): enterprises only, no evidence refs, member names or basis events. */
export const publicBlacklistEntrySchema = z
  .strictObject({
    id: z.string(),
    /** The enterprise's unified social credit code (its subject ID). */
    creditCode: z.string(),
    subjectName: z.string().optional(),
    reason: z.string(),
    legalBasis: z.string(),
    severity: z.enum(SEVERITIES),
    measures: z.array(z.enum(MEASURES)),
    startDate: z.string(),
    endDate: z.string(),
    issuingCounty: z.string(),
    underObjection: z.boolean(),
    active: z.boolean(),
  })
  .describe('A blacklist entry as publicly disclosed: an enterprise entry without evidence, member names or basis events.');
export type PublicBlacklistEntry = z.infer<typeof publicBlacklistEntrySchema>;

/** What a check needs of an open entry, kept on the subject's standing. */
export const standingEntrySchema = z.strictObject({
  id: z.string(),
  measures: z.array(z.enum(MEASURES)),
  startDate: z.string(),
  endDate: z.string(),
  severity: z.enum(SEVERITIES),
  issuingCounty: z.string(),
  underObjection: z.boolean(),
});
export type StandingEntry = z.infer<typeof standingEntrySchema>;

/**
 * A subject's open blacklist entries (published, not repaired or withdrawn; expired ones
 * are pruned on the next write): the bounded index the joint-punishment checks read with
 * a single key lookup, whatever the size of the list.
 */
export const blacklistStandingSchema = z.strictObject({
  subjectId: z.string(),
  entries: z.array(standingEntrySchema),
});
export type BlacklistStanding = z.infer<typeof blacklistStandingSchema>;

/** An objection (异议) to an entry, appended; its status changes once when resolved. */
export const objectionSchema = z.strictObject({
  entryId: z.string(),
  seq: z.number(),
  subjectId: z.string(),
  grounds: z.string(),
  evidenceRefs: z.array(z.string()),
  filedBy: actorSchema.extend({
    role: z.enum(['merchant', 'regulator']),
  }),
  filedAt: z.string(),
  fileTxId: z.string(),
  status: z.enum(OBJECTION_STATUSES),
  resolvedBy: actorSchema.optional(),
  resolvedAt: z.string().optional(),
  resolveTxId: z.string().optional(),
  note: z.string().optional(),
  resolutionEvidenceRefs: z.array(z.string()).optional(),
});
export type Objection = z.infer<typeof objectionSchema>;

/** An entry with its objections (GetEntry). */
export const blacklistEntryWithObjectionsSchema = blacklistEntryViewSchema
  .extend({ objections: z.array(objectionSchema) })
  .describe('A blacklist entry with its state today and every objection filed to it, oldest first.');
export type BlacklistEntryWithObjections = z.infer<typeof blacklistEntryWithObjectionsSchema>;

/** One step of a case lead, as recorded on the case. */
export const caseStepSchema = z.strictObject({
  status: z.enum(CASE_STATUSES),
  by: actorSchema,
  at: z.string(),
  txId: z.string(),
  note: z.string().optional(),
});
export type CaseStep = z.infer<typeof caseStepSchema>;

/** A case lead (线索移送) from one county's enforcement to another's. */
export const caseLeadSchema = z.strictObject({
  id: z.string(),
  fromCounty: z.string(),
  toCounty: z.string(),
  subjectId: z.string(),
  summary: z.string(),
  evidenceRefs: z.array(z.string()),
  status: z.enum(CASE_STATUSES),
  steps: z.array(caseStepSchema),
  decision: z
    .strictObject({
      finding: z.enum(['violation', 'no-violation']),
      summary: z.string(),
      evidenceRefs: z.array(z.string()),
      creditEventId: z.string().optional(),
      creditOutcome: z.enum(['warning', 'penalty']).optional(),
      blacklistEntryId: z.string().optional(),
    })
    .optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CaseLead = z.infer<typeof caseLeadSchema>;

/** One anchor of a gateway's blacklist query trail: the running digest after entry `toEntry`. */
export const trailAnchorSchema = z.strictObject({
  trailId: z.string(),
  seq: z.number(),
  fromEntry: z.number(),
  toEntry: z.number(),
  digest: z.string(),
  county: z.string(),
  anchoredBy: actorSchema,
  at: z.string(),
  txId: z.string(),
});
export type TrailAnchor = z.infer<typeof trailAnchorSchema>;

/** The latest anchor of a trail: continuity (each anchor starts right after the previous) is checked against it. */
export const trailHeadSchema = z.strictObject({
  trailId: z.string(),
  county: z.string(),
  anchors: z.number(),
  lastEntry: z.number(),
  lastDigest: z.string(),
  updatedAt: z.string(),
});
export type TrailHead = z.infer<typeof trailHeadSchema>;

export const CreditEvents = defineRecordType<CreditEvent>({
  type: 'creditevent',
  keyArity: 1,
  keyOf: (e) => [e.id],
  indexes: {
    // Oldest first: by time, then ID. Events recorded with a seq keep their entry under it (digits, sorting before any ISO time).
    bySubject: (e) => [e.subjectId, e.seq !== undefined ? String(e.seq).padStart(10, '0') : e.at],
  },
});

/**
 * A subject's fulfilments, one key-only entry each (kernel/recent-entries.ts, newest first by
 * time, then event ID): written blind with the event, counted on read over the look-back window.
 */
export const FulfilmentEntries: RecentEntryType = { type: 'creditfulfil' };

export const CreditFiles = defineRecordType<CreditFile>({
  type: 'creditfile',
  keyArity: 1,
  keyOf: (f) => [f.subjectId],
});

export const BlacklistEntries = defineRecordType<BlacklistEntry>({
  type: 'blacklist',
  keyArity: 1,
  keyOf: (e) => [e.id],
  indexes: {
    // A subject's full history, oldest first.
    bySubject: (e) => [e.subjectId, e.issuedAt],
  },
  multiIndexes: {
    // Published entries for listing, under each measure and '*', each by its county and by '*':
    // [measure | '*', county | '*', endDate] + entryId. Ordered by end date, so a listing starts at today.
    list: (e) => (e.status === 'published' ? [...e.measures, '*'].flatMap((m) => [e.issuingCounty, '*'].map((c) => [m, c, e.endDate])) : []),
  },
});

export const BlacklistStandings = defineRecordType<BlacklistStanding>({
  type: 'blstanding',
  keyArity: 1,
  keyOf: (s) => [s.subjectId],
});

export const Objections = defineRecordType<Objection>({
  type: 'objection',
  keyArity: 2,
  keyOf: (o) => [o.entryId, String(o.seq).padStart(4, '0')],
});

export const CaseLeads = defineRecordType<CaseLead>({
  type: 'caselead',
  keyArity: 1,
  keyOf: (c) => [c.id],
  indexes: {
    outgoing: (c) => [c.fromCounty, c.createdAt],
    incoming: (c) => [c.toCounty, c.createdAt],
  },
});

export const TrailAnchors = defineRecordType<TrailAnchor>({
  type: 'trailanchor',
  keyArity: 2,
  keyOf: (a) => [a.trailId, String(a.seq).padStart(10, '0')],
});

export const TrailHeads = defineRecordType<TrailHead>({
  type: 'trailhead',
  keyArity: 1,
  keyOf: (h) => [h.trailId],
});
