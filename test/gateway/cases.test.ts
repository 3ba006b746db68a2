import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { decision, ledgerSubmit, registerCountiesOn } from '../support/credit-world';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { corruptCreditCode, creditCode } from '../support/market-world';

describe('gateway /api/v1/cases (线索移送)', () => {
  let f: AppFixture;
  let enfA: string;
  let enfB: string;
  let enfC: string;
  let regB: string;
  let auditor: string;
  const subject = creditCode('621227', 41_001);
  const api = (method: 'GET' | 'POST', url: string, key?: string, body?: unknown) => f.request(method, `/api/v1${url}`, key, body);
  const height = () => f.ledger.ledger.height();
  const lead = { toCounty: HUIXIAN, subjectId: subject, summary: 'illegal sand mining seen upstream', evidenceRefs: ['doc:lead-1'] };

  before(async () => {
    f = await openAppFixture();
    await f.grant(LIANGDANG, 'enf-a', 'enforcement');
    await f.grant(HUIXIAN, 'enf-b', 'enforcement');
    await f.grant(FENGXIAN, 'enf-c', 'enforcement');
    await f.grant(HUIXIAN, 'reg-b', 'regulator');
    await f.grant(FENGXIAN, 'auditor-c', 'auditor');
    enfA = await f.keyFor(LIANGDANG, 'enf-a');
    enfB = await f.keyFor(HUIXIAN, 'enf-b');
    enfC = await f.keyFor(FENGXIAN, 'enf-c');
    regB = await f.keyFor(HUIXIAN, 'reg-b');
    auditor = await f.keyFor(FENGXIAN, 'auditor-c');
    // Leads go to registered counties about registered subjects.
    await registerCountiesOn(f);
    await ledgerSubmit(f, HUIXIAN, 'reg-b', tx.subjects.registerEnterprise, { creditCode: subject, name: 'Huixian Sand Co.' });
  });
  after(async () => f.close());

  it('A transfers → B accepts → investigates → closes with a blacklist entry in the same transaction; only B moves it', async () => {
    const t = await api('POST', '/cases', enfA, lead);
    expect(t.statusCode, t.body).to.equal(201);
    const id = t.json().result.id;
    expect(t.json().result).to.include({ status: 'transferred', fromCounty: LIANGDANG, toCounty: HUIXIAN });

    const h = await height();
    for (const key of [enfA, enfC, regB, auditor]) {
      const r = await api('POST', `/cases/${id}/accept`, key, {});
      expect(r.statusCode, r.body).to.equal(403);
    }
    expect((await api('POST', `/cases/${id}/investigate`, enfB, {})).statusCode).to.equal(409);
    expect((await api('POST', `/cases/${id}/close`, enfB, { finding: 'no-violation', summary: 'x', evidenceRefs: ['doc:x'] })).statusCode).to.equal(409);
    expect(await height()).to.equal(h);

    expect((await api('POST', `/cases/${id}/accept`, enfB, { note: 'ours' })).json().result.status).to.equal('accepted');
    const accepted = await height();
    for (const key of [enfA, enfC, regB, auditor]) {
      const r = await api('POST', `/cases/${id}/investigate`, key, {});
      expect(r.statusCode, r.body).to.equal(403);
    }
    expect((await api('POST', `/cases/${id}/investigate`, enfB, { unexpected: 1 })).statusCode).to.equal(400);
    expect((await api('POST', `/cases/${'c'.repeat(150)}/investigate`, enfB, {})).statusCode).to.equal(400);
    expect(await height(), 'refusals write nothing').to.equal(accepted);
    expect((await api('POST', `/cases/${id}/reject`, enfB, { reason: 'too late' })).statusCode).to.equal(409);
    const inv = await api('POST', `/cases/${id}/investigate`, enfB);
    expect(inv.statusCode, inv.body).to.equal(200);
    expect(inv.json().result.status).to.equal('investigating');
    const close = {
      finding: 'violation',
      summary: 'confirmed',
      evidenceRefs: ['doc:report-7'],
      violation: { kind: 'eco-violation', severity: 'grave', harmfulConsequence: true },
      blacklist: decision({ measures: ['trading', 'licensing'] }),
    };
    expect((await api('POST', `/cases/${id}/close`, enfA, close)).statusCode).to.equal(403);
    expect((await api('POST', `/cases/${id}/close`, enfB, { ...close, violation: undefined })).statusCode).to.equal(400);
    expect((await api('POST', `/cases/${id}/close`, enfB, { ...close, finding: 'maybe' })).statusCode).to.equal(400);
    expect((await api('POST', `/cases/${id}/close`, enfB, { ...close, blacklist: decision({ measures: ['exile'] }) })).statusCode).to.equal(400);
    const closed = await api('POST', `/cases/${id}/close`, enfB, close);
    expect(closed.statusCode, closed.body).to.equal(200);
    const c = closed.json().result;
    expect(c.status).to.equal('closed');
    expect(c.steps.map((s: any) => s.status)).to.deep.equal(['transferred', 'accepted', 'investigating', 'closed']);
    const check = (await api('GET', `/blacklist/check/${subject}`, enfA)).json();
    expect(check.entries.map((e: any) => e.id)).to.deep.equal([c.decision.blacklistEntryId]);
    expect(check.restricted).to.deep.equal({ trading: true, licensing: true, fund: false });

    // Reads: the two counties' enforcement and auditors.
    expect((await api('GET', `/cases/${id}`, enfA)).statusCode).to.equal(200);
    expect((await api('GET', `/cases/${id}`, auditor)).statusCode).to.equal(200);
    expect((await api('GET', `/cases/${id}`, enfC)).statusCode).to.equal(403);
    expect((await api('GET', `/cases/${id}`, regB)).statusCode).to.equal(403);
    expect((await api('GET', '/cases/no-such-case', auditor)).statusCode).to.equal(404);
    expect((await api('GET', '/cases?direction=incoming', enfB)).json().items.map((x: any) => x.id)).to.include(id);
    expect((await api('GET', `/cases?direction=outgoing&county=${LIANGDANG}`, auditor)).json().items.map((x: any) => x.id)).to.include(id);
    expect((await api('GET', `/cases?direction=outgoing&county=${LIANGDANG}`, enfB)).statusCode).to.equal(403);
    expect((await api('GET', '/cases?direction=sideways', enfB)).statusCode).to.equal(400);
  });

  it('rejection; bad input and roles on transfer are refused, writing nothing', async () => {
    const t = await api('POST', '/cases', enfA, lead);
    const id = t.json().result.id;
    expect((await api('POST', `/cases/${id}/reject`, enfB, {})).statusCode).to.equal(400);
    const before = await height();
    for (const key of [enfA, enfC, regB, auditor]) {
      const r = await api('POST', `/cases/${id}/reject`, key, { reason: 'not ours' });
      expect(r.statusCode, r.body).to.equal(403);
    }
    expect(await height(), 'refusals write nothing').to.equal(before);
    const rejected = await api('POST', `/cases/${id}/reject`, enfB, { reason: 'outside our jurisdiction' });
    expect(rejected.json().result.status).to.equal('rejected');
    expect((await api('POST', `/cases/${id}/accept`, enfB, {})).statusCode).to.equal(409);

    const h = await height();
    for (const [key, body, status] of [
      [enfA, { ...lead, toCounty: LIANGDANG }, 422],
      [enfA, { ...lead, subjectId: corruptCreditCode(subject) }, 400],
      [enfA, { ...lead, evidenceRefs: [] }, 400],
      [enfA, { ...lead, toCounty: '' }, 400],
      [enfA, { ...lead, toCounty: 'HuixainMSP' }, 400],
      [enfA, { ...lead, subjectId: creditCode('621227', 41_999) }, 404],
      [regB, { ...lead, toCounty: LIANGDANG }, 403],
      [auditor, lead, 403],
    ] as Array<[string, unknown, number]>) {
      const r = await api('POST', '/cases', key, body);
      expect(r.statusCode, r.body).to.equal(status);
    }
    expect((await f.request('POST', '/api/v1/cases', undefined, lead)).statusCode).to.equal(401);
    expect((await api('POST', '/cases/bad id/accept', enfB, {})).statusCode).to.equal(400);
    expect(await height()).to.equal(h);
  });

  it('POST /cases/{id}/withdraw: the sender withdraws a lead until it is accepted; others are refused; bad input is 400', async () => {
    const id = (await api('POST', '/cases', enfA, lead)).json().result.id;
    const h = await height();
    for (const key of [enfB, enfC, regB, auditor]) {
      const r = await api('POST', `/cases/${id}/withdraw`, key, { reason: 'wrong county' });
      expect(r.statusCode, r.body).to.equal(403);
      expect(r.headers['content-type']).to.match(/application\/problem\+json/);
    }
    for (const body of [{}, { reason: '' }, { reason: 'x', caseId: id }, { reason: 'x', extra: 1 }]) {
      expect((await api('POST', `/cases/${id}/withdraw`, enfA, body)).statusCode, JSON.stringify(body)).to.equal(400);
    }
    expect((await api('POST', '/cases/no-such-case/withdraw', enfA, { reason: 'x' })).statusCode).to.equal(404);
    expect((await f.request('POST', `/api/v1/cases/${id}/withdraw`, undefined, { reason: 'x' })).statusCode).to.equal(401);
    expect(await height(), 'refusals write nothing').to.equal(h);
    const withdrawn = await api('POST', `/cases/${id}/withdraw`, enfA, { reason: 'sent to the wrong county' });
    expect(withdrawn.statusCode, withdrawn.body).to.equal(200);
    expect(withdrawn.json().result).to.include({ status: 'withdrawn' });
    expect(withdrawn.json().result.steps.at(-1)).to.include({ status: 'withdrawn', note: 'sent to the wrong county' });
    expect((await api('POST', `/cases/${id}/accept`, enfB, {})).statusCode).to.equal(409);
    const accepted = (await api('POST', '/cases', enfA, lead)).json().result.id;
    await api('POST', `/cases/${accepted}/accept`, enfB, {});
    expect((await api('POST', `/cases/${accepted}/withdraw`, enfA, { reason: 'too late' })).statusCode).to.equal(409);
  });
});
