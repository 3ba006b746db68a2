import { expect } from 'chai';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { HUIXIAN, LIANGDANG } from '../support/ledger-fixture';

describe('gateway /api/v1/members', () => {
  let f: AppFixture;
  let admin: string;
  let merchant: string;
  let huixianAdmin: string;

  before(async () => {
    f = await openAppFixture();
    admin = await f.keyFor(LIANGDANG, 'admin');
    merchant = await f.keyFor(LIANGDANG, 'alice');
    huixianAdmin = await f.keyFor(HUIXIAN, 'admin');
  });
  after(async () => f.close());

  it('GET /members/me tells the caller who it is', async () => {
    const res = await f.request('GET', '/api/v1/members/me', admin);
    expect(res.statusCode).to.equal(200);
    expect(res.json()).to.deep.equal({ mspId: LIANGDANG, member: 'admin', isCountyAdmin: true, roles: ['county-admin'] });
  });

  it('refuses requests without a valid API key (401 problem+json)', async () => {
    const none = await f.request('GET', '/api/v1/members/me');
    expect(none.statusCode).to.equal(401);
    expect(none.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(none.json()).to.include({ code: 'UNAUTHENTICATED', status: 401 });
    const forged = await f.request('GET', '/api/v1/members/me', `${admin.slice(0, -3)}abc`);
    expect(forged.statusCode).to.equal(401);
    const garbage = await f.request('GET', '/api/v1/members/me', 'not-a-key');
    expect(garbage.statusCode).to.equal(401);
  });

  it('a county admin grants a role, which shows on the member and in the history', async () => {
    const res = await f.request('POST', `/api/v1/members/${LIANGDANG}:alice/roles`, admin, { role: 'merchant', note: 'licensed 2026' });
    expect(res.statusCode).to.equal(201);
    const body = res.json();
    expect(body.txId).to.match(/^[0-9a-f]{64}$/);
    expect(body.blockNumber).to.be.a('number');
    expect(body.result).to.include({ member: 'alice', role: 'merchant', active: true, grantedBy: 'admin' });

    const me = await f.request('GET', '/api/v1/members/me', merchant);
    expect(me.json().roles).to.deep.equal(['merchant']);
    const member = await f.request('GET', `/api/v1/members/${LIANGDANG}:alice`, huixianAdmin);
    expect(member.statusCode).to.equal(200);
    expect(member.json().roles).to.deep.equal(['merchant']);
    const holders = await f.request('GET', `/api/v1/members?mspId=${LIANGDANG}&role=merchant`, merchant);
    expect(holders.json().items.map((g: { member: string }) => g.member)).to.deep.equal(['alice']);
  });

  it('a non-admin cannot grant (403) and a second grant of the same role conflicts (409)', async () => {
    const byMerchant = await f.request('POST', `/api/v1/members/${LIANGDANG}:bob/roles`, merchant, { role: 'verifier' });
    expect(byMerchant.statusCode).to.equal(403);
    expect(byMerchant.json().code).to.equal('FORBIDDEN');
    const again = await f.request('POST', `/api/v1/members/${LIANGDANG}:alice/roles`, admin, { role: 'merchant' });
    expect(again.statusCode).to.equal(409);
    expect(again.json().code).to.equal('CONFLICT');
  });

  it('an admin cannot grant or revoke roles in another county', async () => {
    const grant = await f.request('POST', `/api/v1/members/${LIANGDANG}:alice/roles`, huixianAdmin, { role: 'auditor' });
    expect(grant.statusCode).to.equal(403);
    const revoke = await f.request('DELETE', `/api/v1/members/${LIANGDANG}:alice/roles/merchant`, huixianAdmin);
    expect(revoke.statusCode).to.equal(403);
    const member = await f.request('GET', `/api/v1/members/${LIANGDANG}:alice`, admin);
    expect(member.json().roles).to.deep.equal(['merchant']);
  });

  it('rejects bad input with 400 INVALID_ARGUMENT before touching the ledger', async () => {
    const height = await f.ledger.ledger.height();
    const cases: Array<[string, string, unknown]> = [
      ['POST', `/api/v1/members/${LIANGDANG}:alice/roles`, { role: 'emperor' }],
      ['POST', `/api/v1/members/${LIANGDANG}:alice/roles`, { role: 'merchant', extra: 1 }],
      ['POST', `/api/v1/members/${LIANGDANG}:alice/roles`, {}],
      ['POST', '/api/v1/members/no-colon/roles', { role: 'merchant' }],
      ['POST', `/api/v1/members/${LIANGDANG}:bad%20name/roles`, { role: 'merchant' }],
      ['GET', `/api/v1/members?mspId=${LIANGDANG}&role=merchant&limit=0`, undefined],
      ['GET', `/api/v1/members?mspId=${LIANGDANG}&role=merchant&cursor=***`, undefined],
    ];
    for (const [method, url, body] of cases) {
      const res = await f.request(method as 'GET', url, admin, body);
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)}`).to.equal(400);
      expect(res.json().code).to.equal('INVALID_ARGUMENT');
    }
    const malformed = await f.request('POST', `/api/v1/members/${LIANGDANG}:alice/roles`, admin, '{"role":', { 'content-type': 'application/json' });
    expect(malformed.statusCode).to.equal(400);
    expect(await f.ledger.ledger.height()).to.equal(height);
  });

  it('revokes a role; revoking again is NOT_FOUND; history lists both changes in order', async () => {
    await f.request('POST', `/api/v1/members/${LIANGDANG}:carol/roles`, admin, { role: 'verifier' });
    const revoke = await f.request('DELETE', `/api/v1/members/${LIANGDANG}:carol/roles/verifier`, admin);
    expect(revoke.statusCode).to.equal(200);
    expect(revoke.json().result).to.include({ active: false, revokedBy: 'admin' });
    const again = await f.request('DELETE', `/api/v1/members/${LIANGDANG}:carol/roles/verifier`, admin);
    expect(again.statusCode).to.equal(404);
    const history = await f.request('GET', `/api/v1/members/${LIANGDANG}:carol/roles/history?limit=1`, merchant);
    expect(history.statusCode).to.equal(200);
    const first = history.json();
    expect(first.items).to.have.length(1);
    expect(first.items[0].action).to.equal('granted');
    expect(first.nextCursor).to.be.a('string');
    const second = await f.request('GET', `/api/v1/members/${LIANGDANG}:carol/roles/history?limit=1&cursor=${first.nextCursor}`, merchant);
    expect(second.json().items[0].action).to.equal('revoked');
  });

  it('onboards a new member with an API key, for county admins only', async () => {
    const res = await f.request('POST', '/api/v1/members', admin, { member: 'dave' });
    expect(res.statusCode).to.equal(201);
    const { apiKey, id } = res.json();
    expect(id).to.equal(`${LIANGDANG}:dave`);
    const me = await f.request('GET', '/api/v1/members/me', apiKey);
    expect(me.json()).to.include({ member: 'dave', mspId: LIANGDANG, isCountyAdmin: false });
    const dup = await f.request('POST', '/api/v1/members', admin, { member: 'dave' });
    expect(dup.statusCode).to.equal(409);
    const byMerchant = await f.request('POST', '/api/v1/members', merchant, { member: 'eve' });
    expect(byMerchant.statusCode).to.equal(403);
  });
});
