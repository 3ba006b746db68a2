import { Context, Info, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../kernel/canonical-json';
import { CountyContract } from '../kernel/contract-base';
import { conflict, forbidden, notFound } from '../kernel/errors';
import { emit } from '../kernel/events';
import { callerOf } from '../kernel/identity';
import { ROLES } from '../kernel/schemas';
import { checkPageSize, getRecord, listByIndex, listRecords, putRecord } from '../kernel/state';
import { txTime } from '../kernel/time';
import { parseInput } from '../kernel/validate';
import { rolesOf } from './access';
import { RoleChange, RoleChanges, RoleGrant, RoleGrants } from './records';
import { grantRoleInput, listRoleHoldersInput, memberRefInput, revokeRoleInput, roleHistoryInput } from './schemas';

export const MembershipEvents = {
  RoleGranted: 'membership.RoleGranted',
  RoleRevoked: 'membership.RoleRevoked',
} as const;

@Info({ title: 'Membership', description: 'Counties, their members and the roles a county admin grants them' })
export class MembershipContract extends CountyContract {
  constructor() {
    super('Membership');
  }

  /** The calling identity and the roles it holds. */
  @Transaction(false)
  async WhoAmI(ctx: Context): Promise<string> {
    const caller = callerOf(ctx);
    const roles = await rolesOf(ctx, caller, ROLES);
    return canonicalJson({ mspId: caller.mspId, member: caller.member, isCountyAdmin: caller.isCountyAdmin, roles });
  }

  /** A county admin grants a role to a member of the admin's own county. */
  @Transaction()
  async GrantRole(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(grantRoleInput, inputJson);
    const admin = await requireCountyAdmin(ctx);
    const previous = await getRecord(ctx, RoleGrants, [admin.mspId, input.member, input.role]);
    if (previous?.active) throw conflict(`${input.member} already holds ${input.role} in ${admin.mspId}`);
    const now = txTime(ctx).iso;
    const txId = ctx.stub.getTxID();
    const grant: RoleGrant = {
      mspId: admin.mspId,
      member: input.member,
      role: input.role,
      active: true,
      grantedBy: admin.member,
      grantedAt: now,
      grantTxId: txId,
      ...(input.note ? { note: input.note } : {}),
    };
    await putRecord(ctx, RoleGrants, grant, previous);
    await recordChange(ctx, {
      mspId: admin.mspId,
      member: input.member,
      role: input.role,
      action: 'granted',
      by: admin.member,
      at: now,
      txId,
      note: input.note,
    });
    emit(ctx, MembershipEvents.RoleGranted, { mspId: admin.mspId, member: input.member, role: input.role, by: admin.member });
    return canonicalJson(grant);
  }

  /** A county admin revokes a role from a member of the admin's own county. */
  @Transaction()
  async RevokeRole(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(revokeRoleInput, inputJson);
    const admin = await requireCountyAdmin(ctx);
    const previous = await getRecord(ctx, RoleGrants, [admin.mspId, input.member, input.role]);
    if (!previous?.active) throw notFound(`${input.member} does not hold ${input.role} in ${admin.mspId}`);
    const now = txTime(ctx).iso;
    const txId = ctx.stub.getTxID();
    const revoked: RoleGrant = { ...previous, active: false, revokedBy: admin.member, revokedAt: now, revokeTxId: txId };
    await putRecord(ctx, RoleGrants, revoked, previous);
    await recordChange(ctx, {
      mspId: admin.mspId,
      member: input.member,
      role: input.role,
      action: 'revoked',
      by: admin.member,
      at: now,
      txId,
      note: input.note,
    });
    emit(ctx, MembershipEvents.RoleRevoked, { mspId: admin.mspId, member: input.member, role: input.role, by: admin.member });
    return canonicalJson(revoked);
  }

  /** A member's current roles; any county can read any county's grants. */
  @Transaction(false)
  async GetMember(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(memberRefInput, inputJson);
    const grants: RoleGrant[] = [];
    for (const role of ROLES) {
      const grant = await getRecord(ctx, RoleGrants, [input.mspId, input.member, role]);
      if (grant) grants.push(grant);
    }
    return canonicalJson({ mspId: input.mspId, member: input.member, roles: grants.filter((g) => g.active).map((g) => g.role), grants });
  }

  /** Every grant and revocation of a member, oldest first, a page at a time. */
  @Transaction(false)
  async RoleHistory(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(roleHistoryInput, inputJson);
    const page = await listRecords(ctx, RoleChanges, [input.mspId, input.member], checkPageSize(input.limit), input.cursor);
    return canonicalJson(page);
  }

  /** Active holders of a role in a county, a page at a time. */
  @Transaction(false)
  async ListRoleHolders(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(listRoleHoldersInput, inputJson);
    const page = await listByIndex(ctx, RoleGrants, 'holders', [input.mspId, input.role], checkPageSize(input.limit), input.cursor);
    return canonicalJson(page);
  }
}

async function requireCountyAdmin(ctx: Context) {
  const caller = callerOf(ctx);
  if (caller.isCountyAdmin) return caller;
  const roles = await rolesOf(ctx, caller, ['county-admin']);
  if (roles.length === 0) throw forbidden(`${caller.member} of ${caller.mspId} is not a county admin`);
  return caller;
}

async function recordChange(ctx: Context, change: RoleChange): Promise<void> {
  const clean = change.note ? change : { ...change, note: undefined };
  await putRecord(ctx, RoleChanges, clean);
}
