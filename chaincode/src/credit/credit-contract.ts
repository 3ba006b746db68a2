import { Context, Info, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../kernel/canonical-json';
import { CountyContract } from '../kernel/contract-base';
import { conflict, forbidden, notFound, ruleViolation } from '../kernel/errors';
import { emit } from '../kernel/events';
import { Caller, callerOf } from '../kernel/identity';
import { ROLES } from '../kernel/schemas';
import { checkPageSize, getRecord, listByIndex, listRecords, mustGetRecord, putRecord, scanBounded } from '../kernel/state';
import { txTime } from '../kernel/time';
import { parseInput } from '../kernel/validate';
import { creditTransactions } from './transactions';
import { holdsRole, requireRole } from '../membership/access';
import { actsFor, refuseActingFor } from '../subjects/binding';
import { requireRegisteredSubject } from '../subjects/home-county';
import { Subjects } from '../subjects/records';
import { checkOne, entryView, issueEntry, listInForce, mustGetEntry, writeEntry } from './blacklist';
import { today } from '../kernel/time';
import { creditStanding, recordCreditEvent } from './credit-file';
import {
  BlacklistEntries,
  BlacklistEntry,
  CreditEvent,
  CreditEvents,
  Objection,
  Objections,
  TrailAnchor,
  TrailAnchors,
  TrailHead,
  TrailHeads,
} from './records';

export const CreditContractEvents = {
  EventRecorded: 'credit.EventRecorded',
  BlacklistIssued: 'credit.BlacklistIssued',
  ObjectionFiled: 'credit.ObjectionFiled',
  ObjectionResolved: 'credit.ObjectionResolved',
  BlacklistRepaired: 'credit.BlacklistRepaired',
  QueryTrailAnchored: 'credit.QueryTrailAnchored',
} as const;

/** Objections kept per entry (bounded history on the entry read). */
const MAX_OBJECTIONS_PER_ENTRY = 20;

@Info({
  title: 'Credit',
  description: 'Credit files (信用档案), credit class, the shared blacklist with joint punishment (联合惩戒), objections and credit repair',
})
export class CreditContract extends CountyContract {
  constructor() {
    super('Credit');
  }

  // ---------------------------------------------------------------- credit events

  /** Enforcement or a regulator records a credit event of a subject; 首违不罚 turns a first minor harmless violation into a warning. */
  @Transaction()
  async RecordEvent(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.recordEvent.input, inputJson);
    const caller = await requireRole(ctx, 'enforcement', 'regulator');
    await requireRegisteredSubject(ctx, input.subjectId);
    await refuseActingFor(ctx, caller, [input.subjectId], 'record credit events concerning it');
    const role = (await holdsRole(ctx, caller, 'enforcement')) ? 'enforcement' : 'regulator';
    const event = await recordCreditEvent(ctx, {
      subjectId: input.subjectId,
      kind: input.kind,
      ...(input.severity ? { severity: input.severity } : {}),
      ...(input.harmfulConsequence !== undefined ? { harmfulConsequence: input.harmfulConsequence } : {}),
      summary: input.summary,
      evidenceRefs: input.evidenceRefs,
      issuingCounty: caller.mspId,
      issuedBy: { mspId: caller.mspId, member: caller.member, role },
      source: { type: 'manual' },
    });
    emit(ctx, CreditContractEvents.EventRecorded, {
      eventId: event.id,
      subjectId: event.subjectId,
      kind: event.kind,
      outcome: event.outcome,
      issuingCounty: event.issuingCounty,
    });
    return canonicalJson(event);
  }

  @Transaction(false)
  async GetEvent(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.getEvent.input, inputJson);
    return canonicalJson(await mustGetRecord(ctx, CreditEvents, [input.eventId], 'credit event'));
  }

  /** A subject's credit events, oldest first. */
  @Transaction(false)
  async ListEvents(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.listEvents.input, inputJson);
    return canonicalJson(await listByIndex(ctx, CreditEvents, 'bySubject', [input.subjectId], checkPageSize(input.limit), input.cursor));
  }

  /** A subject's credit file: counters, look-back window counts, credit class and the rule row that gave it. */
  @Transaction(false)
  async GetCreditFile(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.getCreditFile.input, inputJson);
    return canonicalJson(await creditStanding(ctx, input.subjectId));
  }

  // ---------------------------------------------------------------- blacklist

  /**
   * Enforcement or a regulator blacklists a registered subject on the basis of its recorded
   * violations. The event names the subject's home county, so a county is told of entries
   * other counties issue against its subjects (and may object for them).
   */
  @Transaction()
  async IssueBlacklist(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.issueBlacklist.input, inputJson);
    const caller = await requireRole(ctx, 'enforcement', 'regulator');
    await refuseActingFor(ctx, caller, [input.subjectId], 'blacklist it');
    const ids = [...new Set(input.basisEventIds)];
    const basis: CreditEvent[] = [];
    for (const id of ids) basis.push(await mustGetRecord(ctx, CreditEvents, [id], 'credit event'));
    const entry = await issueEntry(ctx, caller, input.subjectId, input, basis);
    emit(ctx, CreditContractEvents.BlacklistIssued, {
      entryId: entry.id,
      subjectId: entry.subjectId,
      measures: entry.measures,
      issuingCounty: entry.issuingCounty,
      homeCounty: entry.subjectCounty,
      startDate: entry.startDate,
      endDate: entry.endDate,
    });
    return canonicalJson(entry);
  }

  /**
   * An objection (异议) comes from the subject's side only: its merchant, or a regulator of its
   * home county (the county that registered it) on its behalf, for an entry another county
   * issued. The issuing county never objects to its own entry — not even when it is the
   * subject's home county: there the subject objects through its merchant — so no county can
   * lift its own entry before the minimum publication period by objecting and withdrawing.
   */
  @Transaction()
  async FileObjection(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.fileObjection.input, inputJson);
    const caller = callerOf(ctx);
    const before = await mustGetEntry(ctx, input.entryId);
    const role = await objectorRole(ctx, caller, before);
    if (before.status !== 'published') throw conflict(`entry ${before.id} is ${before.status}`);
    if (before.objection?.status === 'open') throw conflict(`entry ${before.id} is already under objection`);
    if (before.objectionCount >= MAX_OBJECTIONS_PER_ENTRY) throw ruleViolation(`entry ${before.id} has had ${MAX_OBJECTIONS_PER_ENTRY} objections`);
    const time = txTime(ctx);
    const txId = ctx.stub.getTxID();
    const seq = before.objectionCount + 1;
    const objection: Objection = {
      entryId: before.id,
      seq,
      subjectId: before.subjectId,
      grounds: input.grounds,
      evidenceRefs: [...(input.evidenceRefs ?? [])],
      filedBy: { mspId: caller.mspId, member: caller.member, role },
      filedAt: time.iso,
      fileTxId: txId,
      status: 'open',
    };
    const entry: BlacklistEntry = { ...before, objectionCount: seq, objection: { seq, status: 'open', filedAt: time.iso }, updatedAt: time.iso };
    await putRecord(ctx, Objections, objection);
    await writeEntry(ctx, entry, before, today(ctx));
    emit(ctx, CreditContractEvents.ObjectionFiled, {
      entryId: entry.id,
      subjectId: entry.subjectId,
      seq,
      issuingCounty: entry.issuingCounty,
      by: caller.mspId,
    });
    return canonicalJson(entryView(entry, today(ctx)));
  }

  /**
   * The issuing county's enforcement resolves an open objection: `dismissed` (the objection is
   * dismissed, the entry stands) or `entry-withdrawn` (the entry is withdrawn on the objection,
   * kept in history with that ground). Nobody resolves an objection concerning a subject they act for.
   */
  @Transaction()
  async ResolveObjection(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.resolveObjection.input, inputJson);
    const caller = await requireRole(ctx, 'enforcement');
    const before = await mustGetEntry(ctx, input.entryId);
    if (caller.mspId !== before.issuingCounty)
      throw forbidden(`objections to entry ${before.id} are resolved by the enforcement of ${before.issuingCounty}, not ${caller.mspId}`);
    await refuseActingFor(ctx, caller, [before.subjectId], 'resolve an objection concerning it');
    const open = before.objection;
    if (!open || open.status !== 'open') throw conflict(`entry ${before.id} has no open objection`);
    const objectionBefore = await mustGetRecord(ctx, Objections, [before.id, String(open.seq).padStart(4, '0')], 'objection');
    const time = txTime(ctx);
    const txId = ctx.stub.getTxID();
    const actor = { mspId: caller.mspId, member: caller.member };
    const objection: Objection = {
      ...objectionBefore,
      status: input.decision,
      resolvedBy: actor,
      resolvedAt: time.iso,
      resolveTxId: txId,
      note: input.note,
      ...(input.evidenceRefs?.length ? { resolutionEvidenceRefs: [...input.evidenceRefs] } : {}),
    };
    const entry: BlacklistEntry = {
      ...before,
      objection: { ...open, status: input.decision, resolvedAt: time.iso },
      ...(input.decision === 'entry-withdrawn'
        ? {
            status: 'withdrawn' as const,
            withdrawal: { ground: 'objection' as const, objectionSeq: open.seq, by: actor, at: time.iso, txId, note: input.note },
          }
        : {}),
      updatedAt: time.iso,
    };
    await putRecord(ctx, Objections, objection, objectionBefore);
    await writeEntry(ctx, entry, before, today(ctx));
    emit(ctx, CreditContractEvents.ObjectionResolved, {
      entryId: entry.id,
      subjectId: entry.subjectId,
      seq: open.seq,
      decision: input.decision,
      status: entry.status,
    });
    return canonicalJson(entryView(entry, today(ctx)));
  }

  /** Credit repair (信用修复): the issuing county's enforcement, after the minimum publication period, with rectification evidence. */
  @Transaction()
  async RepairBlacklist(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.repairBlacklist.input, inputJson);
    const caller = await requireRole(ctx, 'enforcement');
    const before = await mustGetEntry(ctx, input.entryId);
    if (caller.mspId !== before.issuingCounty)
      throw forbidden(`entry ${before.id} can be repaired only by the enforcement of ${before.issuingCounty}, not ${caller.mspId}`);
    await refuseActingFor(ctx, caller, [before.subjectId], 'approve its credit repair');
    if (before.status !== 'published') throw conflict(`entry ${before.id} is already ${before.status}`);
    if (before.objection?.status === 'open') throw conflict(`entry ${before.id} is under objection; resolve it first`);
    const day = today(ctx);
    if (day < before.repairableFrom) {
      throw ruleViolation(
        `entry ${before.id} (${before.severity}) must stay published until ${before.repairableFrom} before repair (minimum publication period)`,
      );
    }
    const time = txTime(ctx);
    const entry: BlacklistEntry = {
      ...before,
      status: 'repaired',
      repair: {
        by: { mspId: caller.mspId, member: caller.member },
        at: time.iso,
        txId: ctx.stub.getTxID(),
        rectificationEvidenceRefs: [...input.rectificationEvidenceRefs],
        ...(input.note ? { note: input.note } : {}),
      },
      updatedAt: time.iso,
    };
    await writeEntry(ctx, entry, before, day);
    emit(ctx, CreditContractEvents.BlacklistRepaired, { entryId: entry.id, subjectId: entry.subjectId, issuingCounty: entry.issuingCounty });
    return canonicalJson(entryView(entry, day));
  }

  /** An entry with its objections, and whether it is active today. */
  @Transaction(false)
  async GetEntry(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.getEntry.input, inputJson);
    const entry = await mustGetEntry(ctx, input.entryId);
    const { items } = await scanBounded(ctx, Objections, [entry.id], MAX_OBJECTIONS_PER_ENTRY);
    return canonicalJson({ ...entryView(entry, today(ctx)), objections: items });
  }

  /** Entries in force today, optionally by issuing county and measure, a page at a time. */
  @Transaction(false)
  async ListBlacklist(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.listBlacklist.input, inputJson);
    return canonicalJson(
      await listInForce(
        ctx,
        {
          ...(input.county ? { county: input.county } : {}),
          ...(input.measure ? { measure: input.measure } : {}),
          ...(input.publicView ? { publicView: true } : {}),
        },
        checkPageSize(input.limit),
        input.cursor,
      ),
    );
  }

  /** Every entry of a subject, whatever its status, oldest first. */
  @Transaction(false)
  async SubjectHistory(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.subjectHistory.input, inputJson);
    const day = today(ctx);
    const page = await listByIndex(ctx, BlacklistEntries, 'bySubject', [input.subjectId], checkPageSize(input.limit), input.cursor);
    return canonicalJson({ ...page, items: page.items.map((e) => entryView(e, day)) });
  }

  /** Is this subject restricted now, by which entries, and is any under objection? One key read. */
  @Transaction(false)
  async CheckSubject(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.checkSubject.input, inputJson);
    return canonicalJson({ asOf: today(ctx), ...(await checkOne(ctx, input.subjectId, today(ctx))) });
  }

  /** Bulk check of up to 1000 codes; a malformed code is reported in its own item. */
  @Transaction(false)
  async CheckSubjects(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.checkSubjects.input, inputJson);
    const day = today(ctx);
    const items = [];
    for (const code of input.codes) items.push(await checkOne(ctx, code, day));
    return canonicalJson({
      asOf: day,
      count: items.length,
      invalid: items.filter((i) => !i.valid).length,
      blacklisted: items.filter((i) => i.blacklisted).length,
      items,
    });
  }

  // ---------------------------------------------------------------- query audit trail anchors

  /**
   * A gateway anchors the running digest of its blacklist query trail. Each anchor must
   * start right after the previous one, so a rewritten trail no longer matches the chain
   * of anchors. Any member holding a role may anchor; a trail belongs to the county that
   * anchored it first.
   */
  @Transaction()
  async AnchorQueryTrail(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.anchorQueryTrail.input, inputJson);
    const caller = await requireRole(ctx, ...ROLES);
    const head = await getRecord(ctx, TrailHeads, [input.trailId]);
    if (head && head.county !== caller.mspId) throw forbidden(`trail ${input.trailId} belongs to ${head.county}`);
    const expectedFrom = (head?.lastEntry ?? 0) + 1;
    if (input.fromEntry !== expectedFrom) throw conflict(`trail ${input.trailId} continues at entry ${expectedFrom}, not ${input.fromEntry}`);
    const time = txTime(ctx);
    const txId = ctx.stub.getTxID();
    const anchor: TrailAnchor = {
      trailId: input.trailId,
      seq: (head?.anchors ?? 0) + 1,
      fromEntry: input.fromEntry,
      toEntry: input.toEntry,
      digest: input.digest,
      county: caller.mspId,
      anchoredBy: { mspId: caller.mspId, member: caller.member },
      at: time.iso,
      txId,
    };
    const nextHead: TrailHead = {
      trailId: input.trailId,
      county: caller.mspId,
      anchors: anchor.seq,
      lastEntry: input.toEntry,
      lastDigest: input.digest,
      updatedAt: time.iso,
    };
    await putRecord(ctx, TrailAnchors, anchor);
    await putRecord(ctx, TrailHeads, nextHead, head);
    emit(ctx, CreditContractEvents.QueryTrailAnchored, {
      trailId: anchor.trailId,
      seq: anchor.seq,
      fromEntry: anchor.fromEntry,
      toEntry: anchor.toEntry,
      digest: anchor.digest,
    });
    return canonicalJson(anchor);
  }

  @Transaction(false)
  async GetQueryTrailHead(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.getQueryTrailHead.input, inputJson);
    const head = await getRecord(ctx, TrailHeads, [input.trailId]);
    if (!head) throw notFound(`trail ${input.trailId} has no anchors`);
    return canonicalJson(head);
  }

  @Transaction(false)
  async ListQueryTrailAnchors(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(creditTransactions.listQueryTrailAnchors.input, inputJson);
    return canonicalJson(await listRecords(ctx, TrailAnchors, [input.trailId], checkPageSize(input.limit), input.cursor));
  }
}

/**
 * Who may object to `entry`, and as what (FORBIDDEN otherwise): the subject's merchant (a
 * member bound to it), or a regulator of the subject's home county when another county
 * issued the entry.
 */
async function objectorRole(ctx: Context, caller: Caller, entry: BlacklistEntry): Promise<'merchant' | 'regulator'> {
  if ((await holdsRole(ctx, caller, 'merchant')) && (await actsFor(ctx, caller.mspId, caller.member, entry.subjectId))) return 'merchant';
  if (await holdsRole(ctx, caller, 'regulator')) {
    const subject = await getRecord(ctx, Subjects, [entry.subjectId]);
    if (subject?.county === caller.mspId) {
      if (entry.issuingCounty === caller.mspId) {
        throw forbidden(
          `entry ${entry.id} was issued by ${caller.mspId}, the subject's own county: the issuing county does not object to its own entry; the subject objects through its merchant`,
        );
      }
      return 'regulator';
    }
  }
  throw forbidden(`${caller.member} of ${caller.mspId} neither acts for subject ${entry.subjectId} as its merchant nor is a regulator of its home county`);
}
