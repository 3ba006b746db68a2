import http from 'node:http';
import { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { EVENT_VISIBILITY } from '../../gateway-api/src/routes/event-visibility';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { blacklistSubject, decision } from '../support/credit-world';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { listEco, MarketCast, marketCast, order, registerEnterprise, World } from '../support/market-world';

type Frame = { id: string; event: string; data: any };

// Need to know on the event stream: each caller receives only the events it may read.
describe('gateway /api/v1/events: each caller gets only what it may read', () => {
  let f: AppFixture;
  let c: MarketCast;
  let port: number;
  let orderId: string;
  let fengxianSubject: string;
  let directEntryId: string;
  let caseEntryId: string;
  let quietCaseId: string;

  /** Every frame from block 0 up to and including the sentinel role grant. */
  const stream = (key: string) =>
    new Promise<Frame[]>((resolve, reject) => {
      const frames: Frame[] = [];
      const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/events?fromBlock=0', headers: { authorization: `Bearer ${key}` } }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
        let buf = '';
        res.on('data', (chunk: Buffer) => {
          buf += chunk.toString('utf8');
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const lines = buf.slice(0, i).split('\n');
            buf = buf.slice(i + 2);
            const fields = Object.fromEntries(
              lines.filter((l) => !l.startsWith(':') && l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
            );
            if (!fields.id) continue;
            const frame = { id: fields.id, event: fields.event ?? '', data: JSON.parse(fields.data ?? 'null') };
            frames.push(frame);
            if (frame.event === 'membership.RoleGranted' && frame.data.payload.member === 'sentinel') {
              req.destroy();
              resolve(frames);
            }
          }
        });
      });
      req.on('error', () => undefined);
      setTimeout(() => reject(new Error(`timed out with ${frames.length} events`)), 8000).unref();
    });

  before(async () => {
    f = await openAppFixture();
    const w = World.over(f.ledger);
    c = await marketCast(w);
    orderId = (await order(c, (await listEco(c)).id)).id;
    const other = await registerEnterprise(w, c.regA, LIANGDANG, 'green');
    await w.member(LIANGDANG, 'm-other', 'merchant');
    await w.submit(c.regA, tx.subjects.bindMerchant, { subjectId: other, member: 'm-other' });
    // Blacklist entries against a Fengxian subject, issued by other counties: one directly, one by closing a case lead.
    const enfA = await w.member(LIANGDANG, 'enf-a', 'enforcement');
    const enfB = await w.member(HUIXIAN, 'enf-b', 'enforcement');
    await w.member(FENGXIAN, 'fin-c', 'finance');
    fengxianSubject = await registerEnterprise(w, c.regC, FENGXIAN, 'green');
    directEntryId = (await blacklistSubject(w, enfA, fengxianSubject)).id;
    const lead = async () =>
      (await w.submit(enfA, tx.cases.transferCase, { toCounty: HUIXIAN, subjectId: fengxianSubject, summary: 'lead', evidenceRefs: ['doc:lead'] })).id;
    const close = async (caseId: string, blacklist: boolean) => {
      await w.submit(enfB, tx.cases.acceptCase, { caseId });
      await w.submit(enfB, tx.cases.investigateCase, { caseId });
      return w.submit(enfB, tx.cases.closeCase, {
        caseId,
        finding: 'violation',
        summary: 'confirmed',
        evidenceRefs: ['doc:report'],
        violation: { kind: 'eco-violation', severity: 'serious', harmfulConsequence: true },
        ...(blacklist ? { blacklist: decision() } : {}),
      });
    };
    caseEntryId = (await close(await lead(), true)).decision.blacklistEntryId;
    quietCaseId = await lead();
    await close(quietCaseId, false);
    await w.member(HUIXIAN, 'sentinel', 'finance');
    await f.app.listen({ host: '127.0.0.1', port: 0 });
    port = (f.app.server.address() as AddressInfo).port;
  });
  after(async () => f.close());

  const names = (frames: Frame[]) => new Set(frames.map((e) => e.event));

  it('the buyer’s merchant gets the order event; another merchant does not; both get the public ones', async () => {
    const buyer = await stream(await f.keyFor(HUIXIAN, 'm-buyer'));
    const other = await stream(await f.keyFor(LIANGDANG, 'm-other'));
    expect(buyer.filter((e) => e.event === 'market.OrderPlaced').map((e) => e.data.payload.orderId)).to.deep.equal([orderId]);
    expect(names(other)).to.not.include('market.OrderPlaced');
    for (const frames of [buyer, other])
      for (const name of ['market.AssetRegistered', 'subjects.SubjectRegistered', 'membership.RoleGranted']) expect(names(frames)).to.include(name);
    // Ids count every event of a block, sent or not: the same event has the same id for every caller.
    const asset = (frames: Frame[]) => frames.find((e) => e.event === 'market.AssetRegistered')?.id;
    expect(asset(other)).to.equal(asset(buyer));
  });

  it('evidence.Anchored goes to readers of the record only: the seller’s certification to its merchant and its county, not to the buyer’s merchant', async () => {
    const anchored = (frames: Frame[]) => frames.filter((e) => e.event === 'evidence.Anchored').map((e) => e.data.payload.sha256);
    expect(anchored(await stream(await f.keyFor(LIANGDANG, 'm-seller')))).to.deep.equal([c.certSha]);
    expect(anchored(await stream(await f.keyFor(LIANGDANG, 'reg-a')))).to.deep.equal([c.certSha]);
    expect(anchored(await stream(await f.keyFor(HUIXIAN, 'm-buyer')))).to.deep.equal([]);
  });

  it('notice to the home county: its members see credit.BlacklistIssued (naming homeCounty) and the CaseClosed that blacklisted its subject, not the rest of the case', async () => {
    const home = await stream(await f.keyFor(FENGXIAN, 'fin-c'));
    const issued = home.filter((e) => e.event === 'credit.BlacklistIssued' && e.data.payload.subjectId === fengxianSubject);
    expect(issued.map((e) => [e.data.payload.entryId, e.data.payload.homeCounty, e.data.payload.issuingCounty])).to.deep.equal([
      [directEntryId, FENGXIAN, LIANGDANG],
    ]);
    const cases = home.filter((e) => e.event.startsWith('cases.'));
    expect(cases.map((e) => [e.event, e.data.payload.blacklistEntryId, e.data.payload.homeCounty])).to.deep.equal([
      ['cases.CaseClosed', caseEntryId, FENGXIAN],
    ]);
    // A member of another county that is no party to the case gets neither case event; the case's parties get both closings.
    const stranger = await stream(await f.keyFor(LIANGDANG, 'm-other'));
    expect(stranger.filter((e) => e.event.startsWith('cases.'))).to.deep.equal([]);
    const receiver = await stream(await f.keyFor(HUIXIAN, 'enf-b'));
    expect(receiver.filter((e) => e.event === 'cases.CaseClosed').map((e) => e.data.payload.caseId)).to.include(quietCaseId);
    expect(receiver.filter((e) => e.event === 'cases.CaseClosed')).to.have.length(2);
  });

  it('every event name the chaincode emits is classified (an unclassified one is not sent)', () => {
    expect(EVENT_VISIBILITY['market.OrderSettled' as keyof typeof EVENT_VISIBILITY]).to.equal('order');
    expect(EVENT_VISIBILITY['evidence.Recognized' as keyof typeof EVENT_VISIBILITY]).to.equal('evidence');
    expect(EVENT_VISIBILITY['cases.CaseTransferred' as keyof typeof EVENT_VISIBILITY]).to.equal('case');
    expect(EVENT_VISIBILITY['cases.CaseWithdrawn' as keyof typeof EVENT_VISIBILITY]).to.equal('case');
    expect(EVENT_VISIBILITY['credit.BlacklistIssued' as keyof typeof EVENT_VISIBILITY]).to.equal('network');
  });
});
