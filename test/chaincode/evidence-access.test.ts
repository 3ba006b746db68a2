import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { hex64, listEco, MarketCast, marketCast, order, registerEnterprise, Who, World } from '../support/market-world';

// Need to know (DESIGN.md "Trust between counties"): an evidence record names its submitter and what it concerns,
// and its file may be a case witness statement. Readers: the submitter; merchants bound to a referenced subject;
// regulators and enforcement of a county concerned (submitter's, referenced subjects', orders', cases'); auditors.
describe('chaincode: who may read an evidence record (need to know)', () => {
  let w: World;
  let c: MarketCast;
  let who: Record<string, Who>;
  let orderId: string;
  let caseId: string;

  const anchor = async (by: Who, seed: string, refs: Record<string, string[]>): Promise<string> =>
    (await w.submit(by, tx.evidence.anchor, { sha256: hex64(seed), sm3: hex64(`sm3 ${seed}`), sizeBytes: 10, mediaType: 'application/pdf', refs })).sha256;

  before(async () => {
    w = await World.open();
    c = await marketCast(w);
    orderId = (await order(c, (await listEco(c)).id)).id;
    const other = await registerEnterprise(w, c.regA, LIANGDANG, 'green');
    who = {
      sellerMerchant: c.sellerMerchant,
      buyerMerchant: c.buyerMerchant,
      regA: c.regA,
      regB: c.regB,
      regC: c.regC,
      enfA: await w.member(LIANGDANG, 'enf-a', 'enforcement'),
      enfB: await w.member(HUIXIAN, 'enf-b', 'enforcement'),
      enfC: await w.member(FENGXIAN, 'enf-c', 'enforcement'),
      finC: await w.member(FENGXIAN, 'fin-c', 'finance'),
      finB: await w.member(HUIXIAN, 'fin-b', 'finance'),
      auditorA: await w.member(LIANGDANG, 'aud-a', 'auditor'),
      verifier: c.verifier,
      otherMerchant: await w.member(LIANGDANG, 'm-other', 'merchant'),
      noRole: await w.id(HUIXIAN, 'no-role'),
    };
    await w.submit(c.regA, tx.subjects.bindMerchant, { subjectId: other, member: 'm-other' });
    // A case lead from Huixian to Fengxian about the seller (a Liangdang subject).
    caseId = (
      await w.submit(who.enfB as Who, tx.cases.transferCase, { toCounty: FENGXIAN, subjectId: c.seller, summary: 'lead', evidenceRefs: ['doc:lead-1'] })
    ).id;
  });
  after(async () => w?.cleanup());

  async function expectReaders(sha256: string, allowed: string[], refused: string[]): Promise<void> {
    for (const name of allowed) expect((await w.evaluate(who[name] as Who, tx.evidence.get, { sha256 })).record.sha256, name).to.equal(sha256);
    for (const name of refused) {
      const err = await w.expectRefused('FORBIDDEN', () => w.evaluate(who[name] as Who, tx.evidence.get, { sha256 }));
      expect(err.message, name).to.match(/may not read evidence/);
    }
  }

  it('a record referring to a subject: submitter, the subject’s merchant, the submitter’s and the subject’s counties, auditors', async () => {
    const sha = await anchor(who.finC as Who, 'subject-ref', { subjectIds: [c.buyer] });
    await expectReaders(
      sha,
      ['finC', 'buyerMerchant', 'regB', 'enfB', 'regC', 'enfC', 'auditorA'],
      ['sellerMerchant', 'otherMerchant', 'regA', 'enfA', 'finB', 'verifier', 'noRole'],
    );
  });

  it('a record referring to an order: the seller’s, buyer’s and origin counties; not the parties’ merchants (no subject named)', async () => {
    const sha = await anchor(who.finC as Who, 'order-ref', { orderIds: [orderId] });
    await expectReaders(
      sha,
      ['finC', 'regA', 'enfA', 'regB', 'enfB', 'regC', 'auditorA'],
      ['sellerMerchant', 'buyerMerchant', 'otherMerchant', 'finB', 'verifier', 'noRole'],
    );
  });

  it('a case witness statement: the case’s two counties and auditors; not a zero-role member, another county or its merchants', async () => {
    const sha = await anchor(who.enfB as Who, 'witness-statement', { caseIds: [caseId] });
    await expectReaders(sha, ['enfB', 'regB', 'enfC', 'regC', 'auditorA'], ['enfA', 'regA', 'sellerMerchant', 'buyerMerchant', 'finB', 'verifier', 'noRole']);
  });

  it('refs that name nothing on the ledger concern only the submitter’s county', async () => {
    const sha = await anchor(who.enfA as Who, 'dangling', { subjectIds: ['91350100M000100Y43'], orderIds: ['o-missing'], caseIds: ['case-missing'] });
    await expectReaders(sha, ['enfA', 'regA', 'auditorA'], ['regB', 'enfC', 'otherMerchant', 'noRole']);
  });

  it('a certification naming the seller only is not read by the buyer’s merchant or county', async () => {
    await expectReaders(c.certSha, ['sellerMerchant', 'regA', 'auditorA'], ['buyerMerchant', 'regB', 'noRole']);
  });

  it('Verify: anyone holding a role learns that a digest is anchored and when, never the refs or the submitter; a member without a role is refused', async () => {
    const sha = await anchor(who.enfB as Who, 'verify-me', { caseIds: [caseId] });
    const full = (await w.evaluate(who.enfB as Who, tx.evidence.get, { sha256: sha })).record;
    const v = await w.evaluate(who.otherMerchant as Who, tx.evidence.verify, { sha256: sha });
    expect(v).to.deep.equal({ sha256: sha, sm3: full.sm3, sizeBytes: full.sizeBytes, txId: full.txId, anchoredAt: full.anchoredAt });
    await w.expectRefused('FORBIDDEN', () => w.evaluate(who.noRole as Who, tx.evidence.verify, { sha256: sha }));
    await w.expectRefused('NOT_FOUND', () => w.evaluate(who.otherMerchant as Who, tx.evidence.verify, { sha256: hex64('never anchored') }));
    await w.expectRefused('INVALID_ARGUMENT', () => w.evaluate(who.otherMerchant as Who, tx.evidence.verify, { sha256: 'abc' }));
  });

  it('PublicLookup: any caller, a member without a role too, learns only the bare anchoring facts; NOT_FOUND and INVALID_ARGUMENT as Verify', async () => {
    const sha = await anchor(who.enfB as Who, 'public-lookup', { caseIds: [caseId], subjectIds: [c.seller] });
    const full = (await w.evaluate(who.enfB as Who, tx.evidence.get, { sha256: sha })).record;
    for (const name of ['noRole', 'otherMerchant', 'auditorA']) {
      const v = await w.evaluate(who[name] as Who, tx.evidence.publicLookup, { sha256: sha });
      expect(v, name).to.deep.equal({ sha256: sha, sm3: full.sm3, sizeBytes: full.sizeBytes, txId: full.txId, anchoredAt: full.anchoredAt });
    }
    // The output schema is strict: an answer carrying the refs or the submitter would not pass it.
    expect(tx.evidence.publicLookup.output.safeParse({ ...full }).success).to.equal(false);
    expect(
      tx.evidence.publicLookup.output.safeParse({ sha256: sha, sm3: full.sm3, sizeBytes: 10, txId: 't', anchoredAt: 'a', submitter: full.submitter }).success,
    ).to.equal(false);
    await w.expectRefused('NOT_FOUND', () => w.evaluate(who.noRole as Who, tx.evidence.publicLookup, { sha256: hex64('never anchored') }));
    await w.expectRefused('INVALID_ARGUMENT', () => w.evaluate(who.noRole as Who, tx.evidence.publicLookup, { sha256: 'abc' }));
    await w.expectRefused('INVALID_ARGUMENT', () => w.evaluate(who.noRole as Who, tx.evidence.publicLookup, { sha256: sha, refs: true }));
  });

  it('a digest not anchored is NOT_FOUND for everyone, a reader or not', async () => {
    for (const name of ['auditorA', 'noRole'])
      await w.expectRefused('NOT_FOUND', () => w.evaluate(who[name] as Who, tx.evidence.get, { sha256: hex64('absent') }));
  });
});
