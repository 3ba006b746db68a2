import { tx } from '../../chaincode/src/catalogue';
import { expect } from 'chai';
import { CaseEvents } from '../../chaincode/src/credit/case-contract';
import { CreditContractEvents } from '../../chaincode/src/credit/credit-contract';
import { CREDIT_CLASS_RULES, LOOKBACK_DAYS, addMonths, classify, earliestRepairDate, latestEndDate } from '../../chaincode/src/credit/rules';
import { DEFAULT_PARAMETERS } from '../../chaincode/src/parameters/parameters';
import { addDays } from '../../chaincode/src/kernel/time';
import { blacklistSubject, decision, todayCst, violationInput } from '../support/credit-world';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import {
  corruptCreditCode,
  creditCode,
  ensureCounties,
  listEco,
  MarketCast,
  marketCast,
  order,
  registerEnterprise,
  settle,
  useClock,
  verify,
  Who,
  World,
} from '../support/market-world';

describe('chaincode: credit rules (data table, pure)', () => {
  const counts = (points: number, fulfilments = 0) => ({ points, fulfilments, minor: 0, serious: 0, grave: 0 });

  it('credit class at every boundary of the table', () => {
    expect(classify(counts(0, 0), false).creditClass).to.equal('B');
    expect(classify(counts(0, 2), false).creditClass).to.equal('B');
    expect(classify(counts(0, 3), false).creditClass).to.equal('A');
    expect(classify(counts(1, 50), false).creditClass).to.equal('B');
    expect(classify(counts(2), false).creditClass).to.equal('B');
    expect(classify(counts(3), false).creditClass).to.equal('C');
    expect(classify(counts(9), false).creditClass).to.equal('C');
    expect(classify(counts(10), false).creditClass).to.equal('D');
    expect(classify(counts(0, 99), true).creditClass).to.equal('D');
    expect(classify(counts(0, 3), false).rule).to.equal(5);
    expect(CREDIT_CLASS_RULES.at(-1)).to.not.have.property('minPoints');
  });

  it('publication periods are data (shared parameters), and month arithmetic clamps to the month end', () => {
    const { minPublicationMonths: min, maxPublicationMonths: max } = DEFAULT_PARAMETERS;
    expect(min).to.deep.equal({ minor: 3, serious: 6, grave: 36 });
    expect(max).to.deep.equal({ minor: 12, serious: 36, grave: 60 });
    expect(addMonths('2024-01-31', 1)).to.equal('2024-02-29');
    expect(addMonths('2023-11-30', 3)).to.equal('2024-02-29');
    expect(addMonths('2024-12-15', 1)).to.equal('2025-01-15');
    expect(earliestRepairDate('2024-03-01', 'minor', min)).to.equal('2024-06-01');
    expect(earliestRepairDate('2024-03-01', 'serious', min)).to.equal('2024-09-01');
    expect(earliestRepairDate('2024-02-29', 'grave', min)).to.equal('2027-02-28');
    expect(earliestRepairDate('2024-03-01', 'minor', { ...min, minor: 1 })).to.equal('2024-04-01');
    expect(latestEndDate('2024-03-01', 'minor', max)).to.equal('2025-03-01');
    expect(latestEndDate('2024-02-29', 'serious', max)).to.equal('2027-02-28');
    expect(latestEndDate('2024-03-01', 'grave', max)).to.equal('2029-03-01');
  });
});

describe('chaincode: credit files, blacklist, objections, repair (Credit:)', () => {
  let w: World;
  let c: MarketCast;
  let enfA: Who;
  let enfB: Who;
  let regA: Who;
  let auditor: Who;
  let reader: Who;

  beforeEach(async () => {
    w = await World.open();
    c = await marketCast(w);
    enfA = await w.member(LIANGDANG, 'enf-a', 'enforcement');
    enfB = await w.member(HUIXIAN, 'enf-b', 'enforcement');
    regA = c.regA;
    auditor = await w.member(FENGXIAN, 'auditor-c', 'auditor');
    reader = await w.id(FENGXIAN, 'reader');
  });
  afterEach(async () => w.cleanup());

  const file = (subjectId: string) => w.evaluate(reader, tx.credit.getCreditFile, { subjectId });

  describe('credit events and class', () => {
    it('enforcement and regulators record events; other roles may not; events carry issuing county and role', async () => {
      const r = await w.submitTx(enfB, tx.credit.recordEvent, violationInput(c.seller));
      expect(r.event?.name).to.equal(CreditContractEvents.EventRecorded);
      expect(r.result).to.include({ subjectId: c.seller, kind: 'eco-violation', severity: 'serious', outcome: 'penalty', issuingCounty: HUIXIAN });
      expect(r.result).to.not.have.property('seq');
      expect(r.result.issuedBy).to.deep.equal({ mspId: HUIXIAN, member: 'enf-b', role: 'enforcement' });
      const byReg = await w.submit(regA, tx.credit.recordEvent, {
        subjectId: c.seller,
        kind: 'fulfilment',
        summary: 'court judgment fulfilled',
        evidenceRefs: ['doc:j-1'],
      });
      expect(byReg).to.include({ outcome: 'fulfilment' });
      expect(byReg.issuedBy.role).to.equal('regulator');
      await w.expectRefused('FORBIDDEN', () => w.submit(auditor, tx.credit.recordEvent, violationInput(c.seller)));
      await w.expectRefused('FORBIDDEN', () => w.submit(c.sellerMerchant, tx.credit.recordEvent, violationInput(c.seller)));
      const list = await w.evaluate(reader, tx.credit.listEvents, { subjectId: c.seller });
      // Oldest first, by time.
      expect(list.items.map((e: any) => e.id)).to.deep.equal([r.result.id, byReg.id]);
      expect((await w.evaluate(reader, tx.credit.getEvent, { eventId: r.result.id })).id).to.equal(r.result.id);
    });

    it('refuses bad input: bad credit code, missing severity, severity on a fulfilment, unknown kind, no evidence', async () => {
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfA, tx.credit.recordEvent, violationInput(corruptCreditCode(c.seller))));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfA, tx.credit.recordEvent, violationInput(c.seller, { severity: undefined })));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfA, tx.credit.recordEvent, violationInput(c.seller, { kind: 'fulfilment' })));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfA, tx.credit.recordEvent, violationInput(c.seller, { kind: 'littering' })));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfA, tx.credit.recordEvent, violationInput(c.seller, { evidenceRefs: [] })));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submitRaw(enfA, tx.credit.recordEvent, ['{not json']));
    });

    it('class follows the points of penalised events: B (new) → A (3 fulfilments) → B (1 point) → C (3 points) → D (10 points)', async () => {
      expect((await file(c.buyer)).creditClass).to.equal('B');
      const fulfil = () =>
        w.submit(regA, tx.credit.recordEvent, { subjectId: c.buyer, kind: 'fulfilment', summary: 'contract fulfilled', evidenceRefs: ['doc:f'] });
      await fulfil();
      await fulfil();
      expect((await file(c.buyer)).creditClass).to.equal('B');
      await fulfil();
      expect((await file(c.buyer)).creditClass).to.equal('A');
      // First minor harmful violation: a penalty (harm present), 1 point.
      await w.submit(enfA, tx.credit.recordEvent, violationInput(c.buyer, { severity: 'minor', harmfulConsequence: true }));
      let f = await file(c.buyer);
      expect(f).to.include({ creditClass: 'B' });
      expect(f.window).to.include({ points: 1, minor: 1, fulfilments: 3 });
      await w.submit(enfA, tx.credit.recordEvent, violationInput(c.buyer, { severity: 'minor', harmfulConsequence: false }));
      expect((await file(c.buyer)).window.points).to.equal(2);
      expect((await file(c.buyer)).creditClass).to.equal('B');
      await w.submit(enfA, tx.credit.recordEvent, violationInput(c.buyer, { severity: 'minor', harmfulConsequence: false }));
      expect((await file(c.buyer)).creditClass).to.equal('C');
      await w.submit(enfA, tx.credit.recordEvent, violationInput(c.buyer, { severity: 'serious' }));
      await w.submit(enfA, tx.credit.recordEvent, violationInput(c.buyer, { severity: 'serious' }));
      f = await file(c.buyer);
      expect(f.window.points).to.equal(9);
      expect(f.creditClass).to.equal('C');
      await w.submit(enfA, tx.credit.recordEvent, violationInput(c.buyer, { severity: 'minor', harmfulConsequence: false }));
      f = await file(c.buyer);
      expect(f.window.points).to.equal(10);
      expect(f.creditClass).to.equal('D');
      expect(f.classRule.row).to.equal(2);
    });

    it('an event counts for LOOKBACK_DAYS days and drops out of the window the day after, with no transaction', async () => {
      const clock = useClock();
      try {
        await w.submit(enfA, tx.credit.recordEvent, violationInput(c.buyer, { severity: 'serious' }));
        const day0 = todayCst();
        clock.advanceDays(LOOKBACK_DAYS - 1);
        expect(todayCst()).to.equal(addDays(day0, LOOKBACK_DAYS - 1));
        expect((await file(c.buyer)).creditClass).to.equal('C');
        clock.advanceDays(1);
        const f = await file(c.buyer);
        expect(f.creditClass).to.equal('B');
        expect(f.window.points).to.equal(0);
        expect(f.totals.penalties).to.equal(1);
      } finally {
        clock.restore();
      }
    });

    it('首违不罚: the first minor violation without harmful consequence is a warning, scores nothing and founds no blacklist entry', async () => {
      const first = await w.submit(enfA, tx.credit.recordEvent, violationInput(c.buyer, { severity: 'minor', harmfulConsequence: false }));
      expect(first.outcome).to.equal('warning');
      const f = await file(c.buyer);
      expect(f.window).to.include({ points: 0, warnings: 1 });
      expect(f.creditClass).to.equal('B');
      await w.expectRefused(
        'RULE_VIOLATION',
        () => w.submit(enfA, tx.credit.issueBlacklist, { subjectId: c.buyer, basisEventIds: [first.id], ...decision() }),
        /首违不罚/,
      );
      const check = await w.evaluate(reader, tx.credit.checkSubject, { subjectId: c.buyer });
      expect(check.blacklisted).to.equal(false);
      // The second one is no longer the first.
      const second = await w.submit(enfA, tx.credit.recordEvent, violationInput(c.buyer, { severity: 'minor', harmfulConsequence: false }));
      expect(second.outcome).to.equal('penalty');
      // Not minor, or harmful: never waived even when first.
      expect((await w.submit(enfA, tx.credit.recordEvent, violationInput(c.seller, { severity: 'serious', harmfulConsequence: false }))).outcome).to.equal(
        'penalty',
      );
    });

    it('the trade flow writes its own events: settlement → fulfilment of both parties; cancellation → default of the party at fault (first one a warning)', async () => {
      const a1 = await listEco(c);
      const o1 = await order(c, a1.id);
      await verify(c, o1.id);
      await settle(c, o1.id);
      const buyerEvents = (await w.evaluate(reader, tx.credit.listEvents, { subjectId: c.buyer })).items;
      expect(buyerEvents.map((e: any) => [e.kind, e.outcome, e.source.orderId])).to.deep.equal([['fulfilment', 'fulfilment', o1.id]]);
      expect(buyerEvents[0].issuedBy.role).to.equal('trade-flow');
      expect((await w.evaluate(reader, tx.credit.listEvents, { subjectId: c.seller })).items.map((e: any) => e.kind)).to.deep.equal(['fulfilment']);

      const a2 = await listEco(c);
      const o2 = await order(c, a2.id);
      await w.submit(c.buyerMerchant, tx.market.cancelOrder, { orderId: o2.id, reason: 'changed plans' });
      const o3 = await order(c, a2.id);
      await w.submit(c.buyerMerchant, tx.market.cancelOrder, { orderId: o3.id, reason: 'changed plans again' });
      const defaults = (await w.evaluate(reader, tx.credit.listEvents, { subjectId: c.buyer })).items.filter((e: any) => e.kind === 'default');
      expect(defaults.map((e: any) => [e.outcome, e.issuingCounty, e.source.orderId])).to.deep.equal([
        ['warning', HUIXIAN, o2.id],
        ['penalty', HUIXIAN, o3.id],
      ]);
      // A failed verification is the seller's default.
      const o4 = await order(c, a2.id);
      await verify(c, o4.id, 'fail');
      const sellerEvents = (await w.evaluate(reader, tx.credit.listEvents, { subjectId: c.seller })).items;
      expect(sellerEvents.map((e: any) => [e.kind, e.outcome])).to.deep.equal([
        ['fulfilment', 'fulfilment'],
        ['default', 'warning'],
      ]);
    });
  });

  describe('blacklist and joint punishment', () => {
    it('county A blacklists with a trading restriction; every county refuses the subject, until A repairs after the minimum period', async () => {
      const clock = useClock();
      try {
        const event = await w.submit(enfA, tx.credit.recordEvent, violationInput(c.buyer));
        const issued = await w.submitTx(enfA, tx.credit.issueBlacklist, { subjectId: c.buyer, basisEventIds: [event.id], ...decision() });
        expect(issued.event?.name).to.equal(CreditContractEvents.BlacklistIssued);
        const entry = issued.result;
        expect(entry).to.include({
          subjectId: c.buyer,
          issuingCounty: LIANGDANG,
          severity: 'serious',
          status: 'published',
          subjectKind: 'enterprise',
          subjectCounty: HUIXIAN,
        });
        expect(entry.repairableFrom).to.equal(addMonths(entry.startDate, 6));
        expect(entry.basisEventIds).to.deep.equal([event.id]);

        const asset = await listEco(c);
        await w.expectRefused('RULE_VIOLATION', () => order(c, asset.id), /blacklisted with a trading restriction by LiangdangMSP/);
        const check = await w.evaluate(reader, tx.credit.checkSubject, { subjectId: c.buyer });
        expect(check).to.include({ blacklisted: true, underObjection: false });
        expect(check.restricted).to.deep.equal({ trading: true, licensing: false, fund: false });
        expect((await file(c.buyer)).creditClass).to.equal('D');

        const repair = { entryId: entry.id, rectificationEvidenceRefs: ['doc:rectified-1'] };
        await w.expectRefused('RULE_VIOLATION', () => w.submit(enfA, tx.credit.repairBlacklist, repair), /minimum publication period/);
        clock.advanceDays(200);
        await w.expectRefused('FORBIDDEN', () => w.submit(enfB, tx.credit.repairBlacklist, repair));
        await w.expectRefused('FORBIDDEN', () => w.submit(regA, tx.credit.repairBlacklist, repair));
        await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfA, tx.credit.repairBlacklist, { entryId: entry.id, rectificationEvidenceRefs: [] }));
        const repaired = await w.submitTx(enfA, tx.credit.repairBlacklist, repair);
        expect(repaired.event?.name).to.equal(CreditContractEvents.BlacklistRepaired);
        expect(repaired.result).to.include({ status: 'repaired', active: false });
        await w.expectRefused('CONFLICT', () => w.submit(enfA, tx.credit.repairBlacklist, repair));

        expect((await order(c, asset.id)).status).to.equal('ordered');
        const history = await w.evaluate(reader, tx.credit.subjectHistory, { subjectId: c.buyer });
        expect(history.items.map((e: any) => [e.id, e.status])).to.deep.equal([[entry.id, 'repaired']]);
        expect((await w.evaluate(reader, tx.credit.listBlacklist, {})).items).to.deep.equal([]);
      } finally {
        clock.restore();
      }
    });

    it('an entry restricts only from its start date to its end date: expiry needs no transaction', async () => {
      const clock = useClock();
      try {
        const entry = await blacklistSubject(w, enfA, c.buyer, { startDate: addDays(todayCst(), 2), endDate: addDays(todayCst(), 5) });
        const asset = await listEco(c);
        const height = await w.f.ledger.height();
        expect((await w.evaluate(reader, tx.credit.checkSubject, { subjectId: c.buyer })).blacklisted).to.equal(false);
        clock.advanceDays(2);
        expect((await w.evaluate(reader, tx.credit.checkSubject, { subjectId: c.buyer })).entries.map((e: any) => e.id)).to.deep.equal([entry.id]);
        expect((await w.evaluate(reader, tx.credit.listBlacklist, { measure: 'trading' })).items.map((e: any) => e.id)).to.deep.equal([entry.id]);
        clock.advanceDays(3);
        expect((await w.evaluate(reader, tx.credit.checkSubject, { subjectId: c.buyer })).blacklisted).to.equal(true);
        expect(await w.f.ledger.height()).to.equal(height);
        clock.advanceDays(1);
        expect((await w.evaluate(reader, tx.credit.checkSubject, { subjectId: c.buyer })).blacklisted).to.equal(false);
        expect((await w.evaluate(reader, tx.credit.listBlacklist, {})).items).to.deep.equal([]);
        expect((await w.evaluate(reader, tx.credit.getEntry, { entryId: entry.id })).active).to.equal(false);
        expect((await order(c, asset.id)).status).to.equal('ordered');
      } finally {
        clock.restore();
      }
    });

    it('licensing and fund measures restrict only those checks', async () => {
      await blacklistSubject(w, enfA, c.buyer, { measures: ['licensing', 'fund'] });
      const check = await w.evaluate(reader, tx.credit.checkSubject, { subjectId: c.buyer });
      expect(check.restricted).to.deep.equal({ trading: false, licensing: true, fund: true });
      expect((await order(c, (await listEco(c)).id)).status).to.equal('ordered');
    });

    it('refuses bad decisions: dates in the wrong order, backdated start, unknown or repeated measures, no basis, a fulfilment or another subject as basis, roles', async () => {
      const event = await w.submit(enfA, tx.credit.recordEvent, violationInput(c.buyer));
      const good = { subjectId: c.buyer, basisEventIds: [event.id], ...decision() };
      const today = todayCst();
      await w.expectRefused(
        'INVALID_ARGUMENT',
        () => w.submit(enfA, tx.credit.issueBlacklist, { ...good, startDate: addDays(today, 10), endDate: addDays(today, 9) }),
        /endDate/,
      );
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfA, tx.credit.issueBlacklist, { ...good, endDate: '2025-02-30' }));
      await w.expectRefused(
        'RULE_VIOLATION',
        () => w.submit(enfA, tx.credit.issueBlacklist, { ...good, startDate: addDays(today, -1) }),
        /before the decision date/,
      );
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfA, tx.credit.issueBlacklist, { ...good, measures: ['travel'] }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfA, tx.credit.issueBlacklist, { ...good, measures: ['trading', 'trading'] }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfA, tx.credit.issueBlacklist, { ...good, measures: [] }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfA, tx.credit.issueBlacklist, { ...good, basisEventIds: [] }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfA, tx.credit.issueBlacklist, { ...good, subjectId: corruptCreditCode(c.buyer) }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfA, tx.credit.issueBlacklist, { ...good, legalBasis: '' }));
      await w.expectRefused('NOT_FOUND', () => w.submit(enfA, tx.credit.issueBlacklist, { ...good, basisEventIds: ['ce-nope-0'] }));
      const fulfil = await w.submit(regA, tx.credit.recordEvent, { subjectId: c.buyer, kind: 'fulfilment', summary: 'ok', evidenceRefs: ['doc:1'] });
      await w.expectRefused('RULE_VIOLATION', () => w.submit(enfA, tx.credit.issueBlacklist, { ...good, basisEventIds: [fulfil.id] }), /fulfilment/);
      await w.expectRefused('RULE_VIOLATION', () => w.submit(enfA, tx.credit.issueBlacklist, { ...good, subjectId: c.seller }), /not/);
      await w.expectRefused('FORBIDDEN', () => w.submit(auditor, tx.credit.issueBlacklist, good));
      await w.expectRefused('FORBIDDEN', () => w.submit(c.buyerMerchant, tx.credit.issueBlacklist, good));
      // The gravest basis event sets the severity.
      const grave = await w.submit(enfB, tx.credit.recordEvent, violationInput(c.buyer, { severity: 'grave', kind: 'infringement' }));
      const entry = await w.submit(enfA, tx.credit.issueBlacklist, { ...good, basisEventIds: [event.id, grave.id] });
      expect(entry.severity).to.equal('grave');
      expect(entry.repairableFrom).to.equal(addMonths(entry.startDate, 36));
    });

    it('bulk check: up to 1000 codes, malformed ones reported per item; more is refused', async () => {
      const entry = await blacklistSubject(w, enfA, c.buyer);
      const codes = [c.buyer, c.seller, corruptCreditCode(c.seller), 'nonsense', `ind-${'a'.repeat(64)}`];
      const r = await w.evaluate(reader, tx.credit.checkSubjects, { codes });
      expect(r).to.include({ count: 5, invalid: 2, blacklisted: 1 });
      expect(r.items.map((i: any) => [i.code, i.valid, i.blacklisted])).to.deep.equal([
        [c.buyer, true, true],
        [c.seller, true, false],
        [corruptCreditCode(c.seller), false, undefined],
        ['nonsense', false, undefined],
        [`ind-${'a'.repeat(64)}`, true, false],
      ]);
      expect(r.items[0].entries[0].id).to.equal(entry.id);
      expect(r.items[2].problem).to.match(/check character/);
      const many = Array.from({ length: 1000 }, (_, i) => creditCode('621228', 500_000 + i));
      expect((await w.evaluate(reader, tx.credit.checkSubjects, { codes: many })).count).to.equal(1000);
      let err: any;
      try {
        await w.evaluate(reader, tx.credit.checkSubjects, { codes: [...many, c.buyer] });
      } catch (e) {
        err = e;
      }
      expect(err?.code).to.equal('INVALID_ARGUMENT');
      try {
        await w.evaluate(reader, tx.credit.checkSubject, { subjectId: corruptCreditCode(c.buyer) });
        err = undefined;
      } catch (e) {
        err = e;
      }
      expect(err?.code).to.equal('INVALID_ARGUMENT');
    });

    it('lists entries in force by county and measure with cursor pagination', async () => {
      const subjects = [c.buyer, c.seller, await registerEnterprise(w, c.regB, HUIXIAN), await registerEnterprise(w, c.regB, HUIXIAN)];
      await blacklistSubject(w, enfA, subjects[0] as string, { measures: ['trading'] });
      await blacklistSubject(w, enfA, subjects[1] as string, { measures: ['licensing'] });
      await blacklistSubject(w, enfB, subjects[2] as string, { measures: ['trading', 'fund'] });
      await blacklistSubject(w, enfB, subjects[3] as string, { measures: ['fund'], endDate: addDays(todayCst(), 30) });
      const ids = async (input: Record<string, unknown>) =>
        (await w.evaluate(reader, tx.credit.listBlacklist, input)).items.map((e: any) => e.subjectId).sort();
      expect(await ids({})).to.deep.equal([...subjects].sort());
      expect(await ids({ county: LIANGDANG })).to.deep.equal([subjects[0], subjects[1]].sort());
      expect(await ids({ measure: 'trading' })).to.deep.equal([subjects[0], subjects[2]].sort());
      expect(await ids({ county: HUIXIAN, measure: 'fund' })).to.deep.equal([subjects[2], subjects[3]].sort());
      const p1 = await w.evaluate(reader, tx.credit.listBlacklist, { limit: 3 });
      expect(p1.items).to.have.length(3);
      expect(p1.nextCursor).to.be.a('string');
      const p2 = await w.evaluate(reader, tx.credit.listBlacklist, { limit: 3, cursor: p1.nextCursor });
      expect(p2.items).to.have.length(1);
      expect(p2).to.not.have.property('nextCursor');
      // The shortest entry (30 days) comes first: the index is ordered by end date.
      expect(p1.items[0].subjectId).to.equal(subjects[3]);
      let err: any;
      try {
        await w.evaluate(reader, tx.credit.listBlacklist, { county: HUIXIAN, cursor: p1.nextCursor });
      } catch (e) {
        err = e;
      }
      expect(err?.code).to.equal('INVALID_ARGUMENT');
      const pub = await w.evaluate(reader, tx.credit.listBlacklist, { publicView: true });
      for (const item of pub.items) {
        expect(item).to.include.keys([
          'id',
          'creditCode',
          'reason',
          'legalBasis',
          'severity',
          'measures',
          'startDate',
          'endDate',
          'issuingCounty',
          'underObjection',
        ]);
        expect(item).to.not.have.any.keys('decisionEvidenceRefs', 'issuedBy', 'basisEventIds', 'subjectKind');
      }
      expect(pub.items.find((i: any) => i.creditCode === c.buyer).subjectName).to.equal(`Enterprise ${c.buyer}`);
    });

    it('keeps the list index under the same state keys: blacklist~list + [measure | *, county | *, endDate, entryId], while published', async () => {
      const listKeys = async () =>
        [...(await w.worldState())]
          .filter(([k]) => k.startsWith('\u0000blacklist~list\u0000'))
          .map(([k]) => k.split('\u0000').filter(Boolean).join('/'))
          .sort();
      const entry = await blacklistSubject(w, enfA, c.buyer, { measures: ['trading', 'fund'] });
      const end = entry.endDate;
      expect(await listKeys()).to.deep.equal(
        [`*/*`, `*/${LIANGDANG}`, `fund/*`, `fund/${LIANGDANG}`, `trading/*`, `trading/${LIANGDANG}`]
          .map((mc) => `blacklist~list/${mc}/${end}/${entry.id}`)
          .sort(),
      );
      await w.submit(c.buyerMerchant, tx.credit.fileObjection, { entryId: entry.id, grounds: 'not ours' });
      await w.submit(enfA, tx.credit.resolveObjection, { entryId: entry.id, decision: 'entry-withdrawn', note: 'accepted' });
      expect(await listKeys()).to.deep.equal([]);
    });

    it("objection: from the subject's side only (its merchant, its home county's regulator); visible in checks until the issuing county's enforcement resolves it", async () => {
      // Liangdang blacklists the buyer, a subject of Huixian: Huixian is its home county.
      const entry = await blacklistSubject(w, enfA, c.buyer);
      const objection = { entryId: entry.id, grounds: 'the waste water came from a neighbouring plant', evidenceRefs: ['doc:objection-1'] };
      // Not the other party's merchant, not the issuing county's regulator, not the home county's enforcement, not a third county.
      for (const who of [c.sellerMerchant, regA, enfB, c.regC]) await w.expectRefused('FORBIDDEN', () => w.submit(who, tx.credit.fileObjection, objection));
      await w.expectRefused('FORBIDDEN', () => w.submit(regA, tx.credit.fileObjection, objection), /home county/);
      const filed = await w.submitTx(c.buyerMerchant, tx.credit.fileObjection, objection);
      expect(filed.event?.name).to.equal(CreditContractEvents.ObjectionFiled);
      expect(filed.result).to.include({ underObjection: true, active: true });
      await w.expectRefused('CONFLICT', () => w.submit(c.regB, tx.credit.fileObjection, objection));
      const check = await w.evaluate(reader, tx.credit.checkSubject, { subjectId: c.buyer });
      expect(check).to.include({ blacklisted: true, underObjection: true });
      expect(check.entries[0].underObjection).to.equal(true);
      // Still restricting while under objection.
      await w.expectRefused('RULE_VIOLATION', () => order(c, listEcoId));
      const resolve = { entryId: entry.id, decision: 'dismissed', note: 'inspection confirmed the source' };
      // Resolved by the issuing county's enforcement only: not the other county's, not the issuing county's regulator.
      await w.expectRefused('FORBIDDEN', () => w.submit(enfB, tx.credit.resolveObjection, resolve));
      await w.expectRefused('FORBIDDEN', () => w.submit(regA, tx.credit.resolveObjection, resolve), /enforcement/);
      for (const decision of ['maybe', 'upheld', 'withdrawn'])
        await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfA, tx.credit.resolveObjection, { ...resolve, decision }));
      const dismissed = await w.submitTx(enfA, tx.credit.resolveObjection, resolve);
      expect(dismissed.event).to.deep.equal({
        name: CreditContractEvents.ObjectionResolved,
        payload: { entryId: entry.id, subjectId: c.buyer, seq: 1, decision: 'dismissed', status: 'published' },
      });
      expect(dismissed.result).to.include({ underObjection: false, status: 'published', active: true });
      expect(dismissed.result).to.not.have.property('withdrawal');
      await w.expectRefused('CONFLICT', () => w.submit(enfA, tx.credit.resolveObjection, resolve));
      // A second objection, filed for the subject by its home county's regulator; the entry is withdrawn on it.
      await w.submit(c.regB, tx.credit.fileObjection, { ...objection, grounds: 'new evidence' });
      const withdrawn = await w.submitTx(enfA, tx.credit.resolveObjection, { ...resolve, decision: 'entry-withdrawn', note: 'new evidence accepted' });
      expect(withdrawn.event?.payload).to.include({ decision: 'entry-withdrawn', status: 'withdrawn', seq: 2 });
      expect(withdrawn.result).to.include({ status: 'withdrawn', active: false, underObjection: false });
      expect(withdrawn.result.withdrawal).to.deep.equal({
        ground: 'objection',
        objectionSeq: 2,
        by: { mspId: LIANGDANG, member: 'enf-a' },
        at: withdrawn.result.updatedAt,
        txId: withdrawn.txId,
        note: 'new evidence accepted',
      });
      expect((await w.evaluate(reader, tx.credit.checkSubject, { subjectId: c.buyer })).blacklisted).to.equal(false);
      const got = await w.evaluate(auditor, tx.credit.getEntry, { entryId: entry.id });
      expect(got.objections.map((o: any) => [o.seq, o.status, o.filedBy.role, o.filedBy.mspId])).to.deep.equal([
        [1, 'dismissed', 'merchant', HUIXIAN],
        [2, 'entry-withdrawn', 'regulator', HUIXIAN],
      ]);
      expect((await w.evaluate(reader, tx.credit.subjectHistory, { subjectId: c.buyer })).items.map((e: any) => e.status)).to.deep.equal(['withdrawn']);
      await w.expectRefused('CONFLICT', () => w.submit(c.buyerMerchant, tx.credit.fileObjection, objection));
    });

    it('the issuing county never objects to its own entry, not even as the home county: its regulator is refused, the subject’s merchant may object', async () => {
      // Huixian blacklists its own subject: the same day its regulator cannot object and have its enforcement withdraw it.
      const entry = await blacklistSubject(w, enfB, c.buyer);
      const objection = { entryId: entry.id, grounds: 'we changed our mind' };
      await w.expectRefused('FORBIDDEN', () => w.submit(c.regB, tx.credit.fileObjection, objection), /does not object to its own entry/);
      // Lifting it early stays impossible: repair waits for the minimum publication period.
      await w.expectRefused(
        'RULE_VIOLATION',
        () => w.submit(enfB, tx.credit.repairBlacklist, { entryId: entry.id, rectificationEvidenceRefs: ['doc:r'] }),
        /minimum publication period/,
      );
      const filed = await w.submit(c.buyerMerchant, tx.credit.fileObjection, { ...objection, grounds: 'the sample was not ours' });
      expect(filed.objection).to.include({ status: 'open', seq: 1 });
    });

    it('segregation of duties: a member who acts for the subject may not record its events, blacklist it, resolve its objections or repair its entries', async () => {
      // Bindings are made in the subject's county for that county's members: Huixian enforcement bound to the Huixian buyer.
      const enfB2 = await w.member(HUIXIAN, 'enf-b2', 'enforcement');
      const entry = await blacklistSubject(w, enfB, c.buyer);
      await w.submit(c.buyerMerchant, tx.credit.fileObjection, { entryId: entry.id, grounds: 'not ours' });
      await w.submit(c.regB, tx.subjects.bindMerchant, { subjectId: c.buyer, member: 'enf-b2' });
      const event = await w.submit(enfB, tx.credit.recordEvent, violationInput(c.buyer));
      await w.expectRefused(
        'FORBIDDEN',
        () => w.submit(enfB2, tx.credit.recordEvent, violationInput(c.buyer, { kind: 'fulfilment', severity: undefined, harmfulConsequence: undefined })),
        /acts for subject/,
      );
      await w.expectRefused(
        'FORBIDDEN',
        () => w.submit(enfB2, tx.credit.issueBlacklist, { subjectId: c.buyer, basisEventIds: [event.id], ...decision() }),
        /acts for subject/,
      );
      await w.expectRefused(
        'FORBIDDEN',
        () => w.submit(enfB2, tx.credit.resolveObjection, { entryId: entry.id, decision: 'entry-withdrawn', note: 'mine' }),
        /acts for subject/,
      );
      await w.submit(enfB, tx.credit.resolveObjection, { entryId: entry.id, decision: 'dismissed', note: 'stands' });
      const clock = useClock();
      try {
        clock.advanceDays(200);
        const repair = { entryId: entry.id, rectificationEvidenceRefs: ['doc:rectified-1'] };
        await w.expectRefused('FORBIDDEN', () => w.submit(enfB2, tx.credit.repairBlacklist, repair), /acts for subject/);
        expect((await w.submit(enfB, tx.credit.repairBlacklist, repair)).status).to.equal('repaired');
      } finally {
        clock.restore();
      }
    });
    it("notice: the one event of IssueBlacklist names the subject's home county (another county's subject, or the issuer's own)", async () => {
      const event = await w.submit(enfA, tx.credit.recordEvent, violationInput(c.buyer));
      const issued = await w.submitTx(enfA, tx.credit.issueBlacklist, { subjectId: c.buyer, basisEventIds: [event.id], ...decision() });
      expect(issued.event?.name).to.equal(CreditContractEvents.BlacklistIssued);
      expect(issued.event?.payload).to.include({ entryId: issued.result.id, subjectId: c.buyer, issuingCounty: LIANGDANG, homeCounty: HUIXIAN });
      expect(issued.result.subjectCounty).to.equal(HUIXIAN);
      const own = await w.submit(enfA, tx.credit.recordEvent, violationInput(c.seller));
      const ownEntry = await w.submitTx(enfA, tx.credit.issueBlacklist, { subjectId: c.seller, basisEventIds: [own.id], ...decision() });
      expect(ownEntry.event?.payload).to.include({ issuingCounty: LIANGDANG, homeCounty: LIANGDANG });
    });

    it('credit events and blacklist entries only for registered subjects (NOT_FOUND, nothing written)', async () => {
      const stranger = creditCode('621227', 777_100);
      await w.expectRefused('NOT_FOUND', () => w.submit(enfA, tx.credit.recordEvent, violationInput(stranger)), /not registered/);
      await w.expectRefused(
        'NOT_FOUND',
        () => w.submit(regA, tx.credit.recordEvent, { subjectId: `ind-${'b'.repeat(64)}`, kind: 'fulfilment', summary: 'x', evidenceRefs: ['doc:1'] }),
        /not registered/,
      );
      const basis = await w.submit(enfA, tx.credit.recordEvent, violationInput(c.buyer));
      await w.expectRefused(
        'NOT_FOUND',
        () => w.submit(enfA, tx.credit.issueBlacklist, { subjectId: stranger, basisEventIds: [basis.id], ...decision() }),
        /not registered/,
      );
    });

    let listEcoId: string;
    beforeEach(async () => {
      listEcoId = (await listEco(c)).id;
    });
  });

  describe('query trail anchors', () => {
    it('anchors must continue the chain; a trail belongs to one county; bad digests refused', async () => {
      const sha = 'ab'.repeat(32);
      const a1 = await w.submitTx(c.regA, tx.credit.anchorQueryTrail, { trailId: 'gw-test', fromEntry: 1, toEntry: 10, digest: sha });
      expect(a1.event?.name).to.equal(CreditContractEvents.QueryTrailAnchored);
      await w.expectRefused('CONFLICT', () => w.submit(c.regA, tx.credit.anchorQueryTrail, { trailId: 'gw-test', fromEntry: 1, toEntry: 12, digest: sha }));
      await w.expectRefused('FORBIDDEN', () => w.submit(c.regB, tx.credit.anchorQueryTrail, { trailId: 'gw-test', fromEntry: 11, toEntry: 12, digest: sha }));
      await w.expectRefused('FORBIDDEN', () => w.submit(reader, tx.credit.anchorQueryTrail, { trailId: 'gw-other', fromEntry: 1, toEntry: 1, digest: sha }));
      await w.expectRefused('INVALID_ARGUMENT', () =>
        w.submit(c.regA, tx.credit.anchorQueryTrail, { trailId: 'gw-test', fromEntry: 11, toEntry: 10, digest: sha }),
      );
      await w.expectRefused('INVALID_ARGUMENT', () =>
        w.submit(c.regA, tx.credit.anchorQueryTrail, { trailId: 'gw-test', fromEntry: 11, toEntry: 12, digest: 'xyz' }),
      );
      await w.submit(c.regA, tx.credit.anchorQueryTrail, { trailId: 'gw-test', fromEntry: 11, toEntry: 12, digest: sha });
      expect(await w.evaluate(reader, tx.credit.getQueryTrailHead, { trailId: 'gw-test' })).to.include({ anchors: 2, lastEntry: 12, county: LIANGDANG });
      expect((await w.evaluate(reader, tx.credit.listQueryTrailAnchors, { trailId: 'gw-test' })).items.map((a: any) => a.toEntry)).to.deep.equal([10, 12]);
    });
  });
});

describe('chaincode: case lead transfer (Cases:)', () => {
  let w: World;
  let enfA: Who;
  let enfB: Who;
  let enfC: Who;
  let regB: Who;
  let auditor: Who;
  let subject: string;

  before(async () => {
    w = await World.open();
    enfA = await w.member(LIANGDANG, 'enf-a', 'enforcement');
    enfB = await w.member(HUIXIAN, 'enf-b', 'enforcement');
    enfC = await w.member(FENGXIAN, 'enf-c', 'enforcement');
    regB = await w.member(HUIXIAN, 'reg-b', 'regulator');
    auditor = await w.member(FENGXIAN, 'auditor-c', 'auditor');
    await ensureCounties(w);
    subject = await registerEnterprise(w, regB, HUIXIAN);
  });
  after(async () => w.cleanup());

  const transfer = (who: Who = enfA, overrides: Record<string, unknown> = {}) =>
    w.submit(who, tx.cases.transferCase, {
      toCounty: HUIXIAN,
      subjectId: subject,
      summary: 'illegal sand mining seen upstream',
      evidenceRefs: ['doc:lead-1'],
      ...overrides,
    });

  it('transferred → accepted → investigating → closed with a violation and a blacklist entry in the same transaction', async () => {
    const t = await w.submitTx(enfA, tx.cases.transferCase, { toCounty: HUIXIAN, subjectId: subject, summary: 'lead', evidenceRefs: ['doc:lead-1'] });
    expect(t.event?.name).to.equal(CaseEvents.CaseTransferred);
    const id = t.result.id;
    expect(t.result).to.include({ status: 'transferred', fromCounty: LIANGDANG, toCounty: HUIXIAN });
    // Only B's enforcement moves it; A, C, a regulator and an auditor may not.
    for (const who of [enfA, enfC, regB, auditor]) await w.expectRefused('FORBIDDEN', () => w.submit(who, tx.cases.acceptCase, { caseId: id }));
    await w.expectRefused('CONFLICT', () => w.submit(enfB, tx.cases.investigateCase, { caseId: id }));
    expect((await w.submitTx(enfB, tx.cases.acceptCase, { caseId: id, note: 'ours' })).event?.name).to.equal(CaseEvents.CaseAccepted);
    await w.expectRefused('CONFLICT', () => w.submit(enfB, tx.cases.rejectCase, { caseId: id, reason: 'late' }));
    await w.expectRefused('CONFLICT', () => w.submit(enfB, tx.cases.closeCase, { caseId: id, finding: 'no-violation', summary: 'x', evidenceRefs: ['doc:x'] }));
    expect((await w.submitTx(enfB, tx.cases.investigateCase, { caseId: id })).event?.name).to.equal(CaseEvents.CaseInvestigating);
    const close = {
      caseId: id,
      finding: 'violation',
      summary: 'confirmed illegal sand mining',
      evidenceRefs: ['doc:report-7'],
      violation: { kind: 'eco-violation', severity: 'grave', harmfulConsequence: true },
      blacklist: decision({ measures: ['trading', 'licensing', 'fund'] }),
    };
    await w.expectRefused('FORBIDDEN', () => w.submit(enfA, tx.cases.closeCase, close));
    await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfB, tx.cases.closeCase, { ...close, violation: undefined }));
    await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfB, tx.cases.closeCase, { ...close, blacklist: decision({ endDate: '2001-01-01' }) }));
    const closed = await w.submitTx(enfB, tx.cases.closeCase, close);
    expect(closed.event?.name).to.equal(CaseEvents.CaseClosed);
    expect(closed.result.status).to.equal('closed');
    expect(closed.result.steps.map((s: any) => s.status)).to.deep.equal(['transferred', 'accepted', 'investigating', 'closed']);
    // The entry's notice: the event names the subject's home county.
    expect(closed.event?.payload).to.include({ blacklistEntryId: closed.result.decision.blacklistEntryId, homeCounty: HUIXIAN });
    const entryId = closed.result.decision.blacklistEntryId;
    const entry = await w.evaluate(auditor, tx.credit.getEntry, { entryId });
    expect(entry).to.include({ caseId: id, issuingCounty: HUIXIAN, severity: 'grave', active: true });
    expect(entry.basisEventIds).to.deep.equal([closed.result.decision.creditEventId]);
    await w.expectRefused('CONFLICT', () => w.submit(enfB, tx.cases.closeCase, close));
    // Reads: the two counties' enforcement and auditors.
    expect((await w.evaluate(enfA, tx.cases.getCase, { caseId: id })).id).to.equal(id);
    expect((await w.evaluate(auditor, tx.cases.getCase, { caseId: id })).id).to.equal(id);
    for (const who of [enfC, regB]) {
      let err: any;
      try {
        await w.evaluate(who, tx.cases.getCase, { caseId: id });
      } catch (e) {
        err = e;
      }
      expect(err?.code).to.equal('FORBIDDEN');
    }
    expect((await w.evaluate(enfB, tx.cases.listCases, { county: HUIXIAN, direction: 'incoming' })).items.map((c: any) => c.id)).to.include(id);
    expect((await w.evaluate(auditor, tx.cases.listCases, { county: LIANGDANG, direction: 'outgoing' })).items.map((c: any) => c.id)).to.include(id);
  });

  it("rejection ends a lead; a lead to one's own county, without evidence or by a non-enforcement role is refused", async () => {
    const lead = await transfer();
    await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfB, tx.cases.rejectCase, { caseId: lead.id }));
    const rejected = await w.submitTx(enfB, tx.cases.rejectCase, { caseId: lead.id, reason: 'outside our jurisdiction' });
    expect(rejected.event?.name).to.equal(CaseEvents.CaseRejected);
    expect(rejected.result.status).to.equal('rejected');
    await w.expectRefused('CONFLICT', () => w.submit(enfB, tx.cases.acceptCase, { caseId: lead.id }));
    await w.expectRefused('RULE_VIOLATION', () => transfer(enfA, { toCounty: LIANGDANG }));
    await w.expectRefused('INVALID_ARGUMENT', () => transfer(enfA, { evidenceRefs: [] }));
    await w.expectRefused('INVALID_ARGUMENT', () => transfer(enfA, { subjectId: corruptCreditCode(subject).replace(/./, 'I') }));
    await w.expectRefused('FORBIDDEN', () => transfer(auditor));
    await w.expectRefused('NOT_FOUND', () => w.submit(enfB, tx.cases.acceptCase, { caseId: 'case-missing' }));
  });

  it('a waived first violation closes the case as a warning but cannot blacklist (首违不罚)', async () => {
    const fresh = await registerEnterprise(w, regB, HUIXIAN);
    const lead = await transfer(enfA, { subjectId: fresh });
    await w.submit(enfB, tx.cases.acceptCase, { caseId: lead.id });
    await w.submit(enfB, tx.cases.investigateCase, { caseId: lead.id });
    const base = {
      caseId: lead.id,
      finding: 'violation',
      summary: 'minor labelling fault',
      evidenceRefs: ['doc:r'],
      violation: { kind: 'other-violation', severity: 'minor', harmfulConsequence: false },
    };
    await w.expectRefused('RULE_VIOLATION', () => w.submit(enfB, tx.cases.closeCase, { ...base, blacklist: decision() }), /首违不罚/);
    const closed = await w.submit(enfB, tx.cases.closeCase, base);
    expect(closed.decision).to.include({ creditOutcome: 'warning' });
    expect(closed.decision).to.not.have.property('blacklistEntryId');
  });
  it('a lead goes only to a registered county and names only a registered subject (nothing written otherwise)', async () => {
    await w.expectRefused('INVALID_ARGUMENT', () => transfer(enfA, { toCounty: 'HuixainMSP' }), /HuixainMSP is not a registered county/);
    await w.expectRefused('NOT_FOUND', () => transfer(enfA, { subjectId: creditCode('621227', 880_900) }), /not registered/);
  });

  it('the sender withdraws a lead until it is accepted; the receiver cannot; a withdrawn lead moves no further', async () => {
    const lead = await transfer();
    const withdraw = { caseId: lead.id, reason: 'sent to the wrong county' };
    for (const who of [enfB, enfC, auditor]) await w.expectRefused('FORBIDDEN', () => w.submit(who, tx.cases.withdrawCase, withdraw));
    await w.expectRefused('FORBIDDEN', () => w.submit(regB, tx.cases.withdrawCase, withdraw));
    for (const bad of [{ caseId: lead.id }, { ...withdraw, reason: '' }, { ...withdraw, extra: 1 }, { caseId: 'bad id', reason: 'x' }])
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfA, tx.cases.withdrawCase, bad));
    await w.expectRefused('NOT_FOUND', () => w.submit(enfA, tx.cases.withdrawCase, { caseId: 'case-missing', reason: 'x' }));
    const withdrawn = await w.submitTx(enfA, tx.cases.withdrawCase, withdraw);
    expect(withdrawn.event).to.deep.equal({
      name: CaseEvents.CaseWithdrawn,
      payload: { caseId: lead.id, fromCounty: LIANGDANG, toCounty: HUIXIAN, status: 'withdrawn' },
    });
    expect(withdrawn.result.status).to.equal('withdrawn');
    expect(withdrawn.result.steps.at(-1)).to.include({ status: 'withdrawn', note: 'sent to the wrong county', txId: withdrawn.txId });
    expect(withdrawn.result.steps.at(-1).by).to.deep.equal({ mspId: LIANGDANG, member: 'enf-a' });
    await w.expectRefused('CONFLICT', () => w.submit(enfA, tx.cases.withdrawCase, withdraw));
    await w.expectRefused('CONFLICT', () => w.submit(enfB, tx.cases.acceptCase, { caseId: lead.id }));
    await w.expectRefused('CONFLICT', () => w.submit(enfB, tx.cases.rejectCase, { caseId: lead.id, reason: 'x' }));
    // Once accepted (or rejected), it is the receiver's: no withdrawal.
    const accepted = await transfer();
    await w.submit(enfB, tx.cases.acceptCase, { caseId: accepted.id });
    await w.expectRefused('CONFLICT', () => w.submit(enfA, tx.cases.withdrawCase, { caseId: accepted.id, reason: 'too late' }), /accepted/);
    const rejected = await transfer();
    await w.submit(enfB, tx.cases.rejectCase, { caseId: rejected.id, reason: 'not ours' });
    await w.expectRefused('CONFLICT', () => w.submit(enfA, tx.cases.withdrawCase, { caseId: rejected.id, reason: 'x' }));
  });

  it('segregation of duties: enforcement acting for the subject neither decides on its lead nor withdraws one about it', async () => {
    // Bindings stay inside the subject's county: Huixian enforcement bound to the Huixian subject.
    const enfB2 = await w.member(HUIXIAN, 'enf-b2', 'enforcement');
    const bound = await registerEnterprise(w, regB, HUIXIAN);
    await w.submit(regB, tx.subjects.bindMerchant, { subjectId: bound, member: 'enf-b2' });
    const lead = await transfer(enfA, { subjectId: bound });
    await w.expectRefused('FORBIDDEN', () => w.submit(enfB2, tx.cases.acceptCase, { caseId: lead.id }), /acts for subject/);
    await w.expectRefused('FORBIDDEN', () => w.submit(enfB2, tx.cases.rejectCase, { caseId: lead.id, reason: 'friend of ours' }), /acts for subject/);
    await w.submit(enfB, tx.cases.acceptCase, { caseId: lead.id });
    await w.expectRefused('FORBIDDEN', () => w.submit(enfB2, tx.cases.investigateCase, { caseId: lead.id }), /acts for subject/);
    await w.submit(enfB, tx.cases.investigateCase, { caseId: lead.id });
    await w.expectRefused(
      'FORBIDDEN',
      () => w.submit(enfB2, tx.cases.closeCase, { caseId: lead.id, finding: 'no-violation', summary: 'all fine', evidenceRefs: ['doc:x'] }),
      /acts for subject/,
    );
    // The sender's side: Liangdang enforcement bound to a Liangdang subject may not withdraw a lead about it.
    const regA = await w.member(LIANGDANG, 'reg-a', 'regulator');
    const enfA2 = await w.member(LIANGDANG, 'enf-a2', 'enforcement');
    const local = await registerEnterprise(w, regA, LIANGDANG);
    const outgoing = await transfer(enfA2, { subjectId: local });
    await w.submit(regA, tx.subjects.bindMerchant, { subjectId: local, member: 'enf-a2' });
    await w.expectRefused('FORBIDDEN', () => w.submit(enfA2, tx.cases.withdrawCase, { caseId: outgoing.id, reason: 'never mind' }), /acts for subject/);
    expect((await w.submit(enfA, tx.cases.withdrawCase, { caseId: outgoing.id, reason: 'duplicate' })).status).to.equal('withdrawn');
  });

  it("a lead's blacklist against a third county's subject notifies that home county in the CaseClosed event", async () => {
    const regC = await w.member(FENGXIAN, 'reg-c', 'regulator');
    const fengxianSubject = await registerEnterprise(w, regC, FENGXIAN);
    const lead = await transfer(enfA, { subjectId: fengxianSubject });
    await w.submit(enfB, tx.cases.acceptCase, { caseId: lead.id });
    await w.submit(enfB, tx.cases.investigateCase, { caseId: lead.id });
    const closed = await w.submitTx(enfB, tx.cases.closeCase, {
      caseId: lead.id,
      finding: 'violation',
      summary: 'confirmed',
      evidenceRefs: ['doc:report-8'],
      violation: { kind: 'eco-violation', severity: 'serious', harmfulConsequence: true },
      blacklist: decision(),
    });
    expect(closed.event?.payload).to.include({ homeCounty: FENGXIAN, blacklistEntryId: closed.result.decision.blacklistEntryId });
    expect((await w.evaluate(auditor, tx.credit.getEntry, { entryId: closed.result.decision.blacklistEntryId })).subjectCounty).to.equal(FENGXIAN);
    // A closing without an entry names no home county.
    const quiet = await transfer();
    await w.submit(enfB, tx.cases.acceptCase, { caseId: quiet.id });
    await w.submit(enfB, tx.cases.investigateCase, { caseId: quiet.id });
    const none = await w.submitTx(enfB, tx.cases.closeCase, { caseId: quiet.id, finding: 'no-violation', summary: 'nothing', evidenceRefs: ['doc:n'] });
    expect(none.event?.payload).to.not.have.property('homeCounty');
  });
});
