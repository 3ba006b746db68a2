import { TransactionDefinition } from '../../chaincode/src/kernel/transaction';
import { tx } from '../../chaincode/src/catalogue';
import { expect } from 'chai';
import Fastify from 'fastify';
import { registerPublicRateLimit } from '../../gateway-api/src/plugins/rate-limit';
import { registerErrorHandler } from '../../gateway-api/src/plugins/error-handler';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { blacklistSubject, ledgerSubmit, registerCountiesOn } from '../support/credit-world';
import { HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { creditCode, World } from '../support/market-world';

describe('gateway /api/v1/public/blacklist (信用公示)', () => {
  let f: AppFixture;
  const enterprise = creditCode('621228', 51_001);
  const individual = `ind-${'c'.repeat(64)}`;

  before(async () => {
    f = await openAppFixture();
    await f.grant(LIANGDANG, 'enf-a', 'enforcement');
    await f.grant(LIANGDANG, 'reg-a', 'regulator');
    await registerCountiesOn(f);
    await ledgerSubmit(f, LIANGDANG, 'reg-a', tx.subjects.registerEnterprise, { creditCode: enterprise, name: 'Liangdang Sand Co.' });
    // Entries name registered subjects: the individual too (its personal data as transient data).
    await f.ledger.ledger.submit(await f.ledger.identity(LIANGDANG, 'reg-a'), {
      name: tx.subjects.registerIndividual.qualifiedName,
      args: [JSON.stringify({ idHash: individual.slice(4) })],
      transient: { idNumber: Buffer.from('62122819900101123X'), name: Buffer.from('王五') },
    });
    const w = {
      submit: (who: unknown, definition: TransactionDefinition, input: unknown) => ledgerSubmit(f, LIANGDANG, who as string, definition, input),
    } as unknown as World;
    await blacklistSubject(w, 'enf-a' as never, enterprise, { measures: ['trading', 'fund'] });
    await blacklistSubject(w, 'enf-a' as never, individual);
  });
  after(async () => f.close());

  it('lists active enterprise entries without a key and without personal data', async () => {
    const res = await f.request('GET', '/api/v1/public/blacklist');
    expect(res.statusCode, res.body).to.equal(200);
    const items = res.json().items;
    expect(items.map((i: any) => i.creditCode)).to.deep.equal([enterprise]);
    expect(items[0]).to.include({ subjectName: 'Liangdang Sand Co.', issuingCounty: LIANGDANG, underObjection: false });
    expect(items[0]).to.not.have.any.keys('decisionEvidenceRefs', 'issuedBy', 'basisEventIds', 'subjectId', 'objection');
    expect(JSON.stringify(res.json())).to.not.include('enf-a');
    expect((await f.request('GET', `/api/v1/public/blacklist?county=${HUIXIAN}`)).json().items).to.deep.equal([]);
    expect((await f.request('GET', '/api/v1/public/blacklist?measure=fund')).json().items).to.have.length(1);
    expect((await f.request('GET', '/api/v1/public/blacklist?measure=licensing')).json().items).to.have.length(0);
    const bad = await f.request('GET', '/api/v1/public/blacklist?measure=anything');
    expect(bad.statusCode).to.equal(400);
    const doc = (await f.request('GET', '/openapi.json')).json();
    for (const p of [
      '/api/v1/public/blacklist',
      '/api/v1/blacklist',
      '/api/v1/blacklist/check',
      '/api/v1/blacklist/check/{code}',
      '/api/v1/blacklist/{id}/repair',
      '/api/v1/blacklist/{id}/objection/resolution',
      '/api/v1/cases/{id}/close',
      '/api/v1/credit-events',
      '/api/v1/subjects/{code}/credit',
      '/api/v1/audit/blacklist-queries/verify',
    ]) {
      expect(doc.paths, p).to.have.property(p);
    }
  });

  it('is rate limited per client, one budget for every /public route: 429 RATE_LIMITED problem+json with Retry-After', async () => {
    let last = await f.request('GET', '/api/v1/public/blacklist?limit=1');
    for (let i = 0; i < 40 && last.statusCode !== 429; i++) last = await f.request('GET', '/api/v1/public/blacklist?limit=1');
    expect(last.statusCode).to.equal(429);
    expect(last.headers['content-type']).to.match(/application\/problem\+json/);
    expect(last.json()).to.include({ code: 'RATE_LIMITED', status: 429, instance: '/api/v1/public/blacklist?limit=1' });
    // The default budget is 30 requests per 30-second window.
    expect(Number(last.headers['retry-after'])).to.be.within(1, 30);
    for (const other of ['/api/v1/public/fund', '/api/v1/public/trades']) {
      const res = await f.request('GET', other);
      expect(res.statusCode, other).to.equal(429);
      expect(res.json().code, other).to.equal('RATE_LIMITED');
    }
    // Routes outside /public are not limited.
    expect((await f.request('GET', '/health')).statusCode).to.equal(200);
  });

  it('the shared budget is per client and renews when its window ends', async () => {
    const realNow = Date.now;
    let now = 1_000_000;
    Date.now = () => now;
    const app = Fastify();
    try {
      registerErrorHandler(app);
      await registerPublicRateLimit(app, '/public/', { burst: 2, perSecond: 1 });
      for (const url of ['/public/a', '/public/b', '/private']) app.get(url, async () => ({ ok: true }));
      const hit = (url: string, ip = '10.0.0.1') => app.inject({ method: 'GET', url, remoteAddress: ip });
      expect((await hit('/public/a')).statusCode).to.equal(200);
      expect((await hit('/public/b')).statusCode).to.equal(200);
      const refused = await hit('/public/a');
      expect(refused.statusCode).to.equal(429);
      expect(refused.json().code).to.equal('RATE_LIMITED');
      expect(refused.headers['retry-after']).to.equal('2');
      expect((await hit('/public/b')).statusCode).to.equal(429);
      expect((await hit('/public/a', '10.0.0.2')).statusCode).to.equal(200);
      for (let i = 0; i < 3; i++) expect((await hit('/private')).statusCode).to.equal(200);
      now += 1000;
      expect((await hit('/public/a')).statusCode, 'still inside the window').to.equal(429);
      now += 1000;
      expect((await hit('/public/a')).statusCode).to.equal(200);
      expect((await hit('/public/b')).statusCode).to.equal(200);
      expect((await hit('/public/b')).statusCode).to.equal(429);
    } finally {
      Date.now = realNow;
      await app.close();
    }
  });

  it('refuses limits that make no budget', async () => {
    for (const bad of [
      { burst: 0, perSecond: 1 },
      { burst: 1.5, perSecond: 1 },
      { burst: 5, perSecond: 0 },
    ]) {
      let error: unknown;
      await registerPublicRateLimit(Fastify(), '/public/', bad).catch((err: unknown) => (error = err));
      expect(String(error), JSON.stringify(bad)).to.match(/rate limit needs/);
    }
  });
});
