import { Context } from 'fabric-contract-api';
import { CaseLeads } from '../credit/records';
import { EvidenceRecord } from '../evidence/records';
import { forbidden } from '../kernel/errors';
import { Caller, callerOf } from '../kernel/identity';
import { getRecord } from '../kernel/state';
import { holdsAnyRole, holdsRole } from '../membership/access';
import { actsFor } from '../subjects/binding';
import { Subjects } from '../subjects/records';
import { Orders } from './records';

/**
 * Need to know for evidence (DESIGN.md, "Trust between counties"): an evidence record names its
 * submitter and what it concerns (refs), and its file may be a witness statement or a deal. It is
 * read by
 * - its submitter;
 * - auditors of any county, for audit;
 * - regulators and enforcement of a **county concerned**: the submitter's county; the registered
 *   county of each referenced subject; the seller's, buyer's and origin county of each referenced
 *   order; the two counties of each referenced case;
 * - merchants bound to a referenced subject (a settled deal refers to both parties' subjects).
 * Not by other merchants, verifiers or finance officers, nor by members without a role.
 *
 * The rule lives in the market domain, not beside the evidence records, because the counties
 * concerned come from subjects, orders (market) and cases (credit), and the evidence domain sits
 * below all three (chaincode/README.md, "Domains"). Cost is bounded: the refs are at most 20 of each
 * kind, so at most 60 record reads, 20 binding reads and four role reads.
 */

/** The counties concerned by an evidence record (submitter's county and those of its refs), without repeats. */
export async function countiesConcernedBy(ctx: Context, record: EvidenceRecord): Promise<string[]> {
  const counties = new Set<string>([record.submitter.mspId]);
  for (const subjectId of record.refs.subjectIds ?? []) {
    const subject = await getRecord(ctx, Subjects, [subjectId]);
    if (subject) counties.add(subject.county);
  }
  for (const orderId of record.refs.orderIds ?? []) {
    const order = await getRecord(ctx, Orders, [orderId]);
    if (order) for (const county of [order.sellerCounty, order.buyerCounty, order.originCounty]) counties.add(county);
  }
  for (const caseId of record.refs.caseIds ?? []) {
    const lead = await getRecord(ctx, CaseLeads, [caseId]);
    if (lead) for (const county of [lead.fromCounty, lead.toCounty]) counties.add(county);
  }
  return [...counties];
}

/** Whether `caller` may read `record` and its file. */
export async function mayReadEvidence(ctx: Context, caller: Caller, record: EvidenceRecord): Promise<boolean> {
  if (record.submitter.mspId === caller.mspId && record.submitter.member === caller.member) return true;
  if (await holdsRole(ctx, caller, 'auditor')) return true;
  if (await holdsAnyRole(ctx, caller, ['regulator', 'enforcement'])) {
    if ((await countiesConcernedBy(ctx, record)).includes(caller.mspId)) return true;
  }
  if (await holdsRole(ctx, caller, 'merchant')) {
    for (const subjectId of record.refs.subjectIds ?? []) if (await actsFor(ctx, caller.mspId, caller.member, subjectId)) return true;
  }
  return false;
}

/** Refuses a caller who may not read `record` (FORBIDDEN). */
export async function requireMayReadEvidence(ctx: Context, record: EvidenceRecord): Promise<void> {
  const caller = callerOf(ctx);
  if (await mayReadEvidence(ctx, caller, record)) return;
  throw forbidden(
    `${caller.member} of ${caller.mspId} may not read evidence ${record.sha256}: only its submitter, merchants of a referenced subject, the counties concerned and auditors may`,
  );
}
