import { Context, Info, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../kernel/canonical-json';
import { CountyContract } from '../kernel/contract-base';
import { conflict, forbidden, ruleViolation } from '../kernel/errors';
import { emit } from '../kernel/events';
import { Caller, callerOf } from '../kernel/identity';
import { checkPageSize, getRecord, listByIndex, mustGetRecord, putRecord } from '../kernel/state';
import { txTime } from '../kernel/time';
import { parseInput } from '../kernel/validate';
import { caseTransactions } from './transactions';
import { holdsRole, requireRole } from '../membership/access';
import { requireKnownCounty } from '../counties/counties';
import { refuseActingFor } from '../subjects/binding';
import { requireRegisteredSubject } from '../subjects/home-county';
import { issueEntry } from './blacklist';
import { recordCreditEvent } from './credit-file';
import { CaseLead, CaseLeads, CaseStep } from './records';
import { CaseStatus, CreditEventKind } from './schemas';

export const CaseEvents = {
  CaseTransferred: 'cases.CaseTransferred',
  CaseAccepted: 'cases.CaseAccepted',
  CaseRejected: 'cases.CaseRejected',
  CaseInvestigating: 'cases.CaseInvestigating',
  CaseClosed: 'cases.CaseClosed',
  CaseWithdrawn: 'cases.CaseWithdrawn',
} as const;

/**
 * Case lead transfer (线索移送): county A's enforcement transfers a lead about a registered
 * subject to county B, a registered county; B's enforcement accepts or rejects it,
 * investigates, and closes it with a decision that may record a violation and blacklist the
 * subject in the same transaction. Until B accepts it, A may withdraw it.
 *
 *   transferred ──accept──► accepted ──investigate──► investigating ──close──► closed
 *        ├──────reject──► rejected
 *        └──────withdraw (sender)──► withdrawn
 *
 * Nobody decides on a lead concerning a subject they act for (refuseActingFor).
 */
@Info({ title: 'Cases', description: 'Case lead transfer between counties (线索移送)' })
export class CaseContract extends CountyContract {
  constructor() {
    super('Cases');
  }

  /** Enforcement of county A transfers a lead about a subject, with evidence, to county B. */
  @Transaction()
  async TransferCase(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(caseTransactions.transferCase.input, inputJson);
    const caller = await requireRole(ctx, 'enforcement');
    if (input.toCounty === caller.mspId) throw ruleViolation("a case lead is transferred to another county, not to the caller's own");
    await requireKnownCounty(ctx, input.toCounty, 'toCounty');
    await requireRegisteredSubject(ctx, input.subjectId);
    const time = txTime(ctx);
    const txId = ctx.stub.getTxID();
    const lead: CaseLead = {
      id: `case-${txId.slice(0, 32)}`,
      fromCounty: caller.mspId,
      toCounty: input.toCounty,
      subjectId: input.subjectId,
      summary: input.summary,
      evidenceRefs: [...input.evidenceRefs],
      status: 'transferred',
      steps: [step('transferred', caller, time.iso, txId)],
      createdAt: time.iso,
      updatedAt: time.iso,
    };
    if (await getRecord(ctx, CaseLeads, [lead.id])) throw conflict(`case ${lead.id} already exists`);
    await putRecord(ctx, CaseLeads, lead);
    emit(ctx, CaseEvents.CaseTransferred, { caseId: lead.id, fromCounty: lead.fromCounty, toCounty: lead.toCounty, subjectId: lead.subjectId });
    return canonicalJson(lead);
  }

  /** The receiving county's enforcement accepts a transferred lead. */
  @Transaction()
  async AcceptCase(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(caseTransactions.acceptCase.input, inputJson);
    return moveCase(ctx, input.caseId, 'transferred', 'accepted', CaseEvents.CaseAccepted, input.note);
  }

  /** The receiving county's enforcement rejects a transferred lead, with a reason. */
  @Transaction()
  async RejectCase(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(caseTransactions.rejectCase.input, inputJson);
    return moveCase(ctx, input.caseId, 'transferred', 'rejected', CaseEvents.CaseRejected, input.reason);
  }

  /** The sending county's enforcement withdraws a lead the receiving county has not accepted yet, with a reason. */
  @Transaction()
  async WithdrawCase(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(caseTransactions.withdrawCase.input, inputJson);
    const caller = await requireRole(ctx, 'enforcement');
    const before = await mustGetRecord(ctx, CaseLeads, [input.caseId], 'case');
    if (caller.mspId !== before.fromCounty) {
      throw forbidden(`case ${before.id} is withdrawn by the enforcement of ${before.fromCounty}, the sending county, not ${caller.mspId}`);
    }
    await refuseActingFor(ctx, caller, [before.subjectId], 'withdraw a case lead concerning it');
    if (before.status !== 'transferred') throw conflict(`case ${before.id} is ${before.status}; only a lead not yet accepted or rejected is withdrawn`);
    return writeStep(ctx, caller, before, 'withdrawn', CaseEvents.CaseWithdrawn, input.reason);
  }

  /** The receiving county's enforcement starts investigating an accepted lead. */
  @Transaction()
  async InvestigateCase(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(caseTransactions.investigateCase.input, inputJson);
    return moveCase(ctx, input.caseId, 'accepted', 'investigating', CaseEvents.CaseInvestigating, input.note);
  }

  /**
   * The receiving county's enforcement closes an investigated lead with its decision. A
   * violation finding is recorded as a credit event of the subject (首违不罚 applies) and
   * may blacklist the subject in the same transaction.
   */
  @Transaction()
  async CloseCase(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(caseTransactions.closeCase.input, inputJson);
    const { caller, before } = await receiver(ctx, input.caseId);
    requireCaseStatus(before, 'investigating');
    const time = txTime(ctx);
    const txId = ctx.stub.getTxID();
    let decision: CaseLead['decision'] = { finding: input.finding, summary: input.summary, evidenceRefs: [...input.evidenceRefs] };
    // Set when the decision blacklists the subject: its home county is told by the event.
    let homeCounty: string | undefined;
    if (input.finding === 'violation' && input.violation) {
      const event = await recordCreditEvent(ctx, {
        subjectId: before.subjectId,
        kind: input.violation.kind as CreditEventKind,
        severity: input.violation.severity,
        harmfulConsequence: input.violation.harmfulConsequence,
        summary: input.summary,
        evidenceRefs: input.evidenceRefs,
        issuingCounty: caller.mspId,
        issuedBy: { mspId: caller.mspId, member: caller.member, role: 'enforcement' },
        source: { type: 'case', caseId: before.id },
      });
      decision = { ...decision, creditEventId: event.id, creditOutcome: event.outcome === 'warning' ? 'warning' : 'penalty' };
      if (input.blacklist) {
        const entry = await issueEntry(ctx, caller, before.subjectId, input.blacklist, [event], before.id);
        decision = { ...decision, blacklistEntryId: entry.id };
        homeCounty = entry.subjectCounty;
      }
    }
    const lead: CaseLead = {
      ...before,
      status: 'closed',
      decision,
      steps: [...before.steps, step('closed', caller, time.iso, txId, input.summary)],
      updatedAt: time.iso,
    };
    await putRecord(ctx, CaseLeads, lead, before);
    emit(ctx, CaseEvents.CaseClosed, {
      caseId: lead.id,
      fromCounty: lead.fromCounty,
      toCounty: lead.toCounty,
      finding: input.finding,
      ...(decision.creditEventId ? { creditEventId: decision.creditEventId } : {}),
      ...(decision.blacklistEntryId ? { blacklistEntryId: decision.blacklistEntryId } : {}),
      ...(homeCounty ? { homeCounty } : {}),
    });
    return canonicalJson(lead);
  }

  /** A case: for the enforcement of its two counties and for auditors of any county. */
  @Transaction(false)
  async GetCase(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(caseTransactions.getCase.input, inputJson);
    const lead = await mustGetRecord(ctx, CaseLeads, [input.caseId], 'case');
    const caller = callerOf(ctx);
    const party = (caller.mspId === lead.fromCounty || caller.mspId === lead.toCounty) && (await holdsRole(ctx, caller, 'enforcement'));
    if (!party && !(await holdsRole(ctx, caller, 'auditor'))) {
      throw forbidden(`case ${lead.id} is read by the enforcement of ${lead.fromCounty} and ${lead.toCounty} and by auditors`);
    }
    return canonicalJson(lead);
  }

  /** A county's outgoing or incoming leads: for that county's enforcement and for auditors. */
  @Transaction(false)
  async ListCases(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(caseTransactions.listCases.input, inputJson);
    const caller = callerOf(ctx);
    const own = caller.mspId === input.county && (await holdsRole(ctx, caller, 'enforcement'));
    if (!own && !(await holdsRole(ctx, caller, 'auditor'))) throw forbidden(`cases of ${input.county} are listed for its enforcement and for auditors`);
    return canonicalJson(await listByIndex(ctx, CaseLeads, input.direction, [input.county], checkPageSize(input.limit), input.cursor));
  }
}

/** The receiving county's enforcement, not acting for the lead's subject (every decision on a lead is theirs). */
async function receiver(ctx: Context, caseId: string): Promise<{ caller: Caller; before: CaseLead }> {
  const caller = await requireRole(ctx, 'enforcement');
  const before = await mustGetRecord(ctx, CaseLeads, [caseId], 'case');
  if (caller.mspId !== before.toCounty) {
    throw forbidden(`case ${before.id} is moved by the enforcement of ${before.toCounty}, the receiving county, not ${caller.mspId}`);
  }
  await refuseActingFor(ctx, caller, [before.subjectId], 'decide on a case lead concerning it');
  return { caller, before };
}

async function moveCase(ctx: Context, caseId: string, from: CaseStatus, to: CaseStatus, eventName: string, note?: string): Promise<string> {
  const { caller, before } = await receiver(ctx, caseId);
  requireCaseStatus(before, from);
  return writeStep(ctx, caller, before, to, eventName, note);
}

async function writeStep(ctx: Context, caller: Caller, before: CaseLead, to: CaseStatus, eventName: string, note?: string): Promise<string> {
  const time = txTime(ctx);
  const lead: CaseLead = { ...before, status: to, steps: [...before.steps, step(to, caller, time.iso, ctx.stub.getTxID(), note)], updatedAt: time.iso };
  await putRecord(ctx, CaseLeads, lead, before);
  emit(ctx, eventName, { caseId: lead.id, fromCounty: lead.fromCounty, toCounty: lead.toCounty, status: to });
  return canonicalJson(lead);
}

function step(status: CaseStatus, by: Caller, at: string, txId: string, note?: string): CaseStep {
  return { status, by: { mspId: by.mspId, member: by.member }, at, txId, ...(note ? { note } : {}) };
}

function requireCaseStatus(lead: CaseLead, status: CaseStatus): void {
  if (lead.status !== status) throw conflict(`case ${lead.id} is ${lead.status}, not ${status}`);
}
