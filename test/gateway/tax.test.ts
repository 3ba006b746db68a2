import { expect } from 'chai';
import { TaxEvents } from '../../chaincode/src/tax/tax-contract';
import { addDays } from '../../chaincode/src/kernel/time';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { created, expectRefusedHttp, okJson, registerCounties, sale, today, Trader, trader } from '../support/fund-world';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { Who, World } from '../support/market-world';

const API = '/api/v1';

describe('gateway /api/v1/tax: tax sharing between counties (税收分成)', function () {
  this.timeout(60_000);
  let f: AppFixture;
  let w: World;
  const key: Record<string, string> = {};
  let T: string;
  let ldHx: string;
  const t: Record<string, Trader> = {};
  let verifierF: Who;
  let verifierL: Who;

  const agreement = (overrides: Record<string, unknown> = {}) => ({
    counterpartCounty: HUIXIAN,
    taxRateBp: 500,
    originShareBp: 6000,
    validFrom: addDays(T, -10),
    validTo: addDays(T, 365),
    ...overrides,
  });
  const propose = (body: unknown, who = 'fin-l') => f.request('POST', `${API}/tax/agreements`, key[who], body);
  const approve = (id: string, who: string) => f.request('POST', `${API}/tax/agreements/${id}/approvals`, key[who]);

  before(async () => {
    f = await openAppFixture();
    w = World.over(f.ledger);
    T = today();
    await registerCounties(w);
    for (const [county, name, role] of [
      [LIANGDANG, 'fin-l', 'finance'],
      [HUIXIAN, 'fin-h', 'finance'],
      [FENGXIAN, 'fin-f', 'finance'],
      [LIANGDANG, 'reg-l', 'regulator'],
      [HUIXIAN, 'reg-h', 'regulator'],
      [FENGXIAN, 'reg-f', 'regulator'],
      [FENGXIAN, 'ver-f', 'verifier'],
      [LIANGDANG, 'ver-l', 'verifier'],
    ] as const) {
      await w.member(county, name, role);
      key[name] = await f.keyFor(county, name);
    }
    verifierF = await w.id(FENGXIAN, 'ver-f');
    verifierL = await w.id(LIANGDANG, 'ver-l');
    t.sellerL = await trader(w, LIANGDANG, await w.id(LIANGDANG, 'reg-l'));
    t.buyerL = await trader(w, LIANGDANG, await w.id(LIANGDANG, 'reg-l'));
    t.sellerH = await trader(w, HUIXIAN, await w.id(HUIXIAN, 'reg-h'));
    t.buyerH = await trader(w, HUIXIAN, await w.id(HUIXIAN, 'reg-h'));
    t.sellerF = await trader(w, FENGXIAN, await w.id(FENGXIAN, 'reg-f'));
    t.buyerF = await trader(w, FENGXIAN, await w.id(FENGXIAN, 'reg-f'));
  });
  after(async () => f.close());

  it('refuses bad agreements (400), other roles (403) and an agreement already over (422)', async () => {
    const bad = [
      agreement({ counterpartCounty: LIANGDANG }),
      agreement({ counterpartCounty: 'NowhereMSP' }),
      agreement({ validTo: addDays(T, -11) }),
      agreement({ taxRateBp: 0 }),
      agreement({ taxRateBp: 10001 }),
      agreement({ originShareBp: 10001 }),
      agreement({ originShareBp: -1 }),
      agreement({ originShareBp: 50.5 }),
      agreement({ validFrom: '2026-02-30' }),
      { ...agreement(), extra: 1 },
    ];
    for (const body of bad) await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => propose(body));
    await expectRefusedHttp(w, 403, 'FORBIDDEN', () => propose(agreement(), 'reg-l'));
    await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => propose(agreement({ validFrom: '2025-01-01', validTo: addDays(T, -1) })), /never be in force/);
  });

  it('both counties’ finance approve, once each; only then is it in force; third counties may not approve', async () => {
    const a = created(await propose(agreement()));
    ldHx = a.id;
    expect(a).to.include({ countyA: HUIXIAN, countyB: LIANGDANG, status: 'proposed', taxRateBp: 500, originShareBp: 6000 });
    await expectRefusedHttp(w, 403, 'FORBIDDEN', () => approve(ldHx, 'fin-f'));
    await expectRefusedHttp(w, 403, 'FORBIDDEN', () => approve(ldHx, 'reg-h'));
    await expectRefusedHttp(w, 404, 'NOT_FOUND', () => approve('ta-nope', 'fin-h'));
    expect(created(await approve(ldHx, 'fin-l'))).to.include({ status: 'proposed' });
    await expectRefusedHttp(w, 409, 'CONFLICT', () => approve(ldHx, 'fin-l'), /already approved/);
    const res = await approve(ldHx, 'fin-h');
    expect(created(res)).to.include({ status: 'effective' });
    const block = await f.ledger.ledger.getBlock(res.json().blockNumber);
    expect(block?.data.find((x) => x.txId === res.json().txId)?.event?.name).to.equal(TaxEvents.AgreementEffective);
    await expectRefusedHttp(w, 409, 'CONFLICT', () => approve(ldHx, 'fin-h'));
    expect(
      okJson(await f.request('GET', `${API}/tax/agreements?countyA=${LIANGDANG}&countyB=${HUIXIAN}`, key['fin-f'])).items.map((x: any) => x.id),
    ).to.deep.equal([ldHx]);
    expect(okJson(await f.request('GET', `${API}/tax/agreements/${ldHx}`, key['fin-f'])).approvals.map((x: any) => x.county)).to.deep.equal([
      LIANGDANG,
      HUIXIAN,
    ]);
  });

  it('agreements of a pair in force never overlap: refused at proposal, or at the approval that would make the second one effective', async () => {
    await expectRefusedHttp(
      w,
      422,
      'RULE_VIOLATION',
      () => propose(agreement({ counterpartCounty: LIANGDANG, validFrom: addDays(T, 300), validTo: addDays(T, 700) }), 'fin-h'),
      /already in force/,
    );
    // Liangdang–Fengxian: two overlapping proposals, both pending; the first to get both approvals wins.
    const x = created(await propose(agreement({ counterpartCounty: FENGXIAN, taxRateBp: 400, originShareBp: 7000 })));
    const y = created(
      await propose(agreement({ counterpartCounty: LIANGDANG, taxRateBp: 800, originShareBp: 2000, validFrom: T, validTo: addDays(T, 30) }), 'fin-f'),
    );
    created(await approve(y.id, 'fin-l'));
    created(await approve(x.id, 'fin-f'));
    expect(created(await approve(x.id, 'fin-l'))).to.include({ status: 'effective' });
    await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => approve(y.id, 'fin-f'), new RegExp(x.id));
  });

  it('each settled cross-region trade records its tax and split under the agreement in force; statements match the trades', async () => {
    // Huixian–Liangdang: 5%, origin 60%.
    await sale(w, t.sellerL as Trader, t.buyerH as Trader, verifierF, 130_000);
    await sale(w, t.sellerH as Trader, t.buyerL as Trader, verifierF, 200_000);
    await sale(w, t.sellerH as Trader, t.buyerL as Trader, verifierF, 150_001, 'rural-resource');
    // Liangdang–Fengxian: 4%, origin 70%.
    await sale(w, t.sellerF as Trader, t.buyerL as Trader, verifierL, 99_999);
    // Fengxian–Huixian: no agreement: 3% default, all to the origin county.
    await sale(w, t.sellerF as Trader, t.buyerH as Trader, verifierL, 120_000);
    // Within one county: no tax entry.
    await sale(w, t.sellerL as Trader, t.buyerL as Trader, verifierF, 110_000);

    const entries = okJson(await f.request('GET', `${API}/tax/entries?countyA=${LIANGDANG}&countyB=${HUIXIAN}&date=${T}`, key['fin-l'])).items;
    expect(entries.map((e: any) => [e.originCounty, e.priceFen, e.taxFen, e.originShareFen, e.buyerShareFen, e.agreementId])).to.have.deep.members([
      [LIANGDANG, 130_000, 6500, 3900, 2600, ldHx],
      [HUIXIAN, 200_000, 10_000, 6000, 4000, ldHx],
      // floor(150 001 × 500 / 10000) = 7500; 60% = 4500.
      [HUIXIAN, 150_001, 7500, 4500, 3000, ldHx],
    ]);
    const st = okJson(await f.request('GET', `${API}/tax/statements?countyA=${LIANGDANG}&countyB=${HUIXIAN}&from=${addDays(T, -30)}&to=${T}`, key['fin-h']));
    // Statement amounts are exact totals, decimal strings of fen.
    const sum = (k: string) => String(entries.reduce((s: number, e: any) => s + e[k], 0));
    expect(st).to.include({ countyA: HUIXIAN, countyB: LIANGDANG, trades: entries.length, priceFen: sum('priceFen'), taxFen: sum('taxFen') });
    const toHuixian = entries.reduce((s: number, e: any) => s + (e.originCounty === HUIXIAN ? e.originShareFen : e.buyerShareFen), 0);
    expect(st.shareAFen).to.equal(String(toHuixian));
    expect(BigInt(st.shareAFen) + BigInt(st.shareBFen)).to.equal(BigInt(st.taxFen));
    expect(st).to.include({ taxFen: '24000', shareAFen: String(2600 + 6000 + 4500), shareBFen: String(3900 + 4000 + 3000) });

    const lf = okJson(await f.request('GET', `${API}/tax/entries?countyA=${FENGXIAN}&countyB=${LIANGDANG}&date=${T}`, key['fin-l'])).items;
    // floor(99 999 × 400 / 10000) = 3999; 70% = 2799.3 → 2799, Liangdang 1200 (the spare fen by largest remainder: .7 > .3).
    expect(lf.map((e: any) => [e.taxRateBp, e.taxFen, e.originShareFen, e.buyerShareFen])).to.deep.equal([[400, 3999, 2799, 1200]]);
    const fh = okJson(await f.request('GET', `${API}/tax/entries?countyA=${HUIXIAN}&countyB=${FENGXIAN}&date=${T}`, key['fin-l'])).items;
    expect(fh.map((e: any) => [e.taxRateBp, e.taxFen, e.originShareFen, e.buyerShareFen, e.agreementId])).to.deep.equal([[300, 3600, 3600, 0, undefined]]);
    const fhSt = okJson(await f.request('GET', `${API}/tax/statements?countyA=${FENGXIAN}&countyB=${HUIXIAN}&from=${T}&to=${T}`, key['fin-f']));
    expect(fhSt).to.include({ trades: 1, taxFen: '3600', shareAFen: '3600', shareBFen: '0' });
    const none = okJson(await f.request('GET', `${API}/tax/entries?countyA=${LIANGDANG}&countyB=${LIANGDANG}&date=${T}`, key['fin-l'])).items;
    expect(none).to.deep.equal([]);
  });

  it('refuses bad statement ranges (400)', async () => {
    for (const q of [
      `countyA=${LIANGDANG}&countyB=${HUIXIAN}&from=${T}&to=${addDays(T, -1)}`,
      `countyA=${LIANGDANG}&countyB=${HUIXIAN}&from=2025-01-01&to=2026-06-01`,
      `countyA=${LIANGDANG}&countyB=${LIANGDANG}&from=${T}&to=${T}`,
      `countyA=${LIANGDANG}&from=${T}&to=${T}`,
    ]) {
      const res = await f.request('GET', `${API}/tax/statements?${q}`, key['fin-l']);
      expect(res.statusCode, q).to.equal(400);
      expect(res.json().code).to.equal('INVALID_ARGUMENT');
    }
  });
});
