import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { addMonths } from '../../chaincode/src/credit/rules';
import { addDays } from '../../chaincode/src/kernel/time';
import { DEFAULT_PARAMETERS } from '../../chaincode/src/parameters/parameters';
import { decision, todayCst, violationInput } from '../support/credit-world';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { creditCode, MarketCast, marketCast, Who, World } from '../support/market-world';
import { adoptParameters, ensureCounties } from '../support/parameters-world';

describe('chaincode: blacklist terms are bounded by the shared parameters (maximum by severity)', () => {
  let w: World;
  let c: MarketCast;
  let enfA: Who;
  let reader: Who;

  beforeEach(async () => {
    w = await World.open();
    c = await marketCast(w);
    enfA = await w.member(LIANGDANG, 'enf-a', 'enforcement');
    reader = await w.id(FENGXIAN, 'reader');
  });
  afterEach(async () => w.cleanup());

  /** A penalised violation of `severity` against the buyer (of another county than the issuer), and a decision on it. */
  async function basis(severity: 'minor' | 'serious' | 'grave'): Promise<string> {
    // a first minor violation without harm is only a warning (首违不罚): give it a harmful consequence
    return (await w.submit(enfA, tx.credit.recordEvent, violationInput(c.buyer, { severity, harmfulConsequence: true }))).id;
  }
  const issue = (eventId: string, overrides: Record<string, unknown>) =>
    w.submit(enfA, tx.credit.issueBlacklist, { subjectId: c.buyer, basisEventIds: [eventId], ...decision(overrides) });

  for (const severity of ['minor', 'serious', 'grave'] as const) {
    const months = DEFAULT_PARAMETERS.maxPublicationMonths[severity];
    it(`a ${severity} entry may last ${months} months from its start: one day more is RULE_VIOLATION naming endDate, nothing written`, async () => {
      const eventId = await basis(severity);
      const start = addDays(todayCst(), 1);
      const latest = addMonths(start, months);
      await w.expectRefused('RULE_VIOLATION', () => issue(eventId, { startDate: start, endDate: addDays(latest, 1) }), `endDate ${addDays(latest, 1)}`);
      const entry = await issue(eventId, { startDate: start, endDate: latest });
      expect(entry).to.include({ severity, startDate: start, endDate: latest });
      expect(entry.repairableFrom).to.equal(addMonths(start, DEFAULT_PARAMETERS.minPublicationMonths[severity]));
    });
  }

  it("one county blacklisting another county's enterprise until 2099 is refused (RULE_VIOLATION, nothing written)", async () => {
    const eventId = await basis('grave');
    const err = await w.expectRefused(
      'RULE_VIOLATION',
      () => issue(eventId, { endDate: '2099-12-31' }),
      /endDate 2099-12-31 is beyond the longest term of a grave entry: 60 months/,
    );
    expect(err.message).to.contain('startDate');
    expect((await w.evaluate(reader, tx.credit.checkSubject, { subjectId: c.buyer })).blacklisted).to.equal(false);
  });

  it('the terms are shared parameters: after a majority lengthens the maximum, a longer term is accepted; a new minimum applies to new entries only', async () => {
    const eventId = await basis('serious');
    const start = todayCst();
    const before = await issue(eventId, { startDate: start, endDate: addMonths(start, 12) });
    expect(before.repairableFrom).to.equal(addMonths(start, 6));
    await w.expectRefused('RULE_VIOLATION', () => issue(eventId, { startDate: start, endDate: addMonths(start, 40) }), 'serious');
    await adoptParameters(w, c.regA, c.regB, { maxPublicationMonths: { serious: 48 }, minPublicationMonths: { serious: 9 } });
    const after = await issue(eventId, { startDate: start, endDate: addMonths(start, 40) });
    expect(after.repairableFrom).to.equal(addMonths(start, 9));
    expect((await w.evaluate(reader, tx.credit.getEntry, { entryId: before.id })).repairableFrom).to.equal(addMonths(start, 6));
  });

  it('a case closed with a blacklist decision is bounded the same way', async () => {
    await ensureCounties(w);
    const enfB = await w.member(HUIXIAN, 'enf-b', 'enforcement');
    const subject = creditCode('621227', 880_777);
    await w.submit(c.regB, tx.subjects.registerEnterprise, { creditCode: subject, name: 'Upstream Sand Co.' });
    const t = await w.submit(enfA, tx.cases.transferCase, { toCounty: HUIXIAN, subjectId: subject, summary: 'lead', evidenceRefs: ['doc:lead-1'] });
    await w.submit(enfB, tx.cases.acceptCase, { caseId: t.id });
    await w.submit(enfB, tx.cases.investigateCase, { caseId: t.id });
    const close = (endDate: string) => ({
      caseId: t.id,
      finding: 'violation',
      summary: 'confirmed illegal sand mining',
      evidenceRefs: ['doc:report-7'],
      violation: { kind: 'eco-violation', severity: 'minor', harmfulConsequence: true },
      blacklist: decision({ endDate }),
    });
    const today = todayCst();
    await w.expectRefused('RULE_VIOLATION', () => w.submit(enfB, tx.cases.closeCase, close(addDays(addMonths(today, 12), 1))), 'endDate');
    const closed = await w.submit(enfB, tx.cases.closeCase, close(addMonths(today, 12)));
    expect(closed.status).to.equal('closed');
  });
});
