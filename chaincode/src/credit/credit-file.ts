import { Context } from 'fabric-contract-api';
import { getRecord, putRecord } from '../kernel/state';
import { cstDate, today, txTime } from '../kernel/time';
import { inForceEntries, readStanding } from './blacklist';
import { conflict } from '../kernel/errors';
import { putRecentEntry, visitRecentEntries } from '../kernel/recent-entries';
import { MAX_SUMMED_ENTRIES } from '../kernel/summed-entries';
import { CreditEvent, CreditEvents, CreditFile, CreditFiles, DayCounts, FulfilmentEntries } from './records';
import { ORDER_DEFAULT, SEVERITY_POINTS, WindowCounts, classify, isWaivedFirstViolation, windowStart } from './rules';
import { CreditEventKind, Severity } from './schemas';

export interface NewCreditEvent {
  readonly subjectId: string;
  readonly kind: CreditEventKind;
  readonly severity?: Severity;
  readonly harmfulConsequence?: boolean;
  readonly summary: string;
  readonly evidenceRefs: readonly string[];
  readonly issuingCounty: string;
  readonly issuedBy: CreditEvent['issuedBy'];
  readonly source: CreditEvent['source'];
}

/**
 * Appends a credit event to a subject's file in the current transaction; applies 首违不罚 (a
 * waived first violation is a `warning`). A fulfilment changes no outcome (the waiver depends
 * on violations only), so it reads nothing: the event and a key-only fulfilment entry, both new
 * keys, and concurrent settlements of one subject never conflict. A violation reads and rewrites
 * the subject's `creditfile` (its violation count decides the waiver). `n` tells apart several
 * events written by one transaction. Emits nothing: the calling transaction emits its own event.
 */
export async function recordCreditEvent(ctx: Context, input: NewCreditEvent, n = 0): Promise<CreditEvent> {
  const time = txTime(ctx);
  const txDay = today(ctx);
  const txId = ctx.stub.getTxID();
  const common = {
    id: `ce-${txId.slice(0, 32)}-${n}`,
    subjectId: input.subjectId,
    kind: input.kind,
    summary: input.summary,
    evidenceRefs: [...input.evidenceRefs],
    issuingCounty: input.issuingCounty,
    issuedBy: input.issuedBy,
    source: input.source,
    date: txDay,
    at: time.iso,
    txId,
  };
  if (input.kind === 'fulfilment') {
    const event: CreditEvent = { ...common, outcome: 'fulfilment' };
    await putRecord(ctx, CreditEvents, event);
    await putRecentEntry(ctx, FulfilmentEntries, [input.subjectId], time.epochMs, event.id);
    return event;
  }
  const before = await getRecord(ctx, CreditFiles, [input.subjectId]);
  const file: CreditFile = before ?? {
    subjectId: input.subjectId,
    eventCount: 0,
    fulfilmentCount: 0,
    violationCount: 0,
    warningCount: 0,
    penaltyCount: 0,
    recentDays: [],
    lastEventAt: time.iso,
  };
  const severity = input.severity ?? 'minor';
  const harmfulConsequence = input.harmfulConsequence ?? true;
  const outcome = isWaivedFirstViolation(severity, harmfulConsequence, file.violationCount) ? 'warning' : 'penalty';
  const event: CreditEvent = { ...common, severity, harmfulConsequence, outcome };
  const from = windowStart(txDay);
  const days = file.recentDays.filter((d) => d.date >= from);
  const last = days[days.length - 1];
  const day: DayCounts = last && last.date === txDay ? last : { date: txDay, fulfilments: 0, minor: 0, serious: 0, grave: 0, warnings: 0 };
  const counted: DayCounts = {
    ...day,
    warnings: day.warnings + (outcome === 'warning' ? 1 : 0),
    minor: day.minor + (outcome === 'penalty' && severity === 'minor' ? 1 : 0),
    serious: day.serious + (outcome === 'penalty' && severity === 'serious' ? 1 : 0),
    grave: day.grave + (outcome === 'penalty' && severity === 'grave' ? 1 : 0),
  };
  const recentDays = last && last.date === txDay ? [...days.slice(0, -1), counted] : [...days, counted];
  const next: CreditFile = {
    subjectId: file.subjectId,
    eventCount: file.eventCount + 1,
    fulfilmentCount: file.fulfilmentCount,
    violationCount: file.violationCount + 1,
    warningCount: file.warningCount + (outcome === 'warning' ? 1 : 0),
    penaltyCount: file.penaltyCount + (outcome === 'penalty' ? 1 : 0),
    recentDays,
    lastEventAt: time.iso,
  };
  await putRecord(ctx, CreditEvents, event);
  await putRecord(ctx, CreditFiles, next, before);
  return event;
}

/**
 * Counts of the look-back window ending `today`: the credit file's day counts (at most
 * LOOKBACK_DAYS day records) plus `fulfilmentEntries`, the subject's fulfilment entries dated
 * in the window.
 */
export function windowCounts(
  file: CreditFile | undefined,
  fulfilmentEntries: number,
  today: string,
): WindowCounts & { warnings: number; from: string; to: string } {
  const from = windowStart(today);
  let fulfilments = 0;
  let minor = 0;
  let serious = 0;
  let grave = 0;
  let warnings = 0;
  for (const d of file?.recentDays ?? []) {
    if (d.date < from || d.date > today) continue;
    fulfilments += d.fulfilments;
    minor += d.minor;
    serious += d.serious;
    grave += d.grave;
    warnings += d.warnings;
  }
  fulfilments += fulfilmentEntries;
  const points = minor * SEVERITY_POINTS.minor + serious * SEVERITY_POINTS.serious + grave * SEVERITY_POINTS.grave;
  return { points, fulfilments, minor, serious, grave, warnings, from, to: today };
}

/**
 * A subject's fulfilment entries dated in the look-back window ending on the transaction's day:
 * one range read, newest first from the transaction time, closed at the first entry before the
 * window. More than MAX_SUMMED_ENTRIES → CONFLICT (nothing counted in part).
 */
async function fulfilmentsInWindow(ctx: Context, subjectId: string): Promise<number> {
  const { epochMs } = txTime(ctx);
  const from = windowStart(cstDate(epochMs));
  let count = 0;
  await visitRecentEntries(ctx, FulfilmentEntries, [subjectId], epochMs, (entry) => {
    if (cstDate(entry.epochMs) < from) return false;
    if (count === MAX_SUMMED_ENTRIES)
      throw conflict(`more than ${MAX_SUMMED_ENTRIES} fulfilments in the window of subject ${subjectId} to count in one transaction`);
    count++;
    return true;
  });
  return count;
}

/** A subject's credit file summary and credit class (信用风险分类) as of the transaction time. */
export async function creditStanding(ctx: Context, subjectId: string) {
  const date = today(ctx);
  const file = await getRecord(ctx, CreditFiles, [subjectId]);
  const standing = await readStanding(ctx, subjectId);
  const blacklistedBy = inForceEntries(standing, date).map((e) => e.id);
  const counts = windowCounts(file, await fulfilmentsInWindow(ctx, subjectId), date);
  const verdict = classify(counts, blacklistedBy.length > 0);
  return {
    subjectId,
    asOf: date,
    creditClass: verdict.creditClass,
    classRule: { row: verdict.rule, label: verdict.label },
    window: counts,
    blacklistedBy,
    totals: file
      ? { violations: file.violationCount, warnings: file.warningCount, penalties: file.penaltyCount }
      : { violations: 0, warnings: 0, penalties: 0 },
  };
}

interface OrderParties {
  readonly id: string;
  readonly sellerSubjectId: string;
  readonly buyerSubjectId: string;
  readonly sellerCounty: string;
  readonly buyerCounty: string;
}

/** Trade flow: a settled order is a fulfilment (履约) of both parties. */
export async function recordOrderFulfilment(ctx: Context, order: OrderParties, by: { mspId: string; member: string }): Promise<void> {
  const base = {
    kind: 'fulfilment' as const,
    summary: `order ${order.id} settled`,
    evidenceRefs: [`order:${order.id}`],
    issuedBy: { mspId: by.mspId, member: by.member, role: 'trade-flow' as const },
    source: { type: 'order' as const, orderId: order.id },
  };
  await recordCreditEvent(ctx, { ...base, subjectId: order.buyerSubjectId, issuingCounty: order.buyerCounty }, 0);
  await recordCreditEvent(ctx, { ...base, subjectId: order.sellerSubjectId, issuingCounty: order.sellerCounty }, 1);
}

/** Trade flow: the party at fault of a cancelled order defaulted (违约); minor, so a first default is a warning. */
export async function recordOrderDefault(
  ctx: Context,
  order: OrderParties,
  faultParty: 'buyer' | 'seller' | 'none',
  reason: string,
  by: { mspId: string; member: string },
): Promise<void> {
  if (faultParty === 'none') return;
  await recordCreditEvent(ctx, {
    subjectId: faultParty === 'buyer' ? order.buyerSubjectId : order.sellerSubjectId,
    issuingCounty: faultParty === 'buyer' ? order.buyerCounty : order.sellerCounty,
    ...ORDER_DEFAULT,
    summary: `at fault for cancelled order ${order.id}: ${reason}`.slice(0, 500),
    evidenceRefs: [`order:${order.id}`],
    issuedBy: { mspId: by.mspId, member: by.member, role: 'trade-flow' },
    source: { type: 'order', orderId: order.id },
  });
}
