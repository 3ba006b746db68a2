import { Context } from 'fabric-contract-api';
import { ruleViolation } from '../kernel/errors';
import { Role } from '../kernel/schemas';
import { getRecord } from '../kernel/state';
import { RoleGrants } from './records';

/**
 * Segregation of duties: a merchant acts for market subjects, so it never holds a public-authority
 * role at the same time (it could otherwise verify, clear or approve its own deals).
 */
export const PUBLIC_AUTHORITY_ROLES: readonly Role[] = ['regulator', 'enforcement', 'verifier', 'auditor', 'finance'];

/** The roles a member may not hold together with `role`. */
export function rolesIncompatibleWith(role: Role): readonly Role[] {
  if (role === 'merchant') return PUBLIC_AUTHORITY_ROLES;
  if (PUBLIC_AUTHORITY_ROLES.includes(role)) return ['merchant'];
  return [];
}

/** RULE_VIOLATION when the member already holds a role that may not be held together with `role`. */
export async function refuseIncompatibleRole(ctx: Context, mspId: string, member: string, role: Role): Promise<void> {
  for (const other of rolesIncompatibleWith(role)) {
    const grant = await getRecord(ctx, RoleGrants, [mspId, member, other]);
    if (grant?.active) {
      throw ruleViolation(`${member} of ${mspId} holds ${other}; ${role} and ${other} may not be held together (segregation of duties)`);
    }
  }
}
