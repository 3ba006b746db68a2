import { Context } from 'fabric-contract-api';
import { forbidden } from '../kernel/errors';
import { Caller, callerOf } from '../kernel/identity';
import { Role } from '../kernel/schemas';
import { getRecord } from '../kernel/state';
import { holdsAnyRole, holdsRole } from '../membership/access';
import { actsFor } from '../subjects/binding';
import { Subjects } from '../subjects/records';
import { Order } from './records';

/**
 * Need to know (DESIGN.md, "Trust between counties"): an order carries prices, deposits and payment
 * references. It is read by the merchants bound to its buyer or seller; by the regulators and
 * enforcement of the counties concerned (the seller's, the buyer's and the asset's origin county);
 * by auditors of any county, for audit; and by verifiers, since a verifier of any county may be asked
 * to inspect an order. Not by other merchants, nor by members without a role.
 */
const ANY_COUNTY: readonly Role[] = ['auditor', 'verifier'];
const COUNTY_CONCERNED: readonly Role[] = ['regulator', 'enforcement'];

async function actsForAny(ctx: Context, caller: Caller, subjectIds: readonly string[]): Promise<boolean> {
  if (!(await holdsRole(ctx, caller, 'merchant'))) return false;
  for (const subjectId of subjectIds) if (await actsFor(ctx, caller.mspId, caller.member, subjectId)) return true;
  return false;
}

/** Refuses a caller who may not read `order` (FORBIDDEN). */
export async function requireMayReadOrder(ctx: Context, order: Order): Promise<void> {
  const caller = callerOf(ctx);
  if (await holdsAnyRole(ctx, caller, ANY_COUNTY)) return;
  const concerned = [order.sellerCounty, order.buyerCounty, order.originCounty];
  if (concerned.includes(caller.mspId) && (await holdsAnyRole(ctx, caller, COUNTY_CONCERNED))) return;
  if (await actsForAny(ctx, caller, [order.buyerSubjectId, order.sellerSubjectId])) return;
  throw forbidden(`${caller.member} of ${caller.mspId} may not read order ${order.id}: only its parties' merchants, the counties concerned and auditors may`);
}

/** Refuses a caller who may not read a subject's orders: its merchants, its county's regulators and enforcement, auditors, verifiers. */
export async function requireMayReadOrdersOf(ctx: Context, subjectId: string): Promise<void> {
  const caller = callerOf(ctx);
  if (await holdsAnyRole(ctx, caller, ANY_COUNTY)) return;
  const subject = await getRecord(ctx, Subjects, [subjectId]);
  if (subject && subject.county === caller.mspId && (await holdsAnyRole(ctx, caller, COUNTY_CONCERNED))) return;
  if (await actsForAny(ctx, caller, [subjectId])) return;
  throw forbidden(`${caller.member} of ${caller.mspId} may not read the orders of ${subjectId}: only its merchants, its county and auditors may`);
}
