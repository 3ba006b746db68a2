import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { TransactionDefinition } from '../../chaincode/src/kernel/transaction';
import { MAX_AMOUNT_FEN } from '../../chaincode/src/kernel/money';
import { cstDate } from '../../chaincode/src/kernel/time';
import { probe } from '../support/probe';
import { ProbeContract } from '../support/probe-contract';
import { registerCounties } from '../support/fund-world';
import { FENGXIAN, HUIXIAN, LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';
import { ecoAsset, listEco, MarketCast, marketCast, order, registerEnterprise, settle, verify, Who, World } from '../support/market-world';

const SUBJECT = '91350100M000100Y43';
const past = { periodFrom: '2025-01-01', periodTo: '2025-01-31' };

/** Inputs with one amount each, valid but for that amount: every fen field of every domain's input schemas. */
const AMOUNT_FIELDS: ReadonlyArray<[TransactionDefinition, string, Record<string, unknown>]> = [
  [tx.market.registerAsset, 'costFen', { ownerSubjectId: SUBJECT, kind: 'rural-resource', title: 't', category: 'farmland-lease', costFen: 1, priceFen: 1 }],
  [tx.market.registerAsset, 'priceFen', { ownerSubjectId: SUBJECT, kind: 'rural-resource', title: 't', category: 'farmland-lease', costFen: 1, priceFen: 1 }],
  [tx.market.setListing, 'priceFen', { assetId: 'as-1', listed: true, priceFen: 1 }],
  [tx.market.placeOrder, 'depositFen', { assetId: 'as-1', buyerSubjectId: SUBJECT, depositFen: 1, depositPaymentRef: 'pay:1' }],
  [tx.subjects.setAccess, 'tradeLimitFen', { subjectId: SUBJECT, status: 'orange', tradeLimitFen: 1, evidenceRefs: ['doc:1'] }],
  [
    tx.ip.requestLicense,
    'fixedFeeFen',
    {
      ipId: 'ip-1',
      licenseeSubjectId: SUBJECT,
      categories: ['paper-cut'],
      territory: [LIANGDANG],
      termFrom: '2026-01-01',
      termTo: '2026-12-31',
      exclusive: false,
      fixedFeeFen: 1,
    },
  ],
  [tx.ip.reportRoyalty, 'salesFen', { licenseId: 'li-1', ...past, salesFen: 1 }],
  [tx.fund.recordContribution, 'amountFen', { amountFen: 1, paymentRef: 'pay:1' }],
  [tx.fund.proposeRound, 'poolFen', { ...past, poolFen: 1, metrics: [{ metric: 'trade-volume', weightBp: 10000 }] }],
  [tx.fund.recordDisbursement, 'amountFen', { roundId: 'fr-1', county: LIANGDANG, amountFen: 1, paymentRef: 'pay:1' }],
];

/** The composite key the chaincode stores a record under (fabric-shim's createCompositeKey). */
const compositeKey = (type: string, attrs: string[]) => `\u0000${type}\u0000${attrs.map((a) => `${a}\u0000`).join('')}`;

describe('chaincode: every amount bounded at input, totals that never overflow', function () {
  this.timeout(60_000);
  let w: World;
  let c: MarketCast;
  let admin: Who;

  before(async () => {
    w = World.over(await openLedgerFixture({ extraContracts: [ProbeContract] }));
    await registerCounties(w);
    c = await marketCast(w);
    admin = await w.admin(LIANGDANG);
  });
  after(async () => w.cleanup());

  /** Writes a record as an earlier version of the chaincode may have left it (test-only Probe contract). */
  const seed = (type: string, attrs: string[], record: unknown) => w.f.ledger.submit(admin, probe('Put', compositeKey(type, attrs), JSON.stringify(record)));

  it(`the schemas take amounts up to MAX_AMOUNT_FEN (${MAX_AMOUNT_FEN} fen, ¥10 billion) and refuse one fen more, naming the field`, () => {
    for (const [definition, field, input] of AMOUNT_FIELDS) {
      const schema = definition.input as NonNullable<TransactionDefinition['input']>;
      expect(schema.safeParse({ ...input, [field]: MAX_AMOUNT_FEN }).success, `${definition.qualifiedName} ${field} at the bound`).to.equal(true);
      const over = schema.safeParse({ ...input, [field]: MAX_AMOUNT_FEN + 1 });
      expect(over.success, `${definition.qualifiedName} ${field} over the bound`).to.equal(false);
      expect(over.error?.issues.map((i) => i.path.join('.'))).to.deep.equal([field]);
    }
  });

  it('an amount over the bound is refused by the chaincode itself with INVALID_ARGUMENT naming the field; nothing is written', async () => {
    const fin = await w.member(LIANGDANG, 'fin-bounds', 'finance');
    for (const [definition, field, input] of AMOUNT_FIELDS) {
      const who = definition.contract === 'Fund' ? fin : definition.contract === 'Subjects' ? c.regA : c.sellerMerchant;
      await w.expectRefused(
        'INVALID_ARGUMENT',
        () => w.submit(who, definition, { ...input, [field]: MAX_AMOUNT_FEN + 1 }),
        new RegExp(`${field}: must be at most ${MAX_AMOUNT_FEN} fen`),
      );
    }
  });

  it('two near-maximum royalty reports on one day are both accepted; the county statement is exact', async () => {
    const merchant = await w.member(LIANGDANG, 'm-licensee', 'merchant');
    const licensee = await registerEnterprise(w, c.regA, LIANGDANG, 'green');
    await w.submit(c.regA, tx.subjects.bindMerchant, { subjectId: licensee, member: 'm-licensee' });
    const ip = await w.submit(c.regA, tx.ip.registerIp, {
      title: 'Liangdang paper-cut',
      kind: 'intangible-heritage',
      owners: [{ county: LIANGDANG, shareBp: 10000 }],
      proofEvidenceRefs: ['doc:heritage-listing'],
    });
    const license = await w.submit(merchant, tx.ip.requestLicense, {
      ipId: ip.id,
      licenseeSubjectId: licensee,
      categories: ['paper-cut'],
      territory: [LIANGDANG],
      termFrom: '2025-01-01',
      termTo: '2026-12-31',
      exclusive: false,
      royaltyRateBp: 10000,
      fixedFeeFen: MAX_AMOUNT_FEN,
    });
    expect((await w.submit(c.regA, tx.ip.approveLicense, { licenseId: license.id })).status).to.equal('effective');
    const first = await w.submit(merchant, tx.ip.reportRoyalty, {
      licenseId: license.id,
      periodFrom: '2025-01-01',
      periodTo: '2025-06-30',
      salesFen: MAX_AMOUNT_FEN,
    });
    const second = await w.submit(merchant, tx.ip.reportRoyalty, {
      licenseId: license.id,
      periodFrom: '2025-07-01',
      periodTo: '2025-12-31',
      salesFen: MAX_AMOUNT_FEN - 1,
    });
    expect([first.royaltyDueFen, second.royaltyDueFen]).to.deep.equal([2 * MAX_AMOUNT_FEN, 2 * MAX_AMOUNT_FEN - 1]);
    const today = cstDate(Date.now());
    const statement = await w.evaluate(c.regB, tx.ip.royaltyStatement, { county: LIANGDANG, from: today, to: today });
    expect(statement).to.deep.equal({
      county: LIANGDANG,
      from: today,
      to: today,
      amountFen: String(4 * MAX_AMOUNT_FEN - 1),
      reports: 2,
      days: [{ date: today, amountFen: String(4 * MAX_AMOUNT_FEN - 1), reports: 2 }],
    });
  });

  it('an eco trade at the maximum does not block later settlements; the day totals (fund volume, tax) stay exact past 2^53', async () => {
    const today = cstDate(Date.now());
    // A day total already near 2^53, as a JSON number the way an earlier version stored it.
    const near = Number.MAX_SAFE_INTEGER - 5;
    await seed('fundvolume', [LIANGDANG, today], { county: LIANGDANG, date: today, volumeFen: near, trades: 7 });
    const big = await listEco(c, { costFen: 700_000_000_000, priceFen: MAX_AMOUNT_FEN, title: 'a forest of honey' });
    const o = await order(c, big.id, MAX_AMOUNT_FEN / 5);
    await verify(c, o.id);
    expect((await settle(c, o.id)).status).to.equal('settled');
    const small = await c.w.submit(c.sellerMerchant, tx.market.registerAsset, ecoAsset(c, { priceFen: 130_000 }));
    const o2 = await c.w.submit(c.buyerMerchant, tx.market.placeOrder, {
      assetId: small.id,
      buyerSubjectId: c.buyer,
      depositFen: 10_000,
      depositPaymentRef: 'pay:deposit-2',
    });
    await verify(c, o2.id);
    expect((await c.w.submit(c.buyerMerchant, tx.market.settleOrder, { orderId: o2.id, paymentRef: 'pay:balance-2' })).status).to.equal('settled');
    const expected = (BigInt(near) + BigInt(MAX_AMOUNT_FEN) + 130_000n).toString();
    const volume = await w.evaluate(c.regC, tx.fund.tradeVolume, { county: LIANGDANG, periodFrom: today, periodTo: today });
    expect(volume).to.deep.include({ volumeFen: expected, trades: 9 });
    expect(volume.days).to.deep.equal([{ date: today, volumeFen: expected, trades: 9 }]);
    // The pair's tax day: 3% default, all to the origin county.
    const statement = await w.evaluate(c.regC, tx.tax.statement, { countyA: LIANGDANG, countyB: HUIXIAN, from: today, to: today });
    expect(statement).to.include({ trades: 2, priceFen: String(MAX_AMOUNT_FEN + 130_000), taxFen: String(30_000_000_000 + 3900) });
  });

  it('the fund balance adds contributions exactly past 2^53 (GetBalance answers decimal strings)', async () => {
    await seed('fundbalance', ['fund'], { id: 'fund', contributedFen: Number.MAX_SAFE_INTEGER - 1, committedFen: 5 });
    const fin = await w.member(FENGXIAN, 'fin-total', 'finance');
    await w.submit(fin, tx.fund.recordContribution, { amountFen: MAX_AMOUNT_FEN, paymentRef: 'treasury:f-big' });
    await w.submit(fin, tx.fund.recordContribution, { amountFen: 3, paymentRef: 'treasury:f-small' });
    const contributed = BigInt(Number.MAX_SAFE_INTEGER - 1) + BigInt(MAX_AMOUNT_FEN) + 3n;
    expect(await w.evaluate(c.regA, tx.fund.getBalance)).to.deep.equal({
      contributedFen: contributed.toString(),
      committedFen: '5',
      availableFen: (contributed - 5n).toString(),
    });
  });
});
