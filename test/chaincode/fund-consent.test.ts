import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { FundEvents } from '../../chaincode/src/fund/fund-contract';
import { MAX_AMOUNT_FEN } from '../../chaincode/src/kernel/money';
import { TransactionDefinition } from '../../chaincode/src/kernel/transaction';
import { cstDate } from '../../chaincode/src/kernel/time';
import { registerCounties } from '../support/fund-world';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { listEco, MarketCast, marketCast, order, registerEnterprise, settle, verify, Who, World } from '../support/market-world';

/** A round's indicator metric: Liangdang 50, Huixian 30, Fengxian 20 (the pool splits 5 : 3 : 2). */
const FOREST = {
  metric: 'indicator',
  name: 'forest-coverage',
  weightBp: 10000,
  values: [
    { county: LIANGDANG, value: 50 },
    { county: HUIXIAN, value: 30 },
    { county: FENGXIAN, value: 20 },
  ],
};

describe('chaincode: fund rounds that do not overlap, disbursements confirmed by the receiving county (跨区域生态补偿基金)', function () {
  this.timeout(60_000);
  let w: World;
  const fin: Record<string, Who> = {};
  let finL2: Who;
  let finH2: Who;
  let regL: Who;
  let regH: Who;

  before(async () => {
    w = await World.open();
    await registerCounties(w);
    fin[LIANGDANG] = await w.member(LIANGDANG, 'fin-l', 'finance');
    fin[HUIXIAN] = await w.member(HUIXIAN, 'fin-h', 'finance');
    fin[FENGXIAN] = await w.member(FENGXIAN, 'fin-f', 'finance');
    finL2 = await w.member(LIANGDANG, 'fin-l2', 'finance');
    finH2 = await w.member(HUIXIAN, 'fin-h2', 'finance');
    regL = await w.member(LIANGDANG, 'reg-l', 'regulator');
    regH = await w.member(HUIXIAN, 'reg-h', 'regulator');
    await w.submit(fin[LIANGDANG] as Who, tx.fund.recordContribution, { amountFen: 10_000_000, paymentRef: 'treasury:l-1' });
  });
  after(async () => w.cleanup());

  const propose = (who: Who, periodFrom: string, periodTo: string, poolFen = 1000) =>
    w.submit(who, tx.fund.proposeRound, { periodFrom, periodTo, poolFen, metrics: [FOREST] });

  describe('rounds: no two rounds that are not withdrawn cover overlapping periods for a common county', () => {
    let a: any;

    it('a round overlapping a proposed one by a single day is refused (422), across a year boundary too; adjacent periods are not', async () => {
      a = await propose(fin[HUIXIAN] as Who, '2025-12-15', '2026-01-15');
      for (const [from, to] of [
        ['2025-12-31', '2025-12-31'],
        ['2026-01-15', '2026-01-20'],
        // Ends in another year than the round it overlaps: found through that year's record.
        ['2025-03-01', '2025-12-15'],
        ['2024-12-16', '2025-12-15'],
        ['2025-12-01', '2026-02-01'],
      ] as const) {
        await w.expectRefused(
          'RULE_VIOLATION',
          () => propose(fin[LIANGDANG] as Who, from, to),
          new RegExp(`round ${a.id} already covers 2025-12-15..2026-01-15`),
        );
      }
      // The day after and the 366 days up to the day before: free.
      expect((await propose(fin[FENGXIAN] as Who, '2026-01-16', '2026-11-30')).status).to.equal('proposed');
      expect((await propose(fin[FENGXIAN] as Who, '2024-12-14', '2025-12-14')).status).to.equal('proposed');
      await w.expectRefused('RULE_VIOLATION', () => propose(fin[LIANGDANG] as Who, '2025-12-14', '2025-12-15'));
    });

    it("WithdrawRound: finance of the proposer's county only, proposed rounds only, with a reason; the period is free again", async () => {
      await w.expectRefused(
        'FORBIDDEN',
        () => w.submit(fin[LIANGDANG] as Who, tx.fund.withdrawRound, { roundId: a.id, reason: 'x' }),
        /proposed by HuixianMSP/,
      );
      await w.expectRefused('FORBIDDEN', () => w.submit(regH, tx.fund.withdrawRound, { roundId: a.id, reason: 'x' }), /finance/);
      for (const bad of [
        { roundId: a.id },
        { roundId: a.id, reason: '' },
        { roundId: a.id, reason: 'x'.repeat(501) },
        { roundId: a.id, reason: 'x', extra: 1 },
        {},
      ]) {
        await w.expectRefused('INVALID_ARGUMENT', () => w.submit(finH2, tx.fund.withdrawRound, bad));
      }
      await w.expectRefused('INVALID_ARGUMENT', () => w.submitRaw(finH2, tx.fund.withdrawRound, ['not json']));
      await w.expectRefused('NOT_FOUND', () => w.submit(finH2, tx.fund.withdrawRound, { roundId: 'fr-missing', reason: 'x' }));
      // Another finance officer of the proposing county may withdraw it.
      const res = await w.submitTx(finH2, tx.fund.withdrawRound, { roundId: a.id, reason: 'the period was wrong' });
      expect(res.result).to.include({ status: 'withdrawn' });
      expect(res.result.withdrawal).to.include({ reason: 'the period was wrong' });
      expect(res.result.withdrawal.by).to.deep.equal({ mspId: HUIXIAN, member: 'fin-h2' });
      expect(res.event).to.deep.include({ name: FundEvents.RoundWithdrawn });
      expect(res.event?.payload).to.deep.equal({ roundId: a.id, periodFrom: '2025-12-15', periodTo: '2026-01-15', by: HUIXIAN });
      for (const [definition, input] of [
        [tx.fund.withdrawRound, { roundId: a.id, reason: 'again' }],
        [tx.fund.approveRound, { roundId: a.id }],
        [tx.fund.finalizeRound, { roundId: a.id }],
      ] as const) {
        await w.expectRefused('CONFLICT', () => w.submit(fin[HUIXIAN] as Who, definition, input), /withdrawn/);
      }
      expect((await w.evaluate(regL, tx.fund.listRounds, { status: 'withdrawn' })).items.map((r: any) => r.id)).to.deep.equal([a.id]);
      // Its days may be covered again.
      expect((await propose(fin[LIANGDANG] as Who, '2025-12-15', '2025-12-31')).status).to.equal('proposed');
      expect((await propose(fin[LIANGDANG] as Who, '2026-01-01', '2026-01-15')).status).to.equal('proposed');
    });

    it('a finalized round cannot be withdrawn (409) and keeps its period', async () => {
      const r = await propose(fin[LIANGDANG] as Who, '2024-06-01', '2024-06-30');
      await w.submit(fin[LIANGDANG] as Who, tx.fund.approveRound, { roundId: r.id });
      await w.submit(fin[HUIXIAN] as Who, tx.fund.approveRound, { roundId: r.id });
      await w.submit(fin[FENGXIAN] as Who, tx.fund.finalizeRound, { roundId: r.id });
      await w.expectRefused('CONFLICT', () => w.submit(finL2, tx.fund.withdrawRound, { roundId: r.id, reason: 'too late' }), /finalized/);
      await w.expectRefused('RULE_VIOLATION', () => propose(fin[HUIXIAN] as Who, '2024-06-30', '2024-07-05'), new RegExp(r.id));
    });
  });

  describe('disbursements: they count once the receiving county confirms them', () => {
    let round: any;
    const record = (who: Who, county: string, amountFen: number, paymentRef: string) =>
      w.submit(who, tx.fund.recordDisbursement, { roundId: round.id, county, amountFen, paymentRef });
    /** The input of a decision on a disbursement: a confirmation may carry a note, a dispute or cancellation says why. */
    const decision = (definition: TransactionDefinition, disbursementId: string) =>
      definition === tx.fund.confirmDisbursement ? { disbursementId } : { disbursementId, reason: 'x' };
    const payouts = async () => {
      const r = await w.evaluate(regL, tx.fund.getRound, { roundId: round.id });
      return { disbursed: r.disbursedFen[LIANGDANG], pending: r.pendingFen[LIANGDANG] };
    };

    before(async () => {
      round = await propose(fin[LIANGDANG] as Who, '2023-01-01', '2023-01-31', 100_000);
      await w.submit(fin[LIANGDANG] as Who, tx.fund.approveRound, { roundId: round.id });
      await w.submit(fin[HUIXIAN] as Who, tx.fund.approveRound, { roundId: round.id });
      round = await w.submit(fin[FENGXIAN] as Who, tx.fund.finalizeRound, { roundId: round.id });
      expect(round.allocations.map((a: any) => [a.county, a.amountFen])).to.deep.equal([
        [FENGXIAN, 20_000],
        [HUIXIAN, 30_000],
        [LIANGDANG, 50_000],
      ]);
    });

    it('RecordDisbursement: another county of the round records (the receiver may not record its own), bad input refused naming the field', async () => {
      await w.expectRefused('FORBIDDEN', () => record(fin[LIANGDANG] as Who, LIANGDANG, 10, 'pay:self'), /to itself/);
      await w.expectRefused('FORBIDDEN', () => record(regH, LIANGDANG, 10, 'pay:reg'), /finance/);
      for (const [bad, field] of [
        [{ amountFen: 0 }, 'amountFen'],
        [{ amountFen: -1 }, 'amountFen'],
        [{ amountFen: 1.5 }, 'amountFen'],
        [{ amountFen: MAX_AMOUNT_FEN + 1 }, 'amountFen: must be at most 1000000000000 fen'],
        [{ paymentRef: '' }, 'paymentRef'],
        [{ county: 'not an msp!' }, 'county'],
        [{ extra: true }, 'extra'],
      ] as const) {
        await w.expectRefused(
          'INVALID_ARGUMENT',
          () =>
            w.submit(
              fin[HUIXIAN] as Who,
              tx.fund.recordDisbursement,
              Object.assign({ roundId: round.id, county: LIANGDANG, amountFen: 10, paymentRef: 'pay:x' }, bad),
            ),
          field,
        );
      }
    });

    it('recorded → confirmed by the receiving county (another finance officer of it too): one event each; only then disbursed', async () => {
      const recorded = await w.submitTx(fin[HUIXIAN] as Who, tx.fund.recordDisbursement, {
        roundId: round.id,
        county: LIANGDANG,
        amountFen: 20_000,
        paymentRef: 'pay:h-1',
        note: 'first tranche',
      });
      expect(recorded.result).to.include({ status: 'recorded', county: LIANGDANG, disbursedFen: 0, pendingFen: 20_000, allocatedFen: 50_000 });
      expect(recorded.event?.name).to.equal(FundEvents.DisbursementRecorded);
      expect(recorded.event?.payload).to.include({ disbursementId: recorded.result.id, status: 'recorded', recordedBy: HUIXIAN, pendingFen: 20_000 });
      expect(await payouts()).to.deep.equal({ disbursed: 0, pending: 20_000 });
      const confirmed = await w.submitTx(finL2, tx.fund.confirmDisbursement, { disbursementId: recorded.result.id, note: 'in the treasury' });
      expect(confirmed.result).to.include({ status: 'confirmed', disbursedFen: 20_000, pendingFen: 0 });
      expect(confirmed.result.confirmation).to.deep.include({ by: { mspId: LIANGDANG, member: 'fin-l2' }, note: 'in the treasury' });
      expect(confirmed.event?.name).to.equal(FundEvents.DisbursementConfirmed);
      expect(confirmed.event?.payload).to.include({ status: 'confirmed', by: LIANGDANG, disbursedFen: 20_000 });
      expect(await payouts()).to.deep.equal({ disbursed: 20_000, pending: 0 });
      expect(await w.evaluate(regH, tx.fund.getDisbursement, { disbursementId: recorded.result.id })).to.include({
        status: 'confirmed',
        note: 'first tranche',
      });
    });

    it('who decides: the receiving county confirms or disputes, the recording county cancels; nobody else (403), nothing written', async () => {
      const d = await record(fin[HUIXIAN] as Who, LIANGDANG, 1000, 'pay:h-who');
      for (const [who, definition, input] of [
        [fin[HUIXIAN], tx.fund.confirmDisbursement, { disbursementId: d.id }],
        [fin[FENGXIAN], tx.fund.confirmDisbursement, { disbursementId: d.id }],
        [regL, tx.fund.confirmDisbursement, { disbursementId: d.id }],
        [finH2, tx.fund.confirmDisbursement, { disbursementId: d.id }],
        [fin[HUIXIAN], tx.fund.disputeDisbursement, { disbursementId: d.id, reason: 'x' }],
        [regL, tx.fund.disputeDisbursement, { disbursementId: d.id, reason: 'x' }],
        [fin[LIANGDANG], tx.fund.cancelDisbursement, { disbursementId: d.id, reason: 'x' }],
        [fin[FENGXIAN], tx.fund.cancelDisbursement, { disbursementId: d.id, reason: 'x' }],
        [regH, tx.fund.cancelDisbursement, { disbursementId: d.id, reason: 'x' }],
      ] as const) {
        await w.expectRefused('FORBIDDEN', () => w.submit(who as Who, definition, input));
      }
      for (const definition of [tx.fund.confirmDisbursement, tx.fund.disputeDisbursement, tx.fund.cancelDisbursement]) {
        await w.expectRefused('NOT_FOUND', () => w.submit(fin[LIANGDANG] as Who, definition, decision(definition, 'fd-missing')));
        await w.expectRefused('INVALID_ARGUMENT', () => w.submitRaw(fin[LIANGDANG] as Who, definition, ['{']));
        for (const bad of [{}, { disbursementId: '' }, { ...decision(definition, d.id), extra: 1 }, { disbursementId: d.id, reason: 'x'.repeat(501) }]) {
          await w.expectRefused('INVALID_ARGUMENT', () => w.submit(fin[LIANGDANG] as Who, definition, bad));
        }
      }
      // A dispute and a cancellation say why.
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(fin[LIANGDANG] as Who, tx.fund.disputeDisbursement, { disbursementId: d.id }), 'reason');
      await w.expectRefused(
        'INVALID_ARGUMENT',
        () => w.submit(fin[HUIXIAN] as Who, tx.fund.cancelDisbursement, { disbursementId: d.id, reason: '' }),
        'reason',
      );
      await w.submit(fin[HUIXIAN] as Who, tx.fund.cancelDisbursement, { disbursementId: d.id, reason: 'test record' });
      // A confirmation takes a note, not a reason.
      await w.expectRefused(
        'INVALID_ARGUMENT',
        () => w.submit(fin[LIANGDANG] as Who, tx.fund.confirmDisbursement, { disbursementId: d.id, reason: 'x' }),
        'reason',
      );
    });

    it('a record by another county the receiver did not get holds the allocation until disputed; the dispute frees it for the real payment', async () => {
      // Confirmed 20 000 of 50 000: Huixian records the remaining 30 000 with a reference of its own invention.
      const fake = await record(fin[HUIXIAN] as Who, LIANGDANG, 30_000, 'FAKE-1');
      await w.expectRefused('RULE_VIOLATION', () => record(fin[FENGXIAN] as Who, LIANGDANG, 30_000, 'pay:f-1'), /20000 fen confirmed, 30000 fen recorded/);
      const disputed = await w.submitTx(fin[LIANGDANG] as Who, tx.fund.disputeDisbursement, { disbursementId: fake.id, reason: 'never received' });
      expect(disputed.result).to.include({ status: 'disputed', disbursedFen: 20_000, pendingFen: 0 });
      expect(disputed.result.dispute).to.include({ note: 'never received' });
      expect(disputed.event?.name).to.equal(FundEvents.DisbursementDisputed);
      const real = await record(fin[FENGXIAN] as Who, LIANGDANG, 30_000, 'pay:f-1');
      expect(real).to.include({ status: 'recorded', pendingFen: 30_000 });
      await w.expectRefused('RULE_VIOLATION', () => record(fin[HUIXIAN] as Who, LIANGDANG, 1, 'pay:h-2'), /exceed its allocation of 50000 fen/);
      expect(await payouts()).to.deep.equal({ disbursed: 20_000, pending: 30_000 });
      // The recording county cancels its disputed record: the amounts stay as they are, the reference is free again.
      const cancelled = await w.submitTx(fin[HUIXIAN] as Who, tx.fund.cancelDisbursement, { disbursementId: fake.id, reason: 'recorded in error' });
      expect(cancelled.result).to.include({ status: 'cancelled', disbursedFen: 20_000, pendingFen: 30_000 });
      expect(cancelled.event?.name).to.equal(FundEvents.DisbursementCancelled);
      await w.submit(fin[LIANGDANG] as Who, tx.fund.confirmDisbursement, { disbursementId: real.id });
      expect(await payouts()).to.deep.equal({ disbursed: 50_000, pending: 0 });
    });

    it('states: only recorded ones are confirmed or disputed; recorded or disputed ones cancelled (409 otherwise); a cancel frees the room and the reference', async () => {
      const confirmed = (await w.evaluate(regL, tx.fund.listDisbursements, { roundId: round.id, status: 'confirmed' })).items[0];
      const cancelled = (await w.evaluate(regL, tx.fund.listDisbursements, { roundId: round.id, status: 'cancelled' })).items[0];
      for (const [who, definition, d] of [
        [fin[LIANGDANG], tx.fund.confirmDisbursement, confirmed],
        [fin[LIANGDANG], tx.fund.disputeDisbursement, confirmed],
        [fin[HUIXIAN], tx.fund.cancelDisbursement, confirmed],
        [fin[LIANGDANG], tx.fund.confirmDisbursement, cancelled],
        [fin[LIANGDANG], tx.fund.disputeDisbursement, cancelled],
        [fin[HUIXIAN], tx.fund.cancelDisbursement, cancelled],
      ] as const) {
        await w.expectRefused('CONFLICT', () => w.submit(who as Who, definition, decision(definition, d.id)), new RegExp(d.status));
      }
      // A confirmed disbursement's reference stays used; a cancelled one's is free.
      await w.expectRefused('CONFLICT', () => record(fin[HUIXIAN] as Who, FENGXIAN, 1, 'pay:h-1'), /payment reference/);
      const again = await record(fin[HUIXIAN] as Who, FENGXIAN, 20_000, 'FAKE-1');
      await w.expectRefused('RULE_VIOLATION', () => record(fin[LIANGDANG] as Who, FENGXIAN, 1, 'pay:l-1'), /exceed/);
      expect(await w.submit(fin[HUIXIAN] as Who, tx.fund.cancelDisbursement, { disbursementId: again.id, reason: 'wrong amount' })).to.include({
        status: 'cancelled',
        pendingFen: 0,
      });
      expect(await record(fin[LIANGDANG] as Who, FENGXIAN, 20_000, 'pay:l-1')).to.include({ pendingFen: 20_000 });
    });

    it('ListDisbursements: by round or by receiving county (exactly one), all or of one status, paginated', async () => {
      const byRound = (await w.evaluate(regL, tx.fund.listDisbursements, { roundId: round.id })).items;
      expect(byRound.map((d: any) => [d.paymentRef, d.status])).to.deep.equal([
        ['pay:h-1', 'confirmed'],
        ['pay:h-who', 'cancelled'],
        ['FAKE-1', 'cancelled'],
        ['pay:f-1', 'confirmed'],
        ['FAKE-1', 'cancelled'],
        ['pay:l-1', 'recorded'],
      ]);
      const toFengxian = (await w.evaluate(regH, tx.fund.listDisbursements, { county: FENGXIAN, status: 'recorded' })).items;
      expect(toFengxian.map((d: any) => d.paymentRef)).to.deep.equal(['pay:l-1']);
      const page1 = await w.evaluate(regH, tx.fund.listDisbursements, { county: LIANGDANG, status: 'cancelled', limit: 1 });
      const page2 = await w.evaluate(regH, tx.fund.listDisbursements, { county: LIANGDANG, status: 'cancelled', limit: 1, cursor: page1.nextCursor });
      expect([...page1.items, ...page2.items].map((d: any) => d.paymentRef)).to.deep.equal(['pay:h-who', 'FAKE-1']);
      expect((await w.evaluate(regH, tx.fund.listDisbursements, { county: LIANGDANG, status: 'disputed' })).items).to.deep.equal([]);
      for (const bad of [{ roundId: round.id, county: LIANGDANG }, {}, { county: LIANGDANG, status: 'paid' }]) {
        await w.expectRefused('INVALID_ARGUMENT', () => w.evaluate(regH, tx.fund.listDisbursements, bad));
      }
    });
  });
});

describe('chaincode: the fund counts cross-region trades only', function () {
  this.timeout(60_000);
  let w: World;
  let c: MarketCast;
  let localMerchant: Who;
  let localBuyer: string;

  before(async () => {
    w = await World.open();
    c = await marketCast(w);
    localMerchant = await w.member(LIANGDANG, 'm-buyer-l', 'merchant');
    localBuyer = await registerEnterprise(w, c.regA, LIANGDANG, 'green');
    await w.submit(c.regA, tx.subjects.bindMerchant, { subjectId: localBuyer, member: 'm-buyer-l' });
  });
  after(async () => w.cleanup());

  const volume = async () => {
    const today = cstDate(Date.now());
    return w.evaluate(c.regB, tx.fund.tradeVolume, { county: LIANGDANG, periodFrom: today, periodTo: today });
  };

  it('an eco product bought inside its county of origin leaves the trade volume unchanged; one bought from another county raises it', async () => {
    const before = await volume();
    expect(before).to.include({ volumeFen: '0', trades: 0 });
    const local = await listEco(c, { priceFen: 130_000 });
    const o = await order(c, local.id, 10_000, localMerchant, localBuyer);
    await verify(c, o.id);
    expect((await settle(c, o.id, localMerchant)).status).to.equal('settled');
    expect(await volume(), 'an in-county trade').to.deep.equal(before);
    // It is still a settled trade of the county, marked as not cross-region.
    const today = cstDate(Date.now());
    const trades = (await w.evaluate(c.regA, tx.market.listTrades, { originCounty: LIANGDANG, date: today })).items;
    expect(trades.map((t: any) => [t.orderId, t.crossRegion])).to.deep.equal([[o.id, false]]);

    const away = await listEco(c, { priceFen: 150_000 });
    const o2 = await order(c, away.id);
    await verify(c, o2.id);
    await settle(c, o2.id);
    const after = await volume();
    expect(after).to.include({ volumeFen: '150000', trades: 1 });
    expect(after.days).to.deep.equal([{ date: today, volumeFen: '150000', trades: 1 }]);
  });
});
