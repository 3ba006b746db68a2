import { tx } from '../../chaincode/src/catalogue';
import { expect } from 'chai';
import { addDays } from '../../chaincode/src/kernel/time';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { decision, ledgerSubmit, registerCountiesOn, todayCst, violationInput } from '../support/credit-world';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { corruptCreditCode, creditCode, hex64, useClock } from '../support/market-world';

describe('gateway /api/v1/blacklist, /credit-events, /subjects/{code}/credit, query audit trail', () => {
  let f: AppFixture;
  let enfA: string; // Liangdang enforcement (county A)
  let enfB: string; // Huixian enforcement (county B)
  let regA: string;
  let regB: string;
  let auditor: string;
  let merchantB: string; // acts for the buyer, in Huixian
  let merchantA: string; // acts for the seller, in Liangdang
  let nobody: string; // a member with no role
  let buyer: string;
  let seller: string;
  let assetId: string;

  const api = (method: 'GET' | 'POST', url: string, key?: string, body?: unknown) => f.request(method, `/api/v1${url}`, key, body);
  const height = () => f.ledger.ledger.height();

  /** Records a violation and blacklists `subjectId` through HTTP; answers the entry. */
  async function blacklist(key: string, subjectId: string, overrides: Record<string, unknown> = {}, violation: Record<string, unknown> = {}): Promise<any> {
    const ev = await api('POST', '/credit-events', key, violationInput(subjectId, violation));
    expect(ev.statusCode, ev.body).to.equal(201);
    const res = await api('POST', '/blacklist', key, { subjectId, basisEventIds: [ev.json().result.id], ...decision(overrides) });
    expect(res.statusCode, res.body).to.equal(201);
    return res.json().result;
  }

  const placeOrder = () => api('POST', '/orders', merchantB, { assetId, buyerSubjectId: buyer, depositFen: 10_000, depositPaymentRef: 'pay:dep-1' });

  before(async () => {
    f = await openAppFixture();
    await f.grant(LIANGDANG, 'enf-a', 'enforcement');
    await f.grant(HUIXIAN, 'enf-b', 'enforcement');
    await f.grant(LIANGDANG, 'reg-a', 'regulator');
    await f.grant(HUIXIAN, 'reg-b', 'regulator');
    await f.grant(FENGXIAN, 'auditor-c', 'auditor');
    await f.grant(HUIXIAN, 'm-buyer', 'merchant');
    await f.grant(LIANGDANG, 'm-seller', 'merchant');
    enfA = await f.keyFor(LIANGDANG, 'enf-a');
    enfB = await f.keyFor(HUIXIAN, 'enf-b');
    regA = await f.keyFor(LIANGDANG, 'reg-a');
    regB = await f.keyFor(HUIXIAN, 'reg-b');
    auditor = await f.keyFor(FENGXIAN, 'auditor-c');
    merchantB = await f.keyFor(HUIXIAN, 'm-buyer');
    merchantA = await f.keyFor(LIANGDANG, 'm-seller');
    nobody = await f.keyFor(FENGXIAN, 'nobody');
    seller = creditCode('621228', 31_001);
    buyer = creditCode('621227', 31_002);
    // Credit events and entries name registered subjects, registered by their home county.
    await registerCountiesOn(f);
    for (const serial of [31_010, 31_020, 31_030, 31_031, 31_032])
      await ledgerSubmit(f, LIANGDANG, 'reg-a', tx.subjects.registerEnterprise, { creditCode: creditCode('621228', serial) });
    for (const serial of [31_003, 31_040])
      await ledgerSubmit(f, HUIXIAN, 'reg-b', tx.subjects.registerEnterprise, { creditCode: creditCode('621227', serial) });
    for (const [msp, reg, code, merchant] of [
      [LIANGDANG, 'reg-a', seller, 'm-seller'],
      [HUIXIAN, 'reg-b', buyer, 'm-buyer'],
    ] as const) {
      await ledgerSubmit(f, msp, reg, tx.subjects.registerEnterprise, { creditCode: code, name: `Enterprise ${code}` });
      await ledgerSubmit(f, msp, reg, tx.subjects.setAccess, { subjectId: code, status: 'green', evidenceRefs: ['doc:review'] });
      await ledgerSubmit(f, msp, reg, tx.subjects.bindMerchant, { subjectId: code, member: merchant });
    }
    const certSha = hex64(`cert ${seller}`);
    await ledgerSubmit(f, LIANGDANG, 'm-seller', tx.evidence.anchor, {
      sha256: certSha,
      sm3: hex64(`sm3 ${certSha}`),
      sizeBytes: 100,
      mediaType: 'application/pdf',
    });
    const asset = await ledgerSubmit(f, LIANGDANG, 'm-seller', tx.market.registerAsset, {
      ownerSubjectId: seller,
      kind: 'eco-product',
      title: 'walnut oil',
      category: 'walnut-oil',
      costFen: 100_000,
      priceFen: 130_000,
      certifications: [{ kind: 'soil-test', sha256: certSha }],
    });
    assetId = asset.id;
  });
  after(async () => f.close());

  describe('joint punishment across counties (Done when)', () => {
    let clock: ReturnType<typeof useClock>;
    before(() => {
      clock = useClock();
    });
    after(() => clock.restore());

    it('A blacklists with a trading restriction → B refuses the order (RULE_VIOLATION); B cannot repair (FORBIDDEN); A repairs after the period → the order succeeds', async () => {
      const entry = await blacklist(enfA, buyer, { measures: ['trading'] });
      expect(entry).to.include({ issuingCounty: LIANGDANG, subjectId: buyer, severity: 'serious', status: 'published' });

      const h = await height();
      const refused = await placeOrder();
      expect(refused.statusCode).to.equal(422);
      expect(refused.headers['content-type']).to.match(/application\/problem\+json/);
      expect(refused.json().code).to.equal('RULE_VIOLATION');
      expect(refused.json().detail).to.match(/blacklisted with a trading restriction by LiangdangMSP/);
      expect(await height()).to.equal(h);

      const check = await api('GET', `/blacklist/check/${buyer}`, merchantA);
      expect(check.statusCode).to.equal(200);
      expect(check.json()).to.include({ blacklisted: true, underObjection: false });
      expect(check.json().restricted.trading).to.equal(true);

      const early = await api('POST', `/blacklist/${entry.id}/repair`, enfA, { rectificationEvidenceRefs: ['doc:rectified'] });
      expect(early.statusCode).to.equal(422);
      expect(early.json().code).to.equal('RULE_VIOLATION');
      clock.advanceDays(190);
      const byB = await api('POST', `/blacklist/${entry.id}/repair`, enfB, { rectificationEvidenceRefs: ['doc:rectified'] });
      expect(byB.statusCode).to.equal(403);
      expect(byB.json().code).to.equal('FORBIDDEN');
      const byRegulator = await api('POST', `/blacklist/${entry.id}/repair`, regA, { rectificationEvidenceRefs: ['doc:rectified'] });
      expect(byRegulator.statusCode).to.equal(403);
      const noEvidence = await api('POST', `/blacklist/${entry.id}/repair`, enfA, { rectificationEvidenceRefs: [] });
      expect(noEvidence.statusCode).to.equal(400);
      expect(await height()).to.equal(h);

      const repaired = await api('POST', `/blacklist/${entry.id}/repair`, enfA, {
        rectificationEvidenceRefs: ['doc:rectified'],
        note: 'fines paid, plant upgraded',
      });
      expect(repaired.statusCode, repaired.body).to.equal(200);
      expect(repaired.json().result).to.include({ status: 'repaired', active: false });

      const ordered = await placeOrder();
      expect(ordered.statusCode, ordered.body).to.equal(201);
      await api('POST', `/orders/${ordered.json().result.id}/cancel`, merchantA, { reason: 'test over' });

      // Repaired, yet kept in the subject's history.
      const history = await api('GET', `/subjects/${buyer}/blacklist`, auditor);
      expect(history.json().items.map((e: any) => [e.id, e.status])).to.deep.equal([[entry.id, 'repaired']]);
      const got = await api('GET', `/blacklist/${entry.id}`, auditor);
      expect(got.json()).to.include({ status: 'repaired', active: false });
    });

    it('an expired entry stops restricting with no transaction', async () => {
      const subject = creditCode('621227', 31_003);
      const entry = await blacklist(enfA, subject, { endDate: addDays(todayCst(), 3) });
      const h = await height();
      expect((await api('GET', `/blacklist/check/${subject}`, enfB)).json().blacklisted).to.equal(true);
      clock.advanceDays(3);
      expect((await api('GET', `/blacklist/check/${subject}`, enfB)).json().blacklisted).to.equal(true);
      clock.advanceDays(1);
      const after = (await api('GET', `/blacklist/check/${subject}`, enfB)).json();
      expect(after.blacklisted).to.equal(false);
      expect(after.restricted).to.deep.equal({ trading: false, licensing: false, fund: false });
      expect((await api('GET', `/blacklist/${entry.id}`, enfB)).json()).to.include({ status: 'published', active: false });
      expect(await height()).to.equal(h);
    });
  });

  describe('objections', () => {
    it("the subject's merchant objects; the check shows under objection until the issuing county resolves it", async () => {
      const entry = await blacklist(enfA, buyer, { measures: ['trading', 'fund'] });
      const h = await height();
      for (const [key, status] of [
        [merchantA, 403],
        [regA, 403],
        [auditor, 403],
      ] as const) {
        const r = await api('POST', `/blacklist/${entry.id}/objection`, key, { grounds: 'not us' });
        expect(r.statusCode, r.body).to.equal(status);
      }
      expect((await api('POST', `/blacklist/${entry.id}/objection`, merchantB, { grounds: '' })).statusCode).to.equal(400);
      expect((await api('POST', `/blacklist/${entry.id}/objection`, merchantB, { grounds: 'x', extra: 1 })).statusCode).to.equal(400);
      expect((await api('POST', '/blacklist/no-such-entry/objection', merchantB, { grounds: 'x' })).statusCode).to.equal(404);
      expect(await height()).to.equal(h);

      const filed = await api('POST', `/blacklist/${entry.id}/objection`, merchantB, {
        grounds: 'the discharge came from a neighbour',
        evidenceRefs: ['doc:obj-1'],
      });
      expect(filed.statusCode, filed.body).to.equal(201);
      const check = (await api('GET', `/blacklist/check/${buyer}`, enfB)).json();
      expect(check).to.include({ blacklisted: true, underObjection: true });
      expect(check.entries.find((e: any) => e.id === entry.id).underObjection).to.equal(true);
      const bulk = (await api('POST', '/blacklist/check', enfB, { codes: [buyer] })).json();
      expect(bulk.items[0].underObjection).to.equal(true);
      expect((await api('POST', `/blacklist/${entry.id}/objection`, regB, { grounds: 'again' })).statusCode).to.equal(409);

      const beforeResolution = await height();
      // Only the issuing county's enforcement resolves: not the other county's, not the issuing county's regulator.
      for (const key of [enfB, regA, regB, merchantB]) {
        const r = await api('POST', `/blacklist/${entry.id}/objection/resolution`, key, { decision: 'entry-withdrawn', note: 'x' });
        expect(r.statusCode, r.body).to.equal(403);
      }
      for (const decision of ['maybe', 'upheld', 'withdrawn']) {
        const bad = await api('POST', `/blacklist/${entry.id}/objection/resolution`, enfA, { decision, note: 'x' });
        expect(bad.statusCode, bad.body).to.equal(400);
      }
      expect(await height()).to.equal(beforeResolution);
      const dismissed = await api('POST', `/blacklist/${entry.id}/objection/resolution`, enfA, {
        decision: 'dismissed',
        note: 'inspection confirmed the source',
      });
      expect(dismissed.statusCode, dismissed.body).to.equal(200);
      expect(dismissed.json().result).to.include({ underObjection: false, status: 'published' });
      expect(dismissed.json().result.objection).to.include({ status: 'dismissed' });
      expect((await api('GET', `/blacklist/check/${buyer}`, enfB)).json().underObjection).to.equal(false);
      expect((await api('POST', `/blacklist/${entry.id}/objection/resolution`, enfA, { decision: 'dismissed', note: 'again' })).statusCode).to.equal(409);

      // The home county's regulator objects for the subject; the entry is withdrawn on that objection.
      expect((await api('POST', `/blacklist/${entry.id}/objection`, regB, { grounds: 'new evidence' })).statusCode).to.equal(201);
      const withdrawn = await api('POST', `/blacklist/${entry.id}/objection/resolution`, enfA, { decision: 'entry-withdrawn', note: 'accepted' });
      expect(withdrawn.statusCode, withdrawn.body).to.equal(200);
      expect(withdrawn.json().result).to.include({ status: 'withdrawn', active: false });
      expect(withdrawn.json().result.withdrawal).to.include({ ground: 'objection', objectionSeq: 2, note: 'accepted' });
      const got = (await api('GET', `/blacklist/${entry.id}`, auditor)).json();
      expect(got.objections.map((o: any) => o.status)).to.deep.equal(['dismissed', 'entry-withdrawn']);
      expect((await api('GET', `/blacklist/check/${buyer}`, enfB)).json().blacklisted).to.equal(false);
    });
  });

  describe('objections to an entry of the home county itself', () => {
    it("the issuing county's regulator may not object to its own entry (403, nothing written); the subject's merchant may", async () => {
      const entry = await blacklist(enfB, buyer, { measures: ['licensing'] });
      const h = await height();
      const own = await api('POST', `/blacklist/${entry.id}/objection`, regB, { grounds: 'we were wrong' });
      expect(own.statusCode, own.body).to.equal(403);
      expect(own.json()).to.include({ code: 'FORBIDDEN' });
      expect(own.json().detail).to.match(/does not object to its own entry/);
      expect(await height()).to.equal(h);
      expect((await api('POST', `/blacklist/${entry.id}/objection`, merchantB, { grounds: 'the sample was not ours' })).statusCode).to.equal(201);
      expect((await api('POST', `/blacklist/${entry.id}/objection/resolution`, enfB, { decision: 'dismissed', note: 'stands' })).statusCode).to.equal(200);
    });
  });

  describe('issuing, listing and checking', () => {
    it('refuses bad input and unauthorised callers, writing nothing', async () => {
      const subject = creditCode('621228', 31_010);
      const ev = (await api('POST', '/credit-events', enfA, violationInput(subject))).json().result;
      const good = { subjectId: subject, basisEventIds: [ev.id], ...decision() };
      const h = await height();
      const cases: Array<[string, unknown, number]> = [
        [enfA, { ...good, subjectId: corruptCreditCode(subject) }, 400],
        [enfA, { ...good, startDate: addDays(todayCst(), 5), endDate: addDays(todayCst(), 4) }, 400],
        [enfA, { ...good, measures: ['trading', 'parking'] }, 400],
        [enfA, { ...good, measures: [] }, 400],
        [enfA, { ...good, startDate: '2024-13-01' }, 400],
        [enfA, { ...good, basisEventIds: [] }, 400],
        [enfA, { ...good, unknown: true }, 400],
        [enfA, { ...good, startDate: addDays(todayCst(), -3) }, 422],
        [enfA, { ...good, basisEventIds: ['ce-missing-0'] }, 404],
        [auditor, good, 403],
        [merchantA, good, 403],
        [nobody, good, 403],
      ];
      for (const [key, body, status] of cases) {
        const r = await api('POST', '/blacklist', key, body);
        expect(r.statusCode, `${JSON.stringify(body).slice(0, 120)} → ${r.body}`).to.equal(status);
        expect(r.headers['content-type']).to.match(/application\/problem\+json/);
      }
      expect((await f.request('POST', '/api/v1/blacklist', undefined, good)).statusCode).to.equal(401);
      expect(await height()).to.equal(h);
    });

    it('bulk check: ≤1000 codes, invalid ones reported per item; 1001 refused; single check refuses a bad code', async () => {
      const listed = creditCode('621228', 31_020);
      await blacklist(enfB, listed, { measures: ['licensing'] });
      const codes = [listed, creditCode('621228', 31_021), corruptCreditCode(listed), 'ABC', 'ind-xyz'];
      const res = await api('POST', '/blacklist/check', regA, { codes });
      expect(res.statusCode, res.body).to.equal(200);
      const body = res.json();
      expect(body).to.include({ count: 5, invalid: 3, blacklisted: 1 });
      expect(body.items.map((i: any) => i.valid)).to.deep.equal([true, true, false, false, false]);
      expect(body.items[0].restricted).to.deep.equal({ trading: false, licensing: true, fund: false });
      expect(body.items[2].problem).to.match(/check character/);
      const thousand = Array.from({ length: 1000 }, (_, i) => creditCode('610330', 400_000 + i));
      const big = await api('POST', '/blacklist/check', regA, { codes: thousand });
      expect(big.statusCode).to.equal(200);
      expect(big.json().count).to.equal(1000);
      const over = await api('POST', '/blacklist/check', regA, { codes: [...thousand, listed] });
      expect(over.statusCode).to.equal(400);
      expect(over.json().code).to.equal('INVALID_ARGUMENT');
      expect((await api('POST', '/blacklist/check', regA, { codes: [] })).statusCode).to.equal(400);
      expect((await api('POST', '/blacklist/check', regA, { codes: 'x' })).statusCode).to.equal(400);
      expect((await api('GET', `/blacklist/check/${corruptCreditCode(listed)}`, regA)).statusCode).to.equal(400);
      expect((await f.request('GET', `/api/v1/blacklist/check/${listed}`)).statusCode).to.equal(401);
    });

    it('lists entries in force by county and measure with cursor pagination; bad filters refused', async () => {
      const subjects = [creditCode('621228', 31_030), creditCode('621228', 31_031), creditCode('621228', 31_032)];
      for (const s of subjects) await blacklist(enfB, s, { measures: ['fund'] });
      const page1 = await api('GET', `/blacklist?county=${HUIXIAN}&measure=fund&limit=2`, auditor);
      expect(page1.statusCode, page1.body).to.equal(200);
      expect(page1.json().items).to.have.length(2);
      const page2 = await api('GET', `/blacklist?county=${HUIXIAN}&measure=fund&limit=2&cursor=${page1.json().nextCursor}`, auditor);
      const all = [...page1.json().items, ...page2.json().items].map((e: any) => e.subjectId);
      expect(all).to.include.members(subjects);
      expect(all.every((s: string) => typeof s === 'string')).to.equal(true);
      expect((await api('GET', `/blacklist?county=${LIANGDANG}&measure=fund`, auditor)).json().items.map((e: any) => e.subjectId)).to.not.include.members(
        subjects,
      );
      expect((await api('GET', '/blacklist?measure=travel', auditor)).statusCode).to.equal(400);
      expect((await api('GET', '/blacklist?limit=0', auditor)).statusCode).to.equal(400);
      expect((await api('GET', '/blacklist?county=not%20a%20county', auditor)).statusCode).to.equal(400);
      expect((await api('GET', `/blacklist?cursor=${page1.json().nextCursor}`, auditor)).statusCode).to.equal(400);
      expect((await api('GET', '/blacklist/bad id', auditor)).statusCode).to.equal(400);
      expect((await api('GET', '/blacklist/bl-missing', auditor)).statusCode).to.equal(404);
    });
  });

  describe('credit events and the credit file', () => {
    it('records events (enforcement or regulator), applies 首违不罚 and answers the credit class; refuses bad input and other roles', async () => {
      const subject = creditCode('621227', 31_040);
      const first = await api('POST', '/credit-events', regB, violationInput(subject, { severity: 'minor', harmfulConsequence: false }));
      expect(first.statusCode, first.body).to.equal(201);
      expect(first.json().result.outcome).to.equal('warning');
      const refused = await api('POST', '/blacklist', regB, { subjectId: subject, basisEventIds: [first.json().result.id], ...decision() });
      expect(refused.statusCode).to.equal(422);
      expect(refused.json().detail).to.match(/首违不罚/);
      let file = (await api('GET', `/subjects/${subject}/credit`, merchantA)).json();
      expect(file).to.include({ creditClass: 'B' });
      expect(file.window).to.include({ points: 0, warnings: 1 });
      await api('POST', '/credit-events', enfA, violationInput(subject, { severity: 'serious' }));
      file = (await api('GET', `/subjects/${subject}/credit`, merchantA)).json();
      expect(file).to.include({ creditClass: 'C' });
      expect(file.window.points).to.equal(3);
      const events = (await api('GET', `/subjects/${subject}/credit/events`, auditor)).json();
      expect(events.items.map((e: any) => e.outcome)).to.deep.equal(['warning', 'penalty']);

      const h = await height();
      for (const [key, body, status] of [
        [auditor, violationInput(subject), 403],
        [merchantA, violationInput(subject), 403],
        [enfA, violationInput(corruptCreditCode(subject)), 400],
        [enfA, violationInput(subject, { severity: 'catastrophic' }), 400],
        [enfA, violationInput(subject, { kind: 'fulfilment' }), 400],
        [enfA, violationInput(subject, { harmfulConsequence: undefined }), 400],
        [enfA, violationInput(subject, { evidenceRefs: [] }), 400],
        [enfA, violationInput(creditCode('621227', 31_999)), 404],
      ] as Array<[string, unknown, number]>) {
        const r = await api('POST', '/credit-events', key, body);
        expect(r.statusCode, r.body).to.equal(status);
      }
      expect(await height()).to.equal(h);
      expect((await api('GET', `/subjects/${corruptCreditCode(subject)}/credit`, auditor)).statusCode).to.equal(400);
      expect((await f.request('GET', `/api/v1/subjects/${subject}/credit`)).statusCode).to.equal(401);
    });
  });

  describe('query audit trail', () => {
    it('every lookup is appended (who, which code, when, county); auditors read it; it is anchored on demand and verifies', async () => {
      const code = creditCode('621228', 31_050);
      await api('GET', `/blacklist/check/${code}`, enfB);
      await api('POST', '/blacklist/check', enfB, { codes: [code, 'bad-code'] });
      const notAuditor = await api('GET', '/audit/blacklist-queries', enfB);
      expect(notAuditor.statusCode).to.equal(403);
      // Entries are read by the county's own auditors only (need to know); another county's auditor is refused.
      await f.grant(HUIXIAN, 'auditor-b', 'auditor');
      const auditorB = await f.keyFor(HUIXIAN, 'auditor-b');
      const elsewhere = await api('GET', `/audit/blacklist-queries?county=${HUIXIAN}&limit=500`, auditor);
      expect(elsewhere.statusCode, elsewhere.body).to.equal(403);
      expect(elsewhere.json().code).to.equal('FORBIDDEN');
      expect(elsewhere.body).to.not.contain('enf-b');
      const trail = await api('GET', `/audit/blacklist-queries?county=${HUIXIAN}&limit=500`, auditorB);
      expect(trail.statusCode, trail.body).to.equal(200);
      const items = trail.json().items as any[];
      const mine = items.filter((e) => e.member === 'enf-b' && (e.code === code || e.code === 'bad-code'));
      expect(mine.map((e) => [e.kind, e.code, e.mspId])).to.deep.equal([
        ['check', code, HUIXIAN],
        ['bulk-check', code, HUIXIAN],
        ['bulk-check', 'bad-code', HUIXIAN],
      ]);
      expect(items.map((e) => e.seq)).to.deep.equal(items.map((_, i) => i + 1));
      expect(mine[0].at).to.match(/^\d{4}-\d{2}-\d{2}T/);
      const p1 = await api('GET', '/audit/blacklist-queries?limit=2', auditorB);
      expect(p1.json().items).to.have.length(2);
      const p2 = await api('GET', `/audit/blacklist-queries?county=${HUIXIAN}&limit=2&cursor=${p1.json().nextCursor}`, auditorB);
      expect(p2.json().items[0].seq).to.equal(3);

      const h = await height();
      const noRole = await api('POST', '/audit/blacklist-queries/anchor', await f.keyFor(HUIXIAN, 'no-role'));
      expect(noRole.statusCode).to.equal(403);
      expect(await height()).to.equal(h);
      const anchored = await api('POST', '/audit/blacklist-queries/anchor', enfB);
      expect(anchored.statusCode, anchored.body).to.equal(200);
      expect(anchored.json()).to.include({ anchored: true, fromEntry: 1 });
      expect(anchored.json().toEntry).to.be.at.least(items.length);
      const again = await api('POST', '/audit/blacklist-queries/anchor', enfB);
      expect(again.json().anchored).to.equal(false);

      // Verification (counts and anchored digests, no entries) is open to auditors of any county.
      const verify = await api('GET', `/audit/blacklist-queries/verify?county=${HUIXIAN}`, auditor);
      expect(verify.statusCode).to.equal(200);
      expect(verify.json()).to.include({ ok: true, anchors: 1, anchorsChecked: 1, unanchoredEntries: 0 });
      expect((await api('GET', '/audit/blacklist-queries/verify', enfB)).statusCode).to.equal(403);
      expect((await api('GET', '/audit/blacklist-queries?cursor=abc', auditor)).statusCode).to.equal(400);
    });
  });
});
