import { expect } from 'chai';
import { earliestRepairDate } from '../../chaincode/src/credit/rules';
import { DEFAULT_PARAMETERS } from '../../chaincode/src/parameters/parameters';
import { addDays } from '../../chaincode/src/kernel/time';
import { decision, todayCst, violationInput } from '../support/credit-world';
import { corruptCreditCode, creditCode } from '../support/market-world';
import { multipartBody } from '../support/multipart';
import {
  CountyApps,
  CountyMsp,
  ensureCountiesRegistered,
  FabricAppFixture,
  openCountyApps,
  peersInSync,
  runId,
  uniqueSerial,
  countyRequests,
} from './fabric-fixture';

const LIANGDANG = 'LiangdangMSP';
const HUIXIAN = 'HuixianMSP';
const FENGXIAN = 'FengxianMSP';

/**
 * Joint punishment (一处失信、处处受限) on the real three-county network, through HTTP, each county's
 * users on their own county's gateway: Liangdang's enforcement blacklists a Huixian enterprise with
 * a trading restriction, and Huixian's gateway (Huixian's peer) refuses that enterprise's order.
 *
 * Time on Fabric is the client's proposal timestamp, which the peers accept only close to real
 * time, so the clock cannot be moved here: the chaincode refuses an entry starting before the
 * decision date, so an entry that has already ended cannot be made, and the minimum publication
 * period before repair cannot pass. This suite shows what the clock allows (the refusal of an early
 * repair, an entry that starts tomorrow not restricting today, lifting the restriction by
 * withdrawing the entry on an objection); expiry and repair after the period are covered on the embedded ledger
 * (test/gateway/blacklist.test.ts), where the clock moves.
 */
describe('on Fabric: blacklist joint punishment across the three counties’ gateways', () => {
  let counties: CountyApps;
  const seller = creditCode('621228', uniqueSerial());
  const buyer = creditCode('621227', uniqueSerial());
  const keys: Record<string, { app: FabricAppFixture; key: string }> = {};
  const member = (name: string) => `${name}-b${runId}`;
  let assetId = '';
  let entryId = '';
  let entryStart = '';

  const { post, get } = countyRequests(() => counties, keys);
  const placeOrder = () => post('hxMerchant', '/orders', { assetId, buyerSubjectId: buyer, depositFen: 20_000, depositPaymentRef: `pay:dep-${runId}` });
  const problem = (res: { statusCode: number; body: string; headers: Record<string, unknown>; json(): any }, status: number, code: string) => {
    expect(res.statusCode, res.body).to.equal(status);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.json().code, res.body).to.equal(code);
    return res.json();
  };

  /** Records a serious violation of `subjectId` and blacklists it on that basis; answers the entry. */
  async function blacklist(who: string, subjectId: string, overrides: Record<string, unknown> = {}): Promise<any> {
    const ev = await post(who, '/credit-events', violationInput(subjectId));
    expect(ev.statusCode, ev.body).to.equal(201);
    expect(ev.json().result).to.include({ subjectId, outcome: 'penalty' });
    const res = await post(who, '/blacklist', { subjectId, basisEventIds: [ev.json().result.id], ...decision(overrides) });
    expect(res.statusCode, res.body).to.equal(201);
    return res.json().result;
  }

  before(async () => {
    counties = await openCountyApps();
    const people: Array<[string, CountyMsp, string, string[]]> = [
      ['ldAdmin', LIANGDANG, 'admin', []],
      ['hxAdmin', HUIXIAN, 'admin', []],
      ['fxAdmin', FENGXIAN, 'admin', []],
      ['enfA', LIANGDANG, member('enf-ld'), ['enforcement']],
      ['enfB', HUIXIAN, member('enf-hx'), ['enforcement']],
      ['regA', LIANGDANG, member('reg-ld'), ['regulator']],
      ['regB', HUIXIAN, member('reg-hx'), ['regulator']],
      ['ldMerchant', LIANGDANG, member('shop-ld'), ['merchant']],
      ['hxMerchant', HUIXIAN, member('shop-hx'), ['merchant']],
      ['auditor', FENGXIAN, member('audit-fx'), ['auditor']],
    ];
    const adminOf: Record<string, string> = { [LIANGDANG]: 'ldAdmin', [HUIXIAN]: 'hxAdmin', [FENGXIAN]: 'fxAdmin' };
    for (const [alias, msp, name, roles] of people) {
      const app = counties.apps[msp];
      keys[alias] = { app, key: await app.keyFor(msp, name) };
      for (const role of roles) {
        const r = await post(adminOf[msp]!, `/members/${msp}:${name}/roles`, { role });
        expect(r.statusCode, r.body).to.equal(201);
      }
    }
    await ensureCountiesRegistered(counties);
    // the seller (Liangdang) and the buyer (Huixian), green, with their merchants bound
    for (const [reg, code, merchant] of [
      ['regA', seller, member('shop-ld')],
      ['regB', buyer, member('shop-hx')],
    ] as const) {
      expect((await post(reg, '/subjects', { creditCode: code, name: `enterprise ${code}` })).statusCode).to.equal(201);
      expect((await post(reg, `/subjects/${code}/access`, { status: 'green', evidenceRefs: ['doc:review'] })).statusCode).to.equal(201);
      expect((await post(reg, `/subjects/${code}/merchants`, { member: merchant })).statusCode).to.equal(201);
    }
    // an eco product of the seller, with its certification anchored
    const body = multipartBody({ content: Buffer.from(`soil test ${runId}: walnut grove 3`), contentType: 'application/pdf' });
    const soil = await keys.ldMerchant!.app.app.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      payload: body.payload,
      headers: { ...body.headers, authorization: `Bearer ${keys.ldMerchant!.key}` },
    });
    expect(soil.statusCode, soil.body).to.equal(201);
    const listed = await post('ldMerchant', '/assets', {
      ownerSubjectId: seller,
      kind: 'eco-product',
      title: 'Walnut oil, 40 bottles',
      category: `walnut-oil-${runId}`,
      costFen: 100_000,
      priceFen: 130_000,
      certifications: [{ kind: 'soil-test', sha256: soil.json().result.sha256 }],
    });
    expect(listed.statusCode, listed.body).to.equal(201);
    assetId = listed.json().result.id;
  });
  after(async () => counties?.close());

  it('Liangdang’s enforcement blacklists the Huixian buyer with a trading restriction; every county’s peer sees it', async () => {
    const entry = await blacklist('enfA', buyer, { measures: ['trading'] });
    entryId = entry.id;
    entryStart = entry.startDate;
    expect(entry).to.include({ issuingCounty: LIANGDANG, subjectId: buyer, severity: 'serious', status: 'published' });
    for (const who of ['ldMerchant', 'enfB', 'auditor']) {
      const check = await get(who, `/blacklist/check/${buyer}`);
      expect(check.statusCode, check.body).to.equal(200);
      expect(check.json(), who).to.include({ blacklisted: true, underObjection: false });
      expect(check.json().restricted).to.deep.equal({ trading: true, licensing: false, fund: false });
      expect(check.json().entries.map((e: { id: string }) => e.id)).to.deep.equal([entryId]);
    }
    // the buyer's credit file, read in a third county: class D while the entry is in force
    const file = await get('auditor', `/subjects/${buyer}/credit`);
    expect(file.statusCode, file.body).to.equal(200);
    expect(file.json()).to.include({ creditClass: 'D' });
    // public disclosure (no key): the enterprise entry is listed
    const pub = await counties.apps[FENGXIAN].request('GET', `/api/v1/public/blacklist?county=${LIANGDANG}&measure=trading&limit=100`);
    expect(pub.statusCode, pub.body).to.equal(200);
    expect(pub.json().items.map((e: { creditCode: string }) => e.creditCode)).to.include(buyer);
  });

  it('the buyer’s order placed through Huixian’s gateway is refused with 422 RULE_VIOLATION and writes nothing', async () => {
    const height = await peersInSync(counties);
    const refused = problem(await placeOrder(), 422, 'RULE_VIOLATION');
    expect(refused.detail).to.match(/blacklisted with a trading restriction by LiangdangMSP/);
    expect(refused.detail).to.contain(entryId);
    expect(await peersInSync(counties), 'no transaction for a refused order').to.equal(height);
    const asset = await get('ldMerchant', `/assets/${assetId}`);
    expect(asset.json()).to.include({ status: 'listed', ownerSubjectId: seller });
  });

  it('Huixian’s enforcement cannot repair Liangdang’s entry (403 FORBIDDEN); Liangdang’s own repair before the minimum period is refused (422)', async () => {
    const height = await peersInSync(counties);
    const byB = problem(await post('enfB', `/blacklist/${entryId}/repair`, { rectificationEvidenceRefs: ['doc:rectified'] }), 403, 'FORBIDDEN');
    expect(byB.detail).to.match(/only by the enforcement of LiangdangMSP/);
    problem(await post('regA', `/blacklist/${entryId}/repair`, { rectificationEvidenceRefs: ['doc:rectified'] }), 403, 'FORBIDDEN');
    problem(await post('enfB', `/blacklist/${entryId}/objection/resolution`, { decision: 'entry-withdrawn', note: 'not ours to decide' }), 403, 'FORBIDDEN');
    const early = problem(await post('enfA', `/blacklist/${entryId}/repair`, { rectificationEvidenceRefs: ['doc:rectified'] }), 422, 'RULE_VIOLATION');
    // serious: six months of publication before repair
    expect(early.detail).to.match(/minimum publication period/);
    expect(early.detail).to.contain(earliestRepairDate(entryStart, 'serious', DEFAULT_PARAMETERS.minPublicationMonths));
    expect(await peersInSync(counties)).to.equal(height);
    const still = await get('auditor', `/blacklist/${entryId}`);
    expect(still.json()).to.include({ status: 'published', active: true });
  });

  it('an objection by the buyer’s merchant shows in the single and bulk checks of every county; the issuing county withdraws the entry and Huixian then accepts the order', async () => {
    const filed = await post('hxMerchant', `/blacklist/${entryId}/objection`, {
      grounds: 'the discharge came from a neighbouring plant',
      evidenceRefs: ['doc:objection-1'],
    });
    expect(filed.statusCode, filed.body).to.equal(201);
    expect(filed.json().result).to.include({ underObjection: true, status: 'published' });
    for (const who of ['enfA', 'enfB', 'auditor']) {
      const check = (await get(who, `/blacklist/check/${buyer}`)).json();
      expect(check, who).to.include({ blacklisted: true, underObjection: true });
      expect(check.entries.find((e: { id: string }) => e.id === entryId).underObjection).to.equal(true);
    }
    // under objection, the restriction still applies
    problem(await placeOrder(), 422, 'RULE_VIOLATION');
    // repair while an objection is open is a conflict, for the issuing county too
    problem(await post('enfA', `/blacklist/${entryId}/repair`, { rectificationEvidenceRefs: ['doc:rectified'] }), 409, 'CONFLICT');

    // bulk check through Huixian's gateway: per-item results, malformed codes reported, not failing the batch
    const clean = creditCode('621227', uniqueSerial());
    const bulk = await post('enfB', '/blacklist/check', { codes: [buyer, clean, corruptCreditCode(buyer), 'ABC'] });
    expect(bulk.statusCode, bulk.body).to.equal(200);
    expect(bulk.json()).to.include({ count: 4, invalid: 2, blacklisted: 1 });
    const items = bulk.json().items;
    expect(items.map((i: { valid: boolean }) => i.valid)).to.deep.equal([true, true, false, false]);
    expect(items[0]).to.include({ blacklisted: true, underObjection: true });
    expect(items[0].restricted).to.deep.equal({ trading: true, licensing: false, fund: false });
    expect(items[1]).to.include({ blacklisted: false });
    expect(items[2].problem).to.match(/check character/);
    problem(await post('enfB', '/blacklist/check', { codes: [] }), 400, 'INVALID_ARGUMENT');

    const withdrawn = await post('enfA', `/blacklist/${entryId}/objection/resolution`, {
      decision: 'entry-withdrawn',
      note: 'the inspection found the neighbouring plant responsible',
    });
    expect(withdrawn.statusCode, withdrawn.body).to.equal(200);
    expect(withdrawn.json().result).to.include({ status: 'withdrawn', active: false, underObjection: false });
    expect(withdrawn.json().result.withdrawal).to.include({ ground: 'objection', objectionSeq: 1 });
    const check = (await get('enfB', `/blacklist/check/${buyer}`)).json();
    expect(check).to.include({ blacklisted: false });
    expect(check.restricted).to.deep.equal({ trading: false, licensing: false, fund: false });

    const ordered = await placeOrder();
    expect(ordered.statusCode, ordered.body).to.equal(201);
    expect(ordered.json().result).to.include({ status: 'ordered', buyerCounty: HUIXIAN, originCounty: LIANGDANG });
    // withdrawn, kept in the subject's history on every peer
    const history = await get('auditor', `/subjects/${buyer}/blacklist`);
    expect(history.json().items.map((e: { id: string; status: string }) => [e.id, e.status])).to.deep.equal([[entryId, 'withdrawn']]);
    const cancelled = await post('ldMerchant', `/orders/${ordered.json().result.id}/cancel`, { reason: 'test over' });
    expect(cancelled.statusCode, cancelled.body).to.equal(201);
  });

  it('dates are the peers’: an entry starting before today is refused; one starting tomorrow does not restrict today', async () => {
    const subject = creditCode('621228', uniqueSerial());
    expect((await post('regA', '/subjects', { creditCode: subject, name: `enterprise ${subject}` })).statusCode).to.equal(201);
    const ev = (await post('enfA', '/credit-events', violationInput(subject))).json().result;
    const backdated = problem(
      await post('enfA', '/blacklist', {
        subjectId: subject,
        basisEventIds: [ev.id],
        ...decision({ startDate: addDays(todayCst(), -30), endDate: addDays(todayCst(), -1) }),
      }),
      422,
      'RULE_VIOLATION',
    );
    expect(backdated.detail).to.match(/may not be before the decision date/);
    const tomorrow = addDays(todayCst(), 1);
    const later = await post('enfA', '/blacklist', {
      subjectId: subject,
      basisEventIds: [ev.id],
      ...decision({ startDate: tomorrow, endDate: addDays(tomorrow, 30) }),
    });
    expect(later.statusCode, later.body).to.equal(201);
    const entry = later.json().result;
    const got = await get('enfB', `/blacklist/${entry.id}`);
    expect(got.json()).to.include({ status: 'published', active: false, startDate: tomorrow });
    const check = (await get('auditor', `/blacklist/check/${subject}`)).json();
    expect(check).to.include({ blacklisted: false });
    expect(check.restricted.trading).to.equal(false);
  });
});
