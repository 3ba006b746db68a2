import { expect } from 'chai';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { registerCountiesOn } from '../support/credit-world';
import { INDEX_LAG_MS } from '../../chaincode/src/market/risk';
import { creditCode, corruptCreditCode, useClock } from '../support/market-world';
import { multipartBody } from '../support/multipart';

/** Bad input, authentication and roles on the subjects, assets, orders and alerts routes. */
describe('gateway /api/v1 subjects, assets, orders, alerts: input and access', () => {
  let f: AppFixture;
  const k: Record<string, string> = {};
  const seller = creditCode('621228', 3001);
  const buyer = creditCode('621227', 3002);
  let assetId = '';

  const call = (who: string | undefined, method: 'GET' | 'POST' | 'DELETE' | 'PUT', url: string, body?: unknown) =>
    f.app.inject({ method, url, headers: who ? { authorization: `Bearer ${k[who]}` } : {}, ...(body !== undefined ? { payload: body as never } : {}) });

  before(async () => {
    f = await openAppFixture();
    await f.grant(LIANGDANG, 'reg', 'regulator');
    await f.grant(HUIXIAN, 'reg', 'regulator');
    await f.grant(LIANGDANG, 'shop', 'merchant');
    await f.grant(HUIXIAN, 'shop', 'merchant');
    await f.grant(HUIXIAN, 'checker', 'verifier');
    await f.grant(LIANGDANG, 'finance', 'finance');
    k.ldReg = await f.keyFor(LIANGDANG, 'reg');
    k.hxReg = await f.keyFor(HUIXIAN, 'reg');
    k.ldShop = await f.keyFor(LIANGDANG, 'shop');
    k.hxShop = await f.keyFor(HUIXIAN, 'shop');
    k.checker = await f.keyFor(HUIXIAN, 'checker');
    k.finance = await f.keyFor(LIANGDANG, 'finance');
    // "nobody" takes no part in any trade here; it holds a role (a member with none reaches only
    // /members/me and its own keys, see member-keys.test.ts), and not one these routes ask for.
    await f.grant(LIANGDANG, 'nobody', 'auditor');
    k.nobody = await f.keyFor(LIANGDANG, 'nobody');
    // Enterprises are registered by the county of their code's division, which the ledger reads from the county record.
    await registerCountiesOn(f);
  });
  after(async () => f.close());

  it('every route refuses a request without an API key', async () => {
    const routes: Array<['GET' | 'POST' | 'PUT', string]> = [
      ['POST', '/api/v1/subjects'],
      ['POST', '/api/v1/subjects/individuals'],
      ['GET', `/api/v1/subjects/${seller}`],
      ['POST', `/api/v1/subjects/${seller}/access`],
      ['POST', `/api/v1/subjects/${seller}/merchants`],
      ['POST', '/api/v1/assets'],
      ['GET', '/api/v1/assets?category=honey'],
      ['POST', '/api/v1/orders'],
      ['GET', '/api/v1/orders/o-1'],
      ['POST', '/api/v1/orders/o-1/verification'],
      ['POST', '/api/v1/orders/o-1/settlement'],
      ['POST', '/api/v1/orders/o-1/cancel'],
      ['GET', '/api/v1/alerts'],
      ['POST', '/api/v1/alerts/al-1/resolution'],
      ['GET', '/api/v1/parameters'],
      ['POST', '/api/v1/parameters/proposals'],
      ['GET', '/api/v1/trades?originCounty=LiangdangMSP&date=2026-01-01'],
    ];
    for (const [method, url] of routes) {
      const res = await call(undefined, method, url, method === 'GET' ? undefined : {});
      expect(res.statusCode, `${method} ${url}`).to.equal(401);
    }
  });

  it('subjects: a bad credit code is 400 before the ledger; only a regulator registers; the county regulator sets access', async () => {
    const height = await f.ledger.ledger.height();
    for (const body of [{ creditCode: corruptCreditCode(seller) }, { creditCode: 'SHORT' }, { creditCode: seller, extra: 1 }, {}]) {
      const res = await call('ldReg', 'POST', '/api/v1/subjects', body);
      expect(res.statusCode, JSON.stringify(body)).to.equal(400);
      expect(res.json().code).to.equal('INVALID_ARGUMENT');
    }
    expect(await f.ledger.ledger.height()).to.equal(height);
    expect((await call('ldShop', 'POST', '/api/v1/subjects', { creditCode: seller })).statusCode).to.equal(403);
    expect((await call('ldReg', 'POST', '/api/v1/subjects', { creditCode: seller })).statusCode).to.equal(201);
    expect((await call('ldReg', 'POST', '/api/v1/subjects', { creditCode: seller })).statusCode).to.equal(409);
    expect((await call('hxReg', 'POST', '/api/v1/subjects', { creditCode: buyer })).statusCode).to.equal(201);
    const otherCounty = await call('hxReg', 'POST', `/api/v1/subjects/${seller}/access`, { status: 'green', evidenceRefs: ['d-1'] });
    expect(otherCounty.statusCode, 'regulator of another county').to.equal(403);
    const noEvidence = await call('ldReg', 'POST', `/api/v1/subjects/${seller}/access`, { status: 'green', evidenceRefs: [] });
    expect(noEvidence.statusCode).to.equal(400);
    const orangeNoLimit = await call('ldReg', 'POST', `/api/v1/subjects/${seller}/access`, { status: 'orange', evidenceRefs: ['d-1'] });
    expect(orangeNoLimit.statusCode).to.equal(400);
    const floatLimit = await call('ldReg', 'POST', `/api/v1/subjects/${seller}/access`, { status: 'orange', tradeLimitFen: 10.5, evidenceRefs: ['d-1'] });
    expect(floatLimit.statusCode).to.equal(400);
    for (const [reg, code, shop] of [
      ['ldReg', seller, 'shop'],
      ['hxReg', buyer, 'shop'],
    ] as const) {
      expect((await call(reg, 'POST', `/api/v1/subjects/${code}/access`, { status: 'green', evidenceRefs: ['d-1'] })).statusCode).to.equal(201);
      expect((await call(reg, 'POST', `/api/v1/subjects/${code}/merchants`, { member: shop })).statusCode).to.equal(201);
    }
    const history = await call('nobody', 'GET', `/api/v1/subjects/${seller}/access/history`);
    expect(history.statusCode).to.equal(200);
    expect(history.json().items).to.have.length(1);
    const list = await call('nobody', 'GET', `/api/v1/subjects?county=${LIANGDANG}`);
    expect(list.json().items.length).to.be.at.least(1);
    const unknown = await call('nobody', 'GET', `/api/v1/subjects/${creditCode('621228', 9999)}`);
    expect(unknown.statusCode).to.equal(404);
  });

  it('individuals: the ID number only reaches the private collection; the subject ID is an HMAC', async () => {
    const bad = await call('ldReg', 'POST', '/api/v1/subjects/individuals', { idNumber: '12345', name: 'Zhang San' });
    expect(bad.statusCode).to.equal(400);
    const res = await call('ldReg', 'POST', '/api/v1/subjects/individuals', { idNumber: '62122819900101123X', name: 'Zhang San' });
    expect(res.statusCode, res.body).to.equal(201);
    const subjectId = res.json().result.id ?? res.json().result.subjectId;
    expect(subjectId).to.match(/^ind-[0-9a-f]{64}$/);
    expect(res.body).to.not.contain('62122819900101123X');
    const block = await f.ledger.ledger.getBlock(res.json().blockNumber);
    expect(JSON.stringify(block)).to.not.contain('62122819900101123X');
    expect(JSON.stringify(block)).to.not.contain('Zhang San');
    const personal = await call('ldReg', 'GET', `/api/v1/subjects/${subjectId}/personal-data`);
    expect(personal.statusCode, personal.body).to.equal(200);
    expect(personal.body).to.contain('62122819900101123X');
    const otherCounty = await call('hxReg', 'GET', `/api/v1/subjects/${subjectId}/personal-data`);
    expect(otherCounty.statusCode).to.equal(403);
  });

  it('merchant bindings and individuals: only the regulator of the subject’s county binds, unbinds or registers', async () => {
    const third = creditCode('621228', 3003);
    expect((await call('ldReg', 'POST', '/api/v1/subjects', { creditCode: third })).statusCode).to.equal(201);
    expect((await call('ldReg', 'POST', `/api/v1/subjects/${third}/access`, { status: 'green', evidenceRefs: ['d-3'] })).statusCode).to.equal(201);
    const height = await f.ledger.ledger.height();
    for (const body of [{}, { member: '' }, { member: 'shop', extra: true }, { member: 'x'.repeat(200) }]) {
      expect((await call('ldReg', 'POST', `/api/v1/subjects/${third}/merchants`, body)).statusCode, JSON.stringify(body)).to.equal(400);
    }
    for (const who of ['ldShop', 'hxReg', 'nobody', 'checker']) {
      expect((await call(who, 'POST', `/api/v1/subjects/${third}/merchants`, { member: 'shop' })).statusCode, who).to.equal(403);
    }
    // Any county's regulator registers individuals (in its own private collection); no other role does.
    for (const who of ['ldShop', 'nobody', 'checker']) {
      expect((await call(who, 'POST', '/api/v1/subjects/individuals', { idNumber: '62122819900101123X', name: 'Li Si' })).statusCode, who).to.equal(403);
    }
    expect(await f.ledger.ledger.height(), 'refusals write nothing').to.equal(height);

    expect((await call('ldReg', 'POST', `/api/v1/subjects/${third}/merchants`, { member: 'shop' })).statusCode).to.equal(201);
    const bound = await call('nobody', 'GET', `/api/v1/merchant-bindings?mspId=${LIANGDANG}&member=shop`);
    expect(bound.statusCode, bound.body).to.equal(200);
    const activeFor = (res: { json(): { items: Array<{ subjectId: string; active?: boolean }> } }) =>
      res
        .json()
        .items.filter((b) => b.active !== false)
        .map((b) => b.subjectId);
    expect(activeFor(bound)).to.include(third);
    expect((await call('nobody', 'GET', '/api/v1/merchant-bindings?member=shop')).statusCode, 'mspId is required').to.equal(400);

    for (const who of ['ldShop', 'hxReg', 'nobody']) {
      expect((await call(who, 'DELETE', `/api/v1/subjects/${third}/merchants/shop`)).statusCode, who).to.equal(403);
    }
    expect((await call('ldReg', 'DELETE', '/api/v1/subjects/SHORT/merchants/shop')).statusCode, 'not a subject ID').to.equal(400);
    expect((await call('ldReg', 'DELETE', `/api/v1/subjects/${third}/merchants/bad%20name`)).statusCode, 'not a member name').to.equal(400);
    expect((await call('ldReg', 'DELETE', `/api/v1/subjects/${corruptCreditCode(third)}/merchants/shop`)).statusCode, 'no such subject').to.equal(404);
    const unbound = await call('ldReg', 'DELETE', `/api/v1/subjects/${third}/merchants/shop`);
    expect(unbound.statusCode, unbound.body).to.equal(200);
    expect(activeFor(await call('nobody', 'GET', `/api/v1/merchant-bindings?mspId=${LIANGDANG}&member=shop`))).to.not.include(third);
    const again = await call('ldReg', 'DELETE', `/api/v1/subjects/${third}/merchants/shop`);
    expect(again.statusCode, again.body).to.be.oneOf([404, 409]);
  });

  it('assets: bad input is 400, an unbound merchant is 403, exactly one filter is needed to list', async () => {
    const cert = multipartBody({ content: Buffer.from('organic certificate 77'), contentType: 'application/pdf' });
    const up = await f.app.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      payload: cert.payload,
      headers: { ...cert.headers, authorization: `Bearer ${k.ldShop}` },
    });
    const sha256 = up.json().result.sha256;
    const good = {
      ownerSubjectId: seller,
      kind: 'eco-product',
      title: 'Walnuts',
      category: 'walnut',
      costFen: 1000,
      priceFen: 1300,
      certifications: [{ kind: 'organic-certificate', sha256 }],
    };
    for (const body of [
      { ...good, costFen: -1 },
      { ...good, priceFen: 13.5 },
      { ...good, kind: 'spaceship' },
      { ...good, category: 'Bad Category' },
      { ...good, title: 'x'.repeat(201) },
    ]) {
      expect((await call('ldShop', 'POST', '/api/v1/assets', body)).statusCode, JSON.stringify(body)).to.equal(400);
    }
    expect((await call('hxShop', 'POST', '/api/v1/assets', good)).statusCode).to.equal(403);
    const listed = await call('ldShop', 'POST', '/api/v1/assets', good);
    expect(listed.statusCode, listed.body).to.equal(201);
    assetId = listed.json().result.id;
    expect((await call('nobody', 'GET', '/api/v1/assets')).statusCode).to.equal(400);
    expect((await call('nobody', 'GET', `/api/v1/assets?category=walnut&ownerSubjectId=${seller}`)).statusCode).to.equal(400);
    expect((await call('nobody', 'GET', `/api/v1/assets?ownerSubjectId=${seller}`)).json().items).to.have.length(1);
    expect((await call('nobody', 'GET', '/api/v1/assets/a-missing')).statusCode).to.equal(404);
    const unlist = await call('hxShop', 'POST', `/api/v1/assets/${assetId}/listing`, { listed: false });
    expect(unlist.statusCode).to.equal(403);
  });

  it('orders: bad input is 400; verification, settlement and cancellation check who calls', async () => {
    for (const body of [
      { assetId, buyerSubjectId: buyer, depositFen: 1.5, depositPaymentRef: 'P1' },
      { assetId, buyerSubjectId: 'nope', depositFen: 100, depositPaymentRef: 'P1' },
      { assetId },
    ]) {
      expect((await call('hxShop', 'POST', '/api/v1/orders', body)).statusCode, JSON.stringify(body)).to.equal(400);
    }
    const ordered = await call('hxShop', 'POST', '/api/v1/orders', { assetId, buyerSubjectId: buyer, depositFen: 260, depositPaymentRef: 'P1' });
    expect(ordered.statusCode, ordered.body).to.equal(201);
    const orderId = ordered.json().result.id;
    expect((await call('checker', 'POST', `/api/v1/orders/${orderId}/verification`, { result: 'maybe', evidenceRefs: ['x'] })).statusCode).to.equal(400);
    expect((await call('checker', 'POST', `/api/v1/orders/${orderId}/verification`, { result: 'pass', evidenceRefs: [] })).statusCode).to.equal(400);
    expect((await call('hxShop', 'POST', `/api/v1/orders/${orderId}/verification`, { result: 'pass', evidenceRefs: ['x'] })).statusCode).to.equal(403);
    expect((await call('ldShop', 'POST', `/api/v1/orders/${orderId}/settlement`, { paymentRef: 'P2' })).statusCode, "seller's merchant").to.equal(403);
    expect((await call('hxShop', 'POST', `/api/v1/orders/${orderId}/settlement`, { paymentRef: 'P2' })).statusCode, 'before verification').to.equal(409);
    expect((await call('hxShop', 'POST', `/api/v1/orders/${orderId}/settlement`, { paymentRef: 'bad ref!' })).statusCode).to.equal(400);
    expect((await call('nobody', 'POST', `/api/v1/orders/${orderId}/cancel`, { reason: 'changed my mind' })).statusCode).to.equal(403);
    expect((await call('hxShop', 'POST', `/api/v1/orders/${orderId}/cancel`, {})).statusCode).to.equal(400);
    const cancelled = await call('hxShop', 'POST', `/api/v1/orders/${orderId}/cancel`, { reason: 'changed my mind' });
    expect(cancelled.statusCode, cancelled.body).to.equal(201);
    expect(cancelled.json().result.status).to.equal('cancelled');
    expect((await call('hxShop', 'GET', `/api/v1/orders/${orderId}/deal`)).statusCode, 'not settled').to.equal(404);
    expect((await call('finance', 'GET', `/api/v1/orders/${orderId}/deal`)).statusCode, 'need to know').to.equal(403);
    expect((await call('finance', 'GET', `/api/v1/orders?subjectId=${buyer}&side=buyer`)).statusCode, 'need to know').to.equal(403);
    const mine = await call('hxShop', 'GET', `/api/v1/orders?subjectId=${buyer}&side=buyer`);
    expect(mine.json().items.map((o: { id: string }) => o.id)).to.include(orderId);
  });

  it('alerts: a suspicious order is suspended until a regulator of a party clears it', async () => {
    // The risk rules are shared parameters: changed by a majority of the registered counties.
    const change = { changes: { priceDeviationBp: 100, indexMinSamples: 1 }, note: 'tighter price rule' };
    expect((await call('ldShop', 'POST', '/api/v1/parameters/proposals', change)).statusCode, 'merchant').to.equal(403);
    expect((await call('ldReg', 'POST', '/api/v1/parameters/proposals', { changes: { pairTradeLimit: 0 }, note: 'x' })).statusCode).to.equal(400);
    const proposed = await call('ldReg', 'POST', '/api/v1/parameters/proposals', change);
    expect(proposed.statusCode, proposed.body).to.equal(201);
    const adopted = await call('hxReg', 'POST', `/api/v1/parameters/proposals/${proposed.json().result.id}/approvals`);
    expect(adopted.statusCode, adopted.body).to.equal(201);
    expect(adopted.json().result.state).to.equal('adopted');
    // Settle one trade to seed the category index, then order far off the index.
    const relist = await call('ldShop', 'POST', `/api/v1/assets/${assetId}/listing`, { listed: true });
    expect(relist.statusCode, relist.body).to.equal(201);
    const o1 = (await call('hxShop', 'POST', '/api/v1/orders', { assetId, buyerSubjectId: buyer, depositFen: 260, depositPaymentRef: 'P3' })).json().result.id;
    expect((await call('checker', 'POST', `/api/v1/orders/${o1}/verification`, { result: 'pass', evidenceRefs: ['v'] })).statusCode).to.equal(201);
    expect((await call('hxShop', 'POST', `/api/v1/orders/${o1}/settlement`, { paymentRef: 'P4' })).statusCode).to.equal(201);
    // The settled price counts for the index INDEX_LAG_MS after the settlement: the clock moves on.
    const lag = useClock();
    lag.advanceMs(INDEX_LAG_MS);
    try {
      const cert = multipartBody({ content: Buffer.from('organic certificate 78'), contentType: 'application/pdf' });
      const up = await f.app.inject({
        method: 'POST',
        url: '/api/v1/evidence',
        payload: cert.payload,
        headers: { ...cert.headers, authorization: `Bearer ${k.ldShop}` },
      });
      const dear = await call('ldShop', 'POST', '/api/v1/assets', {
        ownerSubjectId: seller,
        kind: 'eco-product',
        title: 'Walnuts premium',
        category: 'walnut',
        costFen: 1000,
        priceFen: 5000,
        certifications: [{ kind: 'organic-certificate', sha256: up.json().result.sha256 }],
      });
      const o2 = await call('hxShop', 'POST', '/api/v1/orders', {
        assetId: dear.json().result.id,
        buyerSubjectId: buyer,
        depositFen: 500,
        depositPaymentRef: 'P5',
      });
      expect(o2.statusCode, o2.body).to.equal(201);
      const order = o2.json().result;
      expect(order.status).to.equal('suspended');
      const verifySuspended = await call('checker', 'POST', `/api/v1/orders/${order.id}/verification`, { result: 'pass', evidenceRefs: ['v'] });
      expect(verifySuspended.statusCode).to.equal(422);
      const open = await call('nobody', 'GET', '/api/v1/alerts');
      expect(open.json().items.map((a: { id: string }) => a.id)).to.include(order.alertId);
      expect((await call('ldShop', 'POST', `/api/v1/alerts/${order.alertId}/resolution`, { decision: 'clear', note: 'checked' })).statusCode).to.equal(403);
      expect((await call('ldReg', 'POST', `/api/v1/alerts/${order.alertId}/resolution`, { decision: 'approve', note: 'checked' })).statusCode).to.equal(400);
      const cleared = await call('ldReg', 'POST', `/api/v1/alerts/${order.alertId}/resolution`, { decision: 'clear', note: 'premium grade, price justified' });
      expect(cleared.statusCode, cleared.body).to.equal(201);
      const after = await call('hxShop', 'GET', `/api/v1/orders/${order.id}`);
      expect(after.json().status).to.equal('ordered');
      const alert = await call('nobody', 'GET', `/api/v1/alerts/${order.alertId}`);
      expect(alert.json().status).to.equal('cleared');
    } finally {
      lag.restore();
    }
  });
});
