import { tx } from '../../chaincode/src/catalogue';
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { canonicalJson } from '../../chaincode/src/kernel/canonical-json';
import { MAX_AMOUNT_FEN } from '../../chaincode/src/kernel/money';
import { addDays, cstDate } from '../../chaincode/src/kernel/time';
import { MarketEvents } from '../../chaincode/src/market/market-contract';
import { INDEX_LAG_MS } from '../../chaincode/src/market/risk';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { ecoAsset, hex64, listEco, MarketCast, marketCast, order, registerEnterprise, settle, useClock, verify, Who, World } from '../support/market-world';
import { adoptParameters } from '../support/parameters-world';

describe('chaincode: market (交易流程 → 确权)', () => {
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

  /** Lists, orders, verifies and settles, then lets INDEX_LAG_MS pass; answers the asset ID and the settled order. */
  async function sale(price = 130_000, category = 'honey', waitForIndex = true): Promise<{ assetId: string; order: any }> {
    const asset = await listEco(c, { priceFen: price, costFen: 100_000, category });
    const o = await order(c, asset.id, Math.floor(price / 10));
    await verify(c, o.id);
    const settled = await settle(c, o.id);
    if (waitForIndex) lag.advanceMs(INDEX_LAG_MS);
    return { assetId: asset.id, order: settled };
  }

  describe('the whole flow', () => {
    it('green access → merchant in county A lists → buyer in county B orders with deposit → verifier passes → buyer settles; ownership, history and deal evidence on the ledger', async () => {
      // Regulator of county A grants green (the cast set green; set it again with fresh evidence as the flow's first step).
      await w.submit(c.regA, tx.subjects.setAccess, { subjectId: c.seller, status: 'green', evidenceRefs: ['doc:annual-review'] });

      const listed = await w.submitTx(c.sellerMerchant, tx.market.registerAsset, ecoAsset(c));
      const asset = listed.result;
      expect(asset).to.include({
        kind: 'eco-product',
        originCounty: LIANGDANG,
        ownerSubjectId: c.seller,
        status: 'listed',
        costFen: 100_000,
        priceFen: 130_000,
        transferCount: 0,
      });
      expect(listed.event?.name).to.equal(MarketEvents.AssetRegistered);
      expect((await w.evaluate(reader, tx.market.listListedAssets, { category: 'honey' })).items.map((a: { id: string }) => a.id)).to.deep.equal([asset.id]);

      const placed = await w.submitTx(c.buyerMerchant, tx.market.placeOrder, {
        assetId: asset.id,
        buyerSubjectId: c.buyer,
        depositFen: 26_000,
        depositPaymentRef: 'pay:dep-77',
      });
      const o = placed.result;
      expect(o).to.include({
        status: 'ordered',
        assetId: asset.id,
        sellerSubjectId: c.seller,
        buyerSubjectId: c.buyer,
        sellerCounty: LIANGDANG,
        buyerCounty: HUIXIAN,
        originCounty: LIANGDANG,
        crossRegion: true,
        priceFen: 130_000,
        depositFen: 26_000,
      });
      expect(placed.event?.name).to.equal(MarketEvents.OrderPlaced);
      const orderTime = Date.parse(o.orderedAt);
      expect(o.verifyBy).to.equal(addDays(cstDate(orderTime), 7));
      expect((await w.evaluate(reader, tx.market.getAsset, { assetId: asset.id })).status).to.equal('reserved');

      const verified = await w.submitTx(c.verifier, tx.market.recordVerification, {
        orderId: o.id,
        result: 'pass',
        evidenceRefs: ['sha256:' + hex64('inspection photos')],
      });
      expect(verified.result.status).to.equal('verified');
      expect(verified.result.verification).to.include({ result: 'pass' });
      expect(verified.result.verification.verifier).to.deep.equal({ mspId: FENGXIAN, member: 'verifier-c' });
      expect(verified.result.payBy).to.equal(addDays(cstDate(Date.parse(verified.result.verification.at)), 3));
      expect(verified.event?.name).to.equal(MarketEvents.OrderVerified);

      const settled = await w.submitTx(c.buyerMerchant, tx.market.settleOrder, { orderId: o.id, paymentRef: 'pay:bal-88' });
      const s = settled.result;
      expect(s.status).to.equal('settled');
      const txTimeMs = Date.parse((await w.f.ledger.getTransaction(settled.txId))!.timestamp);
      expect(s.settlement).to.include({ paymentRef: 'pay:bal-88', balanceFen: 104_000, settlementDate: addDays(cstDate(txTimeMs), 1), txId: settled.txId });
      expect(settled.event?.name).to.equal(MarketEvents.OrderSettled);
      expect(settled.event?.payload).to.include({
        orderId: o.id,
        crossRegion: true,
        settlementDate: s.settlement.settlementDate,
        evidenceSha256: s.settlement.evidenceSha256,
      });

      // Ownership moved, and the history shows both owners.
      const after = await w.evaluate(reader, tx.market.getAsset, { assetId: asset.id });
      expect(after).to.include({ ownerSubjectId: c.buyer, status: 'held', transferCount: 1, originCounty: LIANGDANG });
      expect(after).not.to.have.property('openOrderId');
      const history = await w.evaluate(reader, tx.market.ownershipHistory, { assetId: asset.id });
      expect(history.items.map((t: { kind: string; toSubjectId: string }) => [t.kind, t.toSubjectId])).to.deep.equal([
        ['registration', c.seller],
        ['sale', c.buyer],
      ]);
      expect(history.items[1]).to.include({
        fromSubjectId: c.seller,
        orderId: o.id,
        priceFen: 130_000,
        crossRegion: true,
        evidenceSha256: s.settlement.evidenceSha256,
        txId: settled.txId,
      });

      // The deal's evidence record, anchored in the same transaction: digests of the canonical deal JSON.
      const dealBytes = Buffer.from(canonicalJson(s.settlement.deal));
      const sha = createHash('sha256').update(dealBytes).digest('hex');
      expect(s.settlement.evidenceSha256).to.equal(sha);
      expect(s.settlement.evidenceSm3).to.equal(createHash('sm3').update(dealBytes).digest('hex'));
      const evidence = await w.evaluate(c.buyerMerchant, tx.evidence.get, { sha256: sha });
      expect(evidence.record).to.include({ sha256: sha, sizeBytes: dealBytes.length, mediaType: 'application/json', txId: settled.txId });
      expect(evidence.record.refs).to.deep.equal({ orderIds: [o.id], subjectIds: [c.seller, c.buyer] });
      expect(evidence.record.submitter).to.deep.equal({ mspId: HUIXIAN, member: 'm-buyer' });
      expect(s.settlement.deal).to.include({
        orderId: o.id,
        assetId: asset.id,
        priceFen: 130_000,
        depositFen: 26_000,
        crossRegion: true,
        paymentRef: 'pay:bal-88',
        depositPaymentRef: 'pay:dep-77',
      });

      // Statistics: the trade, by origin county and day; the category index.
      const trades = await w.evaluate(reader, tx.market.listTrades, { originCounty: LIANGDANG, date: cstDate(txTimeMs) });
      expect(trades.items).to.have.length(1);
      expect(trades.items[0]).to.include({ orderId: o.id, crossRegion: true, buyerCounty: HUIXIAN, priceFen: 130_000 });
      await w.expectRefused('NOT_FOUND', () => w.evaluate(reader, tx.market.getCategoryIndex, { category: 'honey' }), 'no price settled 60 s');
      lag.advanceMs(INDEX_LAG_MS);
      const index = await w.evaluate(reader, tx.market.getCategoryIndex, { category: 'honey' });
      expect(index).to.deep.include({ indexFen: 130_000, recentPricesFen: [130_000], updatedAt: s.settlement.at });
      const bought = await w.evaluate(c.buyerMerchant, tx.market.listOrders, { subjectId: c.buyer, side: 'buyer' });
      expect(bought.items.map((x: { id: string }) => x.id)).to.deep.equal([o.id]);
    });

    it('a trade within one county is not cross-region; a new owner can list again and sell on', async () => {
      const localBuyer = await registerEnterprise(w, c.regA, LIANGDANG, 'green');
      const localMerchant = await w.member(LIANGDANG, 'm-local', 'merchant');
      await w.submit(c.regA, tx.subjects.bindMerchant, { subjectId: localBuyer, member: 'm-local' });
      const asset = await listEco(c);
      const o = await order(c, asset.id, 1000, localMerchant, localBuyer);
      expect(o.crossRegion).to.equal(false);
      await verify(c, o.id);
      await settle(c, o.id, localMerchant);

      // The new owner relists: the eco premium is checked again on the new price.
      await w.expectRefused(
        'RULE_VIOLATION',
        () => w.submit(localMerchant, tx.market.setListing, { assetId: asset.id, listed: true, priceFen: 129_999 }),
        '30%',
      );
      await w.expectRefused('FORBIDDEN', () => w.submit(c.sellerMerchant, tx.market.setListing, { assetId: asset.id, listed: true }));
      const relisted = await w.submitTx(localMerchant, tx.market.setListing, { assetId: asset.id, listed: true, priceFen: 150_000 });
      expect(relisted.result).to.include({ status: 'listed', priceFen: 150_000, ownerSubjectId: localBuyer });
      expect(relisted.event?.name).to.equal(MarketEvents.ListingChanged);
      const o2 = await order(c, asset.id, 1000);
      expect(o2).to.include({ crossRegion: true, sellerSubjectId: localBuyer, originCounty: LIANGDANG });
      await w.expectRefused('CONFLICT', () => w.submit(localMerchant, tx.market.setListing, { assetId: asset.id, listed: false }));
      await verify(c, o2.id);
      await settle(c, o2.id);
      const history = await w.evaluate(reader, tx.market.ownershipHistory, { assetId: asset.id });
      expect(history.items.map((t: { toSubjectId: string }) => t.toSubjectId)).to.deep.equal([c.seller, localBuyer, c.buyer]);
    });
  });

  describe('listing rules', () => {
    it('an eco product needs an eco premium of at least 30% (integer arithmetic; exactly 30% passes)', async () => {
      await w.expectRefused('RULE_VIOLATION', () => listEco(c, { costFen: 100_000, priceFen: 129_999 }), 'at least 30%');
      await w.expectRefused('RULE_VIOLATION', () => listEco(c, { costFen: 3, priceFen: 3 }));
      expect((await listEco(c, { costFen: 100_000, priceFen: 130_000 })).status).to.equal('listed');
      expect((await listEco(c, { costFen: 10, priceFen: 13 })).status).to.equal('listed');
      // Amounts up to the bound (MAX_AMOUNT_FEN) are compared exactly; above it the input is refused, naming the field.
      await w.expectRefused('RULE_VIOLATION', () => listEco(c, { costFen: MAX_AMOUNT_FEN, priceFen: MAX_AMOUNT_FEN }), 'at least 30%');
      await w.expectRefused('INVALID_ARGUMENT', () => listEco(c, { costFen: 2 ** 52, priceFen: 2 ** 52 + 1 }), /costFen: must be at most 1000000000000 fen/);
    });

    it('an eco product needs anchored certification evidence', async () => {
      await w.expectRefused('RULE_VIOLATION', () => listEco(c, { certifications: [] }), 'certification');
      await w.expectRefused(
        'RULE_VIOLATION',
        () => listEco(c, { certifications: [{ kind: 'organic-certificate', sha256: hex64('never anchored') }] }),
        'not anchored',
      );
    });

    it('a cultural-IP derivative needs a well-formed reference to an existing license (licenseCheck; the active-license rules are in the IP tests)', async () => {
      const ip = { kind: 'ip-derivative', category: 'paper-cut', title: 'Paper-cut bookmarks', costFen: 500, priceFen: 400, certifications: [] };
      await w.expectRefused('RULE_VIOLATION', () => listEco(c, ip), 'license');
      await w.expectRefused('RULE_VIOLATION', () => listEco(c, { ...ip, licenseRef: 'x' }), 'malformed');
      await w.expectRefused('RULE_VIOLATION', () => listEco(c, { ...ip, licenseRef: 'bad ref!' }), 'malformed');
      await w.expectRefused('RULE_VIOLATION', () => listEco(c, { ...ip, licenseRef: 'lic-2024-0001' }), 'does not exist');
      await w.expectRefused('RULE_VIOLATION', () => listEco(c, { licenseRef: 'lic-2024-0001' }), 'does not take a license');
    });

    it('a rural resource has no premium rule', async () => {
      const a = await listEco(c, { kind: 'rural-resource', category: 'farmland-lease', costFen: 900, priceFen: 800, certifications: [] });
      expect(a.status).to.equal('listed');
    });
  });

  describe('who may list', () => {
    it('only a merchant bound to the owner subject (FORBIDDEN otherwise: unbound, other county, no merchant role, unbound later)', async () => {
      const stranger = await w.member(LIANGDANG, 'm-stranger', 'merchant');
      await w.expectRefused('FORBIDDEN', () => w.submit(stranger, tx.market.registerAsset, ecoAsset(c)), 'does not act for');
      await w.expectRefused('FORBIDDEN', () => w.submit(c.buyerMerchant, tx.market.registerAsset, ecoAsset(c)));
      await w.expectRefused('FORBIDDEN', () => w.submit(c.regA, tx.market.registerAsset, ecoAsset(c)), 'merchant');
      await w.submit(c.regA, tx.subjects.unbindMerchant, { subjectId: c.seller, member: 'm-seller' });
      await w.expectRefused('FORBIDDEN', () => listEco(c));
    });

    it('refused for an owner with red or pending access, or orange over its limit (RULE_VIOLATION)', async () => {
      await w.submit(c.regA, tx.subjects.setAccess, { subjectId: c.seller, status: 'red', evidenceRefs: ['doc:penalty'] });
      await w.expectRefused('RULE_VIOLATION', () => listEco(c), 'red');
      await w.submit(c.regA, tx.subjects.setAccess, { subjectId: c.seller, status: 'orange', tradeLimitFen: 129_999, evidenceRefs: ['doc:warning'] });
      await w.expectRefused('RULE_VIOLATION', () => listEco(c), 'orange');
      await w.submit(c.regA, tx.subjects.setAccess, { subjectId: c.seller, status: 'orange', tradeLimitFen: 130_000, evidenceRefs: ['doc:warning'] });
      expect((await listEco(c)).status).to.equal('listed');
      const pending = await registerEnterprise(w, c.regA, LIANGDANG);
      await w.submit(c.regA, tx.subjects.bindMerchant, { subjectId: pending, member: 'm-seller' });
      await w.expectRefused('RULE_VIOLATION', () => listEco(c, { ownerSubjectId: pending }), 'no market access decision');
    });

    it('refuses bad input (INVALID_ARGUMENT): malformed JSON, missing fields, floats, negatives, strings for fen, oversized strings, unknown kind', async () => {
      await w.expectRefused('INVALID_ARGUMENT', () => w.submitRaw(c.sellerMerchant, tx.market.registerAsset, ['{"kind":"eco-product"']));
      const base = ecoAsset(c);
      const bad: unknown[] = [
        { ...base, priceFen: undefined },
        { ...base, title: undefined },
        { ...base, priceFen: 1300.5 },
        { ...base, costFen: 99.99 },
        { ...base, costFen: -1 },
        { ...base, priceFen: 0 },
        { ...base, priceFen: '130000' },
        { ...base, priceFen: 2 ** 53 },
        { ...base, title: 't'.repeat(201) },
        { ...base, category: 'Honey' },
        { ...base, category: 'c'.repeat(65) },
        { ...base, kind: 'weapon' },
        { ...base, evidenceRefs: ['e'.repeat(129)] },
        { ...base, certifications: [{ kind: 'soil-test', sha256: 'abc' }] },
        { ...base, licenseRef: 'l'.repeat(129) },
        { ...base, originCounty: HUIXIAN },
      ];
      for (const input of bad) await w.expectRefused('INVALID_ARGUMENT', () => w.submit(c.sellerMerchant, tx.market.registerAsset, input));
    });
  });

  describe('orders and deposits', () => {
    let assetId: string;
    beforeEach(async () => {
      assetId = (await listEco(c)).id;
    });

    it('a deposit is more than zero and at most 20% of the price', async () => {
      await w.expectRefused('RULE_VIOLATION', () => order(c, assetId, 26_001), 'at most 20%');
      await w.expectRefused('RULE_VIOLATION', () => order(c, assetId, 0), 'more than zero');
      await w.expectRefused('INVALID_ARGUMENT', () => order(c, assetId, -1));
      await w.expectRefused('INVALID_ARGUMENT', () => order(c, assetId, 100.5));
      expect((await order(c, assetId, 26_000)).depositFen).to.equal(26_000);
    });

    it('refuses an asset not for sale (CONFLICT), an unknown asset (NOT_FOUND) and buying one’s own asset (RULE_VIOLATION)', async () => {
      await order(c, assetId);
      await w.expectRefused('CONFLICT', () => order(c, assetId), 'not for sale');
      await w.expectRefused('NOT_FOUND', () => order(c, 'a-missing'));
      const other = await listEco(c);
      await w.expectRefused('RULE_VIOLATION', () => order(c, other.id, 1000, c.sellerMerchant, c.seller), 'own asset');
    });

    it('refuses a merchant not acting for the buyer (FORBIDDEN) and bad input (INVALID_ARGUMENT)', async () => {
      await w.expectRefused('FORBIDDEN', () => order(c, assetId, 1000, c.sellerMerchant, c.buyer));
      await w.expectRefused('FORBIDDEN', () => order(c, assetId, 1000, c.verifier, c.buyer));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(c.buyerMerchant, tx.market.placeOrder, { assetId, buyerSubjectId: c.buyer, depositFen: 1000 }));
      await w.expectRefused('INVALID_ARGUMENT', () =>
        w.submit(c.buyerMerchant, tx.market.placeOrder, { assetId, buyerSubjectId: c.buyer, depositFen: 1000, depositPaymentRef: 'p'.repeat(129) }),
      );
      await w.expectRefused('INVALID_ARGUMENT', () => w.submitRaw(c.buyerMerchant, tx.market.placeOrder, ['not json']));
    });

    it('refuses a buyer or a seller with red access (RULE_VIOLATION)', async () => {
      await w.submit(c.regB, tx.subjects.setAccess, { subjectId: c.buyer, status: 'red', evidenceRefs: ['doc:fraud'] });
      await w.expectRefused('RULE_VIOLATION', () => order(c, assetId), 'red');
      await w.submit(c.regB, tx.subjects.setAccess, { subjectId: c.buyer, status: 'green', evidenceRefs: ['doc:repaired'] });
      await w.submit(c.regA, tx.subjects.setAccess, { subjectId: c.seller, status: 'red', evidenceRefs: ['doc:fraud'] });
      await w.expectRefused('RULE_VIOLATION', () => order(c, assetId), 'red');
    });
  });

  describe('verification', () => {
    let orderId: string;
    beforeEach(async () => {
      orderId = (await order(c, (await listEco(c)).id)).id;
    });

    it('only by a verifier that acts for neither party (FORBIDDEN otherwise)', async () => {
      await w.expectRefused('FORBIDDEN', () => w.submit(c.buyerMerchant, tx.market.recordVerification, { orderId, result: 'pass', evidenceRefs: ['doc:1'] }));
      await w.expectRefused('FORBIDDEN', () => w.submit(c.regA, tx.market.recordVerification, { orderId, result: 'pass', evidenceRefs: ['doc:1'] }));
      // Segregation of duties refuses the verifier role to a merchant; a binding left from before the
      // merchant role was revoked still makes the member act for the seller.
      const admin = await w.admin(LIANGDANG);
      await w.expectRefused('RULE_VIOLATION', () => w.submit(admin, tx.membership.grantRole, { member: 'm-seller', role: 'verifier' }), 'segregation');
      await w.submit(admin, tx.membership.revokeRole, { member: 'm-seller', role: 'merchant' });
      await w.submit(admin, tx.membership.grantRole, { member: 'm-seller', role: 'verifier' });
      await w.expectRefused(
        'FORBIDDEN',
        () => w.submit(c.sellerMerchant, tx.market.recordVerification, { orderId, result: 'pass', evidenceRefs: ['doc:1'] }),
        'acts for a party',
      );
    });

    it('needs evidence refs (INVALID_ARGUMENT) and the ordered state (CONFLICT)', async () => {
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(c.verifier, tx.market.recordVerification, { orderId, result: 'pass', evidenceRefs: [] }));
      await w.expectRefused('INVALID_ARGUMENT', () =>
        w.submit(c.verifier, tx.market.recordVerification, { orderId, result: 'maybe', evidenceRefs: ['doc:1'] }),
      );
      await verify(c, orderId);
      await w.expectRefused('CONFLICT', () => verify(c, orderId), 'verified, not ordered');
    });

    it('a pass is refused while a party has red access (RULE_VIOLATION)', async () => {
      await w.submit(c.regA, tx.subjects.setAccess, { subjectId: c.seller, status: 'red', evidenceRefs: ['doc:x'] });
      await w.expectRefused('RULE_VIOLATION', () => verify(c, orderId), 'red');
    });

    it('a fail cancels the order with the seller at fault: twice the deposit back to the buyer; the asset is for sale again', async () => {
      const r = await w.submitTx(c.verifier, tx.market.recordVerification, { orderId, result: 'fail', evidenceRefs: ['doc:lab-fail'] });
      expect(r.result.status).to.equal('cancelled');
      expect(r.result.cancellation).to.include({ faultParty: 'seller', depositFen: 10_000, refundToBuyerFen: 20_000, forfeitedToSellerFen: 0 });
      expect(r.event?.name).to.equal(MarketEvents.OrderCancelled);
      const asset = await w.evaluate(reader, tx.market.getAsset, { assetId: r.result.assetId });
      expect(asset.status).to.equal('listed');
      await w.expectRefused('CONFLICT', () => settle(c, orderId));
    });
  });

  describe('settlement', () => {
    let orderId: string;
    beforeEach(async () => {
      orderId = (await order(c, (await listEco(c)).id)).id;
    });

    it('only after a pass (CONFLICT before), only by the buyer’s merchant (FORBIDDEN), once (CONFLICT)', async () => {
      await w.expectRefused('CONFLICT', () => settle(c, orderId), 'ordered, not verified');
      await verify(c, orderId);
      await w.expectRefused('FORBIDDEN', () => settle(c, orderId, c.sellerMerchant));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(c.buyerMerchant, tx.market.settleOrder, { orderId }));
      await w.expectRefused('NOT_FOUND', () => w.submit(c.buyerMerchant, tx.market.settleOrder, { orderId: 'o-none', paymentRef: 'p:1' }));
      await settle(c, orderId);
      await w.expectRefused('CONFLICT', () => settle(c, orderId), 'settled');
    });

    it('is refused while a party has red access (RULE_VIOLATION)', async () => {
      await verify(c, orderId);
      await w.submit(c.regB, tx.subjects.setAccess, { subjectId: c.buyer, status: 'red', evidenceRefs: ['doc:x'] });
      await w.expectRefused('RULE_VIOLATION', () => settle(c, orderId), 'red');
    });
  });

  describe('cancellation and the deposit rule', () => {
    let clock: ReturnType<typeof useClock>;
    let orderId: string;
    beforeEach(async () => {
      clock = useClock();
      orderId = (await order(c, (await listEco(c)).id, 10_000)).id;
    });
    afterEach(() => clock.restore());

    const cancel = (who: Who, reason = 'changed plans') => w.submit(who, tx.market.cancelOrder, { orderId, reason });

    it('the buyer cancelling in time is at fault: the deposit is forfeited', async () => {
      const o = await cancel(c.buyerMerchant);
      expect(o.status).to.equal('cancelled');
      expect(o.cancellation).to.include({ faultParty: 'buyer', refundToBuyerFen: 0, forfeitedToSellerFen: 10_000 });
      expect(o.cancellation.by).to.include({ role: 'buyer', member: 'm-buyer' });
      expect((await w.evaluate(reader, tx.market.getAsset, { assetId: o.assetId })).status).to.equal('listed');
    });

    it('the seller cancelling in time is at fault: twice the deposit back to the buyer', async () => {
      const o = await cancel(c.sellerMerchant);
      expect(o.cancellation).to.include({ faultParty: 'seller', refundToBuyerFen: 20_000, forfeitedToSellerFen: 0 });
    });

    it('after the verification deadline the buyer may cancel and the seller is at fault', async () => {
      clock.advanceDays(8);
      const o = await cancel(c.buyerMerchant, 'not delivered for inspection');
      expect(o.cancellation).to.include({ faultParty: 'seller', refundToBuyerFen: 20_000 });
    });

    it('after the balance deadline the seller may cancel and the buyer is at fault', async () => {
      await verify(c, orderId);
      clock.advanceDays(2);
      // Still in time: the seller cancelling now would be at fault (simulated with evaluate, nothing committed).
      const inTime = await w.evaluate(c.sellerMerchant, tx.market.cancelOrder, { orderId, reason: 'early' });
      expect(inTime.cancellation).to.include({ faultParty: 'seller', refundToBuyerFen: 20_000 });
      clock.advanceDays(2);
      const o = await cancel(c.sellerMerchant, 'balance not paid');
      expect(o.cancellation).to.include({ faultParty: 'buyer', refundToBuyerFen: 0, forfeitedToSellerFen: 10_000 });
    });

    it('a counterparty barred from trading (red) is at fault; a party with red access may not cancel itself (RULE_VIOLATION)', async () => {
      await w.submit(c.regA, tx.subjects.setAccess, { subjectId: c.seller, status: 'red', evidenceRefs: ['doc:x'] });
      await w.expectRefused('RULE_VIOLATION', () => cancel(c.sellerMerchant), 'red');
      const o = await cancel(c.buyerMerchant, 'seller barred');
      expect(o.cancellation).to.include({ faultParty: 'seller', refundToBuyerFen: 20_000 });
    });

    it('refuses someone acting for neither party (FORBIDDEN), a finished order (CONFLICT) and a missing reason (INVALID_ARGUMENT)', async () => {
      const stranger = await w.member(FENGXIAN, 'm-stranger', 'merchant');
      await w.expectRefused('FORBIDDEN', () => cancel(stranger));
      await w.expectRefused('FORBIDDEN', () => cancel(c.verifier));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(c.buyerMerchant, tx.market.cancelOrder, { orderId }));
      await w.expectRefused('INVALID_ARGUMENT', () => cancel(c.buyerMerchant, 'r'.repeat(501)));
      await verify(c, orderId);
      await settle(c, orderId);
      await w.expectRefused('CONFLICT', () => cancel(c.buyerMerchant), 'settled');
    });
  });

  describe('risk alerts (异常交易预警)', () => {
    it('a price deviating from the category’s moving index suspends the order; verify/settle/cancel are refused until a regulator clears it', async () => {
      await adoptParameters(w, c.regB, c.regC, { indexMinSamples: 1, priceDeviationBp: 2000 });
      await sale(130_000);
      expect(await w.evaluate(reader, tx.market.getCategoryIndex, { category: 'honey' })).to.include({ indexFen: 130_000 });

      // Within 20% of the index: no alert.
      const near = await listEco(c, { priceFen: 156_000 });
      expect((await order(c, near.id)).status).to.equal('ordered');

      const far = await listEco(c, { priceFen: 160_000 });
      const placed = await w.submitTx(c.buyerMerchant, tx.market.placeOrder, {
        assetId: far.id,
        buyerSubjectId: c.buyer,
        depositFen: 1000,
        depositPaymentRef: 'p:1',
      });
      const o = placed.result;
      expect(o.status).to.equal('suspended');
      expect(placed.event?.name).to.equal(MarketEvents.OrderSuspended);
      const alert = await w.evaluate(reader, tx.market.getAlert, { alertId: o.alertId });
      expect(alert).to.include({ level: 'red', status: 'open', orderId: o.id });
      expect(alert.reasons).to.deep.equal([{ rule: 'price-deviation', priceFen: 160_000, indexFen: 130_000, deviationBp: 2308, limitBp: 2000 }]);
      expect((await w.evaluate(reader, tx.market.listAlerts, { status: 'open' })).items.map((a: { id: string }) => a.id)).to.deep.equal([o.alertId]);

      await w.expectRefused('RULE_VIOLATION', () => verify(c, o.id), 'suspended by risk alert');
      await w.expectRefused('RULE_VIOLATION', () => settle(c, o.id), 'suspended');
      await w.expectRefused('RULE_VIOLATION', () => w.submit(c.buyerMerchant, tx.market.cancelOrder, { orderId: o.id, reason: 'x' }), 'suspended');

      // Only a regulator of the seller's or buyer's county decides.
      await w.expectRefused(
        'FORBIDDEN',
        () => w.submit(c.regC, tx.market.resolveAlert, { alertId: o.alertId, decision: 'clear', note: 'ok' }),
        'not ' + FENGXIAN,
      );
      await w.expectRefused('FORBIDDEN', () => w.submit(c.buyerMerchant, tx.market.resolveAlert, { alertId: o.alertId, decision: 'clear', note: 'ok' }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(c.regA, tx.market.resolveAlert, { alertId: o.alertId, decision: 'clear' }));
      const cleared = await w.submitTx(c.regA, tx.market.resolveAlert, {
        alertId: o.alertId,
        decision: 'clear',
        note: 'premium honey, price justified',
        evidenceRefs: ['doc:price-survey'],
      });
      expect(cleared.result.alert).to.include({ status: 'cleared', note: 'premium honey, price justified' });
      expect(cleared.result.order.status).to.equal('ordered');
      expect(cleared.event?.name).to.equal(MarketEvents.AlertCleared);
      await w.expectRefused(
        'CONFLICT',
        () => w.submit(c.regB, tx.market.resolveAlert, { alertId: o.alertId, decision: 'reject', note: 'no' }),
        'already cleared',
      );

      await verify(c, o.id);
      expect((await settle(c, o.id)).status).to.equal('settled');
    });

    it('a rejected alert cancels the order with no party at fault: the deposit goes back', async () => {
      await adoptParameters(w, c.regA, c.regB, { indexMinSamples: 1, priceDeviationBp: 1000 });
      await sale(130_000);
      const far = await listEco(c, { priceFen: 500_000 });
      const o = await order(c, far.id, 5000);
      expect(o.status).to.equal('suspended');
      const r = await w.submitTx(c.regB, tx.market.resolveAlert, { alertId: o.alertId, decision: 'reject', note: 'suspected price manipulation' });
      expect(r.result.alert.status).to.equal('rejected');
      expect(r.result.order.status).to.equal('cancelled');
      expect(r.result.order.cancellation).to.include({ faultParty: 'none', refundToBuyerFen: 5000, forfeitedToSellerFen: 0 });
      expect(r.event?.name).to.equal(MarketEvents.AlertRejected);
      expect((await w.evaluate(reader, tx.market.getAsset, { assetId: far.id })).status).to.equal('listed');
    });

    it('more than N orders between the same two subjects, open or settled within 24 h, suspends the order (either direction); older trades fall out of the window', async () => {
      const clock = useClock();
      try {
        await adoptParameters(w, c.regA, c.regB, { pairTradeLimit: 2 });
        await sale();
        await sale();
        const third = await listEco(c);
        const o = await order(c, third.id);
        expect(o.status).to.equal('suspended');
        expect((await w.evaluate(reader, tx.market.getAlert, { alertId: o.alertId })).reasons).to.deep.equal([
          { rule: 'pair-frequency', openOrders: 1, settledInWindow: 2, limit: 2, windowHours: 24 },
        ]);

        // The other direction counts too: the buyer now sells to the seller.
        const land = await w.submit(c.buyerMerchant, tx.market.registerAsset, {
          ownerSubjectId: c.buyer,
          kind: 'rural-resource',
          title: 'Orchard lease',
          category: 'orchard-lease',
          costFen: 1,
          priceFen: 50_000,
        });
        const reverse = await order(c, land.id, 1000, c.sellerMerchant, c.seller);
        expect(reverse.status).to.equal('suspended');
        // A rejected alert cancels its order, which no longer counts as open.
        for (const alertId of [o.alertId, reverse.alertId])
          await w.submit(c.regA, tx.market.resolveAlert, { alertId, decision: 'reject', note: 'wash trading' });

        clock.advanceMs(24 * 3600 * 1000 + 60_000);
        const later = await listEco(c);
        expect((await order(c, later.id)).status).to.equal('ordered');
      } finally {
        clock.restore();
      }
    });

    it('the moving index is the floored mean of the latest indexWindow settled prices', async () => {
      await adoptParameters(w, c.regA, c.regB, { indexWindow: 2, indexMinSamples: 1, priceDeviationBp: 1_000_000, pairTradeLimit: 100 });
      await sale(130_000, 'tea');
      await sale(140_001, 'tea');
      expect(await w.evaluate(reader, tx.market.getCategoryIndex, { category: 'tea' })).to.deep.include({
        indexFen: 135_000,
        recentPricesFen: [130_000, 140_001],
      });
      // Settled within the last INDEX_LAG_MS: not yet in the index (nor in the risk rule's).
      const last = await sale(150_000, 'tea', false);
      lag.advanceMs(INDEX_LAG_MS - 10_000);
      const before = await w.evaluate(reader, tx.market.getCategoryIndex, { category: 'tea' });
      expect(before).to.deep.include({ indexFen: 135_000, recentPricesFen: [130_000, 140_001] });
      expect(Date.parse(before.asOf)).to.be.below(Date.parse(last.order.settlement.at));
      lag.advanceMs(10_000);
      const idx = await w.evaluate(reader, tx.market.getCategoryIndex, { category: 'tea' });
      expect(idx.recentPricesFen).to.deep.equal([140_001, 150_000]);
      expect(idx).to.include({ indexFen: 145_000, updatedAt: last.order.settlement.at });
      expect(Date.parse(idx.asOf)).to.be.at.least(Date.parse(last.order.settlement.at));
    });

    it('deadlines are shared parameters: an order placed after a majority changed verificationDays gets the new one', async () => {
      const before = await order(c, (await listEco(c)).id);
      expect(before.verifyBy).to.equal(addDays(cstDate(Date.parse(before.orderedAt)), 7));
      await adoptParameters(w, c.regC, c.regA, { verificationDays: 10, paymentDays: 5 });
      const o = await order(c, (await listEco(c)).id);
      expect(o.verifyBy).to.equal(addDays(cstDate(Date.parse(o.orderedAt)), 10));
      const verified = await verify(c, o.id);
      expect(verified.payBy).to.equal(addDays(cstDate(Date.parse(verified.verification.at)), 5));
      // an order placed before keeps its deadline
      expect((await w.evaluate(c.buyerMerchant, tx.market.getOrder, { orderId: before.id })).verifyBy).to.equal(before.verifyBy);
    });
  });
});
