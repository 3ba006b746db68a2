import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { DEFAULT_PARAMETERS } from '../../chaincode/src/parameters/parameters';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { ledgerSubmit } from '../support/credit-world';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { DIVISION } from '../support/market-world';

/** /api/v1/parameters: shared rules changed only by a majority of the registered counties' regulators. */
describe('gateway /api/v1/parameters: proposals, approvals, withdrawal, current values and history', () => {
  let f: AppFixture;
  const k: Record<string, string> = {};

  const call = (who: string | undefined, method: 'GET' | 'POST', url: string, body?: unknown) =>
    f.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: who ? { authorization: `Bearer ${k[who]}` } : {},
      ...(body !== undefined ? { payload: body as never } : {}),
    });
  const created = (res: { statusCode: number; body: string; json(): any }) => {
    expect(res.statusCode, res.body).to.equal(201);
    return res.json().result;
  };
  /** A request refused with `status`/`code` as problem+json, with no block written. */
  const refused = async (
    send: () => Promise<{ statusCode: number; body: string; headers: Record<string, unknown>; json(): any }>,
    status: number,
    code: string,
  ) => {
    const height = await f.ledger.ledger.height();
    const res = await send();
    expect(res.statusCode, res.body).to.equal(status);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.json().code).to.equal(code);
    expect(await f.ledger.ledger.height(), 'ledger height after a refusal').to.equal(height);
    return res.json();
  };

  before(async () => {
    f = await openAppFixture();
    for (const [msp, name] of [
      [LIANGDANG, 'ld'],
      [HUIXIAN, 'hx'],
      [FENGXIAN, 'fx'],
    ] as const) {
      await ledgerSubmit(f, msp, 'admin', tx.counties.register, { name: msp, division: DIVISION[msp] });
      await f.grant(msp, 'reg', 'regulator');
      k[`${name}Reg`] = await f.keyFor(msp, 'reg');
    }
    await f.grant(LIANGDANG, 'shop', 'merchant');
    k.shop = await f.keyFor(LIANGDANG, 'shop');
    await f.grant(HUIXIAN, 'aud', 'auditor');
    k.auditor = await f.keyFor(HUIXIAN, 'aud');
  });
  after(async () => f.close());

  it('every route needs an API key (401)', async () => {
    for (const [method, url] of [
      ['GET', '/parameters'],
      ['POST', '/parameters/proposals'],
      ['GET', '/parameters/proposals'],
      ['GET', '/parameters/proposals/pp-1'],
      ['POST', '/parameters/proposals/pp-1/approvals'],
      ['POST', '/parameters/proposals/pp-1/withdrawal'],
    ] as const) {
      expect((await call(undefined, method, url, method === 'POST' ? {} : undefined)).statusCode, `${method} ${url}`).to.equal(401);
    }
  });

  it('GET /parameters: the defaults (version 0) and an empty history, for any member with a role', async () => {
    const res = await call('auditor', 'GET', '/parameters');
    expect(res.statusCode, res.body).to.equal(200);
    expect(res.json()).to.deep.equal({ current: { version: 0, values: DEFAULT_PARAMETERS, defaults: DEFAULT_PARAMETERS }, history: { items: [] } });
    await refused(() => call('auditor', 'GET', '/parameters?limit=0'), 400, 'INVALID_ARGUMENT');
  });

  it('only regulators propose, approve and withdraw; bad input is 400 before the ledger', async () => {
    const change = { changes: { pairTradeLimit: 4 }, note: '更严的对敲规则' };
    expect((await refused(() => call('shop', 'POST', '/parameters/proposals', change), 403, 'FORBIDDEN')).detail).to.equal('this needs the regulator role');
    await refused(() => call('auditor', 'POST', '/parameters/proposals', change), 403, 'FORBIDDEN');
    for (const body of [
      {},
      { changes: {}, note: 'x' },
      { changes: { pairTradeLimit: 0 }, note: 'x' },
      { changes: { pairTradeLimit: 4 } },
      { ...change, extra: 1 },
    ]) {
      await refused(() => call('ldReg', 'POST', '/parameters/proposals', body), 400, 'INVALID_ARGUMENT');
    }
    await refused(() => call('ldReg', 'POST', '/parameters/proposals', { changes: { indexMinSamples: 50 }, note: 'x' }), 422, 'RULE_VIOLATION');
    const p = created(await call('ldReg', 'POST', '/parameters/proposals', change));
    await refused(() => call('shop', 'POST', `/parameters/proposals/${p.id}/approvals`), 403, 'FORBIDDEN');
    await refused(() => call('shop', 'POST', `/parameters/proposals/${p.id}/withdrawal`), 403, 'FORBIDDEN');
    await refused(() => call('hxReg', 'POST', `/parameters/proposals/${p.id}/withdrawal`, {}), 403, 'FORBIDDEN');
    await refused(() => call('hxReg', 'POST', `/parameters/proposals/${p.id}/approvals`, { extra: 1 }), 400, 'INVALID_ARGUMENT');
    await refused(() => call('ldReg', 'POST', `/parameters/proposals/${p.id}/withdrawal`, { note: '' }), 400, 'INVALID_ARGUMENT');
    await refused(() => call('hxReg', 'POST', '/parameters/proposals/pp-none/approvals'), 404, 'NOT_FOUND');
    const withdrawn = created(await call('ldReg', 'POST', `/parameters/proposals/${p.id}/withdrawal`, { note: 'wrong value' }));
    expect(withdrawn).to.include({ state: 'withdrawn', withdrawNote: 'wrong value' });
    await refused(() => call('hxReg', 'POST', `/parameters/proposals/${p.id}/approvals`), 409, 'CONFLICT');
  });

  it("one county's proposal leaves the values as they are; another county's approval adopts it; current, history and proposals are readable", async () => {
    const p = created(
      await call('ldReg', 'POST', '/parameters/proposals', { changes: { verificationDays: 10, maxPublicationMonths: { minor: 18 } }, note: '延长' }),
    );
    expect(p).to.include({ state: 'open', approvalsNeeded: 2, registeredCounties: 3 });
    expect((await call('fxReg', 'GET', '/parameters')).json().current).to.include({ version: 0 });
    await refused(() => call('ldReg', 'POST', `/parameters/proposals/${p.id}/approvals`), 409, 'CONFLICT');
    const open = await call('auditor', 'GET', '/parameters/proposals');
    expect(open.json().items.map((x: { id: string }) => x.id)).to.deep.equal([p.id]);

    const adopted = created(await call('hxReg', 'POST', `/parameters/proposals/${p.id}/approvals`));
    expect(adopted).to.include({ state: 'adopted', version: 1 });
    const now = (await call('fxReg', 'GET', '/parameters')).json();
    expect(now.current).to.include({ version: 1, proposalId: p.id });
    expect(now.current.values).to.deep.include({ verificationDays: 10, maxPublicationMonths: { minor: 18, serious: 36, grave: 60 } });
    expect(now.history.items.map((c: { version: number }) => c.version)).to.deep.equal([1]);
    expect((await call('auditor', 'GET', `/parameters/proposals/${p.id}`)).json()).to.include({ state: 'adopted', adoptTxId: now.current.adoptTxId });
    expect((await call('auditor', 'GET', '/parameters/proposals?status=adopted')).json().items.map((x: { id: string }) => x.id)).to.deep.equal([p.id]);
    await refused(() => call('auditor', 'GET', '/parameters/proposals?status=pending'), 400, 'INVALID_ARGUMENT');

    // history, a page at a time
    const q = created(await call('fxReg', 'POST', '/parameters/proposals', { changes: { paymentDays: 4 }, note: 'x' }));
    created(await call('ldReg', 'POST', `/parameters/proposals/${q.id}/approvals`));
    const first = (await call('auditor', 'GET', '/parameters?limit=1')).json();
    expect(first.current.version).to.equal(2);
    expect(first.history.items.map((c: { version: number }) => c.version)).to.deep.equal([1]);
    const second = (await call('auditor', 'GET', `/parameters?limit=1&cursor=${first.history.nextCursor}`)).json();
    expect(second.history.items.map((c: { version: number; proposalId: string }) => [c.version, c.proposalId])).to.deep.equal([[2, q.id]]);
  });

  it('the old network-wide switch is gone: /risk-config is 404', async () => {
    expect((await call('ldReg', 'GET', '/risk-config')).statusCode).to.equal(404);
    expect(
      (await f.app.inject({ method: 'PUT', url: '/api/v1/risk-config', headers: { authorization: `Bearer ${k.ldReg}` }, payload: {} })).statusCode,
    ).to.equal(404);
  });
});
