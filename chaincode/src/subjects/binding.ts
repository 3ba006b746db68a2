import { Context } from 'fabric-contract-api';
import { forbidden } from '../kernel/errors';
import { Caller } from '../kernel/identity';
import { getRecord } from '../kernel/state';
import { requireRole } from '../membership/access';
import { MerchantBindings } from './records';

/** Whether a member currently acts for a subject (a regulator bound them). */
export async function actsFor(ctx: Context, mspId: string, member: string, subjectId: string): Promise<boolean> {
  const binding = await getRecord(ctx, MerchantBindings, [subjectId, mspId, member]);
  return binding?.active === true;
}

/**
 * The caller, after checking it holds the merchant role and is bound to act for
 * `subjectId`; FORBIDDEN otherwise. A binding is made only by the subject's county
 * regulator for a member of that county, so the caller's county is the subject's.
 */
export async function requireMerchantFor(ctx: Context, subjectId: string): Promise<Caller> {
  const caller = await requireRole(ctx, 'merchant');
  if (!(await actsFor(ctx, caller.mspId, caller.member, subjectId))) {
    throw forbidden(`${caller.member} of ${caller.mspId} does not act for subject ${subjectId}`);
  }
  return caller;
}

/**
 * Segregation of duties: FORBIDDEN when the caller acts for any of `subjectIds`
 * (an active merchant binding), so nobody approves, verifies, confirms or resolves
 * anything concerning a subject they act for. `what` names the refused act.
 */
export async function refuseActingFor(ctx: Context, caller: Caller, subjectIds: readonly string[], what: string): Promise<void> {
  for (const subjectId of new Set(subjectIds)) {
    if (await actsFor(ctx, caller.mspId, caller.member, subjectId)) {
      throw forbidden(`${caller.member} of ${caller.mspId} acts for subject ${subjectId} and may not ${what}`);
    }
  }
}
