import { Context } from 'fabric-contract-api';
import { ruleViolation } from '../kernel/errors';
import { getRecord } from '../kernel/state';
import { Subject, Subjects } from './records';

export interface TradeVerdict {
  readonly allowed: boolean;
  /** Why not, when not allowed. */
  readonly reason?: string;
  /** The subject as read in this transaction, when it exists. */
  readonly subject?: Subject;
}

/**
 * THE one answer to "may this subject trade (an amount of) now?". Every market step
 * asks it for each party. `amountFen` is the trade amount at stake; 0 means a step
 * that moves no money (e.g. cancelling), where an orange limit does not apply.
 *
 * Extension point: the credit / blacklist work adds its check here (an active
 * blacklist entry with the `restrict trading` measure → not allowed), so that every
 * market step picks it up without change.
 */
export async function maySubjectTrade(ctx: Context, subjectId: string, amountFen: number): Promise<TradeVerdict> {
  const subject = await getRecord(ctx, Subjects, [subjectId]);
  if (!subject) return { allowed: false, reason: `subject ${subjectId} is not registered` };
  switch (subject.access) {
    case 'pending':
      return { allowed: false, reason: `subject ${subjectId} has no market access decision yet`, subject };
    case 'red':
      return { allowed: false, reason: `subject ${subjectId} has red market access and may not trade`, subject };
    case 'orange':
      if (amountFen > (subject.tradeLimitFen ?? 0)) {
        return { allowed: false, reason: `subject ${subjectId} has orange market access limited to ${subject.tradeLimitFen ?? 0} fen, ${amountFen} fen asked`, subject };
      }
      break;
    case 'green':
      break;
  }
  // (credit / blacklist check goes here)
  return { allowed: true, subject };
}

/** maySubjectTrade, refusing with RULE_VIOLATION; returns the subject. */
export async function requireMayTrade(ctx: Context, subjectId: string, amountFen: number): Promise<Subject> {
  const verdict = await maySubjectTrade(ctx, subjectId, amountFen);
  if (!verdict.allowed || !verdict.subject) throw ruleViolation(verdict.reason ?? `subject ${subjectId} may not trade`);
  return verdict.subject;
}
