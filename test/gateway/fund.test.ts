import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { FundEvents } from '../../chaincode/src/fund/fund-contract';
import { MAX_AMOUNT_FEN } from '../../chaincode/src/kernel/money';
import { addDays } from '../../chaincode/src/kernel/time';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { blacklistSubject } from '../support/credit-world';
import { COUNTIES, COUNTY_NAMES, created, expectRefusedHttp, governmentCode, okJson, sale, today, Trader, trader } from '../support/fund-world';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { DIVISION, useClock, Who, World } from '../support/market-world';

const API = '/api/v1';

describe('gateway /api/v1/fund and /counties: compensation fund (生态补偿基金)', function () {
  this.timeout(60_000);
  let f: AppFixture;
  let w: World;
  let clock: ReturnType<typeof useClock>;
  const key: Record<string, string> = {};
  let regL: Who;
  let verifierF: Who;
  const traders: Record<string, Trader> = {};
  /** The day the scenario's trades settle on; the round's period. */
  let tradeDay: string;
  const settledEco: Record<string, number> = { [LIANGDANG]: 0, [HUIXIAN]: 0, [FENGXIAN]: 0 };

  before(async () => {
    clock = useClock();
    f = await openAppFixture();
    w = World.over(f.ledger);
    for (const c of COUNTIES) {
      const short = c.slice(0, 1).toLowerCase();
      key[`admin-${short}`] = await f.keyFor(c, `admin-${c.toLowerCase()}`);
      await w.member(c, `fin-${short}`, 'finance');
      key[`fin-${short}`] = await f.keyFor(c, `fin-${short}`);
      await w.member(c, `ver-${short}`, 'verifier');
      key[`ver-${short}`] = await f.keyFor(c, `ver-${short}`);
      await w.member(c, `reg-${short}`, 'regulator');
      key[`reg-${short}`] = await f.keyFor(c, `reg-${short}`);
    }
    regL = await w.id(LIANGDANG, 'reg-l');
    // Issues the gateway's public reader identity now: certificates issued after the clock moves would not be valid yet.
    expect(okJson(await f.request('GET', `${API}/public/fund`))).to.deep.equal({ items: [] });
    verifierF = await w.id(FENGXIAN, 'ver-f');
  });
  after(async () => {
    clock.restore();
    await f.close();
  });

  describe('counties registry', () => {
    it('each county admin registers its own county once; others may not (403), twice is a conflict (409), bad input 400', async () => {
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => f.request('POST', `${API}/counties`, key['fin-l'], { name: 'x', division: '621228' }));
      for (const bad of [
        { name: 'x', division: '62122' },
        { name: '', division: '621228' },
        { name: 'x', division: '621228', creditCode: '11621228000000001X' },
        { name: 'x', division: '621228', extra: 1 },
      ]) {
        await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => f.request('POST', `${API}/counties`, key['admin-l'], bad));
      }
      for (const c of COUNTIES) {
        const short = c.slice(0, 1).toLowerCase();
        const county = created(
          await f.request('POST', `${API}/counties`, key[`admin-${short}`], { name: COUNTY_NAMES[c], division: DIVISION[c], creditCode: governmentCode(c) }),
        );
        expect(county).to.include({ mspId: c, division: DIVISION[c], creditCode: governmentCode(c) });
      }
      await expectRefusedHttp(w, 409, 'CONFLICT', () => f.request('POST', `${API}/counties`, key['admin-h'], { name: 'again', division: '621227' }));
      const list = okJson(await f.request('GET', `${API}/counties`, key['fin-f']));
      expect(list.items.map((c: { mspId: string }) => c.mspId)).to.deep.equal([...COUNTIES].sort());
      expect(okJson(await f.request('GET', `${API}/counties/${HUIXIAN}`, key['fin-f']))).to.include({ name: COUNTY_NAMES[HUIXIAN] });
    });
  });

  describe('contributions', () => {
    it('finance records its county’s contribution with a payment reference; the balance adds up', async () => {
      const amounts: Record<string, number> = { [LIANGDANG]: 1_000_000, [HUIXIAN]: 500_000, [FENGXIAN]: 500_000 };
      for (const c of COUNTIES) {
        const short = c.slice(0, 1).toLowerCase();
        const res = await f.request('POST', `${API}/fund/contributions`, key[`fin-${short}`], {
          amountFen: amounts[c],
          paymentRef: `treasury:${short}-2026-001`,
        });
        expect(created(res)).to.include({ county: c, amountFen: amounts[c], paymentRef: `treasury:${short}-2026-001` });
      }
      const list = okJson(await f.request('GET', `${API}/fund/contributions?county=${HUIXIAN}`, key['fin-l']));
      expect(list.items).to.have.length(1);
      // Totals are exact decimal strings of fen.
      expect(okJson(await f.request('GET', `${API}/fund/balance`, key['fin-l']))).to.deep.equal({
        contributedFen: '2000000',
        committedFen: '0',
        availableFen: '2000000',
      });
    });

    it('refuses bad amounts (400), a reused payment reference (409) and callers without the finance role (403)', async () => {
      for (const amountFen of [-100, 0, 12.5, '100', 2 ** 53]) {
        await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () =>
          f.request('POST', `${API}/fund/contributions`, key['fin-l'], { amountFen, paymentRef: 'treasury:x-1' }),
        );
      }
      // Above the bound of every amount (MAX_AMOUNT_FEN, ¥10 billion): refused naming the caller's field.
      await expectRefusedHttp(
        w,
        400,
        'INVALID_ARGUMENT',
        () => f.request('POST', `${API}/fund/contributions`, key['fin-l'], { amountFen: MAX_AMOUNT_FEN + 1, paymentRef: 'treasury:x-1' }),
        /body\.amountFen: must be at most 1000000000000 fen/,
      );
      await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () =>
        f.request('POST', `${API}/fund/contributions`, key['fin-l'], { amountFen: 5, paymentRef: 'bad ref!' }),
      );
      await expectRefusedHttp(
        w,
        409,
        'CONFLICT',
        () => f.request('POST', `${API}/fund/contributions`, key['fin-l'], { amountFen: 5, paymentRef: 'treasury:l-2026-001' }),
        /already recorded/,
      );
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () =>
        f.request('POST', `${API}/fund/contributions`, key['reg-l'], { amountFen: 5, paymentRef: 'treasury:x-2' }),
      );
    });
  });

  describe('scenario: three counties trade, a round is proposed, approved by two of three, finalized, disbursed', () => {
    let roundId: string;

    it('three counties trade for a period (cross-region eco products count for the fund; other kinds and in-county trades do not)', async () => {
      tradeDay = today();
      for (const c of COUNTIES) {
        const short = c.slice(0, 1).toLowerCase();
        traders[`seller-${short}`] = await trader(w, c, await w.id(c, `reg-${short}`));
        traders[`buyer-${short}`] = await trader(w, c, await w.id(c, `reg-${short}`));
      }
      const verifierL = await w.id(LIANGDANG, 'ver-l');
      const trades: Array<[string, string, number, Who]> = [
        ['seller-l', 'buyer-h', 130_000, verifierF],
        ['seller-l', 'buyer-h', 150_000, verifierF],
        ['seller-h', 'buyer-f', 200_000, verifierL],
        ['seller-f', 'buyer-l', 120_000, await w.id(HUIXIAN, 'ver-h')],
      ];
      for (const [s, b, price, verifier] of trades) {
        const o = await sale(w, traders[s] as Trader, traders[b] as Trader, verifier, price);
        expect(o.status).to.equal('settled');
        const county = (traders[s] as Trader).county;
        settledEco[county] = (settledEco[county] ?? 0) + price;
      }
      // A rural resource sold out of Liangdang: a trade, but not an eco product.
      await sale(w, traders['seller-l'] as Trader, traders['buyer-f'] as Trader, await w.id(HUIXIAN, 'ver-h'), 90_000, 'rural-resource');
      // An eco product Liangdang sells to itself: settled, but not cross-region.
      await sale(w, traders['seller-l'] as Trader, traders['buyer-l'] as Trader, verifierF, 100_000);
      const volume = okJson(await f.request('GET', `${API}/fund/trade-volume?county=${LIANGDANG}&periodFrom=${tradeDay}&periodTo=${tradeDay}`, key['fin-h']));
      expect(volume).to.include({ volumeFen: '280000', trades: 2 });
    });

    it('carbon sink counts only once a verifier of another county confirms it', async () => {
      const period = { periodFrom: tradeDay, periodTo: tradeDay };
      // A county's finance officers or regulators report its carbon sink; a verifier may not.
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () =>
        f.request('POST', `${API}/fund/carbon-sinks`, key['ver-l'], { ...period, kgCo2e: 5000, evidenceRefs: ['doc:forest-survey-l'] }),
      );
      for (const [short, kg] of [
        ['l', 5000],
        ['h', 3000],
        ['f', 5000],
      ] as const) {
        expect(
          created(
            await f.request('POST', `${API}/fund/carbon-sinks`, key[`fin-${short}`], { ...period, kgCo2e: kg, evidenceRefs: [`doc:forest-survey-${short}`] }),
          ),
        ).to.include({ status: 'reported' });
      }
      await expectRefusedHttp(
        w,
        403,
        'FORBIDDEN',
        () => f.request('POST', `${API}/fund/carbon-sinks/confirmation`, key['ver-l'], { county: LIANGDANG, ...period, decision: 'confirm' }),
        /own county/,
      );
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () =>
        f.request('POST', `${API}/fund/carbon-sinks/confirmation`, key['fin-h'], { county: LIANGDANG, ...period, decision: 'confirm' }),
      );
      await expectRefusedHttp(w, 404, 'NOT_FOUND', () =>
        f.request('POST', `${API}/fund/carbon-sinks/confirmation`, key['ver-h'], {
          county: LIANGDANG,
          periodFrom: '2026-01-01',
          periodTo: '2026-01-31',
          decision: 'confirm',
        }),
      );
      expect(
        created(await f.request('POST', `${API}/fund/carbon-sinks/confirmation`, key['ver-h'], { county: LIANGDANG, ...period, decision: 'confirm' })),
      ).to.include({ status: 'confirmed' });
      expect(
        created(
          await f.request('POST', `${API}/fund/carbon-sinks/confirmation`, key['ver-l'], {
            county: HUIXIAN,
            ...period,
            decision: 'reject',
            note: 'survey incomplete',
          }),
        ),
      ).to.include({ status: 'rejected' });
      expect(
        created(await f.request('POST', `${API}/fund/carbon-sinks/confirmation`, key['ver-l'], { county: FENGXIAN, ...period, decision: 'confirm' })),
      ).to.include({ status: 'confirmed' });
      await expectRefusedHttp(w, 409, 'CONFLICT', () =>
        f.request('POST', `${API}/fund/carbon-sinks/confirmation`, key['ver-h'], { county: LIANGDANG, ...period, decision: 'reject' }),
      );
      await expectRefusedHttp(w, 409, 'CONFLICT', () =>
        f.request('POST', `${API}/fund/carbon-sinks`, key['fin-l'], { ...period, kgCo2e: 9999, evidenceRefs: ['doc:again'] }),
      );
      const bad = [
        { ...period, kgCo2e: -5, evidenceRefs: ['doc:x'] },
        { ...period, kgCo2e: 1.5, evidenceRefs: ['doc:x'] },
        { ...period, kgCo2e: 5, evidenceRefs: [] },
        { periodFrom: tradeDay, periodTo: addDays(tradeDay, -1), kgCo2e: 5, evidenceRefs: ['doc:x'] },
        { periodFrom: '2025-01-01', periodTo: '2026-01-02', kgCo2e: 5, evidenceRefs: ['doc:x'] },
        { periodFrom: '2026-02-30', periodTo: '2026-03-01', kgCo2e: 5, evidenceRefs: ['doc:x'] },
      ];
      for (const body of bad) await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => f.request('POST', `${API}/fund/carbon-sinks`, key['fin-h'], body));
      expect(okJson(await f.request('GET', `${API}/fund/carbon-sinks?county=${HUIXIAN}&periodFrom=${tradeDay}&periodTo=${tradeDay}`, key['fin-l']))).to.include(
        { status: 'rejected' },
      );
    });

    it('a round cannot be proposed before its period is over (422)', async () => {
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () =>
          f.request('POST', `${API}/fund/rounds`, key['fin-l'], {
            periodFrom: tradeDay,
            periodTo: tradeDay,
            poolFen: 1000,
            metrics: [{ metric: 'trade-volume', weightBp: 10000 }],
          }),
        /period must have ended/,
      );
    });

    it('proposed the next day: the trade-volume metric equals the settled eco trades; amount = pool × weighted share, summing to the pool', async () => {
      clock.advanceDays(1);
      const res = await f.request('POST', `${API}/fund/rounds`, key['fin-h'], {
        periodFrom: tradeDay,
        periodTo: tradeDay,
        poolFen: 1_000_000,
        metrics: [
          { metric: 'trade-volume', weightBp: 7000 },
          { metric: 'carbon-sink', weightBp: 3000 },
        ],
      });
      const round = created(res);
      roundId = round.id;
      expect(round).to.include({ status: 'proposed', poolFen: 1_000_000, approvalsNeeded: 2 });
      const byCounty = Object.fromEntries(round.allocations.map((a: any) => [a.county, a]));
      // Metric values are exact decimal strings.
      for (const c of COUNTIES) expect(byCounty[c].values['trade-volume'], `trade volume of ${c}`).to.equal(String(settledEco[c]));
      expect(settledEco).to.deep.equal({ [LIANGDANG]: 280_000, [HUIXIAN]: 200_000, [FENGXIAN]: 120_000 });
      expect(byCounty[HUIXIAN].values['carbon-sink'], 'a rejected carbon sink counts nothing').to.equal('0');
      expect(byCounty[FENGXIAN].values['carbon-sink']).to.equal('5000');
      // LD 0.7·280/600 + 0.3·½ = 0.476666…, HX 0.7·200/600 = 0.233333…, FX 0.7·120/600 + 0.3·½ = 0.29; the spare fen goes to LD.
      expect(round.allocations.map((a: any) => [a.county, a.amountFen])).to.deep.equal([
        [FENGXIAN, 290_000],
        [HUIXIAN, 233_333],
        [LIANGDANG, 476_667],
      ]);
      expect(round.allocations.reduce((s: number, a: any) => s + a.amountFen, 0)).to.equal(1_000_000);
      expect(round.metrics).to.deep.equal([
        { metric: 'trade-volume', weightBp: 7000, eligibleTotal: '600000' },
        { metric: 'carbon-sink', weightBp: 3000, eligibleTotal: '10000' },
      ]);
      const tx = await f.ledger.ledger.getTransaction(res.json().txId);
      expect(tx?.validationCode).to.equal('VALID');
    });

    it('approvals: finance of a county of the round, once per county; finalizing needs a majority (2 of 3)', async () => {
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => f.request('POST', `${API}/fund/rounds/${roundId}/approvals`, key['reg-l']));
      await expectRefusedHttp(w, 404, 'NOT_FOUND', () => f.request('POST', `${API}/fund/rounds/fr-nope/approvals`, key['fin-l']));
      expect(created(await f.request('POST', `${API}/fund/rounds/${roundId}/approvals`, key['fin-l'])).approvals).to.have.length(1);
      await expectRefusedHttp(w, 409, 'CONFLICT', () => f.request('POST', `${API}/fund/rounds/${roundId}/approvals`, key['fin-l']), /already approved/);
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => f.request('POST', `${API}/fund/rounds/${roundId}/finalization`, key['fin-l']), /majority/);
      await expectRefusedHttp(
        w,
        409,
        'CONFLICT',
        () => f.request('POST', `${API}/fund/rounds/${roundId}/disbursements`, key['fin-l'], { county: LIANGDANG, amountFen: 1, paymentRef: 'pay:early' }),
        /finalized rounds only/,
      );
      expect(created(await f.request('POST', `${API}/fund/rounds/${roundId}/approvals`, key['fin-f'])).approvals.map((a: any) => a.county)).to.deep.equal([
        LIANGDANG,
        FENGXIAN,
      ]);
    });

    it('finalized once and immutable: a second finalize, a late approval are refused (409)', async () => {
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => f.request('POST', `${API}/fund/rounds/${roundId}/finalization`, key['ver-h']));
      const res = await f.request('POST', `${API}/fund/rounds/${roundId}/finalization`, key['fin-h']);
      const round = created(res);
      expect(round).to.include({ status: 'finalized', finalizeTxId: res.json().txId });
      const block = await f.ledger.ledger.getBlock(res.json().blockNumber);
      expect(block?.data.find((t) => t.txId === res.json().txId)?.event?.name).to.equal(FundEvents.RoundFinalized);
      await expectRefusedHttp(w, 409, 'CONFLICT', () => f.request('POST', `${API}/fund/rounds/${roundId}/finalization`, key['fin-l']));
      await expectRefusedHttp(w, 409, 'CONFLICT', () => f.request('POST', `${API}/fund/rounds/${roundId}/approvals`, key['fin-h']));
      expect(okJson(await f.request('GET', `${API}/fund/balance`, key['fin-l']))).to.deep.equal({
        contributedFen: '2000000',
        committedFen: '1000000',
        availableFen: '1000000',
      });
    });

    it('a disbursement counts once the receiving county confirms it: a fake record by another county is disputed and blocks nothing', async () => {
      const record = (who: string, county: string, amountFen: number, paymentRef: string) =>
        f.request('POST', `${API}/fund/rounds/${roundId}/disbursements`, key[who], { county, amountFen, paymentRef });
      const decide = (who: string, id: string, what: 'confirmation' | 'dispute' | 'cancellation', body: unknown = {}) =>
        f.request('POST', `${API}/fund/disbursements/${id}/${what}`, key[who], body);
      // Huixian records Liangdang's whole allocation as paid, with a reference of its own invention.
      const fake = created(await record('fin-h', LIANGDANG, 476_667, 'FAKE-1'));
      expect(fake).to.include({ status: 'recorded', county: LIANGDANG, disbursedFen: 0, pendingFen: 476_667, allocatedFen: 476_667 });
      expect(fake.recordedBy.mspId).to.equal(HUIXIAN);
      // It counts for nothing yet, but holds the allocation: the real payment is refused until Liangdang disputes the fake one.
      expect(okJson(await f.request('GET', `${API}/fund/rounds/${roundId}`, key['fin-f'])).disbursedFen[LIANGDANG]).to.equal(0);
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => record('fin-f', LIANGDANG, 400_000, 'pay:ld-1'), /awaiting LiangdangMSP's confirmation/);
      // Liangdang does not record its own receipt: it confirms what the paying side recorded.
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => record('fin-l', LIANGDANG, 1, 'pay:self-1'), /to itself/);
      // Only the receiving county's finance confirms or disputes; only the recording county's finance cancels.
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => decide('fin-h', fake.id, 'confirmation'));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => decide('fin-f', fake.id, 'dispute', { reason: 'not ours' }));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => decide('reg-l', fake.id, 'dispute', { reason: 'never received' }));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => decide('fin-l', fake.id, 'cancellation', { reason: 'fake' }));
      await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => decide('fin-l', fake.id, 'dispute', {}));
      await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => decide('fin-l', fake.id, 'confirmation', { note: 'x', extra: 1 }));
      await expectRefusedHttp(w, 404, 'NOT_FOUND', () => decide('fin-l', 'fd-nope', 'dispute', { reason: 'x' }));
      const disputeRes = await decide('fin-l', fake.id, 'dispute', { reason: 'no such payment reached the county treasury' });
      const disputed = created(disputeRes);
      expect(disputed).to.include({ status: 'disputed', disbursedFen: 0, pendingFen: 0 });
      expect(disputed.dispute).to.include({ note: 'no such payment reached the county treasury' });
      const block = await f.ledger.ledger.getBlock(disputeRes.json().blockNumber);
      expect(block?.data.find((t) => t.txId === disputeRes.json().txId)?.event?.name).to.equal(FundEvents.DisbursementDisputed);
      await expectRefusedHttp(w, 409, 'CONFLICT', () => decide('fin-l', fake.id, 'dispute', { reason: 'again' }));
      await expectRefusedHttp(w, 409, 'CONFLICT', () => decide('fin-l', fake.id, 'confirmation'));

      // The real payment now goes through and counts once Liangdang confirms it.
      const real = created(await record('fin-f', LIANGDANG, 400_000, 'pay:ld-1'));
      expect(real).to.include({ status: 'recorded', disbursedFen: 0, pendingFen: 400_000 });
      expect(created(await decide('fin-l', real.id, 'confirmation', { note: 'received 2026 treasury ref 88' }))).to.include({
        status: 'confirmed',
        disbursedFen: 400_000,
        pendingFen: 0,
      });
      await expectRefusedHttp(w, 409, 'CONFLICT', () => decide('fin-f', real.id, 'cancellation', { reason: 'too late' }), /confirmed/);
      // Huixian cancels its disputed record; its payment reference is free again.
      expect(created(await decide('fin-h', fake.id, 'cancellation', { reason: 'recorded in error' }))).to.include({ status: 'cancelled' });
      await expectRefusedHttp(w, 409, 'CONFLICT', () => decide('fin-h', fake.id, 'cancellation', { reason: 'again' }));
      const reused = created(await record('fin-h', FENGXIAN, 10, 'FAKE-1'));
      expect(created(await decide('fin-h', reused.id, 'cancellation', { reason: 'wrong county' }))).to.include({ status: 'cancelled', pendingFen: 0 });

      // Confirmed and unconfirmed together never exceed the allocation.
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => record('fin-h', LIANGDANG, 76_668, 'pay:ld-2'), /exceed its allocation/);
      const rest = created(await record('fin-h', LIANGDANG, 76_667, 'pay:ld-2'));
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => record('fin-f', LIANGDANG, 1, 'pay:ld-3'), /exceed/);
      expect(created(await decide('fin-l', rest.id, 'confirmation'))).to.include({ disbursedFen: 476_667, pendingFen: 0 });
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => record('fin-f', LIANGDANG, 1, 'pay:ld-3'), /exceed/);
      await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => record('fin-f', LIANGDANG, -5, 'pay:ld-4'));
      await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => record('fin-f', LIANGDANG, 0.5, 'pay:ld-4'));
      await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => record('fin-f', LIANGDANG, MAX_AMOUNT_FEN + 1, 'pay:ld-4'), /body\.amountFen/);
      await expectRefusedHttp(w, 409, 'CONFLICT', () => record('fin-f', HUIXIAN, 10, 'pay:ld-1'), /payment reference/);
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => record('reg-h', HUIXIAN, 10, 'pay:hx-1'));
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => record('fin-h', 'UnknownMSP', 10, 'pay:xx-1'), /not a county of round/);

      const view = okJson(await f.request('GET', `${API}/fund/rounds/${roundId}`, key['fin-f']));
      expect(view.disbursedFen).to.deep.equal({ [LIANGDANG]: 476_667, [HUIXIAN]: 0, [FENGXIAN]: 0 });
      expect(view.pendingFen).to.deep.equal({ [LIANGDANG]: 0, [HUIXIAN]: 0, [FENGXIAN]: 0 });
      const all = okJson(await f.request('GET', `${API}/fund/rounds/${roundId}/disbursements`, key['fin-f'])).items;
      expect(all.map((d: any) => [d.paymentRef, d.status])).to.deep.equal([
        ['FAKE-1', 'cancelled'],
        ['pay:ld-1', 'confirmed'],
        ['FAKE-1', 'cancelled'],
        ['pay:ld-2', 'confirmed'],
      ]);
      const confirmed = okJson(await f.request('GET', `${API}/fund/rounds/${roundId}/disbursements?status=confirmed`, key['fin-f'])).items;
      expect(confirmed.map((d: any) => d.amountFen)).to.deep.equal([400_000, 76_667]);
      // Paginated: one per page, by the receiving county, across rounds.
      const first = okJson(await f.request('GET', `${API}/fund/disbursements?county=${LIANGDANG}&status=confirmed&limit=1`, key['fin-h']));
      expect(first.items.map((d: any) => d.paymentRef)).to.deep.equal(['pay:ld-1']);
      const second = okJson(
        await f.request('GET', `${API}/fund/disbursements?county=${LIANGDANG}&status=confirmed&limit=1&cursor=${first.nextCursor}`, key['fin-h']),
      );
      expect(second.items.map((d: any) => d.paymentRef)).to.deep.equal(['pay:ld-2']);
      expect(okJson(await f.request('GET', `${API}/fund/disbursements?county=${LIANGDANG}&status=recorded`, key['fin-h'])).items).to.deep.equal([]);
      expect(okJson(await f.request('GET', `${API}/fund/disbursements/${fake.id}`, key['fin-f']))).to.include({ status: 'cancelled', paymentRef: 'FAKE-1' });
      for (const bad of [`${API}/fund/disbursements?county=${LIANGDANG}&status=paid`, `${API}/fund/disbursements`]) {
        await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => f.request('GET', bad, key['fin-f']));
      }
    });

    it('the public sees finalized rounds at /public/fund without a key and without member names', async () => {
      const res = await f.request('GET', `${API}/public/fund`);
      const body = okJson(res);
      expect(body.items.map((r: any) => r.id)).to.deep.equal([roundId]);
      expect(body.items[0].allocations.map((a: any) => a.amountFen)).to.deep.equal([290_000, 233_333, 476_667]);
      expect(body.items[0].approvals.map((a: any) => a.county)).to.deep.equal([LIANGDANG, FENGXIAN]);
      expect(JSON.stringify(body)).not.to.match(/fin-|reg-|admin-|member/);
      expect(okJson(await f.request('GET', `${API}/fund/rounds?status=proposed`, key['fin-l'])).items).to.have.length(0);
      const doc = okJson(await f.request('GET', '/openapi.json'));
      for (const p of [
        '/api/v1/public/fund',
        '/api/v1/fund/rounds/{id}/approvals',
        '/api/v1/fund/rounds/{id}/finalization',
        '/api/v1/fund/rounds/{id}/disbursements',
        '/api/v1/fund/rounds/{id}/withdrawal',
        '/api/v1/fund/disbursements',
        '/api/v1/fund/disbursements/{id}',
        '/api/v1/fund/disbursements/{id}/confirmation',
        '/api/v1/fund/disbursements/{id}/dispute',
        '/api/v1/fund/disbursements/{id}/cancellation',
        '/api/v1/counties',
        '/api/v1/ip/{id}/licenses',
        '/api/v1/licenses/{id}/royalty-reports',
        '/api/v1/royalty-statements',
        '/api/v1/tax/agreements/{id}/approvals',
        '/api/v1/tax/statements',
      ]) {
        expect(doc.paths, p).to.have.property(p);
      }
      expect(doc.paths['/api/v1/public/fund'].get.security).to.deep.equal([]);
      // The bound of every amount is stated in the document.
      const amount = doc.paths['/api/v1/fund/contributions'].post.requestBody.content['application/json'].schema.properties.amountFen;
      expect(amount).to.include({ maximum: MAX_AMOUNT_FEN });
      expect(amount.description).to.match(/1000000000000 \(¥10 billion\)/);
    });

    it('no second round over an overlapping period for a common county while the first is not withdrawn (422)', async () => {
      const body = { periodFrom: addDays(tradeDay, -5), periodTo: tradeDay, poolFen: 1000, metrics: [{ metric: 'trade-volume', weightBp: 10000 }] };
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => f.request('POST', `${API}/fund/rounds`, key['fin-f'], body), new RegExp(`round ${roundId}`));
      // A proposed round blocks its period too, until its county withdraws it.
      const indicator = { metric: 'indicator', name: 'forest-coverage', weightBp: 10000, values: [{ county: LIANGDANG, value: 1 }] };
      const before = { periodFrom: addDays(tradeDay, -3), periodTo: addDays(tradeDay, -2), poolFen: 1000, metrics: [indicator] };
      const proposed = created(await f.request('POST', `${API}/fund/rounds`, key['fin-f'], before));
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () =>
        f.request('POST', `${API}/fund/rounds`, key['fin-l'], { ...before, periodFrom: addDays(tradeDay, -2) }),
      );
      const withdraw = (who: string, id: string, b: unknown) => f.request('POST', `${API}/fund/rounds/${id}/withdrawal`, key[who], b);
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => withdraw('fin-l', proposed.id, { reason: 'not ours to withdraw' }), /proposed by FengxianMSP/);
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => withdraw('reg-f', proposed.id, { reason: 'no finance role' }));
      await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => withdraw('fin-f', proposed.id, {}));
      await expectRefusedHttp(w, 409, 'CONFLICT', () => withdraw('fin-h', roundId, { reason: 'finalized' }), /finalized/);
      const withdrawn = created(await withdraw('fin-f', proposed.id, { reason: 'proposed over the wrong period' }));
      expect(withdrawn).to.include({ status: 'withdrawn' });
      expect(withdrawn.withdrawal).to.include({ reason: 'proposed over the wrong period' });
      await expectRefusedHttp(w, 409, 'CONFLICT', () => f.request('POST', `${API}/fund/rounds/${proposed.id}/approvals`, key['fin-l']));
      expect(okJson(await f.request('GET', `${API}/fund/rounds?status=withdrawn`, key['fin-l'])).items.map((r: any) => r.id)).to.deep.equal([proposed.id]);
      // Its period is free again; this round stays proposed (the restriction below is shown on it).
      created(await f.request('POST', `${API}/fund/rounds`, key['fin-l'], { ...before, periodFrom: addDays(tradeDay, -2) }));
    });

    it('a county restricted from fund eligibility gets nothing; its share goes to the others by the same rule; no disbursement to it', async () => {
      // The county government is a subject like any other, registered by its own county before it can be blacklisted.
      await w.submit(await w.id(FENGXIAN, 'reg-f'), tx.subjects.registerEnterprise, {
        creditCode: governmentCode(FENGXIAN),
        name: 'Fengxian County Government',
      });
      await blacklistSubject(w, regL, governmentCode(FENGXIAN), { measures: ['fund'] });
      const round = created(
        await f.request('POST', `${API}/fund/rounds`, key['fin-l'], {
          periodFrom: addDays(tradeDay, -4),
          periodTo: addDays(tradeDay, -4),
          poolFen: 600_000,
          metrics: [
            {
              metric: 'indicator',
              name: 'forest-coverage',
              weightBp: 7000,
              values: [
                { county: LIANGDANG, value: 280 },
                { county: HUIXIAN, value: 200 },
                { county: FENGXIAN, value: 120 },
              ],
            },
            {
              metric: 'indicator',
              name: 'wetland',
              weightBp: 3000,
              values: [
                { county: LIANGDANG, value: 5 },
                { county: FENGXIAN, value: 5 },
              ],
            },
          ],
        }),
      );
      const fx = round.allocations.find((a: any) => a.county === FENGXIAN);
      expect(fx).to.include({ eligible: false, amountFen: 0 });
      expect(fx.restriction).to.match(/fund/);
      // Eligible totals: forest 480 (LD 280, HX 200), wetland 5 (LD only).
      // LD 0.7·280/480 + 0.3 = 0.708333…, HX 0.7·200/480 = 0.291666…
      expect(round.allocations.map((a: any) => a.amountFen)).to.deep.equal([0, 175_000, 425_000]);
      expect(round.metrics.map((m: any) => m.eligibleTotal)).to.deep.equal(['480', '5']);
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () => f.request('POST', `${API}/fund/rounds/${roundId}/disbursements`, key['fin-l'], { county: FENGXIAN, amountFen: 10, paymentRef: 'pay:fx-1' }),
        /restricted/,
      );
    });
  });

  describe('bad round proposals', () => {
    const past = { periodFrom: '2026-01-01', periodTo: '2026-03-31' };
    const indicator = {
      metric: 'indicator',
      name: 'forest-coverage',
      weightBp: 10000,
      values: [
        { county: LIANGDANG, value: 61 },
        { county: HUIXIAN, value: 39 },
      ],
    };

    it('refuses weights not summing to 10000, typed-in trade volumes, unknown counties, bad amounts and periods (400)', async () => {
      const bad: unknown[] = [
        {
          ...past,
          poolFen: 1000,
          metrics: [
            { metric: 'trade-volume', weightBp: 6000 },
            { metric: 'carbon-sink', weightBp: 3000 },
          ],
        },
        {
          ...past,
          poolFen: 1000,
          metrics: [
            { metric: 'trade-volume', weightBp: 6000 },
            { metric: 'carbon-sink', weightBp: 5000 },
          ],
        },
        { ...past, poolFen: 1000, metrics: [{ metric: 'trade-volume', weightBp: 10001 }] },
        { ...past, poolFen: 1000, metrics: [{ metric: 'trade-volume', weightBp: 10000, values: [{ county: LIANGDANG, value: 5 }] }] },
        {
          ...past,
          poolFen: 1000,
          metrics: [
            { metric: 'trade-volume', weightBp: 5000 },
            { metric: 'trade-volume', weightBp: 5000 },
          ],
        },
        { ...past, poolFen: -1000, metrics: [indicator] },
        { ...past, poolFen: 10.5, metrics: [indicator] },
        { ...past, poolFen: 0, metrics: [indicator] },
        { ...past, poolFen: 1000, metrics: [{ ...indicator, values: [{ county: LIANGDANG, value: -1 }] }] },
        { ...past, poolFen: 1000, metrics: [{ ...indicator, values: [{ county: LIANGDANG, value: 1.5 }] }] },
        { periodFrom: '2026-03-31', periodTo: '2026-01-01', poolFen: 1000, metrics: [indicator] },
        { periodFrom: '2024-12-31', periodTo: '2026-01-01', poolFen: 1000, metrics: [indicator] },
        { ...past, poolFen: 1000, metrics: [] },
      ];
      for (const body of bad) await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => f.request('POST', `${API}/fund/rounds`, key['fin-l'], body));
      await expectRefusedHttp(
        w,
        400,
        'INVALID_ARGUMENT',
        () =>
          f.request('POST', `${API}/fund/rounds`, key['fin-l'], {
            ...past,
            poolFen: 1000,
            metrics: [{ ...indicator, values: [{ county: 'NowhereMSP', value: 5 }] }],
          }),
        /not a registered county/,
      );
    });

    it('refuses a pool above the uncommitted contributions and nothing to allocate by (422), and non-finance callers (403)', async () => {
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () => f.request('POST', `${API}/fund/rounds`, key['fin-l'], { ...past, poolFen: 1_000_001, metrics: [indicator] }),
        /exceeds/,
      );
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () => f.request('POST', `${API}/fund/rounds`, key['fin-l'], { ...past, poolFen: 1000, metrics: [{ metric: 'trade-volume', weightBp: 10000 }] }),
        /nothing to allocate/,
      );
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () =>
        f.request('POST', `${API}/fund/rounds`, key['reg-h'], { ...past, poolFen: 1000, metrics: [indicator] }),
      );
      const round = created(await f.request('POST', `${API}/fund/rounds`, key['fin-f'], { ...past, poolFen: 1000, metrics: [indicator] }));
      expect(round.allocations.map((a: any) => a.amountFen)).to.deep.equal([0, 390, 610]);
    });
  });
});
