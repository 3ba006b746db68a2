import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { addDays, cstDate } from '../../chaincode/src/kernel/time';
import { ParametersEvents } from '../../chaincode/src/parameters/parameters-contract';
import { DEFAULT_PARAMETERS, PROPOSAL_OPEN_DAYS } from '../../chaincode/src/parameters/parameters';
import { registerCounties } from '../support/fund-world';
import { FENGXIAN, HUIXIAN, LIANGDANG, json } from '../support/ledger-fixture';
import { useClock, Who, World } from '../support/market-world';

describe('chaincode: shared parameters by majority (Parameters:)', () => {
  let w: World;
  let regA: Who;
  let regA2: Who;
  let regB: Who;
  let regC: Who;
  let reader: Who;

  const propose = (who: Who, changes: Record<string, unknown>, note = 'align with the provincial guideline') =>
    w.submitTx(who, tx.parameters.propose, { changes, note });
  const approve = (who: Who, proposalId: string) => w.submitTx(who, tx.parameters.approve, { proposalId });
  const current = () => w.evaluate(reader, tx.parameters.current);

  beforeEach(async () => {
    w = await World.open();
    regA = await w.member(LIANGDANG, 'reg-a', 'regulator');
    regA2 = await w.member(LIANGDANG, 'reg-a2', 'regulator');
    regB = await w.member(HUIXIAN, 'reg-b', 'regulator');
    regC = await w.member(FENGXIAN, 'reg-c', 'regulator');
    reader = await w.member(FENGXIAN, 'auditor-c', 'auditor');
  });
  afterEach(async () => w.cleanup());

  describe('with the three counties registered', () => {
    beforeEach(async () => registerCounties(w));

    it('until a change is adopted the defaults are in force (version 0) and the history is empty', async () => {
      expect(await current()).to.deep.equal({ version: 0, values: DEFAULT_PARAMETERS, defaults: DEFAULT_PARAMETERS });
      expect(DEFAULT_PARAMETERS).to.include({
        priceDeviationBp: 5000,
        indexWindow: 20,
        indexMinSamples: 3,
        pairTradeLimit: 3,
        verificationDays: 7,
        paymentDays: 3,
      });
      expect(DEFAULT_PARAMETERS.maxPublicationMonths).to.deep.equal({ minor: 12, serious: 36, grave: 60 });
      expect(await w.evaluate(reader, tx.parameters.history, {})).to.deep.equal({ items: [] });
    });

    it("one county's proposal does not change the values; a second county's approval adopts it, on top of the values in force", async () => {
      const p = await propose(regA, { pairTradeLimit: 5, maxPublicationMonths: { minor: 24 } });
      expect(p.event?.name).to.equal(ParametersEvents.Proposed);
      expect(p.result).to.include({ state: 'open', status: 'open', proposingCounty: LIANGDANG, registeredCounties: 3, approvalsNeeded: 2 });
      expect(p.result.approvals.map((a: { county: string }) => a.county)).to.deep.equal([LIANGDANG]);
      expect(p.result.openUntil).to.equal(addDays(cstDate(Date.parse(p.result.proposedAt)), PROPOSAL_OPEN_DAYS));
      expect(p.result.id).to.equal(`pp-${p.txId.slice(0, 32)}`);
      expect(await current()).to.include({ version: 0 });
      expect((await current()).values.pairTradeLimit).to.equal(3);

      const a = await approve(regB, p.result.id);
      expect(a.event?.name).to.equal(ParametersEvents.Adopted);
      expect(a.event?.payload).to.include({ proposalId: p.result.id, version: 1, county: HUIXIAN });
      expect(a.result).to.include({ state: 'adopted', version: 1, adoptTxId: a.txId });
      expect(a.result.approvals.map((x: { county: string }) => x.county)).to.deep.equal([LIANGDANG, HUIXIAN]);
      const now = await current();
      expect(now).to.include({ version: 1, proposalId: p.result.id, adoptTxId: a.txId });
      expect(now.values).to.deep.equal({ ...DEFAULT_PARAMETERS, pairTradeLimit: 5, maxPublicationMonths: { minor: 24, serious: 36, grave: 60 } });
      expect(now.defaults).to.deep.equal(DEFAULT_PARAMETERS);

      const history = await w.evaluate(reader, tx.parameters.history, {});
      expect(history.items).to.have.length(1);
      expect(history.items[0]).to.include({ version: 1, proposalId: p.result.id, proposingCounty: LIANGDANG, registeredCounties: 3, adoptTxId: a.txId });
      expect(history.items[0].approvingCounties).to.deep.equal([LIANGDANG, HUIXIAN]);
      expect(history.items[0].changes).to.deep.equal({ pairTradeLimit: 5, maxPublicationMonths: { minor: 24 } });
      expect(history.items[0].values).to.deep.equal(now.values);

      // adopted once: the third county can no longer approve it
      await w.expectRefused('CONFLICT', () => approve(regC, p.result.id), 'adopted');

      // the next change applies on top of version 1
      const q = await propose(regC, { maxPublicationMonths: { grave: 48 } });
      await approve(regA, q.result.id);
      expect((await current()).values).to.deep.include({ pairTradeLimit: 5, maxPublicationMonths: { minor: 24, serious: 36, grave: 48 } });
    });

    it('only a regulator proposes, approves or withdraws (FORBIDDEN, nothing written)', async () => {
      const merchant = await w.member(LIANGDANG, 'm-shop', 'merchant');
      const enforcement = await w.member(HUIXIAN, 'enf-b', 'enforcement');
      const admin = await w.admin(HUIXIAN);
      for (const who of [merchant, enforcement, admin, reader]) {
        await w.expectRefused('FORBIDDEN', () => propose(who, { pairTradeLimit: 5 }), 'regulator');
      }
      const p = await propose(regA, { pairTradeLimit: 5 });
      for (const who of [enforcement, admin, reader]) await w.expectRefused('FORBIDDEN', () => approve(who, p.result.id), 'regulator');
      await w.expectRefused('FORBIDDEN', () => w.submit(enforcement, tx.parameters.withdraw, { proposalId: p.result.id }), 'regulator');
      expect(await current()).to.include({ version: 0 });
    });

    it('one vote per county: the proposing county approving again, through any of its regulators, is CONFLICT and does not count', async () => {
      const p = await propose(regA, { paymentDays: 4 });
      await w.expectRefused('CONFLICT', () => approve(regA, p.result.id), 'already approved');
      await w.expectRefused('CONFLICT', () => approve(regA2, p.result.id), 'already approved');
      const read = await w.evaluate(reader, tx.parameters.getProposal, { proposalId: p.result.id });
      expect(read).to.include({ state: 'open' });
      expect(read.approvals).to.have.length(1);
      expect(await current()).to.include({ version: 0 });
    });

    it('a withdrawn proposal cannot be approved; only a regulator of the proposing county withdraws it', async () => {
      const p = await propose(regA, { verificationDays: 9 });
      await w.expectRefused('FORBIDDEN', () => w.submit(regB, tx.parameters.withdraw, { proposalId: p.result.id }), `not ${HUIXIAN}`);
      const wd = await w.submitTx(regA2, tx.parameters.withdraw, { proposalId: p.result.id, note: 'superseded' });
      expect(wd.event?.name).to.equal(ParametersEvents.Withdrawn);
      expect(wd.result).to.include({ state: 'withdrawn', withdrawNote: 'superseded', withdrawTxId: wd.txId });
      expect(wd.result.withdrawnBy).to.deep.equal({ mspId: LIANGDANG, member: 'reg-a2' });
      await w.expectRefused('CONFLICT', () => approve(regB, p.result.id), 'withdrawn');
      await w.expectRefused('CONFLICT', () => w.submit(regA, tx.parameters.withdraw, { proposalId: p.result.id }), 'withdrawn');
      await w.expectRefused('NOT_FOUND', () => approve(regB, 'pp-nothing'));
      expect(await current()).to.include({ version: 0 });
    });

    it('refuses invalid values, naming them, and writes nothing', async () => {
      const bad: Array<[unknown, RegExp]> = [
        [{ note: 'x' }, /changes/],
        [{ changes: {}, note: 'x' }, /at least one parameter/],
        [{ changes: { pairTradeLimit: 5 } }, /note/],
        [{ changes: { pairTradeLimit: 5 }, note: '' }, /note/],
        [{ changes: { priceDeviationBp: 12.5 }, note: 'x' }, /priceDeviationBp/],
        [{ changes: { verificationDays: 0 }, note: 'x' }, /verificationDays/],
        [{ changes: { indexWindow: 101 }, note: 'x' }, /indexWindow/],
        [{ changes: { pairTradeLimit: '5' }, note: 'x' }, /pairTradeLimit/],
        [{ changes: { minPublicationMonths: {} }, note: 'x' }, /at least one severity/],
        [{ changes: { maxPublicationMonths: { grave: 121 } }, note: 'x' }, /maxPublicationMonths\.grave/],
        [{ changes: { maxPublicationMonths: { dreadful: 5 } }, note: 'x' }, /maxPublicationMonths/],
        [{ changes: { riskOff: true }, note: 'x' }, /riskOff/],
        [{ changes: { pairTradeLimit: 5 }, note: 'x', extra: 1 }, /extra/],
      ];
      for (const [input, message] of bad) await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regA, tx.parameters.propose, input), message);
      // values each within bounds but not together, with the values in force
      await w.expectRefused('RULE_VIOLATION', () => propose(regA, { indexMinSamples: 30 }), /indexMinSamples \(30\) may not exceed indexWindow \(20\)/);
      await w.expectRefused('RULE_VIOLATION', () => propose(regA, { minPublicationMonths: { minor: 13 } }), /maxPublicationMonths\.minor \(12\)/);
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regB, tx.parameters.approve, { proposalId: 'pp-1', extra: 1 }));
    });

    it('the whole set is checked again at adoption: a proposal that no longer fits the values in force is refused, nothing written', async () => {
      const narrow = await propose(regA, { indexWindow: 5 });
      const samples = await propose(regB, { indexMinSamples: 10 }); // fine with the window of 20 in force now
      await approve(regC, narrow.result.id);
      await w.expectRefused('RULE_VIOLATION', () => approve(regA, samples.result.id), /indexMinSamples \(10\) may not exceed indexWindow \(5\)/);
      expect((await w.evaluate(reader, tx.parameters.getProposal, { proposalId: samples.result.id })).state).to.equal('open');
      expect((await current()).values).to.include({ indexWindow: 5, indexMinSamples: 3 });
    });

    it('history and proposals are readable and paged', async () => {
      const adopted: string[] = [];
      for (const [i, days] of [5, 6, 8].entries()) {
        const p = await propose([regA, regB, regC][i] as Who, { verificationDays: days });
        await approve([regB, regC, regA][i] as Who, p.result.id);
        adopted.push(p.result.id);
      }
      const first = await w.evaluate(reader, tx.parameters.history, { limit: 2 });
      expect(first.items.map((c: { version: number }) => c.version)).to.deep.equal([1, 2]);
      expect(first.nextCursor).to.be.a('string');
      const second = await w.evaluate(reader, tx.parameters.history, { limit: 2, cursor: first.nextCursor });
      expect(second.items.map((c: { version: number; values: { verificationDays: number } }) => [c.version, c.values.verificationDays])).to.deep.equal([
        [3, 8],
      ]);
      expect(second).to.not.have.property('nextCursor');
      expect([...first.items, ...second.items].map((c: { proposalId: string }) => c.proposalId)).to.deep.equal(adopted);
      expect(await current()).to.include({ version: 3, proposalId: adopted[2] });

      const open = await propose(regA, { paymentDays: 2 });
      const withdrawn = await propose(regB, { paymentDays: 6 });
      await w.submit(regB, tx.parameters.withdraw, { proposalId: withdrawn.result.id });
      const ids = async (status: string, limit?: number) =>
        (await w.evaluate(reader, tx.parameters.listProposals, { status, ...(limit ? { limit } : {}) })).items.map((p: { id: string }) => p.id);
      expect(await ids('open')).to.deep.equal([open.result.id]);
      expect(await ids('withdrawn')).to.deep.equal([withdrawn.result.id]);
      expect([...(await ids('adopted'))].sort()).to.deep.equal([...adopted].sort());
      expect(await ids('expired')).to.deep.equal([]);
      const page = await w.evaluate(reader, tx.parameters.listProposals, { status: 'adopted', limit: 2 });
      expect(page.items).to.have.length(2);
      expect(page.nextCursor).to.be.a('string');
      await w.expectRefused('INVALID_ARGUMENT', () => w.evaluate(reader, tx.parameters.listProposals, { status: 'pending' }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.evaluate(reader, tx.parameters.history, { limit: 0 }));
    });

    it(`an open proposal expires after ${PROPOSAL_OPEN_DAYS} days: no longer approved (CONFLICT) nor withdrawn, listed as expired`, async () => {
      const clock = useClock();
      try {
        const p = await propose(regA, { pairTradeLimit: 9 });
        clock.advanceDays(PROPOSAL_OPEN_DAYS);
        const stillOpen = await w.evaluate(reader, tx.parameters.getProposal, { proposalId: p.result.id });
        expect(stillOpen.state).to.equal('open');
        clock.advanceDays(1);
        expect((await w.evaluate(reader, tx.parameters.getProposal, { proposalId: p.result.id })).state).to.equal('expired');
        await w.expectRefused('CONFLICT', () => approve(regB, p.result.id), 'expired');
        await w.expectRefused('CONFLICT', () => w.submit(regA, tx.parameters.withdraw, { proposalId: p.result.id }), 'expired');
        const expired = await w.evaluate(reader, tx.parameters.listProposals, { status: 'expired' });
        expect(expired.items.map((x: { id: string; state: string }) => [x.id, x.state])).to.deep.equal([[p.result.id, 'expired']]);
        expect((await w.evaluate(reader, tx.parameters.listProposals, { status: 'open' })).items).to.deep.equal([]);
        expect(await current()).to.include({ version: 0 });
      } finally {
        clock.restore();
      }
    });
  });

  describe('the majority is counted over the counties registered at the time of the vote', () => {
    it('a regulator of a county that is not registered neither proposes nor approves (FORBIDDEN)', async () => {
      await registerCounties(w, [LIANGDANG, HUIXIAN]);
      await w.expectRefused('FORBIDDEN', () => propose(regC, { pairTradeLimit: 5 }), 'not a registered county');
      const p = await propose(regA, { pairTradeLimit: 5 });
      expect(p.result).to.include({ registeredCounties: 2, approvalsNeeded: 2 });
      await w.expectRefused('FORBIDDEN', () => approve(regC, p.result.id), 'not a registered county');
    });

    it('with two counties both must approve; a county registered meanwhile raises the count, and the vote counts it', async () => {
      await registerCounties(w, [LIANGDANG, HUIXIAN]);
      const p = await propose(regA, { pairTradeLimit: 5 });
      await registerCounties(w, [FENGXIAN]);
      // 2 of the 3 counties registered now: adopted
      const a = await approve(regB, p.result.id);
      expect(a.result).to.include({ state: 'adopted', registeredCounties: 3, approvalsNeeded: 2 });
    });

    it('more than half, not half: of two registered counties the proposing one alone does not adopt', async () => {
      await registerCounties(w, [LIANGDANG, HUIXIAN]);
      const p = await propose(regB, { paymentDays: 4 });
      expect(p.event?.name).to.equal(ParametersEvents.Proposed);
      expect(p.result).to.include({ state: 'open', approvalsNeeded: 2 });
      expect(await current()).to.include({ version: 0 });
    });

    it('a single registered county is its own majority: its proposal is adopted at once', async () => {
      await registerCounties(w, [LIANGDANG]);
      const p = await propose(regA, { paymentDays: 4 });
      expect(p.event?.name).to.equal(ParametersEvents.Adopted);
      expect(p.result).to.include({ state: 'adopted', version: 1, registeredCounties: 1, approvalsNeeded: 1 });
      expect((await current()).values.paymentDays).to.equal(4);
    });

    it('no county registered: nobody votes', async () => {
      await w.expectRefused('FORBIDDEN', () => propose(regA, { paymentDays: 4 }), 'not a registered county');
    });
  });

  it('the one network-wide switch is gone: Market:SetRiskConfig and GetRiskConfig are in neither the catalogue nor the contract', async () => {
    expect(Object.keys(tx.market)).to.not.include.members(['setRiskConfig', 'getRiskConfig']);
    const md = json(await w.f.ledger.evaluate(reader, { name: 'org.hyperledger.fabric:GetMetadata', args: [] })) as {
      contracts: Record<string, { transactions: Array<{ name: string }> }>;
    };
    const market = (md.contracts.Market?.transactions ?? []).map((t) => t.name);
    expect(market).to.include('PlaceOrder');
    expect(market.filter((n) => /RiskConfig/.test(n))).to.deep.equal([]);
    expect((md.contracts.Parameters?.transactions ?? []).map((t) => t.name).sort()).to.deep.equal(
      ['Approve', 'Current', 'GetProposal', 'History', 'ListProposals', 'Propose', 'Withdraw'].sort(),
    );
  });
});
