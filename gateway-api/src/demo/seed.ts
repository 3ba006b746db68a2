import { Readable } from 'node:stream';
import { buildCreditCode, Role, tx } from '../../../chaincode/src/public';
import { ApiKeyStore } from '../auth/api-keys';
import { BlobStore } from '../evidence/blob-store';
import { County } from '../identity/counties';
import { Wallet } from '../identity/wallet';
import { submit } from '../ledger/calls';
import { Ledger, LedgerIdentity } from '../ledger/ledger';

/** Demo members of every county and the roles their county admin grants them. */
const DEMO_MEMBERS: ReadonlyArray<{ member: string; roles: Role[] }> = [
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

export interface DemoData {
  readonly keys: DemoKey[];
  /** The demo enterprise of each county, by MSP ID. */
  readonly enterprises: Record<string, string>;
  readonly settledOrderId?: string;
  readonly listedAssetId?: string;
}

/** A valid unified social credit code for a county division and a serial number. */
export function demoCreditCode(division: string, serial: number): string {
  return buildCreditCode('91', division, serial);
}

/**
 * Seeds an empty ledger: members of every county with their roles, an enterprise per
 * county with green access and its merchant bound, and in the first two counties a
 * settled cross-region sale plus a product still listed, so the whole flow can be seen.
 */
export async function seedDemo(ledger: Ledger, wallet: Wallet, keys: ApiKeyStore, counties: readonly County[], blobs: BlobStore): Promise<DemoData> {
  const out: DemoKey[] = [];
  const enterprises: Record<string, string> = {};
  const who = (mspId: string, member: string): LedgerIdentity => wallet.ledgerIdentity(mspId, member);
  for (const county of counties) {
    await wallet.issue(county.mspId, 'admin', 'admin');
    out.push({ mspId: county.mspId, member: 'admin', roles: ['county-admin'], apiKey: (await keys.create(county.mspId, 'admin')).apiKey });
    await submit(ledger, who(county.mspId, 'admin'), tx.counties.register, { name: county.name, division: county.division });
    for (const { member, roles } of DEMO_MEMBERS) {
      await wallet.issue(county.mspId, member, 'client');
      for (const role of roles) await submit(ledger, who(county.mspId, 'admin'), tx.membership.grantRole, { member, role, note: 'demo seed' });
      out.push({ mspId: county.mspId, member, roles, apiKey: (await keys.create(county.mspId, member)).apiKey });
    }
    const code = demoCreditCode(county.division, 1);
    enterprises[county.mspId] = code;
    const regulator = who(county.mspId, 'regulator');
    await submit(ledger, regulator, tx.subjects.registerEnterprise, { creditCode: code, name: `${county.name} Eco Cooperative` });
    await submit(ledger, regulator, tx.subjects.setAccess, { subjectId: code, status: 'green', evidenceRefs: ['demo-access-decision'] });
    await submit(ledger, regulator, tx.subjects.bindMerchant, { subjectId: code, member: 'merchant' });
  }
  const [a, b] = counties;
  const seller = a && enterprises[a.mspId];
  const buyer = b && enterprises[b.mspId];
  if (!a || !b || !seller || !buyer) return { keys: out, enterprises };

  // County A lists two eco products with an anchored soil test; county B buys the first.
  const sellerMerchant = who(a.mspId, 'merchant');
  const soil = Buffer.from(`Soil test report, ${a.name}: heavy metals below GB 15618 limits.\n`);
  const stored = await blobs.put(Readable.from([soil]), 1024 * 1024);
  await submit(ledger, sellerMerchant, tx.evidence.anchor, {
    sha256: stored.sha256,
    sm3: stored.sm3,
    sizeBytes: stored.sizeBytes,
    mediaType: 'text/plain',
    description: 'demo soil test',
  });
  const certifications = [{ kind: 'soil-test' as const, sha256: stored.sha256 }];
  const honey = await submit(ledger, sellerMerchant, tx.market.registerAsset, {
    ownerSubjectId: seller,
    kind: 'eco-product',
    title: 'Wild mountain honey, 50 jars',
    category: 'honey',
    costFen: 100_000,
    priceFen: 150_000,
    certifications,
  });
  const oil = await submit(ledger, sellerMerchant, tx.market.registerAsset, {
    ownerSubjectId: seller,
    kind: 'eco-product',
    title: 'Cold-pressed walnut oil, 20 bottles',
    category: 'walnut-oil',
    costFen: 40_000,
    priceFen: 60_000,
    certifications,
  });
  const order = await submit(ledger, who(b.mspId, 'merchant'), tx.market.placeOrder, {
    assetId: honey.result.id,
    buyerSubjectId: buyer,
    depositFen: 30_000,
    depositPaymentRef: 'DEMO-DEPOSIT-1',
  });
  await submit(ledger, who(b.mspId, 'verifier'), tx.market.recordVerification, { orderId: order.result.id, result: 'pass', evidenceRefs: ['demo-site-visit'] });
  await submit(ledger, who(b.mspId, 'merchant'), tx.market.settleOrder, { orderId: order.result.id, paymentRef: 'DEMO-BALANCE-1' });
  return { keys: out, enterprises, settledOrderId: order.result.id, listedAssetId: oil.result.id };
}
