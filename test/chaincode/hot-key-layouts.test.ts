import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { LOOKBACK_DAYS } from '../../chaincode/src/credit/rules';
import { invertedEpochMs } from '../../chaincode/src/kernel/recent-entries';
import { MAX_SUMMED_ENTRIES } from '../../chaincode/src/kernel/summed-entries';
import { addDays } from '../../chaincode/src/kernel/time';
import { INDEX_LAG_MS } from '../../chaincode/src/market/risk';
import { probe } from '../support/probe';
import { ProbeContract } from '../support/probe-contract';
import { todayCst, violationInput } from '../support/credit-world';
import { FENGXIAN, LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';
import { listEco, MarketCast, marketCast, order, settle, useClock, verify, Who, World } from '../support/market-world';
import { adoptParameters } from '../support/parameters-world';

/** The composite key the chaincode stores a record under (fabric-shim's createCompositeKey). */
const compositeKey = (type: string, attrs: string[]) => `\u0000${type}\u0000${attrs.map((a) => `${a}\u0000`).join('')}`;

/**
 * Settlements no longer read and rewrite a category's running index or the parties' credit files
 * (settlement-hot-keys.test.ts shows they no longer conflict). What the new layout answers must be
 * what the old one did: the same counts and class, and the records written before it still count.
 */
describe('chaincode: the credit file and the category index over per-settlement entries', function () {
  this.timeout(300_000);
  let w: World;
  let c: MarketCast;
  let enf: Who;
  let reader: Who;
  let admin: Who;

  beforeEach(async () => {
    w = World.over(await openLedgerFixture({ extraContracts: [ProbeContract] }));
    c = await marketCast(w);
    enf = await w.member(LIANGDANG, 'enf-l', 'enforcement');
    reader = await w.id(FENGXIAN, 'reader');
    admin = await w.admin(LIANGDANG);
  });
  afterEach(async () => w.cleanup());

  const file = (subjectId: string) => w.evaluate(reader, tx.credit.getCreditFile, { subjectId });
  const fulfil = (subjectId: string) =>
    w.submit(c.regA, tx.credit.recordEvent, { subjectId, kind: 'fulfilment', summary: 'contract fulfilled', evidenceRefs: ['doc:f'] });
  async function sale(priceFen = 130_000): Promise<any> {
    const o = await order(c, (await listEco(c, { priceFen })).id, 10_000);
    await verify(c, o.id);
    return settle(c, o.id);
  }

  it("a settlement counts the pair's trades of the last 24 h in one range read of the pair's entries, and writes one entry blind", async () => {
    await adoptParameters(w, c.regA, c.regB, { pairTradeLimit: 100 });
    await sale();
    const o = await order(c, (await listEco(c)).id, 10_000);
    await verify(c, o.id);
    const settled = await w.submitTx(c.buyerMerchant, tx.market.settleOrder, { orderId: o.id, paymentRef: 'pay:balance-2' });
    const block = await w.f.ledger.getBlock(settled.blockNumber);
    const record = block?.data.find((t) => t.txId === settled.txId);
    const pairKeys = (keys: readonly string[]) => keys.filter((k) => /pair(bucket|trade)/.test(k));
    // Reads: none of the pair's trades key by key (the hourly buckets were 25 reads); one range over its entries.
    expect(pairKeys(record?.rwset.reads.map(([k]) => k) ?? [])).to.deep.equal([]);
    const ranges = record?.rwset.ranges.filter((r) => r.start.startsWith('pairtrade')) ?? [];
    expect(ranges).to.have.length(1);
    expect(ranges[0]?.results).to.have.length(1); // the first sale, inside the window
    // Writes: one new pair trade entry, no bucket.
    const written = pairKeys(record?.rwset.writes.map(([k]) => k) ?? []);
    expect(written).to.have.length(1);
    expect(written[0]).to.match(/^pairtrade\u0000/);
    expect(written[0]).to.include(settled.txId);
  });

  it('fulfilments from settlements and by hand, with violations: window counts, totals and class as the rules give them', async () => {
    await adoptParameters(w, c.regA, c.regB, { pairTradeLimit: 100 });
    await sale();
    await sale();
    expect((await file(c.buyer)).window).to.include({ fulfilments: 2, points: 0 });
    expect((await file(c.buyer)).creditClass).to.equal('B');
    await fulfil(c.buyer);
    let f = await file(c.buyer);
    expect(f).to.include({ creditClass: 'A' });
    expect(f.window).to.include({ fulfilments: 3, points: 0, warnings: 0 });
    expect(f.totals).to.deep.equal({ violations: 0, warnings: 0, penalties: 0 });
    // The first minor harmless violation is a warning (首违不罚 counts violations only, fulfilments do not make it a second).
    const first = await w.submit(enf, tx.credit.recordEvent, violationInput(c.buyer, { severity: 'minor', harmfulConsequence: false }));
    expect(first.outcome).to.equal('warning');
    f = await file(c.buyer);
    expect(f).to.include({ creditClass: 'A' });
    expect(f.window).to.include({ fulfilments: 3, points: 0, warnings: 1 });
    const second = await w.submit(enf, tx.credit.recordEvent, violationInput(c.buyer, { severity: 'minor', harmfulConsequence: false }));
    expect(second.outcome).to.equal('penalty');
    await sale();
    f = await file(c.buyer);
    expect(f).to.include({ creditClass: 'B' });
    expect(f.window).to.deep.include({ fulfilments: 4, points: 1, minor: 1, warnings: 1 });
    expect(f.totals).to.deep.equal({ violations: 2, warnings: 1, penalties: 1 });
    // Listed oldest first, fulfilments and violations together.
    const events = (await w.evaluate(reader, tx.credit.listEvents, { subjectId: c.buyer })).items;
    expect(events.map((e: any) => e.outcome)).to.deep.equal(['fulfilment', 'fulfilment', 'fulfilment', 'warning', 'penalty', 'fulfilment']);
    // The seller took a fulfilment from each settlement only.
    expect((await file(c.seller)).window).to.include({ fulfilments: 3, points: 0 });
  });

  it('a fulfilment counts for LOOKBACK_DAYS days and drops out of the window the day after, with no transaction', async () => {
    const clock = useClock();
    try {
      for (let i = 0; i < 3; i++) await fulfil(c.buyer);
      clock.advanceDays(LOOKBACK_DAYS - 1);
      expect(await file(c.buyer)).to.deep.include({ creditClass: 'A' });
      expect((await file(c.buyer)).window.fulfilments).to.equal(3);
      clock.advanceDays(1);
      const f = await file(c.buyer);
      expect(f.creditClass).to.equal('B');
      expect(f.window.fulfilments).to.equal(0);
    } finally {
      clock.restore();
    }
  });

  it('a credit file written before the entries keeps counting: its fulfilments in the window, its violation count for 首违不罚', async () => {
    const today = todayCst();
    const legacy = {
      subjectId: c.buyer,
      eventCount: 4,
      fulfilmentCount: 3,
      violationCount: 1,
      warningCount: 1,
      penaltyCount: 0,
      recentDays: [
        // Outside the window: not counted.
        { date: addDays(today, -LOOKBACK_DAYS), fulfilments: 1, minor: 0, serious: 0, grave: 0, warnings: 0 },
        { date: addDays(today, -3), fulfilments: 2, minor: 0, serious: 0, grave: 0, warnings: 1 },
      ],
      lastEventAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    };
    await w.f.ledger.submit(admin, probe('PutMany', JSON.stringify([[compositeKey('creditfile', [c.buyer]), JSON.stringify(legacy)]])));
    let f = await file(c.buyer);
    expect(f.window).to.include({ fulfilments: 2, warnings: 1, points: 0 });
    expect(f.creditClass).to.equal('B');
    await fulfil(c.buyer);
    f = await file(c.buyer);
    expect(f.window).to.include({ fulfilments: 3 });
    expect(f.creditClass).to.equal('A');
    // Not the first violation any more: a penalty, and the file's counters move on from the legacy ones.
    expect((await w.submit(enf, tx.credit.recordEvent, violationInput(c.buyer, { severity: 'minor', harmfulConsequence: false }))).outcome).to.equal('penalty');
    f = await file(c.buyer);
    expect(f.window).to.include({ fulfilments: 3, points: 1, warnings: 1 });
    expect(f.totals).to.deep.equal({ violations: 2, warnings: 1, penalties: 1 });
    expect(f.creditClass).to.equal('B');
  });

  it('a category index record written before the price entries keeps its prices in the window until newer ones push them out', async () => {
    const clock = useClock();
    try {
      await adoptParameters(w, c.regA, c.regB, { indexWindow: 3, indexMinSamples: 1, priceDeviationBp: 1_000_000, pairTradeLimit: 100 });
      const legacy = {
        category: 'honey',
        recentPricesFen: [100_000, 110_000, 120_000],
        indexFen: 110_000,
        settledCount: 9,
        updatedAt: '2026-01-01T00:00:00.000Z',
      };
      await w.f.ledger.submit(admin, probe('PutMany', JSON.stringify([[compositeKey('categoryindex', ['honey']), JSON.stringify(legacy)]])));
      expect(await w.evaluate(reader, tx.market.getCategoryIndex, { category: 'honey' })).to.deep.include({
        recentPricesFen: [100_000, 110_000, 120_000],
        indexFen: 110_000,
        updatedAt: legacy.updatedAt,
      });
      const s1 = await sale(130_001);
      clock.advanceMs(INDEX_LAG_MS);
      const index = await w.evaluate(reader, tx.market.getCategoryIndex, { category: 'honey' });
      expect(index).to.deep.include({ recentPricesFen: [110_000, 120_000, 130_001], indexFen: 120_000, updatedAt: s1.settlement.at });
      // The settlement marked the category, so the listing finds it.
      expect((await w.evaluate(reader, tx.market.listCategoryIndexes, {})).items.map((i: any) => i.category)).to.deep.equal(['honey']);
      for (const p of [140_000, 150_000, 160_000]) await sale(p);
      clock.advanceMs(INDEX_LAG_MS);
      expect(await w.evaluate(reader, tx.market.getCategoryIndex, { category: 'honey' })).to.deep.include({
        recentPricesFen: [140_000, 150_000, 160_000],
        indexFen: 150_000,
      });
    } finally {
      clock.restore();
    }
  });

  describe(`more than MAX_SUMMED_ENTRIES (${MAX_SUMMED_ENTRIES}) fulfilments in the window`, () => {
    it('GetCreditFile is refused with CONFLICT, not counted in part; nothing is written; violations are still recorded', async () => {
      // Key-only entries (kernel/recent-entries.ts): type, subject, inverted epoch ms, event ID; all within the last minute.
      const at = Date.now() - 60_000;
      const batch = 10_001;
      for (let from = 0; from <= MAX_SUMMED_ENTRIES; from += batch) {
        const pairs: Array<[string, string]> = [];
        for (let i = from; i < Math.min(from + batch, MAX_SUMMED_ENTRIES + 1); i++) {
          pairs.push([compositeKey('creditfulfil', [c.buyer, invertedEpochMs(at + (i % 1000)), `ce-${i}`]).slice(1), '\u0000']);
        }
        await w.f.ledger.submit(admin, probe('PutMany', JSON.stringify(pairs)));
      }
      await w.expectRefused('CONFLICT', () => file(c.buyer), /more than 50000 fulfilments in the window/);
      // A violation reads the credit file, not the entries.
      expect((await w.submit(enf, tx.credit.recordEvent, violationInput(c.buyer, { severity: 'serious' }))).outcome).to.equal('penalty');
      // The seller's file is its own.
      expect((await file(c.seller)).window.fulfilments).to.equal(0);
    });
  });
});
