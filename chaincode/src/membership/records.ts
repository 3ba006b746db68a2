import { Role } from '../kernel/schemas';
import { defineRecordType } from '../kernel/state';

/** A role held (or once held) by a member of a county. */
export interface RoleGrant {
  readonly mspId: string;
  readonly member: string;
  readonly role: Role;
  readonly active: boolean;
  readonly grantedBy: string;
  readonly grantedAt: string;
  readonly grantTxId: string;
  readonly revokedBy?: string;
  readonly revokedAt?: string;
  readonly revokeTxId?: string;
  readonly note?: string;
}

export const RoleGrants = defineRecordType<RoleGrant>({
  type: 'role',
  keyArity: 3,
  keyOf: (g) => [g.mspId, g.member, g.role],
  indexes: {
    // Active holders of a role in a county.
    holders: (g) => (g.active ? [g.mspId, g.role] : undefined),
  },
});

/** One grant or revocation, appended and never changed: the queryable grant history. */
export interface RoleChange {
  readonly mspId: string;
  readonly member: string;
  readonly role: Role;
  readonly action: 'granted' | 'revoked';
  readonly by: string;
  readonly at: string;
  readonly txId: string;
  readonly note?: string;
}

export const RoleChanges = defineRecordType<RoleChange>({
  type: 'rolechange',
  keyArity: 4,
  keyOf: (c) => [c.mspId, c.member, c.at, c.txId],
});
