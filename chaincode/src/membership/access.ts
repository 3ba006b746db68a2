import { Context } from 'fabric-contract-api';
import { forbidden } from '../kernel/errors';
import { Caller, callerOf } from '../kernel/identity';
import { Role } from '../kernel/schemas';
import { getRecord } from '../kernel/state';
import { RoleGrants } from './records';

/** Whether a member of a county currently holds a role (the county's admin certificate counts as county-admin). */
export async function holdsRole(ctx: Context, caller: Caller, role: Role): Promise<boolean> {
  if (role === 'county-admin' && caller.isCountyAdmin) return true;
  const grant = await getRecord(ctx, RoleGrants, [caller.mspId, caller.member, role]);
  return grant?.active === true;
}

/** Whether the caller holds at least one of `roles` (read in the given order, stopping at the first held). */
export async function holdsAnyRole(ctx: Context, caller: Caller, roles: readonly Role[]): Promise<boolean> {
  for (const role of roles) if (await holdsRole(ctx, caller, role)) return true;
  return false;
}

/** The caller, after checking it holds at least one of `roles`; FORBIDDEN otherwise. */
export async function requireRole(ctx: Context, ...roles: Role[]): Promise<Caller> {
  const caller = callerOf(ctx);
  if (await holdsAnyRole(ctx, caller, roles)) return caller;
  throw forbidden(`${caller.member} of ${caller.mspId} needs the ${roles.join(' or ')} role`);
}

export async function rolesOf(ctx: Context, caller: Caller, roles: readonly Role[]): Promise<Role[]> {
  const held: Role[] = [];
  for (const role of roles) if (await holdsRole(ctx, caller, role)) held.push(role);
  return held;
}

/** The caller, after checking it is a county admin (certificate OU=admin, or the county-admin role); FORBIDDEN otherwise. */
export async function requireCountyAdmin(ctx: Context): Promise<Caller> {
  const caller = callerOf(ctx);
  if (await holdsRole(ctx, caller, 'county-admin')) return caller;
  throw forbidden(`${caller.member} of ${caller.mspId} is not a county admin`);
}
