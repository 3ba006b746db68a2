import { tx } from '../../chaincode/src/catalogue';
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { INDEX_LAG_MS } from '../../chaincode/src/market/risk';
import { creditCode, useClock } from '../support/market-world';
import { multipartBody } from '../support/multipart';
import { cstDate } from '../../chaincode/src/kernel/time';

/**
 * The platform's core flow through HTTP, as its users do it: a merchant in Liangdang sells an eco
 * product to a buyer in Huixian, a third-party verifier inspects it, ownership moves, and an auditor
 * later proves the deal from the block.
 */
for (const overMessagePort of [false, true]) {
  describe(`gateway: ownership transfer and evidence, end to end${overMessagePort ? ' (HTTP thread apart from the ledger, as npm start runs it)' : ''}`, () => {
    let f: AppFixture;
    const seller = creditCode('621228', 1001);
    const buyer = creditCode('621227', 2002);
    const keys: Record<string, string> = {};
    let certSha = '';
    let assetId = '';
    let orderId = '';
    let settleBlock = -1;

    const post = (who: string, url: string, body: unknown) => f.request('POST', url, keys[who], body);
    const get = (who: string, url: string) => f.request('GET', url, keys[who]);
    const upload = (who: string, url: string, content: Buffer, contentType = 'application/pdf') => {
      const body = multipartBody({ content, contentType });
      return f.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${keys[who]}` } });
    };

    before(async () => {
      f = await openAppFixture({ overMessagePort });
      const people: Array<[string, string, string, string[]]> = [
        ['ldAdmin', LIANGDANG, 'admin', []],
        ['hxAdmin', HUIXIAN, 'admin', []],
        ['ldRegulator', LIANGDANG, 'reg-ld', ['regulator']],
        ['hxRegulator', HUIXIAN, 'reg-hx', ['regulator']],
        ['ldMerchant', LIANGDANG, 'shop-ld', ['merchant']],
        ['hxMerchant', HUIXIAN, 'shop-hx', ['merchant']],
        ['verifier', HUIXIAN, 'eco-monitor', ['verifier']],
        ['auditor', LIANGDANG, 'audit-ld', ['auditor']],
      ];
      for (const [alias, msp, member, roles] of people) {
        keys[alias] = await f.keyFor(msp, member);
        for (const role of roles) {
          const admin = msp === LIANGDANG ? keys.ldAdmin : keys.hxAdmin;
          const r = await f.request('POST', `/api/v1/members/${msp}:${member}/roles`, admin, { role });
          expect(r.statusCode, r.body).to.equal(201);
        }
      }
      // Each county's admin registers its county: its division decides which enterprises its regulator registers.
      for (const [admin, name, division] of [
        ['ldAdmin', 'Liangdang County', '621228'],
        ['hxAdmin', 'Huixian County', '621227'],
      ] as const) {
        const r = await post(admin, '/api/v1/counties', { name, division });
        expect(r.statusCode, r.body).to.equal(201);
      }
    });
    after(async () => f.close());

    it('regulators register both enterprises, grant green access and bind their merchants', async () => {
      for (const [reg, code, merchant] of [
        ['ldRegulator', seller, 'shop-ld'],
        ['hxRegulator', buyer, 'shop-hx'],
      ] as const) {
        const reg1 = await post(reg, '/api/v1/subjects', { creditCode: code, name: `enterprise ${code}` });
        expect(reg1.statusCode, reg1.body).to.equal(201);
        const access = await post(reg, `/api/v1/subjects/${code}/access`, { status: 'green', evidenceRefs: ['decision-2026-001'] });
        expect(access.statusCode, access.body).to.equal(201);
        const bind = await post(reg, `/api/v1/subjects/${code}/merchants`, { member: merchant });
        expect(bind.statusCode, bind.body).to.equal(201);
      }
      const subject = await get('hxMerchant', `/api/v1/subjects/${seller}`);
      expect(subject.statusCode).to.equal(200);
      expect(JSON.stringify(subject.json())).to.contain('green');
    });

    it('the merchant in county A lists an eco product with an anchored soil test', async () => {
      const soil = await upload('ldMerchant', '/api/v1/evidence', Buffer.from('soil test: lot 7, heavy metals below limits'));
      expect(soil.statusCode, soil.body).to.equal(201);
      certSha = soil.json().result.sha256;
      const tooCheap = await post('ldMerchant', '/api/v1/assets', {
        ownerSubjectId: seller,
        kind: 'eco-product',
        title: 'Wild honey, 50 jars',
        category: 'honey',
        costFen: 100_000,
        priceFen: 129_999,
        certifications: [{ kind: 'soil-test', sha256: certSha }],
      });
      expect(tooCheap.statusCode, 'premium under 30%').to.equal(422);
      expect(tooCheap.json().code).to.equal('RULE_VIOLATION');
      const listed = await post('ldMerchant', '/api/v1/assets', {
        ownerSubjectId: seller,
        kind: 'eco-product',
        title: 'Wild honey, 50 jars',
        category: 'honey',
        costFen: 100_000,
        priceFen: 130_000,
        certifications: [{ kind: 'soil-test', sha256: certSha }],
      });
      expect(listed.statusCode, listed.body).to.equal(201);
      assetId = listed.json().result.id;
      const browse = await get('hxMerchant', '/api/v1/assets?category=honey');
      expect(browse.json().items.map((a: { id: string }) => a.id)).to.include(assetId);
    });

    it('the buyer in county B orders with a deposit of at most 20%', async () => {
      const over = await post('hxMerchant', '/api/v1/orders', { assetId, buyerSubjectId: buyer, depositFen: 26_001, depositPaymentRef: 'PAY-D-1' });
      expect(over.statusCode, 'deposit over 20%').to.equal(422);
      const zero = await post('hxMerchant', '/api/v1/orders', { assetId, buyerSubjectId: buyer, depositFen: 0, depositPaymentRef: 'PAY-D-1' });
      expect(zero.statusCode).to.equal(422);
      const wrongMerchant = await post('ldMerchant', '/api/v1/orders', { assetId, buyerSubjectId: buyer, depositFen: 26_000, depositPaymentRef: 'PAY-D-1' });
      expect(wrongMerchant.statusCode, 'merchant not bound to the buyer').to.equal(403);
      const ordered = await post('hxMerchant', '/api/v1/orders', { assetId, buyerSubjectId: buyer, depositFen: 26_000, depositPaymentRef: 'PAY-D-1' });
      expect(ordered.statusCode, ordered.body).to.equal(201);
      orderId = ordered.json().result.id;
      expect(ordered.json().result).to.include({ status: 'ordered', crossRegion: true, originCounty: LIANGDANG, buyerCounty: HUIXIAN });
    });

    it('only a verifier records the on-site verification; settlement before it is refused', async () => {
      const early = await post('hxMerchant', `/api/v1/orders/${orderId}/settlement`, { paymentRef: 'PAY-B-1' });
      expect(early.statusCode, 'wrong state').to.equal(409);
      const notVerifier = await post('auditor', `/api/v1/orders/${orderId}/verification`, { result: 'pass', evidenceRefs: ['site-visit-1'] });
      expect(notVerifier.statusCode).to.equal(403);
      const pass = await post('verifier', `/api/v1/orders/${orderId}/verification`, {
        result: 'pass',
        evidenceRefs: ['site-visit-1'],
        note: 'jars sealed, labels match',
      });
      expect(pass.statusCode, pass.body).to.equal(201);
      expect(pass.json().result.status).to.equal('verified');
    });

    it('the buyer settles: ownership moves, T+1 date, cross-region flag, and the deal evidence is anchored', async () => {
      const settled = await post('hxMerchant', `/api/v1/orders/${orderId}/settlement`, { paymentRef: 'PAY-B-1' });
      expect(settled.statusCode, settled.body).to.equal(201);
      settleBlock = settled.json().blockNumber;
      const order = settled.json().result;
      expect(order.status).to.equal('settled');
      expect(order.settlement.settlementDate).to.match(/^\d{4}-\d{2}-\d{2}$/);
      expect(order.settlement.deal).to.include({ crossRegion: true, priceFen: 130_000, depositFen: 26_000, balanceFen: 104_000 });
      const again = await post('hxMerchant', `/api/v1/orders/${orderId}/settlement`, { paymentRef: 'PAY-B-2' });
      expect(again.statusCode).to.equal(409);

      const history = await get('auditor', `/api/v1/assets/${assetId}/history`);
      expect(history.statusCode).to.equal(200);
      const owners = history.json().items.map((h: { ownerSubjectId?: string; toSubjectId?: string }) => h.toSubjectId ?? h.ownerSubjectId);
      expect(JSON.stringify(history.json())).to.contain(seller);
      expect(owners).to.include(buyer);
      const asset = await get('auditor', `/api/v1/assets/${assetId}`);
      expect(JSON.stringify(asset.json())).to.contain(buyer);

      // The settled price moves the category's index, which any member may read, INDEX_LAG_MS after the settlement.
      expect((await get('auditor', '/api/v1/categories/honey/index')).statusCode, 'settled less than INDEX_LAG_MS ago').to.equal(404);
      const clock = useClock();
      let index;
      try {
        clock.advanceMs(INDEX_LAG_MS);
        index = await get('auditor', '/api/v1/categories/honey/index');
      } finally {
        clock.restore();
      }
      expect(index.statusCode, index.body).to.equal(200);
      expect(index.json()).to.deep.include({ category: 'honey', indexFen: 130_000, recentPricesFen: [130_000] });
      expect((await get('auditor', '/api/v1/categories/saffron/index')).statusCode, 'no trade in that category yet').to.equal(404);
    });

    it('an auditor downloads the deal, verifies it against the block, and a one-byte change does not match', async () => {
      const deal = await get('auditor', `/api/v1/orders/${orderId}/deal`);
      expect(deal.statusCode).to.equal(200);
      const bytes = deal.rawPayload;
      const order = (await get('auditor', `/api/v1/orders/${orderId}`)).json();
      expect(createHash('sha256').update(bytes).digest('hex')).to.equal(order.settlement.evidenceSha256);

      const verified = await upload('auditor', '/api/v1/evidence/verify', bytes, 'application/json');
      expect(verified.statusCode).to.equal(200);
      const v = verified.json();
      expect(v.match).to.equal(true);
      expect(v.transaction).to.include({
        blockNumber: settleBlock,
        validationCode: 'VALID',
        transactionName: tx.market.settleOrder.qualifiedName,
        creatorMspId: HUIXIAN,
      });
      expect(v.transaction.endorsingOrganisations).to.have.length.greaterThan(0);

      const tampered = Buffer.from(bytes);
      tampered[tampered.length - 2] = tampered[tampered.length - 2]! ^ 0x01;
      const bad = await upload('auditor', '/api/v1/evidence/verify', tampered, 'application/json');
      expect(bad.json().match).to.equal(false);
    });

    it('the public sees the trade in the statistics of the county of origin, without a key and without the parties', async () => {
      const today = cstDate(Date.now());
      const res = await f.request('GET', `/api/v1/public/trades?county=${LIANGDANG}&periodFrom=${today}&periodTo=${today}`);
      expect(res.statusCode, res.body).to.equal(200);
      expect(res.json()).to.include({ county: LIANGDANG, volumeFen: '130000', trades: 1 });
      expect(res.body).to.not.contain(seller);
      expect(res.body).to.not.contain(buyer);
      const reversed = await f.request('GET', `/api/v1/public/trades?county=${LIANGDANG}&periodFrom=${today}&periodTo=2020-01-01`);
      expect(reversed.statusCode).to.equal(400);
    });

    it('the ledger audit passes over the whole flow', async () => {
      const audit = await get('auditor', '/api/v1/audit/ledger');
      expect(audit.json()).to.include({ ok: true });
    });
  });
}
