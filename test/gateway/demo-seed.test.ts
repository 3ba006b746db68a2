import { tx } from '../../chaincode/src/catalogue';
import path from 'node:path';
import { expect } from 'chai';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { seedDemo } from '../../gateway-api/src/demo/seed';
import { BlobStore } from '../../gateway-api/src/evidence/blob-store';
import { DEFAULT_COUNTIES } from '../../gateway-api/src/identity/counties';
import { json, LedgerFixture, openLedgerFixture } from '../support/ledger-fixture';

describe('npm start demo seed', () => {
  let f: LedgerFixture;
  before(async () => {
    f = await openLedgerFixture();
  });
  after(async () => f.cleanup());

  it('seeds members with working keys, enterprises with green access, a settled cross-region sale and a listed product', async () => {
    const keys = await ApiKeyStore.open(path.join(f.dir, 'keys.json'));
    const demo = await seedDemo(f.ledger, f.wallet, keys, DEFAULT_COUNTIES, new BlobStore(path.join(f.dir, 'blobs')));
    expect(demo.keys).to.have.length(DEFAULT_COUNTIES.length * 7);
    for (const k of demo.keys) expect(keys.authenticate(k.apiKey)).to.include({ mspId: k.mspId, member: k.member });
    const auditor = f.wallet.ledgerIdentity('LiangdangMSP', 'auditor');
    for (const code of Object.values(demo.enterprises)) {
      const subject = json(await f.ledger.evaluate(auditor, { name: tx.subjects.getSubject.qualifiedName, args: [JSON.stringify({ subjectId: code })] }));
      expect(JSON.stringify(subject)).to.contain('green');
    }
    const order = json(await f.ledger.evaluate(auditor, { name: tx.market.getOrder.qualifiedName, args: [JSON.stringify({ orderId: demo.settledOrderId })] }));
    expect(order).to.include({ status: 'settled', crossRegion: true });
    const asset = json(await f.ledger.evaluate(auditor, { name: tx.market.getAsset.qualifiedName, args: [JSON.stringify({ assetId: demo.listedAssetId })] }));
    expect(JSON.stringify(asset)).to.contain('walnut-oil');
    expect((await f.ledger.verifyChain()).ok).to.equal(true);
  });
});
