import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { registerCountiesOn } from '../support/credit-world';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { creditCode, World } from '../support/market-world';
import { multipartBody } from '../support/multipart';

const CHINESE: Record<string, string> = { [LIANGDANG]: '两当县', [HUIXIAN]: '徽县', [FENGXIAN]: '凤县' };
const BURST = 6;

describe('gateway GET /api/v1/public/evidence/{sha256} (存证核验, no key)', () => {
  let f: AppFixture;
  const statement = Buffer.from('Witness statement of the Huixian honey case, page 1.\n');
  const sha = createHash('sha256').update(statement).digest('hex');
  let record: { txId: string; anchoredAt: string; sm3: string };
  let subjectId: string;
  let ip = 0;
  /** Each test asks from its own client address, so the per-IP budget is the rate-limit test's alone. */
  const lookup = (digest: string, address: string, key?: string) =>
    f.app.inject({ method: 'GET', url: `/api/v1/public/evidence/${digest}`, remoteAddress: address, headers: key ? { authorization: `Bearer ${key}` } : {} });
  const nextAddress = () => `127.0.0.${++ip + 10}`;

  before(async () => {
    f = await openAppFixture({ settings: { publicBaseUrl: 'https://verify.example/', publicRateLimit: { burst: BURST, perSecond: 0.01 } } });
    await f.grant(HUIXIAN, 'enf-b', 'enforcement');
    await f.grant(HUIXIAN, 'reg-b', 'regulator');
    await registerCountiesOn(f);
    subjectId = creditCode('621227', 81_001);
    await World.over(f.ledger).submit(await f.ledger.identity(HUIXIAN, 'reg-b'), tx.subjects.registerEnterprise, { creditCode: subjectId });
    const body = multipartBody(
      { content: statement, contentType: 'text/plain', name: 'statement.txt' },
      { refs: JSON.stringify({ subjectIds: [subjectId] }), description: 'witness statement of Wang' },
    );
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      payload: body.payload,
      headers: { ...body.headers, authorization: `Bearer ${await f.keyFor(HUIXIAN, 'enf-b')}` },
    });
    expect(res.statusCode, res.body).to.equal(201);
    record = res.json().result;
  });
  after(async () => f?.close());

  it('tells anyone without a key that the digest is anchored: block, transaction, time in ISO and CST, the endorsing counties; exactly these keys', async () => {
    const res = await lookup(sha, nextAddress());
    expect(res.statusCode, res.body).to.equal(200);
    expect(res.headers['content-type']).to.match(/^application\/json/);
    const body = res.json();
    expect(Object.keys(body).sort()).to.deep.equal(
      [
        'anchored',
        'anchoredAt',
        'anchoredAtCst',
        'blockNumber',
        'endorsingCounties',
        'sha256',
        'sizeBytes',
        'sm3',
        'txId',
        'validationCode',
        'verificationUrl',
      ].sort(),
    );
    const transaction = await f.ledger.ledger.getTransaction(record.txId);
    const cst = `${new Date(record.anchoredAt).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false })} CST`;
    expect(body).to.deep.include({
      anchored: true,
      sha256: sha,
      sm3: record.sm3,
      sizeBytes: statement.length,
      txId: record.txId,
      blockNumber: transaction?.blockNumber,
      validationCode: 'VALID',
      anchoredAt: record.anchoredAt,
      anchoredAtCst: cst,
      verificationUrl: `https://verify.example/#/verify/${sha}`,
    });
    const endorsers = transaction?.endorsingOrganisations ?? [];
    expect(endorsers.length).to.be.at.least(1);
    expect(body.endorsingCounties.map((c: { mspId: string }) => c.mspId)).to.deep.equal([...endorsers]);
    for (const county of body.endorsingCounties) {
      expect(Object.keys(county).sort()).to.deep.equal(['chineseName', 'mspId', 'name']);
      expect(county.chineseName).to.equal(CHINESE[county.mspId]);
    }
    // Nothing of the record that is need to know: refs, media type, description, the submitter.
    for (const secret of [subjectId, 'text/plain', 'witness statement', 'enf-b', 'submitter', 'refs']) expect(res.body, secret).to.not.include(secret);
  });

  it('answers the same with a key: the route is public, the answer does not grow for a member', async () => {
    const anonymous = (await lookup(sha, nextAddress())).json();
    const member = await lookup(sha, nextAddress(), await f.keyFor(HUIXIAN, 'enf-b'));
    expect(member.statusCode).to.equal(200);
    expect(member.json()).to.deep.equal(anonymous);
  });

  it('answers 404 NOT_FOUND problem+json for a digest not anchored, and 400 for one that is not a SHA-256 hex digest, writing nothing', async () => {
    const height = await f.ledger.ledger.height();
    const address = nextAddress();
    const missing = await lookup(createHash('sha256').update('never anchored').digest('hex'), address);
    expect(missing.statusCode).to.equal(404);
    expect(missing.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(missing.json().code).to.equal('NOT_FOUND');
    for (const bad of ['abc', sha.toUpperCase(), `${sha}00`, 'g'.repeat(64)]) {
      const res = await lookup(bad, address);
      expect(res.statusCode, bad).to.equal(400);
      expect(res.json().code, bad).to.equal('INVALID_ARGUMENT');
    }
    expect(await f.ledger.ledger.height()).to.equal(height);
  });

  it(`is rate limited per client with the other /public routes: 429 RATE_LIMITED after ${BURST} requests`, async () => {
    const address = nextAddress();
    const codes: number[] = [];
    for (let i = 0; i < BURST; i++) codes.push((await lookup(sha, address)).statusCode);
    expect(codes).to.deep.equal(Array(BURST).fill(200));
    const refused = await lookup(sha, address);
    expect(refused.statusCode).to.equal(429);
    expect(refused.json().code).to.equal('RATE_LIMITED');
    expect(refused.headers['retry-after']).to.be.a('string');
    // One budget for every /public route, and per client: another route is refused too, another client is not.
    expect((await f.app.inject({ method: 'GET', url: '/api/v1/public/trades', remoteAddress: address })).statusCode).to.equal(429);
    expect((await lookup(sha, nextAddress())).statusCode).to.equal(200);
  });

  it('without PUBLIC_BASE_URL links to the address the gateway listens on (PORT=0 takes any free port)', async () => {
    const g = await openAppFixture();
    try {
      await g.grant(HUIXIAN, 'enf-b', 'enforcement');
      const body = multipartBody({ content: statement, contentType: 'text/plain', name: 'statement.txt' });
      const up = await g.app.inject({
        method: 'POST',
        url: '/api/v1/evidence',
        payload: body.payload,
        headers: { ...body.headers, authorization: `Bearer ${await g.keyFor(HUIXIAN, 'enf-b')}` },
      });
      expect(up.statusCode, up.body).to.equal(201);
      const before = (await g.app.inject({ method: 'GET', url: `/api/v1/public/evidence/${sha}` })).json();
      expect(before.verificationUrl, 'not listening: the configured default').to.equal(`http://127.0.0.1:3000/#/verify/${sha}`);
      await g.app.listen({ host: '127.0.0.1', port: 0 });
      const port = (g.app.server.address() as { port: number }).port;
      const after = (await g.app.inject({ method: 'GET', url: `/api/v1/public/evidence/${sha}` })).json();
      expect(after.verificationUrl).to.equal(`http://127.0.0.1:${port}/#/verify/${sha}`);
    } finally {
      await g.close();
    }
  });

  it('is documented in OpenAPI without security, with its 200, 404 and 429 answers', async () => {
    const doc = (await f.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = doc.paths['/api/v1/public/evidence/{sha256}'].get;
    expect(op.security).to.deep.equal([]);
    expect(Object.keys(op.responses)).to.include.members(['200', '400', '404', '429']);
    expect(Object.keys(op.responses['200'].content['application/json'].schema.properties)).to.not.include.members(['refs', 'submitter', 'mediaType']);
  });
});
