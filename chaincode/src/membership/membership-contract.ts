import { Context, Info, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../kernel/canonical-json';
import { CountyContract } from '../kernel/contract-base';
import { conflict, notFound } from '../kernel/errors';
import { emit } from '../kernel/events';
import { callerOf } from '../kernel/identity';
import { ROLES } from '../kernel/schemas';
import { checkPageSize, getRecord, listByIndex, listRecords, putRecord } from '../kernel/state';
import { txTime } from '../kernel/time';
import { parseInput } from '../kernel/validate';
import { membershipTransactions } from './transactions';
import { requireCountyAdmin, rolesOf } from './access';
import { refuseIncompatibleRole } from './segregation';
import { getRevocation, memberCertificate } from './certificates';
import { CertificateRevocation, CertificateRevocations, RoleChange, RoleChanges, RoleGrant, RoleGrants } from './records';

export const MembershipEvents = {
  RoleGranted: 'membership.RoleGranted',
  RoleRevoked: 'membership.RoleRevoked',
  CertificateRevoked: 'membership.CertificateRevoked',
  MemberOffboarded: 'membership.MemberOffboarded',
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
    const input = parseInput(membershipTransactions.grantRole.input, inputJson);
    const admin = await requireCountyAdmin(ctx);
    const previous = await getRecord(ctx, RoleGrants, [admin.mspId, input.member, input.role]);
    if (previous?.active) throw conflict(`${input.member} already holds ${input.role} in ${admin.mspId}`);
    await refuseIncompatibleRole(ctx, admin.mspId, input.member, input.role);
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
    const input = parseInput(membershipTransactions.revokeRole.input, inputJson);
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

  /**
   * A county admin revokes a certificate of its own county (another admin's too): from this
   * transaction on, every transaction the certificate signs is refused (kernel/contract-base.ts).
   * The certificate is named by its SHA-256 fingerprint, computed here from the PEM handed in.
   */
  @Transaction()
  async RevokeCertificate(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(membershipTransactions.revokeCertificate.input, inputJson);
    const admin = await requireCountyAdmin(ctx);
    const certificate = memberCertificate(ctx, admin, input.member, input.certificate);
    if (await getRevocation(ctx, admin.mspId, certificate.sha256)) throw conflict(`the certificate ${certificate.sha256} is already revoked`);
    const revocation = newRevocation(ctx, admin.mspId, admin.member, certificate, input.reason, false);
    await putRecord(ctx, CertificateRevocations, revocation);
    emit(ctx, MembershipEvents.CertificateRevoked, { mspId: admin.mspId, member: input.member, sha256: certificate.sha256, by: admin.member });
    return canonicalJson(revocation);
  }

  /**
   * Offboarding in one transaction: a county admin revokes every active role of a member of its
   * county (at most the seven roles) and the member's certificate. A certificate already revoked
   * stays as it was revoked; with no role left and the certificate revoked there is nothing to do
   * (CONFLICT).
   */
  @Transaction()
  async OffboardMember(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(membershipTransactions.offboardMember.input, inputJson);
    const admin = await requireCountyAdmin(ctx);
    const certificate = memberCertificate(ctx, admin, input.member, input.certificate);
    const already = await getRevocation(ctx, admin.mspId, certificate.sha256);
    const active: RoleGrant[] = [];
    for (const role of ROLES) {
      const grant = await getRecord(ctx, RoleGrants, [admin.mspId, input.member, role]);
      if (grant?.active) active.push(grant);
    }
    if (already && active.length === 0) throw conflict(`${input.member} of ${admin.mspId} holds no role and the certificate is already revoked`);
    const now = txTime(ctx).iso;
    const txId = ctx.stub.getTxID();
    const revokedRoles: RoleGrant[] = [];
    for (const grant of active) {
      const revoked: RoleGrant = { ...grant, active: false, revokedBy: admin.member, revokedAt: now, revokeTxId: txId };
      await putRecord(ctx, RoleGrants, revoked, grant);
      await recordChange(ctx, {
        mspId: admin.mspId,
        member: input.member,
        role: grant.role,
        action: 'revoked',
        by: admin.member,
        at: now,
        txId,
        note: `offboarded: ${input.reason}`.slice(0, 500),
      });
      revokedRoles.push(revoked);
    }
    const revocation = already ?? newRevocation(ctx, admin.mspId, admin.member, certificate, input.reason, true);
    if (!already) await putRecord(ctx, CertificateRevocations, revocation);
    emit(ctx, MembershipEvents.MemberOffboarded, {
      mspId: admin.mspId,
      member: input.member,
      roles: revokedRoles.map((g) => g.role),
      sha256: certificate.sha256,
      by: admin.member,
    });
    return canonicalJson({ mspId: admin.mspId, member: input.member, revokedRoles, certificate: revocation });
  }

  /** A certificate's revocation, by county and fingerprint; NOT_FOUND when it is not revoked. Anyone may read it. */
  @Transaction(false)
  async GetCertificateRevocation(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(membershipTransactions.getCertificateRevocation.input, inputJson);
    const revocation = await getRevocation(ctx, input.mspId, input.sha256);
    if (!revocation) throw notFound(`no revocation of certificate ${input.sha256} in ${input.mspId}`);
    return canonicalJson(revocation);
  }

  /** A county's revoked certificates, by fingerprint, a page at a time. */
  @Transaction(false)
  async ListCertificateRevocations(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(membershipTransactions.listCertificateRevocations.input, inputJson);
    return canonicalJson(await listRecords(ctx, CertificateRevocations, [input.mspId], checkPageSize(input.limit), input.cursor));
  }

  /** A member's current roles; any county can read any county's grants. */
  @Transaction(false)
  async GetMember(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(membershipTransactions.getMember.input, inputJson);
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
    const input = parseInput(membershipTransactions.roleHistory.input, inputJson);
    const page = await listRecords(ctx, RoleChanges, [input.mspId, input.member], checkPageSize(input.limit), input.cursor);
    return canonicalJson(page);
  }

  /** Active holders of a role in a county, a page at a time. */
  @Transaction(false)
  async ListRoleHolders(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(membershipTransactions.listRoleHolders.input, inputJson);
    const page = await listByIndex(ctx, RoleGrants, 'holders', [input.mspId, input.role], checkPageSize(input.limit), input.cursor);
    return canonicalJson(page);
  }
}

async function recordChange(ctx: Context, change: RoleChange): Promise<void> {
  const clean = change.note ? change : { ...change, note: undefined };
  await putRecord(ctx, RoleChanges, clean);
}

function newRevocation(
  ctx: Context,
  mspId: string,
  by: string,
  certificate: { sha256: string; serialNumber: string; member: string },
  reason: string,
  offboarding: boolean,
): CertificateRevocation {
  return {
    mspId,
    sha256: certificate.sha256,
    serialNumber: certificate.serialNumber,
    member: certificate.member,
    reason,
    revokedBy: by,
    revokedAt: txTime(ctx).iso,
    txId: ctx.stub.getTxID(),
    offboarding,
  };
}
