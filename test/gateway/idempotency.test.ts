import { expect } from 'chai';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { LIANGDANG } from '../support/ledger-fixture';

describe('gateway Idempotency-Key', () => {
  let f: AppFixture;
  let admin: string;
  before(async () => {
    f = await openAppFixture();
    admin = await f.keyFor(LIANGDANG, 'admin');
  });
  after(async () => f.close());

  it('a retried POST returns the first answer and submits nothing twice', async () => {
    const url = `/api/v1/members/${LIANGDANG}:idem1/roles`;
    const first = await f.request('POST', url, admin, { role: 'merchant' }, { 'idempotency-key': 'grant-idem1' });
    expect(first.statusCode).to.equal(201);
    const height = await f.ledger.ledger.height();
    const retry = await f.request('POST', url, admin, { role: 'merchant' }, { 'idempotency-key': 'grant-idem1' });
    expect(retry.statusCode).to.equal(201);
    expect(retry.headers['idempotent-replayed']).to.equal('true');
    expect(retry.json().txId).to.equal(first.json().txId);
    expect(await f.ledger.ledger.height()).to.equal(height);
  });

  it('concurrent retries with one key submit once', async () => {
    const url = `/api/v1/members/${LIANGDANG}:idem2/roles`;
    const height = await f.ledger.ledger.height();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => f.request('POST', url, admin, { role: 'verifier' }, { 'idempotency-key': 'grant-idem2' })),
    );
    expect(answers.map((a) => a.statusCode)).to.deep.equal([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.json().txId)).size).to.equal(1);
    expect(await f.ledger.ledger.height()).to.equal(height + 1);
  });

  it('refuses the same key with a different body, and a malformed key', async () => {
    const url = `/api/v1/members/${LIANGDANG}:idem3/roles`;
    await f.request('POST', url, admin, { role: 'merchant' }, { 'idempotency-key': 'grant-idem3' });
    const other = await f.request('POST', url, admin, { role: 'auditor' }, { 'idempotency-key': 'grant-idem3' });
    expect(other.statusCode).to.equal(422);
    expect(other.json().code).to.equal('IDEMPOTENCY_KEY_REUSED');
    const bad = await f.request('POST', url, admin, { role: 'auditor' }, { 'idempotency-key': 'has spaces!' });
    expect(bad.statusCode).to.equal(400);
  });

  it('replays refusals too, so a retry never turns a refusal into a double submit', async () => {
    const url = `/api/v1/members/${LIANGDANG}:idem3/roles`;
    const first = await f.request('POST', url, admin, { role: 'merchant' }, { 'idempotency-key': 'grant-idem3-again' });
    expect(first.statusCode).to.equal(409);
    const retry = await f.request('POST', url, admin, { role: 'merchant' }, { 'idempotency-key': 'grant-idem3-again' });
    expect(retry.statusCode).to.equal(409);
    expect(retry.headers['idempotent-replayed']).to.equal('true');
  });
});
