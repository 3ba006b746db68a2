import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { registerCountiesOn } from '../support/credit-world';
import { creditCode, World } from '../support/market-world';
import { multipartBody } from '../support/multipart';

// Need to know for evidence files (DESIGN.md "Trust between counties"): a case witness statement is read by the
// case's two counties and auditors, not by a member without a role nor by another county's merchant.
describe('gateway /api/v1/evidence: need to know', () => {
  let f: AppFixture;
  let key: Record<string, string>;
  const statement = Buffer.from('Witness statement: the honey in lot 7 was mixed with syrup.\n');
  const sha = createHash('sha256').update(statement).digest('hex');

  const upload = (k: string, content: Buffer, fields: Record<string, string> = {}, url = '/api/v1/evidence') => {
    const body = multipartBody({ content, contentType: 'text/plain', name: 'statement.txt' }, fields);
    return f.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${k}` } });
  };

  before(async () => {
    f = await openAppFixture();
    await f.grant(HUIXIAN, 'enf-b', 'enforcement');
    await f.grant(FENGXIAN, 'enf-c', 'enforcement');
    await f.grant(LIANGDANG, 'aud-a', 'auditor');
    await f.grant(LIANGDANG, 'm-a', 'merchant');
    await f.grant(LIANGDANG, 'enf-a', 'enforcement');
    key = {};
    for (const [mspId, member] of [
      [HUIXIAN, 'enf-b'],
      [FENGXIAN, 'enf-c'],
      [LIANGDANG, 'aud-a'],
      [LIANGDANG, 'm-a'],
      [LIANGDANG, 'enf-a'],
      [HUIXIAN, 'no-role'],
    ] as const)
      key[member] = await f.keyFor(mspId, member);
    const w = World.over(f.ledger);
    // A lead names a registered subject and goes to a registered county.
    await registerCountiesOn(f);
    await f.grant(HUIXIAN, 'reg-b', 'regulator');
    const subjectId = creditCode('621227', 61_001);
    await w.submit(await f.ledger.identity(HUIXIAN, 'reg-b'), tx.subjects.registerEnterprise, { creditCode: subjectId });
    const lead = await w.submit(await f.ledger.identity(HUIXIAN, 'enf-b'), tx.cases.transferCase, {
      toCounty: FENGXIAN,
      subjectId,
      summary: 'syrup in honey',
      evidenceRefs: ['doc:lead-1'],
    });
    const res = await upload(key['enf-b'] as string, statement, { refs: JSON.stringify({ caseIds: [lead.id] }), description: 'witness statement' });
    expect(res.statusCode, res.body).to.equal(201);
  });
  after(async () => f.close());

  it('the submitter, the other county of the case and an auditor read the record and download the file', async () => {
    for (const name of ['enf-b', 'enf-c', 'aud-a']) {
      const record = await f.request('GET', `/api/v1/evidence/${sha}`, key[name]);
      expect(record.statusCode, `${name}: ${record.body}`).to.equal(200);
      const download = await f.request('GET', `/api/v1/evidence/${sha}/content`, key[name]);
      expect(download.statusCode, name).to.equal(200);
      expect(download.rawPayload.equals(statement), name).to.equal(true);
    }
  });

  it('a member without a role, another county’s merchant and its enforcement get 403 for the record and the file, and no bytes', async () => {
    for (const name of ['no-role', 'm-a', 'enf-a']) {
      const record = await f.request('GET', `/api/v1/evidence/${sha}`, key[name]);
      expect(record.statusCode, name).to.equal(403);
      expect(record.json().code).to.equal('FORBIDDEN');
      const download = await f.request('GET', `/api/v1/evidence/${sha}/content`, key[name]);
      expect(download.statusCode, name).to.equal(403);
      expect(download.body).to.not.contain('syrup');
    }
  });

  it('verify: a caller who may not read the record learns match and where and when, never the refs or the submitter', async () => {
    const outsider = await upload(key['m-a'] as string, statement, {}, '/api/v1/evidence/verify');
    expect(outsider.statusCode, outsider.body).to.equal(200);
    const v = outsider.json();
    expect(v).to.include({ match: true, readable: false });
    expect(v.anchoring).to.include({ validationCode: 'VALID' });
    expect(v.anchoring.blockNumber).to.be.a('number');
    expect(Object.keys(v).sort()).to.deep.equal(['anchoring', 'digests', 'match', 'readable']);
    expect(outsider.body).to.not.contain('enf-b').and.to.not.contain('case-').and.to.not.contain(HUIXIAN);

    const reader = (await upload(key['aud-a'] as string, statement, {}, '/api/v1/evidence/verify')).json();
    expect(reader).to.include({ match: true, readable: true });
    expect(reader.record.submitter).to.deep.equal({ mspId: HUIXIAN, member: 'enf-b' });
    expect(reader.transaction).to.include({ creatorMspId: HUIXIAN });
    expect(reader.anchoring).to.deep.equal(v.anchoring);
  });

  it('an upload of the same file by a caller who may not read it is 409 without the record, and submits nothing', async () => {
    const height = await f.ledger.ledger.height();
    const res = await upload(key['m-a'] as string, statement);
    expect(res.statusCode, res.body).to.equal(409);
    expect(res.json().code).to.equal('CONFLICT');
    expect(res.body).to.not.contain('enf-b');
    expect(await f.ledger.ledger.height()).to.equal(height);
  });
});
