import { expect } from 'chai';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { INDEX_LAG_MS } from '../../chaincode/src/market/risk';
import { listEco, marketCast, order, settle, useClock, verify, World } from '../support/market-world';

describe('gateway /api/v1/public/counties and /public/price-indexes (the web portal’s disclosure)', () => {
  let f: AppFixture;
  let lag: ReturnType<typeof useClock>;

  before(async () => {
    lag = useClock();
    f = await openAppFixture();
    const c = await marketCast(World.over(f.ledger));
    for (const [category, priceFen] of [
      ['walnut-oil', 160_000],
      ['honey', 130_000],
    ] as const) {
      const asset = await listEco(c, { category, priceFen });
      const o = await order(c, asset.id, 10_000);
      await verify(c, o.id);
      await settle(c, o.id);
    }
    // A settled price counts for its category's index INDEX_LAG_MS after the settlement.
    lag.advanceMs(INDEX_LAG_MS);
  });
  after(async () => {
    await f.close();
    lag.restore();
  });

  it('/public/counties names every registered county without a key, and no member', async () => {
    const res = await f.request('GET', '/api/v1/public/counties');
    expect(res.statusCode, res.body).to.equal(200);
    const items = res.json().items;
    expect(items.map((i: { mspId: string }) => i.mspId)).to.deep.equal([FENGXIAN, HUIXIAN, LIANGDANG]);
    expect(items.find((i: { mspId: string }) => i.mspId === LIANGDANG)).to.include({ division: '621228' });
    for (const item of items) expect(item).to.have.all.keys('mspId', 'name', 'division', ...(item.chineseName ? ['chineseName'] : []));
    expect(res.body).to.not.match(/registeredBy|registerTxId|admin-/);
  });

  it('/public/price-indexes answers each category’s index a page at a time without a key; a bad page is 400', async () => {
    const first = await f.request('GET', '/api/v1/public/price-indexes?limit=1');
    expect(first.statusCode, first.body).to.equal(200);
    expect(first.json().items).to.have.length(1);
    expect(first.json().items[0]).to.deep.include({ category: 'honey', indexFen: 130_000, recentPricesFen: [130_000] });
    const second = await f.request('GET', `/api/v1/public/price-indexes?limit=1&cursor=${first.json().nextCursor}`);
    expect(second.json().items.map((i: { category: string }) => i.category)).to.deep.equal(['walnut-oil']);
    expect(second.json().items[0]).to.include({ indexFen: 160_000 });
    expect(JSON.stringify(second.json())).to.not.match(/m-seller|m-buyer|9\d{17}/);
    for (const bad of ['limit=0', 'limit=500', 'limit=x', 'cursor=%20%21']) {
      const res = await f.request('GET', `/api/v1/public/price-indexes?${bad}`);
      expect(res.statusCode, bad).to.equal(400);
      expect(res.json().code, bad).to.equal('INVALID_ARGUMENT');
    }
  });

  it('both are in the OpenAPI document as public (no security) and share the /public rate limit', async () => {
    const doc = (await f.request('GET', '/openapi.json')).json();
    for (const p of ['/api/v1/public/counties', '/api/v1/public/price-indexes']) {
      expect(doc.paths, p).to.have.property(p);
      expect(doc.paths[p].get.security, p).to.deep.equal([]);
    }
    let last = await f.request('GET', '/api/v1/public/counties');
    for (let i = 0; i < 40 && last.statusCode !== 429; i++) last = await f.request('GET', '/api/v1/public/price-indexes');
    expect(last.statusCode).to.equal(429);
    expect(last.json().code).to.equal('RATE_LIMITED');
    expect((await f.request('GET', '/api/v1/public/counties')).statusCode).to.equal(429);
  });
});
