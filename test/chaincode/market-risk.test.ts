import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { addDays, cstDate } from '../../chaincode/src/kernel/time';
import { MarketEvents } from '../../chaincode/src/market/market-contract';
import { INDEX_LAG_MS, deviatesBeyond, deviationBpRoundedUp } from '../../chaincode/src/market/risk';
import { FENGXIAN, LIANGDANG } from '../support/ledger-fixture';
import { listEco, MarketCast, marketCast, order, settle, useClock, verify, Who, World } from '../support/market-world';
import { adoptParameters } from '../support/parameters-world';

describe('chaincode: market risk rules, exact and complete (异常交易预警)', () => {
  describe('the deviation rule compares exactly: |p − i| × 10000 > limit × i', () => {
    it('at index 20000 fen and a 50% limit: 30001 (50.005%) and 9999 deviate, 30000 and 10000 (exactly 50%) do not', () => {
      expect(deviatesBeyond(30_001, 20_000, 5000)).to.equal(true);
      expect(deviatesBeyond(30_000, 20_000, 5000)).to.equal(false);
      expect(deviatesBeyond(9_999, 20_000, 5000)).to.equal(true);
      expect(deviatesBeyond(10_000, 20_000, 5000)).to.equal(false);
      expect(deviatesBeyond(20_000, 20_000, 1)).to.equal(false);
      // beyond the safe range of a double product: still exact
      expect(deviatesBeyond(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1, 1)).to.equal(false);
      expect(deviatesBeyond(Number.MAX_SAFE_INTEGER, 1, 1_000_000)).to.equal(true);
    });

    it('the reported deviation is rounded up, so it exceeds the limit exactly when the rule fires', () => {
      expect(deviationBpRoundedUp(30_001, 20_000)).to.equal(5001);
      expect(deviationBpRoundedUp(30_000, 20_000)).to.equal(5000);
      expect(deviationBpRoundedUp(160_000, 130_000)).to.equal(2308);
      for (const price of [29_990, 29_999, 30_000, 30_001, 30_002, 10_000, 9_999, 12_345]) {
        for (const limit of [4999, 5000, 5001]) {
          expect(deviationBpRoundedUp(price, 20_000) > limit, `${price} / ${limit}`).to.equal(deviatesBeyond(price, 20_000, limit));
        }
      }
    });
  });

  describe('on the ledger', () => {
    let w: World;
    let c: MarketCast;
    let reader: Who;
    // A settled price counts for its category's index INDEX_LAG_MS after the settlement: the clock moves on.
    let lag: ReturnType<typeof useClock>;

    beforeEach(async () => {
      lag = useClock();
      w = await World.open();
      c = await marketCast(w);
      reader = await w.id(FENGXIAN, 'public-reader');
    });
    afterEach(async () => {
      await w.cleanup();
      lag.restore();
    });

    /** Lists, orders, verifies and settles, then lets INDEX_LAG_MS pass; answers the settled order. */
    async function sale(priceFen: number, costFen = 5000): Promise<any> {
      const asset = await listEco(c, { priceFen, costFen });
      const o = await order(c, asset.id, 1000);
      await verify(c, o.id);
      const settled = await settle(c, o.id);
      lag.advanceMs(INDEX_LAG_MS);
      return settled;
    }
    const alertOf = async (o: { alertId: string }) => w.evaluate(reader, tx.market.getAlert, { alertId: o.alertId });

    it('with index 20000 and a 50% limit, an order at 30001 is suspended and one at 30000 is not', async () => {
      await adoptParameters(w, c.regA, c.regB, { indexWindow: 1, indexMinSamples: 1, priceDeviationBp: 5000, pairTradeLimit: 100 });
      expect((await sale(20_000)).status).to.equal('settled');
      expect(await w.evaluate(reader, tx.market.getCategoryIndex, { category: 'honey' })).to.include({ indexFen: 20_000 });
      expect((await order(c, (await listEco(c, { priceFen: 30_000, costFen: 5000 })).id, 1000)).status).to.equal('ordered');
      expect((await order(c, (await listEco(c, { priceFen: 10_000, costFen: 5000 })).id, 1000)).status).to.equal('ordered');
      const over = await order(c, (await listEco(c, { priceFen: 30_001, costFen: 5000 })).id, 1000);
      expect(over.status).to.equal('suspended');
      const alert = await alertOf(over);
      expect(alert).to.include({ stage: 'order', status: 'open' });
      expect(alert.reasons).to.deep.equal([{ rule: 'price-deviation', priceFen: 30_001, indexFen: 20_000, deviationBp: 5001, limitBp: 5000 }]);
    });

    it('N+1 open orders between a pair placed before any settles raise the pair alert; a cancelled order no longer counts', async () => {
      // defaults: pairTradeLimit 3
      const placed = [];
      for (let i = 0; i < 3; i++) placed.push(await order(c, (await listEco(c)).id));
      expect(placed.map((o) => o.status)).to.deep.equal(['ordered', 'ordered', 'ordered']);
      const fourth = await w.submitTx(c.buyerMerchant, tx.market.placeOrder, {
        assetId: (await listEco(c)).id,
        buyerSubjectId: c.buyer,
        depositFen: 10_000,
        depositPaymentRef: 'pay:4',
      });
      expect(fourth.result.status).to.equal('suspended');
      expect(fourth.event?.name).to.equal(MarketEvents.OrderSuspended);
      expect(fourth.event?.payload).to.include({ stage: 'order' });
      expect((await alertOf(fourth.result)).reasons).to.deep.equal([{ rule: 'pair-frequency', openOrders: 4, settledInWindow: 0, limit: 3, windowHours: 24 }]);

      // the other direction is the same pair
      const land = await w.submit(c.buyerMerchant, tx.market.registerAsset, {
        ownerSubjectId: c.buyer,
        kind: 'rural-resource',
        title: 'Orchard lease',
        category: 'orchard-lease',
        costFen: 1,
        priceFen: 50_000,
      });
      const reverse = await order(c, land.id, 1000, c.sellerMerchant, c.seller);
      expect((await alertOf(reverse)).reasons[0]).to.include({ rule: 'pair-frequency', openOrders: 5 });

      // rejected alerts and a cancellation close three orders: two open remain, a third may be placed
      for (const o of [fourth.result, reverse])
        await w.submit(c.regA, tx.market.resolveAlert, { alertId: o.alertId, decision: 'reject', note: 'wash trading' });
      await w.submit(c.buyerMerchant, tx.market.cancelOrder, { orderId: placed[0].id, reason: 'changed my mind' });
      expect((await order(c, (await listEco(c)).id)).status).to.equal('ordered');
      expect((await order(c, (await listEco(c)).id)).status).to.equal('suspended');
    });

    it('the rule reads the index of prices settled INDEX_LAG_MS or more ago: a price settled since does not count yet', async () => {
      await adoptParameters(w, c.regA, c.regB, { indexWindow: 1, indexMinSamples: 1, priceDeviationBp: 2000, pairTradeLimit: 100 });
      await sale(130_000, 100_000);
      // Settled just now, not yet past the lag.
      const asset = await listEco(c, { priceFen: 110_000, costFen: 80_000 });
      const recent = await order(c, asset.id, 1000);
      await verify(c, recent.id);
      await settle(c, recent.id);
      // 150000 is 1539 bp from 130000 (in force) but 3637 bp from 110000 (settled within the lag).
      expect((await order(c, (await listEco(c, { priceFen: 150_000 })).id, 1000)).status).to.equal('ordered');
      lag.advanceMs(INDEX_LAG_MS);
      const o = await order(c, (await listEco(c, { priceFen: 150_000 })).id, 1000);
      expect(o.status).to.equal('suspended');
      expect((await alertOf(o)).reasons).to.deep.equal([{ rule: 'price-deviation', priceFen: 150_000, indexFen: 110_000, deviationBp: 3637, limitBp: 2000 }]);
    });

    describe('the rules run again at settlement', () => {
      it('an order placed when fine, then the index moved: the settlement suspends it (from verified) and settles nothing', async () => {
        await adoptParameters(w, c.regA, c.regB, { indexWindow: 1, indexMinSamples: 1, priceDeviationBp: 2000, pairTradeLimit: 100 });
        await sale(130_000, 100_000);
        const asset = await listEco(c, { priceFen: 150_000 });
        const o = await order(c, asset.id, 1000);
        expect(o.status).to.equal('ordered'); // 1539 bp from 130000
        await verify(c, o.id);
        await sale(110_000, 80_000); // within the limit of the index; the index moves to 110000, and 150000 is 3637 bp off

        const stateBefore = await w.evaluate(reader, tx.market.getAsset, { assetId: asset.id });
        const attempt = await w.submitTx(c.buyerMerchant, tx.market.settleOrder, { orderId: o.id, paymentRef: 'pay:bal-1' });
        expect(attempt.event?.name).to.equal(MarketEvents.OrderSuspended);
        expect(attempt.event?.payload).to.include({ orderId: o.id, stage: 'settlement' });
        expect(attempt.result).to.include({ status: 'suspended', suspendedFrom: 'verified', alertId: `al-${attempt.txId.slice(0, 32)}` });
        expect(attempt.result).to.not.have.property('settlement');
        const alert = await alertOf(attempt.result);
        expect(alert).to.include({ stage: 'settlement', status: 'open', orderId: o.id });
        expect(alert.reasons).to.deep.equal([{ rule: 'price-deviation', priceFen: 150_000, indexFen: 110_000, deviationBp: 3637, limitBp: 2000 }]);
        // nothing of the settlement happened: the asset is still the seller's, reserved for the order
        expect(await w.evaluate(reader, tx.market.getAsset, { assetId: asset.id })).to.deep.equal(stateBefore);
        expect(await w.evaluate(reader, tx.market.getCategoryIndex, { category: 'honey' })).to.deep.include({ indexFen: 110_000, recentPricesFen: [110_000] });

        await w.expectRefused('RULE_VIOLATION', () => settle(c, o.id), 'suspended');
        await w.expectRefused('RULE_VIOLATION', () => w.submit(c.sellerMerchant, tx.market.cancelOrder, { orderId: o.id, reason: 'late' }), 'suspended');

        // cleared: back to verified with a fresh balance deadline; the clearance covers the order, it settles
        const cleared = await w.submit(c.regB, tx.market.resolveAlert, { alertId: alert.id, decision: 'clear', note: 'price agreed before the index fell' });
        expect(cleared.order).to.include({ status: 'verified', riskClearedAlertId: alert.id });
        expect(cleared.order).to.not.have.property('suspendedFrom');
        expect(cleared.order.payBy).to.equal(addDays(cstDate(Date.parse(cleared.alert.resolvedAt)), 3));
        const settled = await settle(c, o.id);
        expect(settled.status).to.equal('settled');
        expect((await w.evaluate(reader, tx.market.getAsset, { assetId: asset.id })).ownerSubjectId).to.equal(c.buyer);
      });

      it('with the parameters in force then: a pair limit lowered by a majority suspends the settlement; a rejection cancels with no fault', async () => {
        const first = await order(c, (await listEco(c)).id);
        const second = await order(c, (await listEco(c)).id);
        await verify(c, first.id);
        await adoptParameters(w, c.regA, c.regB, { pairTradeLimit: 1 });
        const attempt = await settle(c, first.id);
        expect(attempt.status).to.equal('suspended');
        expect((await alertOf(attempt)).reasons).to.deep.equal([{ rule: 'pair-frequency', openOrders: 2, settledInWindow: 0, limit: 1, windowHours: 24 }]);
        const rejected = await w.submit(c.regA, tx.market.resolveAlert, {
          alertId: attempt.alertId,
          decision: 'reject',
          note: 'too many orders between the pair',
        });
        expect(rejected.order.status).to.equal('cancelled');
        expect(rejected.order.cancellation).to.include({ faultParty: 'none', refundToBuyerFen: 10_000, forfeitedToSellerFen: 0 });
        // one open order left, within the limit: it settles
        await verify(c, second.id);
        expect((await settle(c, second.id)).status).to.equal('settled');
      });

      it('an order whose alert a regulator cleared at ordering is not checked again at settlement', async () => {
        await adoptParameters(w, c.regA, c.regB, { indexWindow: 1, indexMinSamples: 1, priceDeviationBp: 1000, pairTradeLimit: 100 });
        await sale(130_000, 100_000);
        const o = await order(c, (await listEco(c, { priceFen: 200_000 })).id, 1000);
        expect(o.status).to.equal('suspended');
        const cleared = await w.submit(c.regA, tx.market.resolveAlert, { alertId: o.alertId, decision: 'clear', note: 'rare grade' });
        expect(cleared.order).to.include({ status: 'ordered', riskClearedAlertId: o.alertId });
        await verify(c, o.id);
        expect((await settle(c, o.id)).status).to.equal('settled');
      });
    });

    it('a regulator who acts for a party may not decide its alert (FORBIDDEN, nothing written)', async () => {
      await adoptParameters(w, c.regA, c.regB, { pairTradeLimit: 1 });
      await order(c, (await listEco(c)).id);
      const o = await order(c, (await listEco(c)).id);
      expect(o.status).to.equal('suspended');
      // bound to the seller before becoming a regulator of its county
      await w.id(LIANGDANG, 'reg-bound');
      await w.submit(c.regA, tx.subjects.bindMerchant, { subjectId: c.seller, member: 'reg-bound' });
      await w.submit(await w.admin(LIANGDANG), tx.membership.grantRole, { member: 'reg-bound', role: 'regulator' });
      const bound = await w.id(LIANGDANG, 'reg-bound');
      await w.expectRefused(
        'FORBIDDEN',
        () => w.submit(bound, tx.market.resolveAlert, { alertId: o.alertId, decision: 'clear', note: 'fine' }),
        'acts for subject',
      );
    });
  });
});
