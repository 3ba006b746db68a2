import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { FENGXIAN, HUIXIAN } from '../support/ledger-fixture';
import { INDEX_LAG_MS } from '../../chaincode/src/market/risk';
import { listEco, MarketCast, marketCast, order, settle, useClock, verify, Who, World } from '../support/market-world';

describe('chaincode: Market:ListCategoryIndexes (the public price indexes)', () => {
  let w: World;
  let c: MarketCast;
  let reader: Who;
  let lag: ReturnType<typeof useClock>;

  before(async () => {
    lag = useClock();
    w = await World.open();
    c = await marketCast(w);
    reader = await w.id(FENGXIAN, 'public-reader');
    for (const [category, priceFen] of [
      ['tea', 140_000],
      ['honey', 130_000],
      ['honey', 150_000],
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
    await w.cleanup();
    lag.restore();
  });

  it('answers every category index in category order, a bounded page at a time, to anyone (a member without a role too)', async () => {
    const first = await w.evaluate(reader, tx.market.listCategoryIndexes, { limit: 1 });
    expect(first.items).to.have.length(1);
    expect(first.items[0]).to.include({ category: 'honey', indexFen: 140_000 });
    expect(first.items[0].recentPricesFen).to.deep.equal([130_000, 150_000]);
    expect(first.nextCursor).to.be.a('string');
    const second = await w.evaluate(reader, tx.market.listCategoryIndexes, { limit: 1, cursor: first.nextCursor });
    expect(second.items.map((i: { category: string }) => i.category)).to.deep.equal(['tea']);
    expect(second.items[0]).to.deep.include({ indexFen: 140_000, recentPricesFen: [140_000] });
    expect(second, 'the last page').to.not.have.property('nextCursor');
    // One page of everything, and the same records GetCategoryIndex answers.
    const all = await w.evaluate(await w.id(HUIXIAN, 'nobody'), tx.market.listCategoryIndexes, {});
    expect(all.items.map((i: { category: string }) => i.category)).to.deep.equal(['honey', 'tea']);
    // (asOf is each query's own time.)
    const { asOf: _a, ...listed } = all.items[0];
    const { asOf: _b, ...got } = await w.evaluate(reader, tx.market.getCategoryIndex, { category: 'honey' });
    expect(listed).to.deep.equal(got);
  });

  it('refuses a bad page request with INVALID_ARGUMENT and writes nothing', async () => {
    for (const bad of [{ limit: 0 }, { limit: 201 }, { limit: 1.5 }, { cursor: 'not a cursor!' }, { category: 'honey' }]) {
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(reader, tx.market.listCategoryIndexes, bad));
    }
  });
});
