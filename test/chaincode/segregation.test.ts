import { tx } from '../../chaincode/src/catalogue';
import { expect } from 'chai';
import { LIANGDANG } from '../support/ledger-fixture';
import { listEco, MarketCast, marketCast, order, settle, verify, World } from '../support/market-world';

// Segregation of duties in the market: nobody verifies or decides a risk alert on an order whose
// party they act for. The role rule (membership) stops a merchant being granted an authority role;
// a merchant binding outlives a revoked merchant role, so the acts-for check is what remains.
describe('chaincode: segregation of duties in the market', () => {
  let w: World;
  let c: MarketCast;

  beforeEach(async () => {
    w = await World.open();
    c = await marketCast(w);
  });
  afterEach(async () => w.cleanup());

  /** The seller's merchant, its merchant role revoked and `role` granted; still bound to the seller. */
  async function formerMerchantAs(role: 'regulator' | 'verifier') {
    const admin = await w.admin(LIANGDANG);
    await w.submit(admin, tx.membership.revokeRole, { member: 'm-seller', role: 'merchant' });
    await w.submit(admin, tx.membership.grantRole, { member: 'm-seller', role });
    return c.sellerMerchant;
  }

  /** Settles trades between the cast's pair until the next order is suspended by the pair rule. */
  async function suspendedOrder(): Promise<{ id: string; alertId: string }> {
    for (let i = 0; i < 10; i++) {
      const asset = await listEco(c, { priceFen: 130_000 });
      const o = await order(c, asset.id);
      if (o.status === 'suspended') return o;
      await verify(c, o.id);
      await settle(c, o.id);
    }
    throw new Error('the pair rule never suspended an order');
  }

  it('a regulator of a party’s county who acts for that party may not decide its alert (FORBIDDEN, nothing written)', async () => {
    const o = await suspendedOrder();
    const official = await formerMerchantAs('regulator');
    await w.expectRefused(
      'FORBIDDEN',
      () => w.submit(official, tx.market.resolveAlert, { alertId: o.alertId, decision: 'clear', note: 'my own deal' }),
      /acts for subject .* may not decide alert/,
    );
    // Another regulator of the county decides it.
    const cleared = await w.submit(c.regA, tx.market.resolveAlert, { alertId: o.alertId, decision: 'clear', note: 'reviewed' });
    expect(cleared.alert.status).to.equal('cleared');
  });

  it('a verifier who acts for a party may not verify its order; one who acts for neither may', async () => {
    const asset = await listEco(c, { priceFen: 130_000 });
    const o = await order(c, asset.id);
    const official = await formerMerchantAs('verifier');
    await w.expectRefused('FORBIDDEN', () => w.submit(official, tx.market.recordVerification, { orderId: o.id, result: 'pass', evidenceRefs: ['doc:1'] }));
    await w.submit(c.regA, tx.subjects.unbindMerchant, { subjectId: c.seller, member: 'm-seller' });
    const passed = await w.submit(official, tx.market.recordVerification, { orderId: o.id, result: 'pass', evidenceRefs: ['doc:1'] });
    expect(passed.status).to.equal('verified');
  });
});
