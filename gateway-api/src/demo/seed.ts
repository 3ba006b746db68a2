import { ApiKeyStore } from '../auth/api-keys';
import { Wallet } from '../identity/wallet';
import { County } from '../identity/counties';
import { submitJson } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';

/** Demo members of every county and the roles their county admin grants them. */
const DEMO_MEMBERS: ReadonlyArray<{ member: string; roles: string[] }> = [
  { member: 'regulator', roles: ['regulator'] },
  { member: 'enforcement', roles: ['enforcement'] },
  { member: 'verifier', roles: ['verifier'] },
  { member: 'auditor', roles: ['auditor'] },
  { member: 'finance', roles: ['finance'] },
  { member: 'merchant', roles: ['merchant'] },
];

export interface DemoKey {
  readonly mspId: string;
  readonly member: string;
  readonly roles: readonly string[];
  readonly apiKey: string;
}

/** Seeds demo members for each county on an empty ledger and returns their API keys (shown once). */
export async function seedDemo(ledger: Ledger, wallet: Wallet, keys: ApiKeyStore, counties: readonly County[]): Promise<DemoKey[]> {
  const out: DemoKey[] = [];
  for (const county of counties) {
    await wallet.issue(county.mspId, 'admin', 'admin');
    out.push({ mspId: county.mspId, member: 'admin', roles: ['county-admin'], apiKey: (await keys.create(county.mspId, 'admin')).apiKey });
    const admin = wallet.ledgerIdentity(county.mspId, 'admin');
    for (const { member, roles } of DEMO_MEMBERS) {
      await wallet.issue(county.mspId, member, 'client');
      for (const role of roles) await submitJson(ledger, admin, 'Membership:GrantRole', { member, role, note: 'demo seed' });
      out.push({ mspId: county.mspId, member, roles, apiKey: (await keys.create(county.mspId, member)).apiKey });
    }
  }
  return out;
}
