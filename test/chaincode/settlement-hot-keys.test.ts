import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { MAX_SUMMED_ENTRIES } from '../../chaincode/src/kernel/summed-entries';
import { addDays } from '../../chaincode/src/kernel/time';
import { answerOf } from '../../gateway-api/src/ledger/calls';
import { LedgerError } from '../../gateway-api/src/ledger/errors';
import { probe } from '../support/probe';
import { ProbeContract } from '../support/probe-contract';
import { registerCounties, today, trader, Trader } from '../support/fund-world';
import { FENGXIAN, HUIXIAN, LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';
import { INDEX_LAG_MS } from '../../chaincode/src/market/risk';
import { useClock, Who, World } from '../support/market-world';

/** The composite key the chaincode stores a record under (fabric-shim's createCompositeKey). */
const compositeKey = (type: string, attrs: string[]) => `\u0000${type}\u0000${attrs.map((a) => `${a}\u0000`).join('')}`;

/**
 * Settlements used to read and rewrite one running total per origin county and day (fundvolume)
 * and per county pair and day (taxday), so settlements endorsed together invalidated each other
 * (MVCC_READ_CONFLICT) and were re-run. Now each writes its own entries, summed on read.
 */
describe('chaincode: concurrent settlements and the day totals (hot keys)', function () {
  this.timeout(120_000);
  let w: World;
  let verifier: Who;
  const sellers: Trader[] = [];
  const buyers: Trader[] = [];

  before(async () => {
    w = World.over(await openLedgerFixture({ extraContracts: [ProbeContract] }));
    await registerCounties(w);
    const regL = await w.member(LIANGDANG, 'reg-l', 'regulator');
    const regH = await w.member(HUIXIAN, 'reg-h', 'regulator');
    verifier = await w.member(FENGXIAN, 'verifier-f', 'verifier');
    for (let i = 0; i < 12; i++) {
      sellers.push(await trader(w, LIANGDANG, regL));
      buyers.push(await trader(w, HUIXIAN, regH));
    }
  });
  after(async () => w.cleanup());

  /** Verified orders, one per seller–buyer pair from `from`, ready to settle; `category(i)` of each asset; `buyer(i)` buys (default: buyers[i]). */
  async function verifiedOrders(
    from: number,
    n: number,
    category: (i: number) => string,
    priceFen: (i: number) => number,
    buyerOf: (i: number) => Trader = (i) => buyers[i] as Trader,
  ): Promise<any[]> {
    const orders = [];
    for (let i = from; i < from + n; i++) {
      const seller = sellers[i] as Trader;
      const buyer = buyerOf(i);
      const asset = await w.submit(seller.merchant, tx.market.registerAsset, {
        ownerSubjectId: seller.subject,
        kind: 'eco-product',
        title: `goods ${i}`,
        category: category(i),
        costFen: 50_000,
        priceFen: priceFen(i),
        certifications: [{ kind: 'soil-test', sha256: seller.certSha }],
      });
      const o = await w.submit(buyer.merchant, tx.market.placeOrder, {
        assetId: asset.id,
        buyerSubjectId: buyer.subject,
        depositFen: 10_000,
        depositPaymentRef: `pay:dep-${i}`,
      });
      await w.submit(verifier, tx.market.recordVerification, { orderId: o.id, result: 'pass', evidenceRefs: ['doc:inspection'] });
      orders.push({ ...o, buyer });
    }
    return orders;
  }

  /** Settles every order at once; answers the read conflicts the ledger met and re-ran. */
  async function settleTogether(orders: any[]): Promise<number> {
    const results = await Promise.all(
      orders.map((o) =>
        w.f.ledger.submit(o.buyer.merchant, {
          name: tx.market.settleOrder.qualifiedName,
          args: [JSON.stringify({ orderId: o.id, paymentRef: `pay:bal-${o.id}` })],
        }),
      ),
    );
    for (const r of results) expect(answerOf(tx.market.settleOrder, r.payload).status).to.equal('settled');
    return results.reduce((sum, r) => sum + (r.readConflicts ?? 0), 0);
  }

  it('six settlements of the same origin county, pair of counties and day, endorsed together: no read conflict; the day totals are exact', async () => {
    const day = today();
    const before = await w.evaluate(buyers[0]!.merchant, tx.fund.tradeVolume, { county: LIANGDANG, periodFrom: day, periodTo: day });
    const beforeTax = await w.evaluate(buyers[0]!.merchant, tx.tax.statement, { countyA: LIANGDANG, countyB: HUIXIAN, from: day, to: day });
    // Each its own category and its own pair of subjects.
    const orders = await verifiedOrders(
      0,
      6,
      (i) => `hot-key-${i}`,
      (i) => 100_000 + i * 1_000,
    );
    expect(await settleTogether(orders), 'read conflicts among the six').to.equal(0);
    const added = orders.reduce((s, o) => s + o.priceFen, 0);
    const volume = await w.evaluate(buyers[0]!.merchant, tx.fund.tradeVolume, { county: LIANGDANG, periodFrom: day, periodTo: day });
    expect(volume).to.deep.include({ volumeFen: String(BigInt(before.volumeFen) + BigInt(added)), trades: before.trades + 6 });
    const statement = await w.evaluate(buyers[0]!.merchant, tx.tax.statement, { countyA: LIANGDANG, countyB: HUIXIAN, from: day, to: day });
    // The default 3%, all to the origin county, Liangdang: countyB of the pair (counties in byte order).
    expect(statement).to.include({ countyA: HUIXIAN, countyB: LIANGDANG });
    const tax = orders.reduce((s, o) => s + Math.floor((o.priceFen * 300) / 10_000), 0);
    expect(statement).to.include({
      trades: beforeTax.trades + 6,
      priceFen: String(BigInt(beforeTax.priceFen) + BigInt(added)),
      taxFen: String(BigInt(beforeTax.taxFen) + BigInt(tax)),
      shareAFen: beforeTax.shareAFen,
      shareBFen: String(BigInt(beforeTax.shareBFen) + BigInt(tax)),
    });
    expect(statement.days).to.have.length(1);
  });

  it('six settlements of one category and one buyer endorsed together, with a fulfilment of that buyer recorded by hand: no read conflict (no shared index or credit file is read or written)', async () => {
    const buyer = buyers[6] as Trader;
    // The category's earlier prices (settled more than INDEX_LAG_MS ago, as far as the index is concerned) are read by every settlement.
    const clock = useClock();
    try {
      const earlier = await verifiedOrders(
        6,
        1,
        () => 'honey-shared',
        () => 120_000,
      );
      await settleTogether(earlier);
      clock.advanceMs(INDEX_LAG_MS);
      const orders = await verifiedOrders(
        7,
        5,
        () => 'honey-shared',
        (i) => 120_000 + i,
        () => buyer,
      );
      const reg = await w.member(FENGXIAN, 'reg-hot', 'regulator');
      const fileBefore = await w.evaluate(reg, tx.credit.getCreditFile, { subjectId: buyer.subject });
      const [conflicts, manual] = await Promise.all([
        settleTogether(orders),
        w.f.ledger.submit(reg, {
          name: tx.credit.recordEvent.qualifiedName,
          args: [JSON.stringify({ subjectId: buyer.subject, kind: 'fulfilment', summary: 'contract fulfilled', evidenceRefs: ['doc:f'] })],
        }),
      ]);
      expect(conflicts, 'read conflicts among the settlements').to.equal(0);
      expect(manual.readConflicts ?? 0, 'read conflicts of the fulfilment recorded by hand').to.equal(0);
      // Every fulfilment counts: the buyer's five settlements and the one by hand.
      const file = await w.evaluate(reg, tx.credit.getCreditFile, { subjectId: buyer.subject });
      expect(file.window.fulfilments).to.equal(fileBefore.window.fulfilments + 6);
      expect(file.creditClass).to.equal('A');
      const events = await w.evaluate(reg, tx.credit.listEvents, { subjectId: buyer.subject });
      expect(events.items.filter((e: any) => e.kind === 'fulfilment')).to.have.length(fileBefore.window.fulfilments + 6);
      // The index: the earlier price only, until INDEX_LAG_MS after the five.
      expect(await w.evaluate(reg, tx.market.getCategoryIndex, { category: 'honey-shared' })).to.deep.include({ recentPricesFen: [120_000] });
      clock.advanceMs(INDEX_LAG_MS);
      const index = await w.evaluate(reg, tx.market.getCategoryIndex, { category: 'honey-shared' });
      expect(index.recentPricesFen).to.have.length(6);
      expect(index.recentPricesFen[0]).to.equal(120_000);
      expect([...index.recentPricesFen.slice(1)].sort()).to.deep.equal([120_007, 120_008, 120_009, 120_010, 120_011]);
      expect(index.indexFen).to.equal(Math.floor((120_000 + 120_007 + 120_008 + 120_009 + 120_010 + 120_011) / 6));
    } finally {
      clock.restore();
    }
  });

  describe(`a day total of more than MAX_SUMMED_ENTRIES (${MAX_SUMMED_ENTRIES}) entries is refused, not summed in part`, () => {
    const yesterday = addDays(today(), -1);
    before(async function () {
      this.timeout(300_000);
      const admin = await w.admin(LIANGDANG);
      const batch = 10_001;
      for (let from = 0; from <= MAX_SUMMED_ENTRIES; from += batch) {
        const pairs: Array<[string, string]> = [];
        for (let i = from; i < Math.min(from + batch, MAX_SUMMED_ENTRIES + 1); i++) {
          const orderId = `o-${String(i).padStart(6, '0')}`;
          pairs.push([
            compositeKey('fundvolumeentry', [FENGXIAN, yesterday, orderId]),
            JSON.stringify({ county: FENGXIAN, date: yesterday, orderId, priceFen: 1 }),
          ]);
        }
        await w.f.ledger.submit(admin, probe('PutMany', JSON.stringify(pairs)));
      }
    });

    it('TradeVolume answers CONFLICT (ask for a shorter period)', async () => {
      let caught: unknown;
      try {
        await w.evaluate(buyers[0]!.merchant, tx.fund.tradeVolume, { county: FENGXIAN, periodFrom: yesterday, periodTo: yesterday });
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(LedgerError);
      expect((caught as LedgerError).code).to.equal('CONFLICT');
      expect((caught as LedgerError).message).to.match(/more than 50000 trade-volume entries/);
    });

    it('a round over that day is refused with CONFLICT; nothing is written', async () => {
      const fin = await w.member(FENGXIAN, 'fin-hot', 'finance');
      await w.submit(fin, tx.fund.recordContribution, { amountFen: 1_000_000, paymentRef: 'treasury:hot-1' });
      await w.expectRefused(
        'CONFLICT',
        () =>
          w.submit(fin, tx.fund.proposeRound, {
            periodFrom: yesterday,
            periodTo: yesterday,
            poolFen: 1000,
            metrics: [{ metric: 'trade-volume', weightBp: 10_000 }],
          }),
        /trade-volume entries to sum in one transaction/,
      );
    });
  });
});
