import { expect } from 'chai';
import { addDays } from '../../chaincode/src/kernel/time';
import { todayCst } from '../support/credit-world';
import { governmentCode } from '../support/fund-world';
import { creditCode } from '../support/market-world';
import { multipartBody } from '../support/multipart';
import { CountyApps, CountyMsp, FabricAppFixture, openCountyApps, peersInSync, runId, uniqueSerial, countyRequests } from './fabric-fixture';

const LIANGDANG = 'LiangdangMSP';
const HUIXIAN = 'HuixianMSP';
const FENGXIAN = 'FengxianMSP';
const COUNTIES: readonly CountyMsp[] = [LIANGDANG, HUIXIAN, FENGXIAN];
const SHORT: Record<CountyMsp, string> = { LiangdangMSP: 'l', HuixianMSP: 'h', FengxianMSP: 'f' };
const DIVISION: Record<CountyMsp, string> = { LiangdangMSP: '621228', HuixianMSP: '621227', FengxianMSP: '610330' };
const NAME: Record<CountyMsp, string> = { LiangdangMSP: 'Liangdang County', HuixianMSP: 'Huixian County', FengxianMSP: 'Fengxian County' };

type Res = { statusCode: number; body: string; headers: Record<string, unknown>; json(): any };

/** The first and last day of the calendar month before `day`'s. */
function previousMonth(day: string): { periodFrom: string; periodTo: string } {
  const periodTo = addDays(`${day.slice(0, 7)}-01`, -1);
  return { periodFrom: `${periodTo.slice(0, 7)}-01`, periodTo };
}

type Period = { periodFrom: string; periodTo: string };
const overlaps = (a: Period, b: Period) => a.periodFrom <= b.periodTo && b.periodFrom <= a.periodTo;

/**
 * A compensation fund round (生态补偿基金) on the real three-county network, through HTTP, each
 * county's users on their own county's gateway: the counties register themselves, contribute,
 * trade eco products across counties (settled trades feed the chaincode's per-day trade-volume
 * totals), a round is proposed with a trade-volume metric the chaincode computes, approved by two
 * of three counties' finance, finalized once, disbursed within allocations (each disbursement
 * recorded by a paying county and confirmed by the receiving county's finance on its own gateway)
 * and disclosed publicly.
 *
 * Time on Fabric is the client's proposal timestamp, close to real time: a round may only cover a
 * period that has ended, and trades settled now are dated today, so the round here covers the
 * previous month (whose trade volume the chaincode reads from the same day totals the settlements
 * write) while today's settled trades are checked against the trade-volume query for today.
 * A round over the trades of the same run needs a moved clock: test/gateway/fund.test.ts.
 */
describe('on Fabric: a compensation fund round across the three counties’ gateways', () => {
  let counties: CountyApps;
  const keys: Record<string, { app: FabricAppFixture; key: string }> = {};
  const member = (name: string) => `${name}-f${runId}`;
  const today = todayCst();
  /** The round's period: the previous month, or an earlier one when a live round of a kept network covers it. */
  let period: Period = previousMonth(today);
  const traders: Record<string, { county: CountyMsp; subject: string; certSha: string }> = {};
  const volumeBefore: Record<string, { volumeFen: string; trades: number }> = {};
  const settledEco: Record<string, number> = { [LIANGDANG]: 0, [HUIXIAN]: 0, [FENGXIAN]: 0 };
  const settledTrades: Record<string, number> = { [LIANGDANG]: 0, [HUIXIAN]: 0, [FENGXIAN]: 0 };
  const pool = 300_000;
  /** Totals are exact decimal strings of fen. */
  let balanceBefore: { contributedFen: string; committedFen: string; availableFen: string };
  const plus = (total: string, fen: number) => String(BigInt(total) + BigInt(fen));
  let round: any;

  const { post, get, created, ok } = countyRequests(() => counties, keys);
  const problem = (res: Res, status: number, code: string, detail?: RegExp) => {
    expect(res.statusCode, res.body).to.equal(status);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.json().code, res.body).to.equal(code);
    if (detail) expect(res.json().detail).to.match(detail);
    return res.json();
  };
  /** A request that must be refused: no transaction reaches the ledger. */
  const refused = async (send: () => Promise<Res>, status: number, code: string, detail?: RegExp) => {
    const height = await peersInSync(counties);
    const body = problem(await send(), status, code, detail);
    expect(await peersInSync(counties), 'ledger height after a refusal').to.equal(height);
    return body;
  };

  /** Seller's merchant lists an eco product (or a rural resource), buyer's merchant orders, a third county verifies, the buyer settles. */
  async function sale(s: CountyMsp, b: CountyMsp, verifier: CountyMsp, priceFen: number, kind: 'eco-product' | 'rural-resource' = 'eco-product'): Promise<any> {
    const seller = traders[s]!;
    const buyer = traders[b]!;
    const listed = created(
      await post(`shop-${SHORT[s]}`, '/assets', {
        ownerSubjectId: seller.subject,
        kind,
        title: `${kind} of ${seller.subject}`,
        category: `${kind === 'eco-product' ? 'honey' : 'farmland-lease'}-${runId}-${SHORT[s]}${SHORT[b]}${priceFen}`,
        costFen: Math.floor(priceFen / 2),
        priceFen,
        ...(kind === 'eco-product' ? { certifications: [{ kind: 'soil-test', sha256: seller.certSha }] } : {}),
      }),
    );
    const order = created(
      await post(`shop-${SHORT[b]}`, '/orders', {
        assetId: listed.id,
        buyerSubjectId: buyer.subject,
        depositFen: Math.floor(priceFen / 10),
        depositPaymentRef: `pay:dep-${runId}`,
      }),
    );
    expect(order.status, 'order not suspended by a risk rule').to.equal('ordered');
    expect(
      created(await post(`ver-${SHORT[verifier]}`, `/orders/${order.id}/verification`, { result: 'pass', evidenceRefs: ['doc:inspection'] })).status,
    ).to.equal('verified');
    const settled = created(await post(`shop-${SHORT[b]}`, `/orders/${order.id}/settlement`, { paymentRef: `pay:bal-${order.id.slice(2, 14)}` }));
    expect(settled.status).to.equal('settled');
    if (kind === 'eco-product') {
      settledEco[s] = (settledEco[s] ?? 0) + priceFen;
      settledTrades[s] = (settledTrades[s] ?? 0) + 1;
    }
    return settled;
  }

  before(async () => {
    counties = await openCountyApps();
    for (const c of COUNTIES) {
      const s = SHORT[c];
      const app = counties.apps[c];
      keys[`admin-${s}`] = { app, key: await app.keyFor(c, 'admin') };
      for (const [alias, role] of [
        ['fin', 'finance'],
        ['reg', 'regulator'],
        ['ver', 'verifier'],
        ['shop', 'merchant'],
      ] as const) {
        const name = member(`${alias}-${s}`);
        keys[`${alias}-${s}`] = { app, key: await app.keyFor(c, name) };
        const r = await post(`admin-${s}`, `/members/${c}:${name}/roles`, { role });
        expect(r.statusCode, r.body).to.equal(201);
      }
    }
  });
  after(async () => counties?.close());

  it('each county’s admin registers its own county through its own gateway; a non-admin is refused, a second registration is a conflict', async () => {
    await refused(() => post('fin-l', '/counties', { name: 'x', division: DIVISION[LIANGDANG] }), 403, 'FORBIDDEN');
    for (const c of COUNTIES) {
      const s = SHORT[c];
      const known = await get(`fin-${s}`, `/counties/${c}`);
      if (known.statusCode === 404) {
        const county = created(await post(`admin-${s}`, '/counties', { name: NAME[c], division: DIVISION[c], creditCode: governmentCode(c) }));
        expect(county).to.include({ mspId: c, division: DIVISION[c], creditCode: governmentCode(c) });
      } else {
        // a network kept from an earlier run of this suite: registered then
        expect(known.statusCode, known.body).to.equal(200);
      }
      await refused(() => post(`admin-${s}`, '/counties', { name: 'again', division: DIVISION[c] }), 409, 'CONFLICT', /already registered/);
    }
    for (const c of COUNTIES) {
      const list = ok(await get(`reg-${SHORT[c]}`, '/counties'));
      expect(list.items.map((x: { mspId: string }) => x.mspId)).to.deep.equal([...COUNTIES].sort());
    }
  });

  it('finance of each county records its contribution; every county’s peer shows the same balance', async () => {
    balanceBefore = ok(await get('fin-l', '/fund/balance'));
    const amounts: Record<string, number> = { [LIANGDANG]: 1_000_000, [HUIXIAN]: 500_000, [FENGXIAN]: 500_000 };
    for (const c of COUNTIES) {
      const s = SHORT[c];
      const paymentRef = `treasury:${s}-${runId}`;
      expect(created(await post(`fin-${s}`, '/fund/contributions', { amountFen: amounts[c], paymentRef }))).to.include({
        county: c,
        amountFen: amounts[c],
        paymentRef,
      });
      await refused(() => post(`fin-${s}`, '/fund/contributions', { amountFen: 5, paymentRef }), 409, 'CONFLICT', /already recorded/);
    }
    await refused(() => post('reg-h', '/fund/contributions', { amountFen: 5, paymentRef: `treasury:x-${runId}` }), 403, 'FORBIDDEN');
    for (const c of COUNTIES) {
      const balance = ok(await get(`fin-${SHORT[c]}`, '/fund/balance'));
      expect(balance).to.deep.equal({
        contributedFen: plus(balanceBefore.contributedFen, 2_000_000),
        committedFen: balanceBefore.committedFen,
        availableFen: plus(balanceBefore.availableFen, 2_000_000),
      });
    }
    const list = ok(await get('fin-l', `/fund/contributions?county=${HUIXIAN}&limit=100`));
    expect(list.items.map((x: { paymentRef: string }) => x.paymentRef)).to.include(`treasury:h-${runId}`);
  });

  it('the three counties trade eco products across counties; the chaincode’s trade volume of today grows by exactly the settled cross-region eco trades', async () => {
    for (const c of COUNTIES) {
      const s = SHORT[c];
      volumeBefore[c] = ok(await get(`fin-${s}`, `/fund/trade-volume?county=${c}&periodFrom=${today}&periodTo=${today}`));
      const code = creditCode(DIVISION[c], uniqueSerial());
      created(await post(`reg-${s}`, '/subjects', { creditCode: code, name: `enterprise ${code}` }));
      created(await post(`reg-${s}`, `/subjects/${code}/access`, { status: 'green', evidenceRefs: ['doc:review'] }));
      created(await post(`reg-${s}`, `/subjects/${code}/merchants`, { member: member(`shop-${s}`) }));
      const body = multipartBody({ content: Buffer.from(`soil test of ${code} (${runId})`), contentType: 'application/pdf' });
      const soil = await keys[`shop-${s}`]!.app.app.inject({
        method: 'POST',
        url: '/api/v1/evidence',
        payload: body.payload,
        headers: { ...body.headers, authorization: `Bearer ${keys[`shop-${s}`]!.key}` },
      });
      expect(soil.statusCode, soil.body).to.equal(201);
      traders[c] = { county: c, subject: code, certSha: soil.json().result.sha256 };
    }
    await sale(LIANGDANG, HUIXIAN, FENGXIAN, 130_000);
    await sale(HUIXIAN, FENGXIAN, LIANGDANG, 200_000);
    await sale(FENGXIAN, LIANGDANG, HUIXIAN, 120_000);
    await sale(LIANGDANG, FENGXIAN, HUIXIAN, 150_000);
    // a rural resource: a trade, but not an eco product, so not in the fund's trade volume
    await sale(LIANGDANG, HUIXIAN, FENGXIAN, 90_000, 'rural-resource');
    expect(settledEco).to.deep.equal({ [LIANGDANG]: 280_000, [HUIXIAN]: 200_000, [FENGXIAN]: 120_000 });

    for (const c of COUNTIES) {
      // read in another county than the origin: every peer holds the same totals
      const reader = `fin-${SHORT[c === LIANGDANG ? HUIXIAN : LIANGDANG]}`;
      const volume = ok(await get(reader, `/fund/trade-volume?county=${c}&periodFrom=${today}&periodTo=${today}`));
      expect(BigInt(volume.volumeFen) - BigInt(volumeBefore[c]!.volumeFen), `eco trade volume of ${c} today`).to.equal(BigInt(settledEco[c] ?? 0));
      expect(volume.trades - volumeBefore[c]!.trades, `eco trades of ${c} today`).to.equal(settledTrades[c]);
    }
  });

  it('a round over a period that has not ended is refused (422); typed-in trade volumes are refused (400)', async () => {
    // A network kept from an earlier run has a live round over the previous month: go back to a month no live round covers.
    const live: Period[] = [];
    for (const status of ['proposed', 'finalized']) {
      let cursor = '';
      do {
        const page = ok(await get('fin-h', `/fund/rounds?status=${status}&limit=100${cursor ? `&cursor=${cursor}` : ''}`));
        live.push(...page.items);
        cursor = page.nextCursor ?? '';
      } while (cursor);
    }
    while (live.some((r) => overlaps(r, period))) period = previousMonth(period.periodFrom);
    const metrics = [{ metric: 'trade-volume', weightBp: 10_000 }];
    await refused(
      () => post('fin-h', '/fund/rounds', { periodFrom: today, periodTo: today, poolFen: pool, metrics }),
      422,
      'RULE_VIOLATION',
      /period must have ended/,
    );
    await refused(
      () =>
        post('fin-h', '/fund/rounds', {
          ...period,
          poolFen: pool,
          metrics: [{ metric: 'trade-volume', weightBp: 10_000, values: [{ county: LIANGDANG, value: 5 }] }],
        }),
      400,
      'INVALID_ARGUMENT',
    );
    await refused(() => post('reg-h', '/fund/rounds', { ...period, poolFen: pool, metrics }), 403, 'FORBIDDEN');
  });

  it('finance proposes a round for the previous month: the chaincode computes each county’s trade volume; the parts sum exactly to the pool', async () => {
    const volumes: Record<string, string> = {};
    for (const c of COUNTIES)
      volumes[c] = ok(await get('fin-f', `/fund/trade-volume?county=${c}&periodFrom=${period.periodFrom}&periodTo=${period.periodTo}`)).volumeFen;
    const forest: Record<string, number> = { [LIANGDANG]: 61, [HUIXIAN]: 39, [FENGXIAN]: 50 };
    const res = await post('fin-h', '/fund/rounds', {
      ...period,
      poolFen: pool,
      metrics: [
        { metric: 'trade-volume', weightBp: 6000 },
        { metric: 'indicator', name: 'forest-coverage', weightBp: 4000, values: COUNTIES.map((c) => ({ county: c, value: forest[c] })) },
      ],
      note: `fabric suite ${runId}`,
    });
    round = created(res);
    expect(round).to.include({ status: 'proposed', poolFen: pool, approvalsNeeded: 2, periodFrom: period.periodFrom, periodTo: period.periodTo });
    expect(round.allocations.map((a: { county: string }) => a.county)).to.deep.equal([...COUNTIES].sort());
    for (const a of round.allocations) {
      expect(a.values['trade-volume'], `trade volume of ${a.county} (computed by the chaincode)`).to.equal(volumes[a.county]);
      expect(a.values['indicator:forest-coverage']).to.equal(String(forest[a.county]));
      expect(a.eligible).to.equal(true);
    }
    const totalVolume = COUNTIES.reduce((s, c) => s + BigInt(volumes[c] ?? '0'), 0n);
    expect(round.metrics[0]).to.deep.equal({ metric: 'trade-volume', weightBp: 6000, eligibleTotal: totalVolume.toString() });
    expect(
      round.allocations.reduce((s: number, a: { amountFen: number }) => s + a.amountFen, 0),
      'parts sum to the pool',
    ).to.equal(pool);
    if (totalVolume === 0n) {
      // a fresh network (as test:fabric makes) traded nothing last month: a metric no county has carries
      // no weight, so the pool is split by forest coverage alone, 50 : 39 : 61 (Fengxian, Huixian, Liangdang)
      expect(round.allocations.map((a: { amountFen: number }) => a.amountFen)).to.deep.equal([100_000, 78_000, 122_000]);
    }
    // the proposal reads the same on another county's peer
    const seen = ok(await get('fin-l', `/fund/rounds/${round.id}`));
    expect(seen.allocations.map((a: { amountFen: number }) => a.amountFen)).to.deep.equal(round.allocations.map((a: { amountFen: number }) => a.amountFen));
  });

  it('approved by finance of two of the three counties, each through its own gateway; finalizing before the majority is refused', async () => {
    await refused(() => post('reg-l', `/fund/rounds/${round.id}/approvals`), 403, 'FORBIDDEN');
    expect(created(await post('fin-l', `/fund/rounds/${round.id}/approvals`)).approvals.map((a: { county: string }) => a.county)).to.deep.equal([LIANGDANG]);
    await refused(() => post('fin-l', `/fund/rounds/${round.id}/approvals`), 409, 'CONFLICT', /already approved/);
    await refused(() => post('fin-h', `/fund/rounds/${round.id}/finalization`), 422, 'RULE_VIOLATION', /majority/);
    await refused(
      () => post('fin-l', `/fund/rounds/${round.id}/disbursements`, { county: LIANGDANG, amountFen: 1, paymentRef: `pay:early-${runId}` }),
      409,
      'CONFLICT',
      /finalized rounds only/,
    );
    const approved = created(await post('fin-f', `/fund/rounds/${round.id}/approvals`));
    expect(approved.approvals.map((a: { county: string }) => a.county)).to.deep.equal([LIANGDANG, FENGXIAN]);
  });

  it('finalized once by the third county’s finance; a second finalize and a late approval are conflicts; the pool is committed', async () => {
    const res = await post('fin-h', `/fund/rounds/${round.id}/finalization`);
    const finalized = created(res);
    expect(finalized).to.include({ status: 'finalized', finalizeTxId: res.json().txId });
    const tx = await counties.apps[FENGXIAN].ledger.getTransaction(res.json().txId);
    expect(tx?.validationCode).to.equal('VALID');
    await refused(() => post('fin-l', `/fund/rounds/${round.id}/finalization`), 409, 'CONFLICT', /already finalized/);
    await refused(() => post('fin-h', `/fund/rounds/${round.id}/approvals`), 409, 'CONFLICT');
    const balance = ok(await get('fin-f', '/fund/balance'));
    expect(balance).to.deep.equal({
      contributedFen: plus(balanceBefore.contributedFen, 2_000_000),
      committedFen: plus(balanceBefore.committedFen, pool),
      availableFen: plus(balanceBefore.availableFen, 2_000_000 - pool),
    });
    round = finalized;
  });

  it('a disbursement counts once the receiving county confirms it through its own gateway; a fake record is disputed and blocks nothing', async () => {
    const ld = round.allocations.find((a: { county: string }) => a.county === LIANGDANG).amountFen as number;
    const record = (who: string, amountFen: number, ref: string) =>
      post(who, `/fund/rounds/${round.id}/disbursements`, { county: LIANGDANG, amountFen, paymentRef: `${ref}-${runId}` });
    const decide = (who: string, id: string, what: 'confirmation' | 'dispute' | 'cancellation', body: unknown = {}) =>
      post(who, `/fund/disbursements/${id}/${what}`, body);
    // Huixian records Liangdang's whole allocation as paid: it holds the allocation but counts for nothing.
    const fake = created(await record('fin-h', ld, 'FAKE'));
    expect(fake).to.include({ status: 'recorded', disbursedFen: 0, pendingFen: ld, allocatedFen: ld });
    await refused(() => record('fin-f', ld - 1000, 'pay:ld-1'), 422, 'RULE_VIOLATION', /awaiting LiangdangMSP's confirmation/);
    await refused(() => record('fin-l', 1, 'pay:self'), 403, 'FORBIDDEN', /to itself/);
    await refused(() => decide('fin-h', fake.id, 'confirmation'), 403, 'FORBIDDEN');
    await refused(() => record('reg-h', 1, 'pay:ld-5'), 403, 'FORBIDDEN');
    // Liangdang's finance disputes it on Liangdang's gateway: the room is free for the real payment.
    expect(created(await decide('fin-l', fake.id, 'dispute', { reason: 'no such payment received' }))).to.include({ status: 'disputed', pendingFen: 0 });
    const real = created(await record('fin-f', ld - 1000, 'pay:ld-1'));
    expect(created(await decide('fin-l', real.id, 'confirmation'))).to.include({ status: 'confirmed', disbursedFen: ld - 1000, pendingFen: 0 });
    await refused(() => record('fin-h', 1001, 'pay:ld-2'), 422, 'RULE_VIOLATION', /exceed its allocation/);
    const rest = created(await record('fin-h', 1000, 'pay:ld-3'));
    expect(created(await decide('fin-l', rest.id, 'confirmation'))).to.include({ disbursedFen: ld });
    await refused(() => record('fin-f', 1, 'pay:ld-4'), 422, 'RULE_VIOLATION', /exceed/);
    expect(created(await decide('fin-h', fake.id, 'cancellation', { reason: 'recorded in error' }))).to.include({ status: 'cancelled' });
    const view = ok(await get('fin-f', `/fund/rounds/${round.id}`));
    expect(view.disbursedFen).to.deep.equal({ [LIANGDANG]: ld, [HUIXIAN]: 0, [FENGXIAN]: 0 });
    expect(view.pendingFen).to.deep.equal({ [LIANGDANG]: 0, [HUIXIAN]: 0, [FENGXIAN]: 0 });
    const listed = ok(await get('fin-h', `/fund/rounds/${round.id}/disbursements?status=confirmed`));
    expect(listed.items.map((d: { amountFen: number }) => d.amountFen)).to.deep.equal([ld - 1000, 1000]);
  });

  it('the public sees the finalized round at /public/fund without a key, on any county’s gateway, without member names', async () => {
    for (const c of [HUIXIAN, FENGXIAN] as const) {
      const items: any[] = [];
      let cursor = '';
      do {
        await peersInSync(counties);
        const res = await counties.apps[c].request('GET', `/api/v1/public/fund?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
        const page = ok(res);
        items.push(...page.items);
        cursor = page.nextCursor ?? '';
      } while (cursor);
      const mine = items.find((r) => r.id === round.id);
      expect(mine, `round ${round.id} on ${c}'s public page`).to.not.equal(undefined);
      expect(mine).to.include({ poolFen: pool, periodFrom: period.periodFrom, periodTo: period.periodTo, finalizeTxId: round.finalizeTxId });
      expect(mine.allocations.map((a: { county: string; amountFen: number }) => [a.county, a.amountFen])).to.deep.equal(
        round.allocations.map((a: { county: string; amountFen: number }) => [a.county, a.amountFen]),
      );
      expect(mine.approvals.map((a: { county: string }) => a.county)).to.deep.equal([LIANGDANG, FENGXIAN]);
      expect(JSON.stringify(mine)).not.to.contain(runId);
    }
  });
});
