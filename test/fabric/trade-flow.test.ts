import { tx } from '../../chaincode/src/catalogue';
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { evaluate } from '../../gateway-api/src/ledger/calls';
import { LedgerError } from '../../gateway-api/src/ledger/errors';
import { creditCode } from '../support/market-world';
import { multipartBody } from '../support/multipart';
import { CountyApps, CountyMsp, ensureCountiesRegistered, FabricAppFixture, openCountyApps, peersInSync, runId, uniqueSerial } from './fabric-fixture';

const LIANGDANG = 'LiangdangMSP';
const HUIXIAN = 'HuixianMSP';
const FENGXIAN = 'FengxianMSP';

/**
 * The platform's core flow on the real three-county network, through HTTP as its users do it,
 * each county's users on their own county's gateway (and so their own county's peer): a merchant
 * in Liangdang sells an eco product to a buyer in Huixian, a verifier in Fengxian inspects it,
 * ownership moves, and an auditor in Fengxian proves the deal from the Fabric block.
 */
describe('on Fabric: ownership transfer and evidence through the three counties’ gateways', () => {
  let counties: CountyApps;
  const seller = creditCode('621228', uniqueSerial());
  const buyer = creditCode('621227', uniqueSerial());
  const keys: Record<string, { app: FabricAppFixture; key: string }> = {};
  const member = (name: string) => `${name}-t${runId}`;
  let certSha = '';
  let assetId = '';
  let orderId = '';
  let settleBlock = -1;
  let settleTx = '';

  // each member acts on its own county's peer, which may not have the block just committed on another's yet
  const post = async (who: string, url: string, body: unknown) => {
    await peersInSync(counties);
    return keys[who]!.app.request('POST', url, keys[who]!.key, body);
  };
  const get = async (who: string, url: string) => {
    await peersInSync(counties);
    return keys[who]!.app.request('GET', url, keys[who]!.key);
  };
  const upload = (who: string, url: string, content: Buffer, contentType = 'application/pdf') => {
    const body = multipartBody({ content, contentType });
    return keys[who]!.app.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${keys[who]!.key}` } });
  };

  before(async () => {
    counties = await openCountyApps();
    const people: Array<[string, CountyMsp, string, string[]]> = [
      ['ldAdmin', LIANGDANG, 'admin', []],
      ['hxAdmin', HUIXIAN, 'admin', []],
      ['fxAdmin', FENGXIAN, 'admin', []],
      ['ldRegulator', LIANGDANG, member('reg-ld'), ['regulator']],
      ['hxRegulator', HUIXIAN, member('reg-hx'), ['regulator']],
      ['ldMerchant', LIANGDANG, member('shop-ld'), ['merchant']],
      ['hxMerchant', HUIXIAN, member('shop-hx'), ['merchant']],
      ['verifier', FENGXIAN, member('eco-monitor'), ['verifier']],
      ['auditor', FENGXIAN, member('audit-fx'), ['auditor']],
      // a merchant the trade does not concern, and a county the trade does not concern
      ['fxMerchant', FENGXIAN, member('shop-fx'), ['merchant']],
      ['fxFinance', FENGXIAN, member('fin-fx'), ['finance']],
    ];
    const adminOf: Record<string, string> = { [LIANGDANG]: 'ldAdmin', [HUIXIAN]: 'hxAdmin', [FENGXIAN]: 'fxAdmin' };
    for (const [alias, msp, name, roles] of people) {
      const app = counties.apps[msp];
      keys[alias] = { app, key: await app.keyFor(msp, name) };
      for (const role of roles) {
        const r = await post(adminOf[msp]!, `/api/v1/members/${msp}:${name}/roles`, { role });
        expect(r.statusCode, r.body).to.equal(201);
      }
    }
    await ensureCountiesRegistered(counties);
  });
  after(async () => counties?.close());

  it('regulators register both enterprises, grant green access and bind their merchants, each on its own county’s peer', async () => {
    for (const [reg, code, merchant] of [
      ['ldRegulator', seller, member('shop-ld')],
      ['hxRegulator', buyer, member('shop-hx')],
    ] as const) {
      const reg1 = await post(reg, '/api/v1/subjects', { creditCode: code, name: `enterprise ${code}` });
      expect(reg1.statusCode, reg1.body).to.equal(201);
      const access = await post(reg, `/api/v1/subjects/${code}/access`, { status: 'green', evidenceRefs: ['decision-2026-001'] });
      expect(access.statusCode, access.body).to.equal(201);
      const bind = await post(reg, `/api/v1/subjects/${code}/merchants`, { member: merchant });
      expect(bind.statusCode, bind.body).to.equal(201);
    }
    // another county's regulator may not set a subject's access
    const foreign = await post('hxRegulator', `/api/v1/subjects/${seller}/access`, { status: 'red', evidenceRefs: ['x'] });
    expect(foreign.statusCode, foreign.body).to.equal(403);
    // every county reads the same subject record
    for (const who of ['hxMerchant', 'auditor']) {
      const subject = await get(who, `/api/v1/subjects/${seller}`);
      expect(subject.statusCode, subject.body).to.equal(200);
      expect(subject.json()).to.include({ id: seller, access: 'green', county: LIANGDANG });
    }
  });

  it('an individual’s personal data goes only to the county’s private collection and is read back on that county’s peer', async () => {
    const idNumber = `62122819900101${String(uniqueSerial() % 1000).padStart(3, '0')}X`;
    const reg = await post('ldRegulator', '/api/v1/subjects/individuals', { idNumber, name: '张三' });
    expect(reg.statusCode, reg.body).to.equal(201);
    const id = reg.json().result.id as string;
    expect(JSON.stringify(reg.json())).not.to.contain(idNumber);
    const personal = await get('ldRegulator', `/api/v1/subjects/${id}/personal-data`);
    expect(personal.statusCode, personal.body).to.equal(200);
    expect(personal.json()).to.include({ subjectId: id, idNumber, name: '张三' });
    // the same regulator, with its own key (which only Liangdang's gateway holds), on another
    // county's peer: that peer (which endorsed the registration as the second county) holds only
    // the hash, not the data
    const ownKey = await counties.apps[LIANGDANG].identity(LIANGDANG, member('reg-ld'));
    const viaHuixian = await evaluate(counties.apps[HUIXIAN].ledger, ownKey, tx.subjects.getPersonalData, { subjectId: id }).then(
      () => 'answered',
      (err: LedgerError) => err.code,
    );
    expect(viaHuixian).to.equal('NOT_FOUND');
    // another county's regulator is refused by the chaincode
    const foreign = await get('hxRegulator', `/api/v1/subjects/${id}/personal-data`);
    expect(foreign.statusCode, foreign.body).to.equal(403);
    // the public record (on every peer) has no personal data; the block carries none either
    const pub = await get('auditor', `/api/v1/subjects/${id}`);
    expect(pub.statusCode).to.equal(200);
    expect(pub.body).not.to.contain(idNumber);
    const block = await counties.apps[FENGXIAN].ledger.getBlock(reg.json().blockNumber);
    expect(Buffer.from(block.serializeBinary()).includes(Buffer.from(idNumber))).to.equal(false);
  });

  it('the merchant in Liangdang lists an eco product with an anchored soil test', async () => {
    const soil = await upload('ldMerchant', '/api/v1/evidence', Buffer.from(`soil test ${runId}: lot 7, heavy metals below limits`));
    expect(soil.statusCode, soil.body).to.equal(201);
    certSha = soil.json().result.sha256;
    const asset = {
      ownerSubjectId: seller,
      kind: 'eco-product',
      title: 'Wild honey, 50 jars',
      category: `honey-${runId}`,
      costFen: 100_000,
      certifications: [{ kind: 'soil-test', sha256: certSha }],
    };
    const tooCheap = await post('ldMerchant', '/api/v1/assets', { ...asset, priceFen: 129_999 });
    expect(tooCheap.statusCode, 'premium under 30%').to.equal(422);
    expect(tooCheap.json().code).to.equal('RULE_VIOLATION');
    const listed = await post('ldMerchant', '/api/v1/assets', { ...asset, priceFen: 130_000 });
    expect(listed.statusCode, listed.body).to.equal(201);
    assetId = listed.json().result.id;
    const browse = await get('hxMerchant', `/api/v1/assets?category=honey-${runId}`);
    expect(browse.statusCode, browse.body).to.equal(200);
    expect(browse.json().items.map((a: { id: string }) => a.id)).to.deep.equal([assetId]);
  });

  it('the buyer’s merchant in Huixian orders with a deposit of at most 20%', async () => {
    const over = await post('hxMerchant', '/api/v1/orders', { assetId, buyerSubjectId: buyer, depositFen: 26_001, depositPaymentRef: 'PAY-D-1' });
    expect(over.statusCode, 'deposit over 20%').to.equal(422);
    const wrongMerchant = await post('ldMerchant', '/api/v1/orders', { assetId, buyerSubjectId: buyer, depositFen: 26_000, depositPaymentRef: 'PAY-D-1' });
    expect(wrongMerchant.statusCode, 'merchant not bound to the buyer').to.equal(403);
    const ordered = await post('hxMerchant', '/api/v1/orders', { assetId, buyerSubjectId: buyer, depositFen: 26_000, depositPaymentRef: 'PAY-D-1' });
    expect(ordered.statusCode, ordered.body).to.equal(201);
    orderId = ordered.json().result.id;
    expect(ordered.json().result).to.include({ status: 'ordered', crossRegion: true, originCounty: LIANGDANG, buyerCounty: HUIXIAN });
    // Liangdang's merchant reads on Liangdang's peer: wait until it has the block of Huixian's order.
    await peersInSync(counties);
    const asset = await get('ldMerchant', `/api/v1/assets/${assetId}`);
    expect(asset.json().status).to.equal('reserved');
  });

  it('the verifier in Fengxian passes the on-site verification; settlement before it was refused', async () => {
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

  it('the buyer settles: ownership moves, the history shows both owners, the deal evidence is anchored in the same transaction', async () => {
    const settled = await post('hxMerchant', `/api/v1/orders/${orderId}/settlement`, { paymentRef: 'PAY-B-1' });
    expect(settled.statusCode, settled.body).to.equal(201);
    settleBlock = settled.json().blockNumber;
    settleTx = settled.json().txId;
    const order = settled.json().result;
    expect(order.status).to.equal('settled');
    expect(order.settlement.settlementDate).to.match(/^\d{4}-\d{2}-\d{2}$/);
    expect(order.settlement.txId).to.equal(settleTx);
    expect(order.settlement.deal).to.include({ crossRegion: true, priceFen: 130_000, depositFen: 26_000, balanceFen: 104_000 });
    const again = await post('hxMerchant', `/api/v1/orders/${orderId}/settlement`, { paymentRef: 'PAY-B-2' });
    expect(again.statusCode).to.equal(409);

    // every county's peer shows the new owner and both owners in the history
    for (const who of ['ldMerchant', 'hxMerchant', 'auditor']) {
      const history = await get(who, `/api/v1/assets/${assetId}/history`);
      expect(history.statusCode, history.body).to.equal(200);
      expect(history.json().items.map((t: { kind: string; toSubjectId: string }) => [t.kind, t.toSubjectId])).to.deep.equal([
        ['registration', seller],
        ['sale', buyer],
      ]);
      expect(history.json().items[1]).to.include({ fromSubjectId: seller, orderId, txId: settleTx });
      const asset = await get(who, `/api/v1/assets/${assetId}`);
      expect(asset.json()).to.include({ ownerSubjectId: buyer, status: 'held', transferCount: 1 });
    }
  });

  it('an auditor in a third county downloads the deal and verifies it from the Fabric block; a one-byte change does not match', async () => {
    const deal = await get('auditor', `/api/v1/orders/${orderId}/deal`);
    expect(deal.statusCode, deal.body).to.equal(200);
    const bytes = deal.rawPayload;
    const order = (await get('auditor', `/api/v1/orders/${orderId}`)).json();
    // need to know, decided by the chaincode on the peer: neither another merchant nor an unconcerned county's finance
    for (const who of ['fxMerchant', 'fxFinance']) {
      expect((await get(who, `/api/v1/orders/${orderId}`)).json().code, who).to.equal('FORBIDDEN');
      expect((await get(who, `/api/v1/orders/${orderId}/deal`)).statusCode, who).to.equal(403);
      expect((await get(who, `/api/v1/evidence/${order.settlement.evidenceSha256}`)).json().code, `${who}: the deal's evidence record`).to.equal('FORBIDDEN');
    }
    expect(createHash('sha256').update(bytes).digest('hex')).to.equal(order.settlement.evidenceSha256);

    const verified = await upload('auditor', '/api/v1/evidence/verify', bytes, 'application/json');
    expect(verified.statusCode, verified.body).to.equal(200);
    const v = verified.json();
    expect(v.match, verified.body).to.equal(true);
    expect(v.transaction).to.include({
      txId: settleTx,
      blockNumber: settleBlock,
      validationCode: 'VALID',
      transactionName: tx.market.settleOrder.qualifiedName,
      creatorMspId: HUIXIAN,
    });
    // majority-of-counties endorsement, read from the block itself
    expect(v.transaction.endorsingOrganisations.length).to.be.at.least(2);

    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 2] = tampered[tampered.length - 2]! ^ 0x01;
    const bad = await upload('auditor', '/api/v1/evidence/verify', tampered, 'application/json');
    expect(bad.json().match).to.equal(false);
  });

  it('the ledger audit passes over the whole Fabric chain', async () => {
    const audit = await get('auditor', '/api/v1/audit/ledger');
    expect(audit.json()).to.include({ ok: true });
  });
});
