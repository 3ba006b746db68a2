import { X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import { createCountyCa, issueIdentity } from '../../gateway-api/src/identity/county-ca';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { HUIXIAN, LIANGDANG } from '../support/ledger-fixture';

const DAY_MS = 24 * 3600 * 1000;
const URL = (id: string) => `/api/v1/members/${id}/certificate/revocation`;

describe('gateway POST /members/{id}/certificate/revocation', () => {
  let f: AppFixture;
  let admin: string;
  let huixianAdmin: string;
  const pemOf = (mspId: string, member: string) => f.ledger.wallet.ledgerIdentity(mspId, member).certificate;
  const height = () => f.ledger.ledger.height();

  beforeEach(async () => {
    f = await openAppFixture();
    admin = await f.keyFor(LIANGDANG, 'admin');
    huixianAdmin = await f.keyFor(HUIXIAN, 'admin');
  });
  afterEach(async () => f.close());

  it('a county admin revokes a member certificate (201); the member is refused from then on (403)', async () => {
    const alice = await f.keyFor(LIANGDANG, 'alice');
    expect((await f.request('GET', '/api/v1/members/me', alice)).statusCode).to.equal(200);
    const res = await f.request('POST', URL(`${LIANGDANG}:alice`), admin, { certificate: pemOf(LIANGDANG, 'alice'), reason: 'laptop stolen' });
    expect(res.statusCode, res.body).to.equal(201);
    const body = res.json();
    expect(body.result).to.include({
      mspId: LIANGDANG,
      member: 'alice',
      sha256: new X509Certificate(pemOf(LIANGDANG, 'alice')).fingerprint256.replace(/:/g, '').toLowerCase(),
      reason: 'laptop stolen',
      revokedBy: 'admin',
      offboarding: false,
      txId: body.txId,
    });
    const refused = await f.request('GET', '/api/v1/members/me', alice);
    expect(refused.statusCode).to.equal(403);
    expect(refused.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(refused.json().code).to.equal('FORBIDDEN');
    expect(refused.json().detail).to.match(/was revoked by LiangdangMSP/);
  });

  it('an admin revokes another admin of the same county', async () => {
    const admin2 = await f.keyFor(LIANGDANG, 'admin2');
    const res = await f.request('POST', URL(`${LIANGDANG}:admin2`), admin, { certificate: pemOf(LIANGDANG, 'admin2'), reason: 'left office' });
    expect(res.statusCode, res.body).to.equal(201);
    expect((await f.request('GET', '/api/v1/members/me', admin2)).statusCode).to.equal(403);
    expect((await f.request('GET', '/api/v1/members/me', admin)).statusCode).to.equal(200);
  });

  it("refuses another county's admin (403) and a member who is no admin (403); nothing is written", async () => {
    const bob = await f.keyFor(LIANGDANG, 'bob');
    await f.ledger.identity(LIANGDANG, 'alice');
    const before = await height();
    const body = { certificate: pemOf(LIANGDANG, 'alice'), reason: 'x' };
    // Refused by the gateway (path names another county) ...
    const other = await f.request('POST', URL(`${LIANGDANG}:alice`), huixianAdmin, body);
    expect(other.statusCode).to.equal(403);
    expect(other.json().code).to.equal('FORBIDDEN');
    // ... and by the chaincode (the certificate is another county's).
    const asHuixian = await f.request('POST', URL(`${HUIXIAN}:alice`), huixianAdmin, body);
    expect(asHuixian.statusCode).to.equal(403);
    expect(asHuixian.json().detail).to.match(/not issued by the CA of HuixianMSP/);
    const notAdmin = await f.request('POST', URL(`${LIANGDANG}:alice`), bob, body);
    expect(notAdmin.statusCode).to.equal(403);
    expect(notAdmin.json().detail).to.match(/not a county admin|holds no role/);
    expect(await height()).to.equal(before);
  });

  it('refuses bad input (400 INVALID_ARGUMENT); nothing is written', async () => {
    await f.ledger.identity(LIANGDANG, 'alice');
    await f.ledger.identity(LIANGDANG, 'bob');
    const before = await height();
    const bodies: unknown[] = [
      { certificate: pemOf(LIANGDANG, 'alice') },
      { certificate: 'not a certificate', reason: 'x' },
      { certificate: pemOf(LIANGDANG, 'alice'), reason: 'x', member: 'bob' },
      { certificate: pemOf(LIANGDANG, 'bob'), reason: 'x' }, // bob's certificate, named as alice's
      { certificate: pemOf(LIANGDANG, 'alice'), reason: '' },
    ];
    for (const body of bodies) {
      const res = await f.request('POST', URL(`${LIANGDANG}:alice`), admin, body);
      expect(res.statusCode, JSON.stringify(body)).to.equal(400);
      expect(res.json().code).to.equal('INVALID_ARGUMENT');
    }
    expect((await f.request('POST', URL('alice'), admin, { certificate: pemOf(LIANGDANG, 'alice'), reason: 'x' })).statusCode).to.equal(400);
    expect(await height()).to.equal(before);
  });

  it('issues member certificates valid one year, CA certificates ten', async () => {
    const ca = await createCountyCa('TestMSP', 'Test');
    const span = (pem: string) => {
      const c = new X509Certificate(pem);
      return (Date.parse(c.validTo) - Date.parse(c.validFrom)) / DAY_MS;
    };
    expect(span((await issueIdentity(ca, 'm', 'client')).certificate)).to.be.within(365, 366);
    expect(span((await issueIdentity(ca, 'a', 'admin')).certificate)).to.be.within(365, 366);
    expect(span(ca.certificate)).to.be.within(3650, 3651);
  });
});
