import { Context } from 'fabric-contract-api';
import { ruleViolation } from '../kernel/errors';
import { getRecord } from '../kernel/state';
import { mayTradeUnderBlacklist } from './blacklist';
import { Subject, Subjects } from '../subjects/records';

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
 * Joint punishment: a blacklist entry in force with the `trading` measure, issued by
 * any county, → not allowed (credit/blacklist.ts mayTradeUnderBlacklist, one key read),
 * so every market step picks it up without change.
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
        return {
          allowed: false,
          reason: `subject ${subjectId} has orange market access limited to ${subject.tradeLimitFen ?? 0} fen, ${amountFen} fen asked`,
          subject,
        };
      }
      break;
    case 'green':
      break;
  }
  // Joint punishment (一处失信、处处受限): an entry in force with the trading measure, whichever county issued it.
  const blacklist = await mayTradeUnderBlacklist(ctx, subjectId);
  if (!blacklist.allowed) return { allowed: false, reason: blacklist.reason ?? `subject ${subjectId} is blacklisted from trading`, subject };
  return { allowed: true, subject };
}

/** maySubjectTrade, refusing with RULE_VIOLATION; returns the subject. */
export async function requireMayTrade(ctx: Context, subjectId: string, amountFen: number): Promise<Subject> {
  const verdict = await maySubjectTrade(ctx, subjectId, amountFen);
  if (!verdict.allowed || !verdict.subject) throw ruleViolation(verdict.reason ?? `subject ${subjectId} may not trade`);
  return verdict.subject;
}
