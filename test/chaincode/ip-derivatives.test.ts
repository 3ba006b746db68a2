import { tx } from '../../chaincode/src/catalogue';
import { expect } from 'chai';
import { addDays } from '../../chaincode/src/kernel/time';
import { blacklistSubject } from '../support/credit-world';
import { registerCounties, today } from '../support/fund-world';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { registerEnterprise, useClock, Who, World } from '../support/market-world';

/**
 * Licensing restrictions reach cultural-IP derivatives: a derivative is listed, ordered and
 * settled only while its license is active (effective, not revoked, within its term on the
 * transaction's CST day) and its licensee is not restricted from licensing. Revocation and
 * expiry change no asset: the check at order and settlement time keeps the derivatives from
 * being sold, and the listing view leaves them out.
 */
describe('chaincode: licensing restrictions reach cultural-IP derivatives (revocation, expiry, the licensing measure)', function () {
  this.timeout(120_000);
  let w: World;
  let clock: ReturnType<typeof useClock>;
  let regL: Who;
  let regH: Who;
  let enfF: Who;
  let seller: Who;
  let buyerMerchant: Who;
  let verifier: Who;
  let reader: Who;
  let buyer: string;
  let ipId: string;
  let serial = 0;

  before(async () => {
    clock = useClock();
    w = await World.open();
    await registerCounties(w);
    regL = await w.member(LIANGDANG, 'reg-l', 'regulator');
    regH = await w.member(HUIXIAN, 'reg-h', 'regulator');
    enfF = await w.member(FENGXIAN, 'enf-f', 'enforcement');
    seller = await w.member(LIANGDANG, 'm-seller', 'merchant');
    buyerMerchant = await w.member(HUIXIAN, 'm-buyer', 'merchant');
    verifier = await w.member(FENGXIAN, 'ver-f', 'verifier');
    reader = await w.id(FENGXIAN, 'public-reader');
    buyer = await registerEnterprise(w, regH, HUIXIAN, 'green');
    await w.submit(regH, tx.subjects.bindMerchant, { subjectId: buyer, member: 'm-buyer' });
    const ip = await w.submit(regL, tx.ip.registerIp, {
      title: 'Liangdang paper-cut (两当剪纸)',
      kind: 'intangible-heritage',
      owners: [
        { county: LIANGDANG, shareBp: 6000 },
        { county: HUIXIAN, shareBp: 4000 },
      ],
      proofEvidenceRefs: ['doc:heritage-listing'],
    });
    ipId = (await w.submit(regH, tx.ip.acceptShare, { ipId: ip.id })).id;
  });
  after(async () => {
    clock.restore();
    await w.cleanup();
  });

  /** A green Liangdang enterprise the seller merchant acts for, with an effective non-exclusive license of `days` days from today. */
  async function licensee(days = 30): Promise<{ subject: string; license: any }> {
    const subject = await registerEnterprise(w, regL, LIANGDANG, 'green');
    await w.submit(regL, tx.subjects.bindMerchant, { subjectId: subject, member: 'm-seller' });
    const requested = await w.submit(seller, tx.ip.requestLicense, {
      ipId,
      licenseeSubjectId: subject,
      categories: ['paper-cut'],
      territory: [LIANGDANG],
      termFrom: today(),
      termTo: addDays(today(), days),
      exclusive: false,
      royaltyRateBp: 500,
    });
    const license = await w.submit(regL, tx.ip.approveLicense, { licenseId: requested.id });
    expect(license.status).to.equal('effective');
    return { subject, license };
  }
  const list = (subject: string, licenseRef: string) =>
    w.submit(seller, tx.market.registerAsset, {
      ownerSubjectId: subject,
      kind: 'ip-derivative',
      title: `Paper-cut bookmarks ${++serial}`,
      category: 'paper-cut',
      costFen: 500,
      priceFen: 1200,
      licenseRef,
    });
  const order = (assetId: string) =>
    w.submit(buyerMerchant, tx.market.placeOrder, { assetId, buyerSubjectId: buyer, depositFen: 100, depositPaymentRef: 'pay:dep' });
  const verify = (orderId: string) => w.submit(verifier, tx.market.recordVerification, { orderId, result: 'pass', evidenceRefs: ['doc:inspection'] });
  const settle = (orderId: string) => w.submit(buyerMerchant, tx.market.settleOrder, { orderId, paymentRef: `pay:bal-${orderId.slice(2, 12)}` });
  const listedIds = async (): Promise<string[]> =>
    (await w.evaluate(reader, tx.market.listListedAssets, { category: 'paper-cut', limit: 200 })).items.map((a: any) => a.id);

  it('under an active license a derivative lists, is shown for sale, ordered and settled', async () => {
    const { subject, license } = await licensee();
    const asset = await list(subject, license.id);
    expect(await listedIds()).to.include(asset.id);
    const o = await order(asset.id);
    await verify(o.id);
    expect((await settle(o.id)).status).to.equal('settled');
  });

  it('revocation takes the derivatives off sale without touching them: no order, no settlement, no new listing or relisting; the listing view leaves them out', async () => {
    const { subject, license } = await licensee();
    const forSale = await list(subject, license.id);
    const verifiedAsset = await list(subject, license.id);
    const verifiedOrder = await order(verifiedAsset.id);
    await verify(verifiedOrder.id);
    const orderedAsset = await list(subject, license.id);
    const openOrder = await order(orderedAsset.id);
    expect(await listedIds()).to.include(forSale.id);

    const before = await w.worldState();
    const revoked = await w.submitTx(regH, tx.ip.revokeLicense, {
      licenseId: license.id,
      ground: 'infringement',
      reason: 'copies sold abroad',
      evidenceRefs: ['doc:case'],
    });
    expect(revoked.result.status).to.equal('revoked');
    // One record changed (with its index entry): no asset is rewritten, however many derivatives the license has.
    const after = await w.worldState();
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k)).map((k) => k.split('\u0000')[1]);
    expect(changed.sort()).to.deep.equal(['license', 'license~effective']);
    expect(await w.evaluate(reader, tx.market.getAsset, { assetId: forSale.id })).to.include({ status: 'listed' });

    await w.expectRefused(
      'RULE_VIOLATION',
      () => order(forSale.id),
      new RegExp(`may not be sold now: license ${license.id} is not active on .* \\(revoked\\)`),
    );
    await w.expectRefused('RULE_VIOLATION', () => settle(verifiedOrder.id), /not active .*revoked/);
    await w.expectRefused('RULE_VIOLATION', () => list(subject, license.id), /revoked/);
    await w.expectRefused('RULE_VIOLATION', () => w.submit(seller, tx.market.setListing, { assetId: forSale.id, listed: true, priceFen: 1100 }), /revoked/);
    expect(await listedIds()).to.not.include(forSale.id);
    // Taking it off sale is still allowed.
    expect((await w.submit(seller, tx.market.setListing, { assetId: forSale.id, listed: false })).status).to.equal('held');

    // The buyer cannot settle, so cancelling puts the seller at fault: twice the deposit back.
    const cancelled = await w.submit(buyerMerchant, tx.market.cancelOrder, { orderId: verifiedOrder.id, reason: 'license revoked' });
    expect(cancelled.cancellation).to.include({ faultParty: 'seller', refundToBuyerFen: 200, forfeitedToSellerFen: 0 });
    // The seller cancelling is at fault too, even once the buyer's payment deadline has passed.
    await verify(openOrder.id);
    clock.advanceDays(4);
    const bySeller = await w.submit(seller, tx.market.cancelOrder, { orderId: openOrder.id, reason: 'cannot sell any more' });
    expect(bySeller.cancellation).to.include({ faultParty: 'seller', refundToBuyerFen: 200 });
    // Back on its shelf, the cancelled derivative is still not shown for sale.
    expect((await w.evaluate(reader, tx.market.getAsset, { assetId: orderedAsset.id })).status).to.equal('listed');
    expect(await listedIds()).to.not.include(orderedAsset.id);
  });

  it('expiry by term takes the derivatives off sale the day after the term, with no transaction', async () => {
    const { subject, license } = await licensee(1);
    const forSale = await list(subject, license.id);
    const verifiedOrder = await order((await list(subject, license.id)).id);
    await verify(verifiedOrder.id);
    // On the last day of the term it is still for sale.
    clock.advanceDays(1);
    expect(await listedIds()).to.include(forSale.id);
    const height = await w.f.ledger.height();
    clock.advanceDays(1);
    expect(await w.evaluate(reader, tx.ip.getLicense, { licenseId: license.id })).to.include({ status: 'effective', stateToday: 'expired' });
    expect(await w.f.ledger.height()).to.equal(height);
    await w.expectRefused('RULE_VIOLATION', () => order(forSale.id), /not active .*\(expired\)/);
    await w.expectRefused('RULE_VIOLATION', () => settle(verifiedOrder.id), /expired/);
    await w.expectRefused('RULE_VIOLATION', () => list(subject, license.id), /expired/);
    expect(await listedIds()).to.not.include(forSale.id);
    const cancelled = await w.submit(buyerMerchant, tx.market.cancelOrder, { orderId: verifiedOrder.id, reason: 'license expired' });
    expect(cancelled.cancellation.faultParty).to.equal('seller');
  });

  it('a licensee blacklisted with the licensing measure neither lists, sells nor settles derivatives while restricted; another measure (fund) does not bar them', async () => {
    const { subject, license } = await licensee();
    const forSale = await list(subject, license.id);
    const verifiedOrder = await order((await list(subject, license.id)).id);
    await verify(verifiedOrder.id);
    const { subject: other, license: otherLicense } = await licensee();
    const otherAsset = await list(other, otherLicense.id);

    await blacklistSubject(w, enfF, subject, { measures: ['licensing'] });
    await blacklistSubject(w, enfF, other, { measures: ['fund'] });
    await w.expectRefused('RULE_VIOLATION', () => order(forSale.id), new RegExp(`licensee ${subject} is restricted from licensing`));
    await w.expectRefused('RULE_VIOLATION', () => settle(verifiedOrder.id), /restricted from licensing/);
    await w.expectRefused('RULE_VIOLATION', () => list(subject, license.id), /restricted from licensing/);
    await w.expectRefused('RULE_VIOLATION', () => w.submit(seller, tx.market.setListing, { assetId: forSale.id, listed: true }), /restricted from licensing/);
    expect(await listedIds()).to.not.include(forSale.id);
    // The license itself stays effective; another measure does not bar the other licensee.
    expect(await w.evaluate(reader, tx.ip.getLicense, { licenseId: license.id })).to.include({ stateToday: 'active' });
    expect(await listedIds()).to.include(otherAsset.id);
    expect((await order(otherAsset.id)).status).to.equal('ordered');
  });
});
