import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { expectLedgerError } from '../support/expect-error';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { listEco, MarketCast, marketCast, order, registerEnterprise, settle, verify, Who, World } from '../support/market-world';

// Need to know (DESIGN.md "Trust between counties"): orders carry prices, deposits and payment references.
describe('chaincode: who may read an order (need to know)', () => {
  let w: World;
  let c: MarketCast;
  let orderId: string;
  let readers: Record<string, Who>;

  before(async () => {
    w = await World.open();
    c = await marketCast(w);
    const asset = await listEco(c);
    orderId = (await order(c, asset.id)).id;
    await verify(c, orderId);
    await settle(c, orderId);
    // A merchant of Liangdang bound to another subject, and members of Fengxian, a county the trade does not concern.
    const otherShop = await w.member(LIANGDANG, 'm-other', 'merchant');
    const other = await registerEnterprise(w, c.regA, LIANGDANG, 'green');
    await w.submit(c.regA, tx.subjects.bindMerchant, { subjectId: other, member: 'm-other' });
    readers = {
      sellerMerchant: c.sellerMerchant,
      buyerMerchant: c.buyerMerchant,
      sellerRegulator: c.regA,
      buyerRegulator: c.regB,
      buyerEnforcement: await w.member(HUIXIAN, 'enf-b', 'enforcement'),
      auditorElsewhere: await w.member(FENGXIAN, 'aud-c', 'auditor'),
      verifierElsewhere: c.verifier,
      otherMerchant: otherShop,
      regulatorElsewhere: c.regC,
      financeOfSeller: await w.member(LIANGDANG, 'fin-a', 'finance'),
      noRole: await w.id(LIANGDANG, 'no-role'),
    };
  });
  after(async () => w?.cleanup());

  const allowed = ['sellerMerchant', 'buyerMerchant', 'sellerRegulator', 'buyerRegulator', 'buyerEnforcement', 'auditorElsewhere', 'verifierElsewhere'];
  const refused = ['otherMerchant', 'regulatorElsewhere', 'financeOfSeller', 'noRole'];

  it('the parties’ merchants, the counties concerned, auditors and verifiers read the order; others are refused FORBIDDEN', async () => {
    for (const name of allowed) expect((await w.evaluate(readers[name] as Who, tx.market.getOrder, { orderId })).id, name).to.equal(orderId);
    for (const name of refused) await expectLedgerError(w.evaluate(readers[name] as Who, tx.market.getOrder, { orderId }), 'FORBIDDEN');
  });

  it('a subject’s orders: its merchant, its county’s regulator, auditors; not another merchant, another county’s regulator or a member without a role', async () => {
    const list = (who: Who) => w.evaluate(who, tx.market.listOrders, { subjectId: c.buyer, side: 'buyer' });
    for (const who of [c.buyerMerchant, c.regB, readers.auditorElsewhere as Who])
      expect((await list(who)).items.map((o: { id: string }) => o.id)).to.deep.equal([orderId]);
    for (const who of [c.sellerMerchant, c.regA, readers.noRole as Who]) await expectLedgerError(list(who), 'FORBIDDEN');
  });

  it('an order that does not exist is NOT_FOUND for everyone', async () => {
    await expectLedgerError(w.evaluate(readers.noRole as Who, tx.market.getOrder, { orderId: 'o-missing' }), 'NOT_FOUND');
  });
});
