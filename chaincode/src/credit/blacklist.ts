import { Context } from 'fabric-contract-api';
import { conflict, invalidArgument, notFound, ruleViolation } from '../kernel/errors';
import { Caller } from '../kernel/identity';
import { Page, getRecord, listByIndex, putRecord } from '../kernel/state';
import { cstDate, today, txTime } from '../kernel/time';
import { requireRegisteredSubject } from '../subjects/home-county';
import { BlacklistEntries, BlacklistEntry, BlacklistStanding, BlacklistStandings, CreditEvent, StandingEntry } from './records';
import { loadParameters } from '../parameters/parameters';
import { MAX_OPEN_ENTRIES_PER_SUBJECT, earliestRepairDate, gravest, inForce, latestEndDate, restricts } from './rules';
import { MEASURES, Measure, Severity, subjectIdProblem } from './schemas';

export async function readStanding(ctx: Context, subjectId: string): Promise<BlacklistStanding | undefined> {
  return getRecord(ctx, BlacklistStandings, [subjectId]);
}

/** Open entries of a standing that are in force on `day` (optionally: restricting `measure`). */
export function inForceEntries(standing: BlacklistStanding | undefined, day: string, measure?: Measure): StandingEntry[] {
  return (standing?.entries ?? []).filter((e) => (measure ? restricts(e, measure, day) : inForce(e, day)));
}

// ---------------------------------------------------------------- joint punishment (一处失信、处处受限)

export interface JointPunishmentVerdict {
  readonly allowed: boolean;
  readonly reason?: string;
  /** Entries in force that restrict the measure. */
  readonly entryIds: string[];
}

/**
 * Whether the blacklist lets a subject take part in `measure` now. One key read (the
 * subject's standing), so the cost does not grow with the size of the list; expiry is a
 * date comparison with the transaction time and needs no transaction.
 */
export async function blacklistVerdict(ctx: Context, subjectId: string, measure: Measure): Promise<JointPunishmentVerdict> {
  const hits = inForceEntries(await readStanding(ctx, subjectId), today(ctx), measure);
  if (hits.length === 0) return { allowed: true, entryIds: [] };
  const first = hits[0] as StandingEntry;
  return {
    allowed: false,
    reason: `subject ${subjectId} is blacklisted with a ${measure} restriction by ${first.issuingCounty} (entry ${first.id}, until ${first.endDate})`,
    entryIds: hits.map((h) => h.id),
  };
}

/** May this subject trade? (blacklist part; market access and the whole answer are in credit/trade-eligibility.ts) */
export function mayTradeUnderBlacklist(ctx: Context, subjectId: string): Promise<JointPunishmentVerdict> {
  return blacklistVerdict(ctx, subjectId, 'trading');
}

/** May this subject be granted or hold a license (IP licensing)? */
export function mayBeLicensed(ctx: Context, subjectId: string): Promise<JointPunishmentVerdict> {
  return blacklistVerdict(ctx, subjectId, 'licensing');
}

/** May this subject receive funds (compensation fund allocations, disbursements)? */
export function mayReceiveFunds(ctx: Context, subjectId: string): Promise<JointPunishmentVerdict> {
  return blacklistVerdict(ctx, subjectId, 'fund');
}

/** mayBeLicensed, refusing with RULE_VIOLATION. */
export async function requireMayBeLicensed(ctx: Context, subjectId: string): Promise<void> {
  const v = await mayBeLicensed(ctx, subjectId);
  if (!v.allowed) throw ruleViolation(v.reason ?? `subject ${subjectId} may not be licensed`);
}

/** mayReceiveFunds, refusing with RULE_VIOLATION. */
export async function requireMayReceiveFunds(ctx: Context, subjectId: string): Promise<void> {
  const v = await mayReceiveFunds(ctx, subjectId);
  if (!v.allowed) throw ruleViolation(v.reason ?? `subject ${subjectId} may not receive funds`);
}

// ---------------------------------------------------------------- checks

export interface CheckResult {
  readonly code: string;
  readonly valid: boolean;
  readonly problem?: string;
  readonly blacklisted?: boolean;
  readonly restricted?: Record<Measure, boolean>;
  readonly underObjection?: boolean;
  readonly entries?: StandingEntry[];
}

/** The check answer for one subject ID: in-force entries and which measures they restrict. */
export async function checkOne(ctx: Context, code: string, day: string): Promise<CheckResult> {
  const problem = subjectIdProblem(code);
  if (problem) return { code, valid: false, problem };
  const entries = inForceEntries(await readStanding(ctx, code), day);
  const restricted = Object.fromEntries(MEASURES.map((m) => [m, entries.some((e) => e.measures.includes(m))])) as Record<Measure, boolean>;
  return { code, valid: true, blacklisted: entries.length > 0, restricted, underObjection: entries.some((e) => e.underObjection), entries };
}

// ---------------------------------------------------------------- issuing and updating entries

export interface BlacklistDecision {
  readonly reason: string;
  readonly legalBasis: string;
  readonly measures: Measure[];
  readonly startDate: string;
  readonly endDate: string;
  readonly decisionEvidenceRefs: string[];
}

/**
 * Checks the basis events of a decision: the subject's own penalised violations.
 * A waived first violation (warning, 首违不罚) can found no entry.
 */
export function severityOfBasis(subjectId: string, events: readonly CreditEvent[]): Severity {
  for (const e of events) {
    if (e.subjectId !== subjectId) throw ruleViolation(`credit event ${e.id} is of subject ${e.subjectId}, not ${subjectId}`);
    if (e.outcome === 'fulfilment') throw ruleViolation(`credit event ${e.id} is a fulfilment, not a violation`);
    if (e.outcome === 'warning')
      throw ruleViolation(
        `credit event ${e.id} is a first minor violation without harmful consequence, recorded as a warning only (首违不罚); it founds no blacklist entry`,
      );
  }
  return gravest(events.map((e) => e.severity ?? 'minor'));
}

/** Issues a blacklist entry against a registered subject in the current transaction (shared by IssueBlacklist and CloseCase). Emits nothing. */
export async function issueEntry(
  ctx: Context,
  issuer: Caller,
  subjectId: string,
  decision: BlacklistDecision,
  basisEvents: readonly CreditEvent[],
  caseId?: string,
): Promise<BlacklistEntry> {
  const subject = await requireRegisteredSubject(ctx, subjectId);
  const time = txTime(ctx);
  const day = cstDate(time.epochMs);
  if (decision.endDate < decision.startDate) throw invalidArgument('endDate must not be before startDate');
  if (decision.startDate < day) throw ruleViolation(`startDate ${decision.startDate} may not be before the decision date ${day}`);
  const severity = severityOfBasis(subjectId, basisEvents);
  // Publication periods are shared parameters; the ones in force now fix this entry's dates.
  const { minPublicationMonths, maxPublicationMonths } = await loadParameters(ctx);
  const latestEnd = latestEndDate(decision.startDate, severity, maxPublicationMonths);
  if (decision.endDate > latestEnd) {
    throw ruleViolation(
      `endDate ${decision.endDate} is beyond the longest term of a ${severity} entry: ${maxPublicationMonths[severity]} months from startDate ${decision.startDate}, so ${latestEnd} at the latest`,
    );
  }
  const txId = ctx.stub.getTxID();
  const id = `bl-${txId.slice(0, 32)}`;
  if (await getRecord(ctx, BlacklistEntries, [id])) throw conflict(`blacklist entry ${id} already exists`);
  const entry: BlacklistEntry = {
    id,
    subjectId,
    subjectKind: subject.kind,
    ...(subject.kind === 'enterprise' && subject.name ? { subjectName: subject.name } : {}),
    subjectCounty: subject.county,
    reason: decision.reason,
    legalBasis: decision.legalBasis,
    severity,
    measures: MEASURES.filter((m) => decision.measures.includes(m)),
    startDate: decision.startDate,
    endDate: decision.endDate,
    repairableFrom: earliestRepairDate(decision.startDate, severity, minPublicationMonths),
    decisionEvidenceRefs: [...decision.decisionEvidenceRefs],
    basisEventIds: basisEvents.map((e) => e.id),
    ...(caseId ? { caseId } : {}),
    issuingCounty: issuer.mspId,
    issuedBy: { mspId: issuer.mspId, member: issuer.member },
    issuedAt: time.iso,
    issueTxId: txId,
    status: 'published',
    objectionCount: 0,
    updatedAt: time.iso,
  };
  await writeEntry(ctx, entry, undefined, day);
  return entry;
}

/**
 * Writes an entry (with its list index) and keeps the subject's standing in step.
 * `before` is the entry as read in this transaction (absent for a new entry).
 */
export async function writeEntry(ctx: Context, entry: BlacklistEntry, before: BlacklistEntry | undefined, day: string): Promise<void> {
  await putRecord(ctx, BlacklistEntries, entry, before);
  const previous = await readStanding(ctx, entry.subjectId);
  // Expired entries leave the standing on its next write; they stopped restricting on their end date anyway.
  const kept = (previous?.entries ?? []).filter((e) => e.id !== entry.id && e.endDate >= day);
  const entries = entry.status === 'published' && entry.endDate >= day ? [...kept, standingEntryOf(entry)] : kept;
  if (entries.length > MAX_OPEN_ENTRIES_PER_SUBJECT) {
    throw ruleViolation(`subject ${entry.subjectId} already has ${MAX_OPEN_ENTRIES_PER_SUBJECT} open blacklist entries`);
  }
  await putRecord(ctx, BlacklistStandings, { subjectId: entry.subjectId, entries }, previous);
}

function standingEntryOf(e: BlacklistEntry): StandingEntry {
  return {
    id: e.id,
    measures: [...e.measures],
    startDate: e.startDate,
    endDate: e.endDate,
    severity: e.severity,
    issuingCounty: e.issuingCounty,
    underObjection: e.objection?.status === 'open',
  };
}

export async function mustGetEntry(ctx: Context, entryId: string): Promise<BlacklistEntry> {
  const entry = await getRecord(ctx, BlacklistEntries, [entryId]);
  if (!entry) throw notFound(`blacklist entry ${entryId} does not exist`);
  return entry;
}

// ---------------------------------------------------------------- views and listing

export function entryView(e: BlacklistEntry, day: string) {
  return { ...e, active: e.status === 'published' && inForce(e, day), underObjection: e.objection?.status === 'open' };
}

/** Public disclosure (信用公示): no evidence refs, no member names, no basis events. */
export function publicView(e: BlacklistEntry, day: string) {
  return {
    id: e.id,
    creditCode: e.subjectId,
    ...(e.subjectName ? { subjectName: e.subjectName } : {}),
    reason: e.reason,
    legalBasis: e.legalBasis,
    severity: e.severity,
    measures: e.measures,
    startDate: e.startDate,
    endDate: e.endDate,
    issuingCounty: e.issuingCounty,
    underObjection: e.objection?.status === 'open',
    active: e.status === 'published' && inForce(e, day),
  };
}

/**
 * Entries in force today, filtered by county and measure, a page at a time (read-only
 * transactions). The index is ordered by end date, so the first page starts at today's
 * date and expired entries are never visited; entries not started yet are skipped, so a
 * page may hold fewer items than `limit`.
 */
export async function listInForce(
  ctx: Context,
  filter: { county?: string; measure?: Measure; publicView?: boolean },
  limit: number,
  cursor: string | undefined,
): Promise<Page<unknown>> {
  const day = today(ctx);
  const page = await listByIndex(ctx, BlacklistEntries, 'list', [filter.measure ?? '*', filter.county ?? '*'], limit, cursor, [day]);
  const items: unknown[] = [];
  for (const e of page.items) {
    if (e.status !== 'published' || !inForce(e, day)) continue; // not started yet
    if (filter.publicView) {
      if (e.subjectKind !== 'enterprise') continue;
      items.push(publicView(e, day));
    } else items.push(entryView(e, day));
  }
  return page.nextCursor ? { items, nextCursor: page.nextCursor } : { items };
}
